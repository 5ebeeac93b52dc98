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
    previous: Annotated[Path | None, typer.Option(help="An earlier plan.json of this event: keep its journeys where possible.")] = None,
    cache_dir: Annotated[Path | None, typer.Option(help="Cache folder (networks, feeds).")] = None,
) -> None:
    """Plan rides, bikes, buses and walks to the event and back; write plan.json and the outputs."""
    import planner
    from planner.model.plan import Plan

    scen = planner.load_scenario(scenario)
    options = planner.PlanOptions.from_scenario(scen, seed=seed, time_limit_s=time_limit, lang=lang)
    before = Plan.from_json(previous) if previous is not None else None
    with console.status("Ritten plannen..." if lang == "nl" else "Planning rides..."):
        result = planner.plan(scen, options=options, previous=before, cache_dir=cache_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = [result.to_json(out / "plan.json")]  # until write_outputs writes plan.json itself
    files = planner.write_outputs(result, out, lang=lang)
    written += [p for paths in files.values() for p in paths]
    print_summary(result, lang)
    console.print(f"{_LABELS[lang]['written']}: {out} ({len(written)} bestanden)"
                  if lang == "nl" else f"{_LABELS[lang]['written']}: {out} ({len(written)} files)")


def print_summary(result, lang: str = "nl") -> None:
    """Print the plan's totals, modes and the unserved with reasons (ids and villages only)."""
    text = _LABELS[lang]
    s = result.summary
    table = Table(title=f"{text['title']}: {result.event.name}", show_header=False)
    for label, value in [(text["participants"], s.participants), (text["served"], s.served),
                         (text["unserved"], s.unserved), (text["km"], f"{s.vehicle_km:.1f}"),
                         (text["cost"], f"{s.cost_eur:.2f}"), (text["co2"], f"{s.co2_kg:.1f}"),
                         (text["network"], result.network)]:
        table.add_row(label, str(value))
    modes: dict[str, int] = {}
    for p in result.participants:
        modes[p.mode] = modes.get(p.mode, 0) + 1
    table.add_row(text["modes"], ", ".join(f"{m} {n}" for m, n in sorted(modes.items())))
    console.print(table)
    unserved = [p for p in result.participants if not p.served]
    if unserved:
        console.print(f"[bold]{text['why']}:[/]")
        for p in unserved:
            console.print(f"  {p.id} ({p.village}): {p.reason.text}", highlight=False)
        for r in s.relaxations:
            console.print(f"  {r.option} = {r.value:g}: +{r.extra_served}", highlight=False)
    for note in result.notes:
        console.print(f"[yellow]{note}[/]")
