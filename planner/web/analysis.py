"""The analysts' view: the isolation analysis (``planner access``) and its what-ifs.

Villages and populations only, never a participant. Maps are kept under
``DATA_DIR/analysis/<key>.html``, the key a hash of the query, so a repeated query is instant.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

from django.conf import settings

from planner.errors import PlannerError

_KEY = re.compile(r"^[0-9a-f]{24}$")


def _folder() -> Path:
    folder = settings.DATA_DIR / "analysis"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def map_path(key: str) -> Path | None:
    """Return the stored map of ``key``, or None."""
    if not _KEY.match(key):
        return None
    path = _folder() / f"{key}.html"
    return path if path.is_file() else None


def run_analysis(data: dict[str, Any], lang: str) -> dict[str, Any]:
    """Rate every village for the query in ``data`` (form fields); return the summary shown.

    Raises ``ValueError`` with a readable message for a bad what-if vehicle.
    """
    import planner
    from planner.output.access_map import write_access_map
    from planner.web.planning import cache_dir

    region = planner.load_region()
    meeting = {
        "day": data["date"],
        "venue": data["venue"],
        "arrive_by": data["arrive_by"],
        "return_after": data["return_after"],
        "region": region,
    }
    network = planner.load_network(region, cache_dir=cache_dir())
    try:
        result = planner.assess_access(
            **meeting,
            shift_min=int(data.get("shift_min") or 0),
            network=network,
            add_vehicles=[
                t.strip() for t in (data.get("add_vehicle") or "").split(",") if t.strip()
            ],
            cache_dir=cache_dir(),
        )
    except PlannerError as exc:
        raise ValueError(str(exc).replace("--add-vehicle", "what-if")) from None
    query = result.query
    key = hashlib.sha256(
        json.dumps([query.to_dict(), lang], sort_keys=True, default=str).encode()
    ).hexdigest()[:24]
    if map_path(key) is None:
        write_access_map(result, _folder() / f"{key}.html", region=region, lang=lang)
    summary: dict[str, Any] = {
        "key": key,
        "isolated": len(result.isolated),
        "villages": len(result.villages),
        "people": result.population_isolated()[0],
        "network": result.network,
        "timetable": result.timetable,
        "top": sorted(result.isolated, key=lambda v: -v.rating.score)[:10],
    }
    if query.is_what_if:
        before = planner.assess_access(**meeting, network=network, cache_dir=cache_dir())
        summary["before"] = len(before.isolated)
    return summary
