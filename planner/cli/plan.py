"""``planner plan``: plan who travels how to an event and home again, and write the outputs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.console import Console
from rich.table import Table

from planner.cli.main import app, user_errors

console = Console()

_LABELS = {
    "nl": {"title": "Plan", "participants": "Deelnemers", "served": "Geholpen",
           "unserved": "Niet geholpen", "km": "Voertuig-km", "cost": "Kosten (EUR)",
           "co2": "CO2 (kg)", "network": "Netwerk", "modes": "Vervoerswijzen",
           "why": "Niet geholpen, met reden", "written": "Geschreven"},
    "en": {"title": "Plan", "participants": "Participants", "served": "Served",
           "unserved": "Unserved", "km": "Vehicle-km", "cost": "Cost (EUR)",
           "co2": "CO2 (kg)", "network": "Network", "modes": "Modes",
           "why": "Unserved, with reason", "written": "Written"},
}


@app.command("plan")
@user_errors
def plan(
    scenario: Annotated[Path, typer.Argument(help="Scenario TOML (event, participants, fleet).")],
    out: Annotated[Path, typer.Option(help="Folder for plan.json, maps, sheets and exports.")],
    seed: Annotated[int | None, typer.Option(help="Seed: the same input and seed give the same plan.")] = None,
    time_limit: Annotated[float | None, typer.Option(help="Solver time limit in seconds.")] = None,
    lang: Annotated[Literal["nl", "en"], typer.Option(help="Language of sheets and messages.")] = "nl",
    cache_dir: Annotated[Path | None, typer.Option(help="Cache folder (networks, feeds).")] = None,
) -> None:
    """Plan rides, bikes and walks to the event and back; write plan.json and the outputs."""
    from planner.cli.checks import check_out_dir
    from planner.limits import PlanOptions
    from planner.model.read import read_scenario
    from planner.region import load_region

    check_out_dir(out)  # before any work: a bad --out must not cost a solver run
    region = load_region()
    scen = read_scenario(scenario, region=region)
    options = PlanOptions.from_scenario(scen, seed=seed, time_limit_s=time_limit, lang=lang)
    from planner.network import load_network
    from planner.solve.planning import plan_event

    network = load_network(region, cache_dir=cache_dir)
    timetable = _timetable(scen.event.date, cache_dir)
    with console.status("Ritten plannen..." if lang == "nl" else "Planning rides..."):
        result = plan_event(scen, region, network, options, timetable)
    out.mkdir(parents=True, exist_ok=True)
    written = [result.to_file(out / "plan.json")]
    written += _write_outputs(result, scen, network, region, out, lang)
    print_summary(result, lang)
    console.print(f"{_LABELS[lang]['written']}: {out} ({len(written)} bestanden)"
                  if lang == "nl" else f"{_LABELS[lang]['written']}: {out} ({len(written)} files)")


def _timetable(day, cache_dir: Path | None):
    """One day of the cached GTFS feed (or the example feed); None when nothing runs that day."""
    from planner import settings
    from planner.transit import Timetable, default_feed_path, read_feed

    feed = read_feed(default_feed_path(cache_dir or settings.cache_dir))
    if not feed.active_services(day):
        console.print(f"[yellow]Geen bus of trein op {day} in {feed.name}[/]")
        return None
    return Timetable.for_date(feed, day)


def _write_outputs(result, scen, network, region, out: Path, lang: str) -> list[Path]:
    from datetime import datetime

    from planner.output import write_outputs

    # Cyclists' and walkers' lines along the network (straight via crossings when approximate).
    when = datetime.combine(scen.event.date, scen.event.start)
    venue = (scen.event.lat, scen.event.lon)
    homes = {p.id: (p.lat, p.lon) for p in scen.participants}
    paths = {p.id: network.path(homes[p.id], venue, p.mode, when=when)
             for p in result.participants if p.mode in ("bike", "ebike", "walk")}
    files = write_outputs(result, scen, region, out, lang=lang, paths=paths)
    return [p for paths in files.values() for p in paths]


def print_summary(result, lang: str = "nl") -> None:
    """Print the plan's totals, modes and the unserved with reasons (ids and villages only)."""
    text = _LABELS[lang]
    s = result.summary
    table = Table(title=f"{text['title']}: {result.event['name']}", show_header=False)
    for label, value in [(text["participants"], s.participants), (text["served"], s.served),
                         (text["unserved"], s.unserved), (text["km"], f"{s.vehicle_km:.1f}"),
                         (text["cost"], f"{s.cost_eur:.2f}"), (text["co2"], f"{s.co2_kg:.1f}"),
                         (text["network"], s.network)]:
        table.add_row(label, str(value))
    modes: dict[str, int] = {}
    for p in result.participants:
        modes[p.mode] = modes.get(p.mode, 0) + 1
    table.add_row(text["modes"], ", ".join(f"{m} {n}" for m, n in sorted(modes.items())))
    console.print(table)
    unserved = [p for p in result.participants if p.mode == "unserved"]
    if unserved:
        console.print(f"[bold]{text['why']}:[/]")
        for p in unserved:
            console.print(f"  {p.id} ({p.village}): {p.reason}", highlight=False)
    for note in result.notes:
        console.print(f"[yellow]{note}[/]")
