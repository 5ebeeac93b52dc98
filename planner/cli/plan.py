"""``planner plan``: plan who travels how to an event and home again, and write the outputs.

A thin layer over the public API: :func:`planner.load_scenario`, :func:`planner.plan` and
:func:`planner.write_outputs`. It prints ids and villages only.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from planner.cli.main import app, command
from planner.cli.options import CacheDir, Language, Tiles
from planner.i18n import N_, translate_table, translations

if TYPE_CHECKING:
    from planner.model.plan import Plan

console = Console()

_MESSAGES: dict[str, str] = {
    "title": N_("Plan"),
    "participants": N_("Participants"),
    "served": N_("Served"),
    "unserved": N_("Unserved"),
    "km": N_("Vehicle-km"),
    "cost": N_("Cost (EUR)"),
    "co2": N_("CO2 (kg)"),
    "network": N_("Network"),
    "modes": N_("Modes"),
    "ratio": N_("Time in car / direct ride (median, worst)"),
    "early": N_("Most minutes early / waiting after the end"),
    "relax": N_("With a relaxed rule"),
    "extra": N_("more participants"),
    "why": N_("Unserved, with reason"),
    "written": N_("Written"),
    "files": N_("files"),
    "busy": N_("Planning rides..."),
    "network_osm": N_("road network (OpenStreetMap)"),
    "network_approximate": N_("approximate"),
}


@command(app, "plan")
def plan(
    scenario: Annotated[Path, typer.Argument(help="Scenario TOML (event, participants, fleet).")],
    out: Annotated[Path, typer.Option(help="Folder for plan.json, maps, sheets and exports.")],
    seed: Annotated[
        int | None, typer.Option(help="Seed: the same input and seed give the same plan.")
    ] = None,
    time_limit: Annotated[float | None, typer.Option(help="Solver time limit in seconds.")] = None,
    lang: Annotated[Language, typer.Option(help="Language of sheets and messages.")] = "nl",
    previous: Annotated[
        Path | None,
        typer.Option(help="An earlier plan.json of this event: keep its journeys where possible."),
    ] = None,
    cache_dir: CacheDir = None,
    tiles: Tiles = "offline",
) -> None:
    """Plan rides, bus and train, bikes and walks to the event and back.

    Writes plan.json and the outputs. ``--time-limit`` bounds all of it, from here on.
    """
    started = time.monotonic()  # the command's deadline starts here; before it is start-up
    import planner
    from planner.budget import Deadline
    from planner.cli.checks import check_out_dir
    from planner.output.folder import check_output_folder

    check_out_dir(out)  # before any work: a wrong --out must not cost a solve
    check_output_folder(out)
    region = planner.load_region()
    scen = planner.load_scenario(scenario, region=region, cache_dir=cache_dir)
    options = planner.PlanOptions.from_scenario(scen, seed=seed, time_limit_s=time_limit, lang=lang)
    network = planner.load_network(region, cache_dir=cache_dir)
    old = planner.Plan.from_json(previous) if previous is not None else None
    text = translate_table(_MESSAGES, translations(lang, organiser=True))
    with console.status(text["busy"]):
        result = planner.plan(
            scen,
            region=region,
            network=network,
            options=options,
            previous=old,
            cache_dir=cache_dir,
            deadline=Deadline(options.time_limit_s, started),
        )
    files = planner.write_outputs(
        result, out, lang=lang, region=region, network=network, tiles=tiles
    )
    print_summary(result, lang)
    count = sum(len(paths) for paths in files.values())
    console.print(
        f"{text['written']}: {out} ({count} {text['files']})", markup=False, highlight=False
    )


def print_summary(result: Plan, lang: str = "nl") -> None:
    """Print the plan's totals, comfort, modes and the unserved with reasons.

    Ids and villages only.
    """
    from planner.output._common import TRAVEL_MODES

    tr = translations(lang, organiser=True)
    text = translate_table(_MESSAGES, tr)
    s = result.summary
    table = Table(title=f"{text['title']}: {result.event.name}", show_header=False)
    rows = [
        (text["participants"], s.participants),
        (text["served"], s.served),
        (text["unserved"], s.unserved),
        (text["km"], tr.number(s.vehicle_km)),
        (text["cost"], tr.number(s.cost_eur, 2)),
        (text["co2"], tr.number(s.co2_kg)),
        (text["network"], text.get(f"network_{result.network}", result.network)),
    ]
    if s.ride_ratio_median is not None:
        ratios = (tr.number(s.ride_ratio_median, 2), tr.number(s.ride_ratio_max or 0, 2))
        rows.append((text["ratio"], " / ".join(ratios)))
    if s.early_min_max is not None or s.late_min_max is not None:
        rows.append((text["early"], f"{s.early_min_max or 0:.0f} / {s.late_min_max or 0:.0f}"))
    for label, value in rows:
        table.add_row(Text(label), Text(str(value)))
    modes: dict[str, int] = {}
    for p in result.participants:
        modes[p.mode] = modes.get(p.mode, 0) + 1
    table.add_row(
        Text(text["modes"]),
        Text(", ".join(f"{tr.t(TRAVEL_MODES[m])} {n}" for m, n in sorted(modes.items()))),
    )
    console.print(table)
    for relax in s.relaxations:
        console.print(
            f"{text['relax']}: {relax.option} = {relax.value:g}: "
            f"{relax.extra_served} {text['extra']}",
            markup=False,
            highlight=False,
        )
    unserved = [p for p in result.participants if not p.served]
    if unserved:
        console.print(Text(f"{text['why']}:", style="bold"))
        for p in unserved:
            reason = p.reason.text if p.reason else ""
            console.print(f"  {p.id} ({p.village}): {reason}", markup=False, highlight=False)
    for note in result.notes:
        console.print(Text(note, style="yellow"))
