"""``planner access``: which villages cannot reach a meeting and get home again, on a map.

Writes ``access.csv`` (one row per village of the data pack) and ``access.html`` (the isolation
map); with ``--add-vehicle`` or ``--shift`` also ``compare.csv`` (before and after the change).
The scoring rules are in :mod:`planner.access.score`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer
from rich.console import Console
from rich.table import Table

from planner.cli.main import app, command
from planner.cli.options import CacheDir, Lang, Tiles, parse_clock, parse_date
from planner.errors import DataPackError, InputFileError, UnknownPlaceError
from planner.i18n import APPROXIMATE_NETWORK, EXAMPLE_TIMETABLE, N_, translate_table, translations

if TYPE_CHECKING:
    from planner.access.analysis import AccessComparison, AccessResult
    from planner.i18n import Translations

console = Console(highlight=False, soft_wrap=True)

_MESSAGES: dict[str, str] = {
    "heading": N_("Isolation: {venue}, {day}, arrive by {arrive}, leave after {leave}"),
    "count": N_("{n} of {total} villages isolated (no own means or bus/train there or back)"),
    "people": N_(
        "{people} people in isolated villages with a known population; {unknown} isolated "
        "villages without a population figure"
    ),
    "top": N_("Most isolated"),
    "village": N_("Village"),
    "municipality": N_("Municipality"),
    "population": N_("Population"),
    "score": N_("Score"),
    "best": N_("There / back"),
    "whatif": N_(
        "What-if ({changes}): {freed} villages no longer isolated ({people} people "
        "known), {new} newly isolated; now {n} of {total} isolated"
    ),
    "shift": N_("{shift:+d} min"),
    "approx": APPROXIMATE_NETWORK,
    "example": EXAMPLE_TIMETABLE,
    "no_service": N_("no bus or train runs on {day} in the timetable"),
    "written": N_("Written"),
}
_TOP = 10


@command(app, "access")
def access(
    on: Annotated[str, typer.Option("--date", help="Date of the meeting, YYYY-MM-DD.")],
    out: Annotated[
        Path, typer.Option(help="Folder for access.csv, access.html (and compare.csv).")
    ],
    venue: Annotated[
        str | None,
        typer.Option(
            help="Venue name from the data pack (default: the data pack's default venue)."
        ),
    ] = None,
    arrive_by: Annotated[
        str, typer.Option("--arrive-by", help="Latest arrival at the venue, HH:MM.")
    ] = "19:20",
    return_after: Annotated[
        str,
        typer.Option("--return-after", help="Earliest departure home after the meeting, HH:MM."),
    ] = "21:30",
    add_vehicle: Annotated[
        list[str] | None,
        typer.Option(
            "--add-vehicle", help="What-if: a village car, dorpsauto@VILLAGE (repeatable)."
        ),
    ] = None,
    shift: Annotated[
        int,
        typer.Option(help="What-if: move both times by this many minutes (negative = earlier)."),
    ] = 0,
    level: Annotated[
        Literal["woonplaats", "buurt"],
        typer.Option(help="Rate villages (woonplaats) or neighbourhoods (buurt)."),
    ] = "woonplaats",
    cyclist: Annotated[
        bool,
        typer.Option(
            "--cyclist/--no-cyclist",
            help="Count the bike and cycling to stops (--no-cyclist: on foot only).",
        ),
    ] = True,
    lang: Lang = "nl",
    cache_dir: CacheDir = None,
    tiles: Tiles = "offline",
) -> None:
    """Rate every village both ways for one meeting; write access.csv and an isolation map."""
    import planner
    from planner.access.analysis import compare_to_baseline
    from planner.cli.checks import check_out_dir
    from planner.output.access_map import write_access_map

    check_out_dir(out)  # before the analysis, not after it
    region = planner.load_region()
    if venue is not None:
        try:
            region.find_venue(venue)
        except UnknownPlaceError as exc:
            raise InputFileError("--venue", str(exc)) from None
    if level == "buurt":
        raise DataPackError(
            f"the data pack {region.root} has no buurt (neighbourhood) level yet: "
            "no CBS buurt points or populations; use --level woonplaats"
        )
    network = planner.load_network(region, cache_dir=cache_dir)
    result = planner.assess_access(
        parse_date(on),
        venue=venue,
        arrive_by=parse_clock(arrive_by, "--arrive-by"),
        return_after=parse_clock(return_after, "--return-after"),
        shift_min=shift,
        add_vehicles=add_vehicle or (),
        cyclist=cyclist,
        region=region,
        network=network,
        cache_dir=cache_dir,
    )
    tr = translations(lang, organiser=True)
    text = translate_table(_MESSAGES, tr)
    written = [
        result.write_csv(out / "access.csv"),
        write_access_map(result, out / "access.html", region=region, lang=lang, tiles=tiles),
    ]
    _print_summary(result, text, tr)
    if result.query.is_what_if:
        comparison = compare_to_baseline(result, region, network, cache_dir=cache_dir)
        written.append(comparison.write_csv(out / "compare.csv"))
        _print_what_if(comparison, text, tr)
    console.print(f"{text['written']}: " + ", ".join(str(p) for p in written))


def _print_summary(result: AccessResult, text: dict[str, str], tr: Translations) -> None:
    q = result.query
    console.print(
        text["heading"].format(
            venue=q.venue, day=q.day, arrive=f"{q.arrive_at:%H:%M}", leave=f"{q.leave_at:%H:%M}"
        ),
        style="bold",
    )
    people, unknown = result.population_isolated()
    console.print(text["count"].format(n=len(result.isolated), total=len(result.villages)))
    console.print(text["people"].format(people=tr.thousands(people), unknown=unknown))
    worst = sorted(result.isolated, key=lambda v: (-v.rating.score, v.name))[:_TOP]
    if worst:
        table = Table(title=text["top"])
        for column in ("village", "municipality", "population", "score", "best"):
            table.add_column(
                text[column], justify="right" if column in ("population", "score") else "left"
            )
        for v in worst:
            table.add_row(
                v.name,
                v.municipality,
                "" if v.population is None else tr.thousands(v.population),
                f"{v.rating.score:.2f}",
                f"{v.rating.out.best or '–'} / {v.rating.back.best or '–'}",
            )
        console.print(table)
    for note in _notes(result, text):
        console.print(f"[yellow]{note}[/]")


def _print_what_if(comparison: AccessComparison, text: dict[str, str], tr: Translations) -> None:
    after = comparison.after
    q = after.query
    changes = [v.label for v in q.vehicles] + (
        [text["shift"].format(shift=q.shift_min)] if q.shift_min else []
    )
    console.print(
        text["whatif"].format(
            changes=", ".join(changes),
            freed=comparison.freed,
            people=tr.thousands(comparison.people_freed),
            new=comparison.newly_isolated,
            n=len(after.isolated),
            total=len(after.villages),
        ),
        style="bold",
    )


def _notes(result: AccessResult, text: dict[str, str]) -> list[str]:
    notes = [text["approx"]] if result.approximate else []
    if result.example_timetable:
        notes.append(text["example"])
    if result.no_service:
        notes.append(text["no_service"].format(day=result.query.day))
    return notes
