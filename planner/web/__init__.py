"""The coordinators' web app: a Django project and app served by ``planner web serve``.

Every plan, map and sheet comes from the public API (:mod:`planner.api`); this package keeps the
register of participants and volunteers over many events, the sign-ups, the plans made, the
driver links and the audit log in a database (SQLite in the data folder, or PostgreSQL when
``DATABASE_URL`` is set).
"""

from __future__ import annotations

import os
from pathlib import Path

#: Environment variable naming the data folder (database, plan outputs, staged uploads).
DATA_DIR_ENV = "PLANNER_WEB_DATA_DIR"


def setup(data_dir: str | Path) -> None:
    """Point Django at ``data_dir`` and load the app (idempotent within one process)."""
    import django

    os.environ[DATA_DIR_ENV] = str(Path(data_dir).resolve())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "planner.web.settings")
    django.setup()
