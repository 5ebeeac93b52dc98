"""The ``planner`` typer app and its single error boundary.

User errors (:class:`planner.errors.PlannerError`) print as one red line and exit with code 1.
Any other exception is a bug and keeps its traceback.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import typer
from rich.console import Console

from planner.errors import PlannerError

app = typer.Typer(
    name="planner",
    help="Rivierenland ride planner: who can reach a meeting in Tiel, and how.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode="rich",
)
err_console = Console(stderr=True)

F = TypeVar("F", bound=Callable[..., Any])


def user_errors(func: F) -> F:
    """Turn a PlannerError raised by a command into one red line and exit code 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except PlannerError as exc:
            err_console.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
            raise typer.Exit(code=1) from None

    return wrapper  # type: ignore[return-value]


def _register_commands() -> None:
    # Imported for their side effect: each module adds its commands to `app`.
    from planner.cli import commands  # noqa: F401


_register_commands()


def run() -> None:  # pragma: no cover - console entry convenience
    app(prog_name="planner", args=sys.argv[1:])
