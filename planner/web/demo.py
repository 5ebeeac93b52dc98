"""``make demo``'s web part: the demo event, planned, in a data folder ready to serve.

Creates the database in ``--data-dir`` (default ``.planner-demo``), a coordinator ``demo`` (password
from ``$PLANNER_PASSWORD``, else a new random one printed once), the Taalcafé event of
``data/scenarios/taalcafe-tiel`` with its sign-ups and vehicles, and its plan. Running it again
keeps what is there.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from pathlib import Path

from planner.demo import EXAMPLE


def main(argv: list[str] | None = None) -> int:
    """Load and plan the demo event in ``--data-dir``; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=Path(".planner-demo"))
    args = parser.parse_args(argv)
    from planner.cli.web import migrate

    migrate(args.data_dir)
    from django.contrib.auth import get_user_model

    import planner
    from planner.web import imports, planning
    from planner.web.access import create_user
    from planner.web.models import Event

    if not get_user_model().objects.filter(username="demo").exists():
        password = os.environ.get("PLANNER_PASSWORD") or secrets.token_urlsafe(12)
        create_user("demo", password, "coordinator")
        if "PLANNER_PASSWORD" not in os.environ:
            print(f"Web demo user: demo, password {password}")
    scenario = planner.load_scenario(EXAMPLE)
    event = Event.objects.filter(name=scenario.event.name, date=scenario.event.date).first()
    if event is None:
        event = imports.create_event(scenario)
    if event.current_plan() is None:
        planning.RUN_INLINE = True
        run = planning.start(event, time_limit_s=10)
        run.refresh_from_db()
        if run.status != run.DONE:
            print(f"Web demo: planning failed: {run.error}", file=sys.stderr)
            return 1
    print(
        f"Web demo: planner web serve --data-dir {args.data_dir}, then open "
        f"http://127.0.0.1:8000/events/{event.pk}/ (user demo)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
