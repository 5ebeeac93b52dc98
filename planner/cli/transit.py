"""``planner transit``: journeys by bus and train from a GTFS feed.

``planner transit query`` answers one stop-to-stop question. Without ``--gtfs`` it uses the
embedded example timetable of Rivierenland, and says so. When no journey exists the command prints
one line (``geen verbinding gevonden`` / ``no journey found``) on stderr and exits with code 1;
with ``--json`` nothing is printed on stdout in that case.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated, Literal

import typer
from rapidfuzz import fuzz, process
from rich.console import Console

from planner.cli.main import app, err_console, user_errors
from planner.clock import format_clock
from planner.errors import InputFileError, TransitError
from planner.transit import (
    Journey,
    Timetable,
    arrive_by,
    depart_at,
    example_feed_path,
    read_feed,
    to_seconds,
)

transit_app = typer.Typer(help="Openbaar vervoer: reizen met bus en trein uit een GTFS-dienstregeling.",
                          no_args_is_help=True)
app.add_typer(transit_app, name="transit")
console = Console(highlight=False, soft_wrap=True)

Lang = Literal["nl", "en"]
_TEXT = {
    "nl": {
        "none": "geen verbinding gevonden", "arrive": "aankomst uiterlijk",
        "depart": "vertrek vanaf", "leave": "Vertrek", "arrival": "aankomst", "min": "min",
        "transfers": ("overstap", "overstappen"), "walk": "lopen", "towards": "richting",
        "trip": "rit", "from": "Van", "to": "naar", "on": "op", "next_day": "volgende dag",
        "example": "Let op: dit is een voorbeelddienstregeling (example timetable), "
                   "niet de officiële dienstregeling.",
        "modes": {"rail": "trein", "bus": "bus", "tram": "tram", "metro": "metro",
                  "ferry": "veerboot", "other": "ov"},
    },
    "en": {
        "none": "no journey found", "arrive": "arrive by", "depart": "depart at or after",
        "leave": "Leave", "arrival": "arrive", "min": "min", "transfers": ("transfer", "transfers"),
        "walk": "walk", "towards": "towards", "trip": "trip", "from": "From", "to": "to",
        "on": "on", "next_day": "next day",
        "example": "Note: this is an example timetable, not the official timetable.",
        "modes": {"rail": "train", "bus": "bus", "tram": "tram", "metro": "metro",
                  "ferry": "ferry", "other": "transit"},
    },
}


@transit_app.command("query")
@user_errors
def query(
    on: Annotated[str, typer.Option("--date", help="Service day, YYYY-MM-DD.")],
    from_stop: Annotated[str, typer.Option(
        "--from", help="GTFS stop_id of the origin (a station id stands for all its stops).")],
    to_stop: Annotated[str, typer.Option("--to", help="GTFS stop_id of the destination.")],
    gtfs: Annotated[Path | None, typer.Option(
        help="GTFS feed, a .zip or a folder. Default: the embedded example timetable of "
             "Rivierenland (not the official timetable).")] = None,
    arrive: Annotated[str | None, typer.Option(
        "--arrive-by", help="Latest arrival HH:MM: gives the latest departure.")] = None,
    depart: Annotated[str | None, typer.Option(
        "--depart-at", help="Earliest departure HH:MM: gives the earliest arrival.")] = None,
    as_json: Annotated[bool, typer.Option(
        "--json", help='Print {"departure", "arrival", "legs": [...]} as JSON.')] = False,
    lang: Annotated[Lang, typer.Option(help="Language of the printed journey.")] = "nl",
) -> None:
    """Print the journey between two stops: transfers only at the same stop, or where
    transfers.txt links two stops; changing at the same stop takes 0 min unless transfers.txt
    sets a minimum. Exit code 1 when there is no journey.
    """
    day = _date(on)
    clock_s = _one_time(arrive, depart)
    feed = read_feed(gtfs if gtfs is not None else example_feed_path())
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
        err_console.print(f"[bold red]{_TEXT[lang]['none']}[/]", highlight=False)
        raise typer.Exit(code=1)
    if as_json:
        typer.echo(json.dumps(journey.to_dict(), ensure_ascii=False))
        return
    when = f"{_TEXT[lang]['arrive']} {arrive}" if arrive else f"{_TEXT[lang]['depart']} {depart}"
    print_journey(timetable, journey, f"{day.isoformat()}, {when}", lang)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputFileError("--date", f"bad date '{text}'", hint="use YYYY-MM-DD") from None


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
    labels = [f"{sid} ({name})" for sid, name in zip(timetable.stop_ids, timetable.stop_names,
                                                       strict=True)]
    found = process.extract(stop_id, labels, scorer=fuzz.WRatio, limit=3)
    hint = "did you mean: " + ", ".join(label for label, _, _ in found) if found else None
    raise TransitError(f"{timetable.feed_name}: unknown stop id '{stop_id}'"
                       + (f" ({hint})" if hint else ""))


def print_journey(timetable: Timetable, journey: Journey, heading: str, lang: Lang = "nl") -> None:
    """Print a journey as readable lines: times, stops, mode, route and direction."""
    text = _TEXT[lang]
    names = dict(zip(timetable.stop_ids, timetable.stop_names, strict=True))
    legs = journey.legs
    first, last = (legs[0].from_stop, legs[-1].to_stop) if legs else ("", "")
    console.print(f"{text['from']} {names.get(first, first)} {text['to']} "
                  f"{names.get(last, last)} {text['on']} {heading}")
    minutes = journey.duration_s // 60
    word = text["transfers"][0 if journey.transfers == 1 else 1]
    console.print(f"{text['leave']} {_clock(journey.departure, lang)}, {text['arrival']} "
                  f"{_clock(journey.arrival, lang)} ({minutes} {text['min']}, "
                  f"{journey.transfers} {word})")
    for leg in legs:
        start, end = names.get(leg.from_stop, leg.from_stop), names.get(leg.to_stop, leg.to_stop)
        what = text["walk"] if leg.mode != "transit" else _ride(timetable, leg.route, leg.trip,
                                                                lang)
        console.print(f"  {_clock(leg.departure, lang)} {start} -> {_clock(leg.arrival, lang)} "
                      f"{end}  {what}")
    if journey.example:
        console.print(f"[bold yellow]{text['example']}[/]")


def _ride(timetable: Timetable, route_id: str | None, trip_id: str | None, lang: Lang) -> str:
    text = _TEXT[lang]
    route = timetable.route_ids.index(route_id) if route_id in timetable.route_ids else None
    if route is None:
        return str(trip_id)
    mode = text["modes"][_mode_kind(int(timetable.route_types[route]))]
    headsign = next((h for t, h in zip(timetable.trip_ids, timetable.trip_headsigns, strict=True)
                     if t == trip_id and h), "")
    towards = f" {text['towards']} {headsign}" if headsign else ""
    return f"{mode} {timetable.route_names[route]}{towards} ({text['trip']} {trip_id})"


def _mode_kind(route_type: int) -> str:
    """Mode family of a GTFS route_type, basic (0-12) or extended (100-1700)."""
    basic = {0: "tram", 1: "metro", 2: "rail", 3: "bus", 4: "ferry", 11: "bus", 12: "rail"}
    if route_type in basic:
        return basic[route_type]
    extended = ((100, 200, "rail"), (200, 300, "bus"), (400, 500, "metro"), (700, 800, "bus"),
                (900, 1000, "tram"), (1000, 1100, "ferry"), (1200, 1300, "ferry"))
    return next((kind for low, high, kind in extended if low <= route_type < high), "other")


def _clock(seconds: int, lang: Lang) -> str:
    """Return ``HH:MM``, a time after midnight marked as the next day."""
    return format_clock(seconds, next_day=f" ({_TEXT[lang]['next_day']})")
