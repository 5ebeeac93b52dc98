"""``planner check PLAN.json``: validate a plan against its schema and follow-on rules."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from planner.cli.main import app, command
from planner.cli.options import Language


@command(app, "check")
def check(
    plan: Annotated[Path, typer.Argument(help="A plan.json (version 2) to check.")],
    lang: Annotated[Language, typer.Option(help="Language of the messages.")] = "nl",
) -> None:
    """Check a plan.json: schema, journeys that follow on, rides that match the vehicles.

    Prints OK, or one line per problem and exits with code 1.
    """
    from planner.model.plan_check import check_plan_file

    problems = check_plan_file(plan, lang=lang)
    if not problems:
        typer.echo("OK")
        return
    for line in problems:
        typer.echo(line)
    raise typer.Exit(code=1)
