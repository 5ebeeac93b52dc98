"""Django for the web tests: a throwaway data folder and test database (SQLite, or PostgreSQL
when ``DATABASE_URL`` is set), users of both roles, and small sign-up files."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "data" / "scenarios" / "taalcafe-tiel"
PASSWORD = "long-enough-password-1"

_DATA = Path(tempfile.mkdtemp(prefix="planner-web-test-"))
_CACHE = _DATA / "cache"  # empty: the approximate network and the example timetable
_CACHE.mkdir()
os.environ["PLANNER_CACHE_DIR"] = str(_CACHE)
os.environ["PLANNER_WEB_TIME_LIMIT_S"] = "30"
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # playwright's loop in the tests


@pytest.fixture(scope="session", autouse=True)
def django_db():
    from planner import settings as planner_settings

    planner_settings.cache_dir = _CACHE
    from planner.web import setup

    setup(_DATA)
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    yield connection
    _finish_plan_threads(connection)
    connection.creation.destroy_test_db(old_name, verbosity=0)
    teardown_test_environment()
    shutil.rmtree(_DATA, ignore_errors=True)


def _finish_plan_threads(connection) -> None:
    """Let background plans end, and end sessions other threads left open (the live server's),
    so that PostgreSQL can drop the test database."""
    import threading

    for thread in threading.enumerate():
        if thread.name.startswith("plan-"):
            thread.join(timeout=60)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(scope="session")
def users(django_db):
    from planner.web.access import create_user

    return {
        "coordinator": create_user("coco", PASSWORD, "coordinator"),
        "analyst": create_user("ana", PASSWORD, "analyst"),
    }


@pytest.fixture()
def client_as(users):
    """A logged-in test client for a role (or anonymous for None)."""
    from django.test import Client

    def make(role: str | None, *, csrf: bool = False) -> Client:
        client = Client(enforce_csrf_checks=csrf)
        if role:
            client.force_login(users[role])
        return client

    return make


@pytest.fixture()
def token_for(users):
    from planner.web.models import ApiToken

    return lambda role: ApiToken.issue(users[role])


def small_participants(n: int = 4) -> str:
    """The first ``n`` demo participants as CSV text."""
    lines = (DEMO / "participants.csv").read_text(encoding="utf-8").splitlines()
    return "\n".join(lines[: n + 1]) + "\n"


def demo_xlsx(path: Path, n: int | None = None) -> Path:
    """The demo sign-ups (first ``n`` rows) as an Excel file."""
    import csv

    from openpyxl import Workbook

    rows = list(csv.reader((DEMO / "participants.csv").open(encoding="utf-8")))
    book = Workbook()
    sheet = book.active
    for row in rows[: (n + 1) if n else None]:
        sheet.append(row)
    book.save(path)
    return path


@pytest.fixture()
def upload_files():
    """Multipart uploads of a small demo scenario (scenario, participants, fleet)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    def make(
        participants: str | None = None,
        fleet: str | None = None,
        participants_name: str = "participants.csv",
    ) -> dict:
        return {
            "scenario": SimpleUploadedFile("scenario.toml", (DEMO / "scenario.toml").read_bytes()),
            "participants": SimpleUploadedFile(
                participants_name, (participants or small_participants()).encode("utf-8")
            ),
            "fleet": SimpleUploadedFile(
                "fleet.csv",
                (fleet or (DEMO / "fleet.csv").read_text(encoding="utf-8")).encode("utf-8"),
            ),
        }

    return make
