"""``planner web``: the coordinators' web app (init the database, add users, serve)."""

from __future__ import annotations

import getpass
import os
from pathlib import Path
from typing import Annotated

import typer

from planner.cli.main import app, command
from planner.errors import PlannerError

web = typer.Typer(help="The coordinators' web app.", no_args_is_help=True)
user = typer.Typer(help="Users of the web app.", no_args_is_help=True)
web.add_typer(user, name="user")
app.add_typer(web, name="web")

DataDir = Annotated[Path, typer.Option("--data-dir", help="Data folder: database, plans, uploads.")]


class WebError(PlannerError):
    """A web command cannot do what was asked."""


def _setup(data_dir: Path) -> None:
    from planner.web import setup

    data_dir.mkdir(parents=True, exist_ok=True)
    setup(data_dir)


def migrate(data_dir: Path) -> None:
    """Create or migrate the database of ``data_dir``."""
    _setup(data_dir)
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


@command(web, "init")
def init(data_dir: DataDir) -> None:
    """Create or migrate the database."""
    migrate(data_dir)
    from planner.web.privacy import anonymise_due

    done = anonymise_due()
    typer.echo(f"Database ready in {data_dir}" + (f" ({done} events anonymised)" if done else ""))


@command(web, "anonymise")
def anonymise(
    data_dir: DataDir,
    days: Annotated[
        int | None,
        typer.Option(min=0, help="Days after an event (default $PLANNER_ANONYMISE_DAYS or 30)."),
    ] = None,
) -> None:
    """Anonymise the personal data of events that ended more than the given days ago.

    Also done when the server starts and at every login; run it daily from cron on a server that
    stays up for weeks.
    """
    migrate(data_dir)
    from django.conf import settings

    from planner.web.privacy import anonymise_due

    keep = settings.ANONYMISE_AFTER_DAYS if days is None else days
    done = anonymise_due(days=keep)
    typer.echo(f"{done} events anonymised (older than {keep} days)")


@command(user, "add")
def user_add(
    name: Annotated[str, typer.Argument(help="User name.")],
    role: Annotated[str, typer.Option(help="coordinator or analyst.")],
    data_dir: DataDir,
) -> None:
    """Create a user (or set a new password and role).

    The password comes from $PLANNER_PASSWORD or a prompt.
    """
    from django.core.exceptions import ValidationError

    if role not in ("coordinator", "analyst"):
        raise WebError(f"--role must be coordinator or analyst, not {role!r}")
    migrate(data_dir)
    password = os.environ.get("PLANNER_PASSWORD") or getpass.getpass(f"Password for {name}: ")
    from planner.web.access import create_user

    try:
        create_user(name, password, role)
    except ValidationError as exc:
        raise WebError("password refused: " + " ".join(exc.messages)) from None
    typer.echo(f"User {name} ({role}) saved")


@command(user, "token")
def user_token(name: Annotated[str, typer.Argument(help="User name.")], data_dir: DataDir) -> None:
    """Print a new API token for a user (Authorization: Token <token>)."""
    migrate(data_dir)
    from django.contrib.auth import get_user_model

    from planner.web.models import ApiToken

    found = get_user_model().objects.filter(username=name).first()
    if found is None:
        raise WebError(f"no user {name!r}; add one with planner web user add")
    typer.echo(ApiToken.issue(found))


@command(web, "serve")
def serve(
    data_dir: DataDir,
    host: Annotated[
        str, typer.Option(help="Address to bind (localhost by default).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
) -> None:
    """Serve the web app (behind a proxy for other machines: see the README)."""
    migrate(data_dir)
    from planner.web.privacy import anonymise_due
    from planner.web.serve import make_server

    anonymise_due()
    server = make_server(host, port)
    typer.echo(f"Serving {data_dir} on http://{host}:{server.server_port}/ (Ctrl+C stops)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
