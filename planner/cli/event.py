"""``planner event``: rank candidate venues × time slots for a group; write event.csv and a map.

The ranking rules are in :mod:`planner.ranking.event`. The printed table and the map show
counts only, never participants' names.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from planner.cli.main import app, command
from planner.cli.options import CacheDir, Lang, Seed, Tiles
from planner.i18n import APPROXIMATE_NETWORK, EXAMPLE_TIMETABLE, N_, translate_table, translations

if TYPE_CHECKING:
    from planner.ranking.event import EventRanking

console = Console(highlight=False, soft_wrap=True)

_MESSAGES: dict[str, str] = {
    "title": N_("Venues and times, best first ({n} participants)"),
    "planned_line": N_(
        "{rank}. {venue}, {slot}: {attend}/{n} can attend ({own} by own means, {given} by "
        "ride, {unserved} unserved), {travel} min travel"
    ),
    "estimate_line": N_(
        "{rank}. {venue}, {slot}: estimated {attend}/{n} ({own} by own means; not "
        "planned), about {travel} min travel"
    ),
    "planning": N_("Planning rides for the best {n} options..."),
    "estimate": N_(
        "Not planned: the estimate counts own means plus the free seats of the vehicles "
        "available for the whole slot."
    ),
    "approx": APPROXIMATE_NETWORK,
    "example": EXAMPLE_TIMETABLE,
    "written": N_("Written"),
}


@command(app, "event")
def event(
    candidates: Annotated[Path, typer.Option(help="Candidates TOML: venues and time slots.")],
    out: Annotated[Path, typer.Option(help="Folder for event.csv and event.html.")],
    participants: Annotated[
        Path | None,
        typer.Option(help="Participants CSV (default: the file the candidates TOML names)."),
    ] = None,
    fleet: Annotated[
        Path | None, typer.Option(help="Fleet CSV (default: the file the candidates TOML names).")
    ] = None,
    plan_top: Annotated[
        int, typer.Option(help="How many of the best options to plan with the ride planner.", min=0)
    ] = 3,
    time_limit: Annotated[
        float, typer.Option(help="Solver time limit per planned option, seconds.", min=0.1)
    ] = 5.0,
    seed: Seed = 0,
    lang: Lang = "nl",
    cache_dir: CacheDir = None,
    tiles: Tiles = "offline",
) -> None:
    """Rank venue × time-slot options by who can attend, rides needed and travel time."""
    import planner
    from planner.cli.checks import check_out_dir
    from planner.output.event_map import write_event_map

    check_out_dir(out)  # before the ranking, not after it
    text = translate_table(_MESSAGES, translations(lang, organiser=True))
    region = planner.load_region()
    with console.status(text["planning"].format(n=plan_top)):
        ranking = planner.rank_events(
            candidates,
            participants=participants,
            fleet=fleet,
            plan_top=plan_top,
            time_limit_s=time_limit,
            seed=seed,
            lang=lang,
            region=region,
            cache_dir=cache_dir,
        )
    written = [
        ranking.write_csv(out / "event.csv"),
        write_event_map(ranking, region, out / "event.html", lang=lang, tiles=tiles),
    ]
    _print_ranking(ranking, text)
    console.print(f"{text['written']}: " + ", ".join(str(p) for p in written))


def _print_ranking(ranking: EventRanking, text: dict[str, str]) -> None:
    console.print(text["title"].format(n=ranking.options[0].participants), style="bold")
    for o in ranking.options:
        line = text["planned_line" if o.planned else "estimate_line"].format(
            rank=o.rank,
            venue=o.venue.name,
            slot=o.slot.label,
            attend=o.can_attend,
            n=o.participants,
            own=o.own_means,
            given=o.rides_given,
            unserved=o.unserved,
            travel=round(o.total_travel_min),
        )
        console.print(line)
    if any(not o.planned for o in ranking.options):
        console.print(text["estimate"])
    if ranking.approximate:
        console.print(f"[yellow]{text['approx']}[/]")
    if ranking.example_timetable:
        console.print(f"[yellow]{text['example']}[/]")
