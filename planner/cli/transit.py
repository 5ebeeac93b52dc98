"""``planner transit``: journeys by bus and train from a GTFS feed.

``planner transit query`` answers one stop-to-stop question. Without ``--gtfs`` it uses the
embedded example timetable of Rivierenland, and says so. When no journey exists the command prints
one line (``geen verbinding gevonden`` / ``no journey found``) on stderr and exits with code 1;
with ``--json`` nothing is printed on stdout in that case.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rapidfuzz import fuzz, process
from rich.console import Console

from planner.cli.main import app, command, err_console
from planner.cli.options import Language, parse_date
from planner.clock import format_clock
from planner.errors import InputFileError, TransitError
from planner.i18n import EXAMPLE_TIMETABLE, N_, translate_table, translations
from planner.transit import (
    Journey,
    Timetable,
    arrive_by,
    depart_at,
    read_feed_or_example,
    to_seconds,
)

transit_app = typer.Typer(
    help="Public transport: bus and train journeys from a GTFS timetable.", no_args_is_help=True
)
app.add_typer(transit_app, name="transit")
console = Console(highlight=False, soft_wrap=True)

_MESSAGES: dict[str, str] = {
    "none": N_("no journey found"),
    "arrive": N_("arrive by"),
    "depart": N_("depart at or after"),
    "leave": N_("Leave"),
    "arrival": N_("arrive"),
    "min": N_("min"),
    "walk": N_("walk"),
    "towards": N_("towards"),
    "trip": N_("trip"),
    "from": N_("From"),
    "to": N_("to"),
    "on": N_("on"),
    "next_day": N_("next day"),
    "example": EXAMPLE_TIMETABLE,
}
_MODES: dict[str, str] = {
    "rail": N_("train"),
    "bus": N_("bus"),
    "tram": N_("tram"),
    "metro": N_("metro"),
    "ferry": N_("ferry"),
    "other": N_("transit"),
}


def _texts(lang: str) -> dict[str, str]:
    return translate_table(_MESSAGES, translations(lang, organiser=True))


@command(transit_app, "query")
def query(
    on: Annotated[str, typer.Option("--date", help="Service day, YYYY-MM-DD.")],
    from_stop: Annotated[
        str,
        typer.Option(
            "--from", help="GTFS stop_id of the origin (a station id stands for all its stops)."
        ),
    ],
    to_stop: Annotated[str, typer.Option("--to", help="GTFS stop_id of the destination.")],
    gtfs: Annotated[
        Path | None,
        typer.Option(
            help="GTFS feed, a .zip or a folder. Default: the embedded example timetable of "
            "Rivierenland (not the official timetable)."
        ),
    ] = None,
    arrive: Annotated[
        str | None,
        typer.Option("--arrive-by", help="Latest arrival HH:MM: gives the latest departure."),
    ] = None,
    depart: Annotated[
        str | None,
        typer.Option("--depart-at", help="Earliest departure HH:MM: gives the earliest arrival."),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help='Print {"departure", "arrival", "legs": [...]} as JSON.')
    ] = False,
    lang: Annotated[Language, typer.Option(help="Language of the printed journey.")] = "nl",
) -> None:
    """Print the journey between two stops.

    Transfers only at the same stop, or where transfers.txt links two stops; changing at the
    same stop takes 0 min unless transfers.txt sets a minimum. Exit code 1 when there is no
    journey.
    """
    day = parse_date(on)
    clock_s = _one_time(arrive, depart)
    feed = read_feed_or_example(gtfs)
    timetable = Timetable.for_date(feed, day)
    origin, destination = _stop(timetable, from_stop), _stop(timetable, to_stop)
    if origin == destination:
        raise InputFileError("--from/--to", f"'{origin}' is both origin and destination")
    feed.require_service(day)
    if arrive is not None:
        journey = arrive_by(timetable, {origin: 0}, {destination: 0}, clock_s)
    else:
        journey = depart_at(timetable, {origin: 0}, {destination: 0}, clock_s)
    if journey is None:
        err_console.print(f"[bold red]{_texts(lang)['none']}[/]", highlight=False)
        raise typer.Exit(code=1)
    if as_json:
        typer.echo(json.dumps(journey.to_dict(), ensure_ascii=False))
        return
    text = _texts(lang)
    when = f"{text['arrive']} {arrive}" if arrive else f"{text['depart']} {depart}"
    print_journey(timetable, journey, f"{day.isoformat()}, {when}", lang)


def _one_time(arrive: str | None, depart: str | None) -> int:
    if (arrive is None) == (depart is None):
        raise InputFileError("--arrive-by/--depart-at", "give exactly one of the two")
    option, text = ("--arrive-by", arrive) if arrive is not None else ("--depart-at", depart)
    try:
        return to_seconds(str(text))
    except ValueError:
        raise InputFileError(option, f"bad time '{text}'", hint="use HH:MM") from None


def _stop(timetable: Timetable, stop_id: str) -> str:
    """Check a stop id; suggest close ids and names when it is unknown."""
    if stop_id in timetable.stop_index:
        return stop_id
    labels = [
        f"{sid} ({name})"
        for sid, name in zip(timetable.stop_ids, timetable.stop_names, strict=True)
    ]
    found = process.extract(stop_id, labels, scorer=fuzz.WRatio, limit=3)
    hint = "did you mean: " + ", ".join(label for label, _, _ in found) if found else None
    raise TransitError(
        f"{timetable.feed_name}: unknown stop id '{stop_id}'" + (f" ({hint})" if hint else "")
    )


def print_journey(
    timetable: Timetable, journey: Journey, heading: str, lang: Language = "nl"
) -> None:
    """Print a journey as readable lines: times, stops, mode, route and direction."""
    tr = translations(lang, organiser=True)
    text = translate_table(_MESSAGES, tr)
    names = dict(zip(timetable.stop_ids, timetable.stop_names, strict=True))
    legs = journey.legs
    first, last = (legs[0].from_stop, legs[-1].to_stop) if legs else ("", "")
    console.print(
        f"{text['from']} {names.get(first, first)} {text['to']} "
        f"{names.get(last, last)} {text['on']} {heading}"
    )
    minutes = journey.duration_s // 60
    transfers = tr.tn("{n} transfer", "{n} transfers", journey.transfers)
    console.print(
        f"{text['leave']} {_clock(journey.departure, lang)}, {text['arrival']} "
        f"{_clock(journey.arrival, lang)} ({minutes} {text['min']}, "
        f"{transfers})"
    )
    for leg in legs:
        start, end = names.get(leg.from_stop, leg.from_stop), names.get(leg.to_stop, leg.to_stop)
        what = (
            text["walk"] if leg.mode != "transit" else _ride(timetable, leg.route, leg.trip, lang)
        )
        console.print(
            f"  {_clock(leg.departure, lang)} {start} -> {_clock(leg.arrival, lang)} {end}  {what}"
        )
    if journey.example:
        console.print(f"[bold yellow]{text['example']}[/]")


def _ride(timetable: Timetable, route_id: str | None, trip_id: str | None, lang: Language) -> str:
    tr = translations(lang, organiser=True)
    text = translate_table(_MESSAGES, tr)
    route = timetable.route_ids.index(route_id) if route_id in timetable.route_ids else None
    if route is None:
        return str(trip_id)
    mode = tr.t(_MODES[_mode_kind(int(timetable.route_types[route]))])
    headsign = next(
        (
            h
            for t, h in zip(timetable.trip_ids, timetable.trip_headsigns, strict=True)
            if t == trip_id and h
        ),
        "",
    )
    towards = f" {text['towards']} {headsign}" if headsign else ""
    return f"{mode} {timetable.route_names[route]}{towards} ({text['trip']} {trip_id})"


def _mode_kind(route_type: int) -> str:
    """Mode family of a GTFS route_type, basic (0-12) or extended (100-1700)."""
    basic = {0: "tram", 1: "metro", 2: "rail", 3: "bus", 4: "ferry", 11: "bus", 12: "rail"}
    if route_type in basic:
        return basic[route_type]
    extended = (
        (100, 200, "rail"),
        (200, 300, "bus"),
        (400, 500, "metro"),
        (700, 800, "bus"),
        (900, 1000, "tram"),
        (1000, 1100, "ferry"),
        (1200, 1300, "ferry"),
    )
    return next((kind for low, high, kind in extended if low <= route_type < high), "other")


def _clock(seconds: int, lang: Language) -> str:
    """Return ``HH:MM``, a time after midnight marked as the next day."""
    return format_clock(seconds, next_day=f" ({_texts(lang)['next_day']})")
