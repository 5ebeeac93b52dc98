"""The ``planner`` typer app and its single error boundary.

User errors (:class:`planner.errors.PlannerError`), bad command-line values and files that cannot
be written (a full disk, a read-only folder) print as one line on stderr and exit with code 1.
Warnings print as one line each. User text in a message is printed as is: rich markup is off, so
``[event]`` in a message stays ``[event]``. Any other exception is a bug and keeps its traceback.
"""

from __future__ import annotations

import errno
import functools
import sys
import warnings
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import typer
from rich.console import Console
from rich.text import Text

# typer vendors click and does not re-export ClickException, the base of its usage errors.
from typer._click.exceptions import ClickException
from typer.core import TyperGroup

from planner.errors import PlannerError

#: Errors writing a file that the user can fix (disk space, permissions, the path itself).
_WRITE_ERRNOS = frozenset(
    {
        errno.ENOSPC,
        errno.EDQUOT,
        errno.EROFS,
        errno.EACCES,
        errno.EPERM,
        errno.EFBIG,
        errno.ENAMETOOLONG,
        errno.ENOTDIR,
        errno.EISDIR,
        errno.EEXIST,
        errno.ENOENT,
    }
)


def print_error(message: str) -> None:
    """Print ``error: message`` as one line on stderr, the message without markup."""
    line = " ".join(str(message).split())  # one line, whatever the message holds
    err_console.print(
        Text.assemble(("error:", "bold red"), " ", line), soft_wrap=True, highlight=False
    )


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: Any = None,
    line: str | None = None,
) -> None:
    text = " ".join(str(message).split())
    err_console.print(
        Text.assemble(("warning:", "bold yellow"), " ", text), soft_wrap=True, highlight=False
    )


class _OneLineErrors(TyperGroup):
    """The root command: a bad option value is one line and exit code 1, not a usage panel."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        shown = warnings.showwarning
        warnings.showwarning = _show_warning
        try:
            code = super().main(
                args=args,
                prog_name=prog_name,
                complete_var=complete_var,
                standalone_mode=False,
                windows_expand_args=windows_expand_args,
                **extra,
            )
        except ClickException as exc:
            hint = ""
            context = getattr(exc, "ctx", None)
            if context is not None:
                hint = f" (see '{context.command_path} --help')"
            print_error(f"{exc.format_message()}{hint}")
            code = 1
        except typer.Abort:
            print_error("aborted")
            code = 1
        finally:
            warnings.showwarning = shown
        if not standalone_mode:
            return code
        sys.exit(code if isinstance(code, int) else 0)


app = typer.Typer(
    name="planner",
    help="Rivierenland ride planner: who can reach a meeting in Tiel, and how.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode="rich",
    cls=_OneLineErrors,
)
err_console = Console(stderr=True)

F = TypeVar("F", bound=Callable[..., Any])


def user_errors(func: F) -> F:
    """Turn a user error raised by a command into one red line and exit code 1.

    A :class:`PlannerError`, and an ``OSError`` writing or reading a path the user gave (full
    disk, no permission, a folder where a file belongs), name the path and the reason.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except PlannerError as exc:
            print_error(str(exc))
            raise typer.Exit(code=1) from None
        except OSError as exc:
            if exc.errno not in _WRITE_ERRNOS:
                raise
            where = exc.filename if exc.filename is not None else "output"
            print_error(f"{where}: cannot write or read this path ({exc.strerror or exc})")
            raise typer.Exit(code=1) from None
        except MemoryError:
            print_error(
                "out of memory: the input is too large for this machine "
                "(see the size limits in planner/limits.py)"
            )
            raise typer.Exit(code=1) from None

    return wrapper  # type: ignore[return-value]


def command(group: typer.Typer, name: str, **settings: Any) -> Callable[[F], F]:
    """Register the decorated function as command ``name`` of ``group``, behind :func:`user_errors`.

    Every command is registered this way, so none lacks the error boundary. ``settings`` go to
    :meth:`typer.Typer.command` (e.g. ``help``).
    """

    def register(func: F) -> F:
        guarded = user_errors(func)
        group.command(name, **settings)(guarded)
        return guarded

    return register


def _register_commands() -> None:
    # Imported for their side effect: each module adds its commands to `app`.
    from planner.cli import commands  # noqa: F401


_register_commands()


def run() -> None:  # pragma: no cover - console entry convenience
    """Run the command line with the process arguments."""
    app(prog_name="planner", args=sys.argv[1:])
