"""What people look at: the overview map, driver sheets, GPX files, tables and rider cards.

:func:`write_outputs` writes them all into one folder::

    DIR/plan.json                the plan (docs/plan.schema.json), ids and villages only
    DIR/overview.html            map of the plan, no personal data
    DIR/plan.csv                 one row per participant, no personal data (Dutch: ';' + BOM)
    DIR/plan.xlsx                the coordinator's workbook: overview, one sheet per vehicle, call list
    DIR/plan.gpkg                stops, routes, villages for QGIS, no personal data
    DIR/drivers/<vehicle>.html   printable A4 route sheet for that vehicle's driver
    DIR/drivers/<vehicle>.gpx    GPX 1.1 route, track and waypoints
    DIR/riders/<participant>.html  card in Dutch plus the participant's language

Every HTML file works offline (Leaflet is inlined; no CDN), and the folder is replaced as a whole.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from planner.i18n import UnknownLanguageError, translations
from planner.model.plan import Plan
from planner.model.scenario import Scenario
from planner.output._common import CyclistPaths, PlanMismatchError, build_context
from planner.output.basemap import TilesError, check_tiles
from planner.output.cards import write_rider_cards
from planner.output.folder import OutputFolderError, replaced_folder
from planner.output.gpx import write_gpx
from planner.output.maps import SELF_PROPELLED, write_overview_map
from planner.output.sheets import write_driver_sheets
from planner.output.spreadsheet import write_plan_csv, write_plan_xlsx
from planner.output.tables import write_plan_gpkg

__all__ = [
    "OutputFolderError",
    "PlanMismatchError",
    "TilesError",
    "UnknownLanguageError",
    "write_driver_sheets",
    "write_gpx",
    "write_outputs",
    "write_overview_map",
    "write_plan_csv",
    "write_plan_gpkg",
    "write_plan_xlsx",
    "write_rider_cards",
]


def write_outputs(
    plan: Plan,
    scenario: Scenario,
    region: Any | None,
    out_dir: str | Path,
    *,
    lang: str = "nl",
    network: Any | None = None,
    paths: CyclistPaths | None = None,
    tiles: str = "offline",
) -> dict[str, list[Path]]:
    """Write ``plan.json`` and every output of a plan into ``out_dir``, as one whole.

    Everything is written into a temporary folder beside ``out_dir`` and swapped in at the end,
    so ``out_dir`` holds either the complete new plan or what it held before; no file of an
    older plan (such as a removed vehicle's sheet) survives.

    Parameters
    ----------
    plan
        The plan (``plan.json`` contract); trip paths as (lat, lon) in EPSG:4326.
    scenario
        The scenario the plan was made for; the only source of names, phones and addresses.
    region
        The data pack (:func:`planner.region.load_region`) or None; it places the villages on
        the overview map and in ``plan.gpkg``.
    out_dir
        The output folder: created when missing; an existing one must be empty or hold a plan.
    lang
        Language of the overview, driver sheets and GPX files: ``"nl"`` (default) or ``"en"``.
        Rider cards are always Dutch plus the participant's own language.
    network
        The network the plan was made on; bike and walk legs are drawn along its paths.
    paths
        Lines of cyclists and walkers by participant id, as (lat, lon) lists, instead of
        ``network``; without both those lines are straight and marked approximate.
    tiles
        Background of the overview map: ``"offline"`` (default; drawn from the data pack,
        nothing loaded) or ``"osm"`` (OpenStreetMap's tiles, online; the page says so).

    Returns
    -------
    dict
        Files written per kind: ``plan``, ``overview``, ``csv``, ``xlsx``, ``gpkg``,
        ``drivers``, ``gpx``, ``riders``.

    Raises
    ------
    UnknownLanguageError
        When ``lang`` is not ``"nl"`` or ``"en"``.
    TilesError
        When ``tiles`` is not ``"offline"`` or ``"osm"``.
    PlanMismatchError
        When the plan names a participant or vehicle the scenario lacks.
    OutputFolderError
        When ``out_dir`` is a file, or a folder holding files that are not a plan.
    """
    translations(lang, organiser=True)  # fail on a bad language before writing anything
    check_tiles(tiles)
    build_context(plan, scenario, region)  # and on a plan made for another scenario
    if paths is None and network is not None:
        paths = self_propelled_paths(plan, scenario, network)
    with replaced_folder(Path(out_dir)) as tmp:
        written = _write_all(plan, scenario, region, tmp, lang, paths, tiles)
    return {
        kind: [Path(out_dir) / f.relative_to(tmp) for f in files] for kind, files in written.items()
    }


def _write_all(
    plan: Plan,
    scenario: Scenario,
    region: Any | None,
    out: Path,
    lang: str,
    paths: CyclistPaths | None,
    tiles: str,
) -> dict[str, list[Path]]:
    return {
        "plan": [plan.to_json(out / "plan.json")],
        "overview": [
            write_overview_map(
                plan, scenario, region, out / "overview.html", lang=lang, paths=paths, tiles=tiles
            )
        ],
        "csv": [write_plan_csv(plan, out / "plan.csv", lang=lang)],
        "xlsx": [write_plan_xlsx(plan, scenario, out / "plan.xlsx", lang=lang)],
        "gpkg": [write_plan_gpkg(plan, scenario, region, out / "plan.gpkg", paths=paths)],
        "drivers": write_driver_sheets(plan, scenario, out / "drivers", lang=lang),
        "gpx": write_gpx(plan, scenario, out / "drivers", lang=lang),
        "riders": write_rider_cards(plan, scenario, out / "riders"),
    }


def self_propelled_paths(plan: Plan, scenario: Scenario, network: Any) -> dict[str, list]:
    """Lines along the network for the participants who bike or walk, by id ((lat, lon))."""
    homes = {p.id: (p.lat, p.lon) for p in scenario.participants}
    venue = (scenario.event.lat, scenario.event.lon)
    paths = {}
    for p in plan.participants:
        if p.mode in SELF_PROPELLED and p.outbound is not None:
            when = datetime.fromisoformat(p.outbound.depart)
            paths[p.id] = network.path(homes[p.id], venue, p.mode, when=when)
    return paths
