"""Check a ``plan.json`` (version 2): its JSON Schema and the rules a schema cannot express.

:func:`check_plan` returns every problem as one line (Dutch or English), so that ``planner
check PLAN.json`` and the tests can show all of them at once. The rules beyond the schema
(``docs/plan.schema.json``):

- each participant appears exactly once; a served participant has an outbound journey;
- the legs of a journey follow on in place and time (a leg starts where and after the previous
  one ended, and arrives no earlier than it departs);
- the outbound journey starts at home (its first leg, the walk, bike ride or ride to the stop,
  station or venue, leaves from there) and ends at the venue by the arrive-by time; the return
  starts at the venue at or after the end of the event and ends at the same home;
- every ride leg matches a pickup and a later drop-off of that participant in one trip of that
  vehicle, at the same places and times; and every pickup and drop-off of a vehicle belongs to
  a ride leg.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

from planner.i18n import N_, ORGANISER_LANGUAGES, translate_table, translations

_INSTALLED_SCHEMA = Path(__file__).resolve().parents[1] / "docs" / "plan.schema.json"
_REPOSITORY_SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "plan.schema.json"
SCHEMA_PATH = _INSTALLED_SCHEMA if _INSTALLED_SCHEMA.is_file() else _REPOSITORY_SCHEMA
"""``docs/plan.schema.json``: a wheel carries it as ``planner/docs/`` (see ``setup.py``)."""

#: Two places are the same when they are this close (metres); plans round to 6 decimals.
SAME_PLACE_M = 25.0

_MESSAGES: dict[str, str] = {
    "required": N_("{where}: required field '{field}' is missing"),
    "unknown_field": N_("{where}: unknown field '{field}'"),
    "enum": N_("{where}: value {value} is not allowed (choose one of {choices})"),
    "const": N_("{where}: value {value} is not allowed (expected {expected})"),
    "type": N_("{where}: value {value} has the wrong type (expected {expected})"),
    "datetime": N_("{where}: {value} is not a local date-time YYYY-MM-DDTHH:MM"),
    "pattern": N_("{where}: {value} does not have the form {pattern}"),
    "other": N_("{where}: {message}"),
    "duplicate": N_("participant {id} appears {count} times in the plan"),
    "no_outbound": N_("participant {id}: status served but no outbound journey"),
    "leg_gap_place": N_("{where}: starts at {start}, but the previous leg ends at {end}"),
    "leg_gap_time": N_("{where}: departs at {depart}, before the previous leg arrives ({arrive})"),
    "leg_backwards": N_("{where}: arrives at {arrive}, before it departs at {depart}"),
    "outbound_not_venue": N_("{where}: the outbound journey ends at {end}, not at the venue"),
    "outbound_late": N_(
        "{where}: the outbound journey arrives at {arrive}, after the arrive-by time {arrive_by}"
    ),
    "return_not_venue": N_("{where}: the return journey starts at {start}, not at the venue"),
    "return_early": N_("{where}: the return journey departs at {depart}, before the end {end}"),
    "outbound_not_home": N_("{where}: the outbound journey starts at {start}, not at home"),
    "return_not_home": N_("{where}: the return journey ends at {end}, not at home"),
    "other_home": N_(
        "{where}: the return journey ends at {end}, but the outbound journey started at {start}"
    ),
    "ride_unknown_vehicle": N_("{where}: ride in vehicle {vehicle}, which vehicles does not list"),
    "ride_no_match": N_(
        "{where}: ride in {vehicle} {depart}–{arrive} has no matching pickup and drop-off "
        "of {id} in a trip of that vehicle"
    ),
    "stop_no_leg": N_(
        "vehicle {vehicle}, {direction}, stop {number}: {id} gets {what} but has no "
        "matching ride leg"
    ),
    "in": N_("in"),
    "out": N_("out"),
    # A vehicle trip's direction, as plan.xlsx's vehicle sheets say it.
    "outbound": N_("outbound"),
    "return": N_("return"),
    "not_json": N_("{path}: not valid JSON ({message})"),
}

CHECK_LANGUAGES: tuple[str, ...] = ORGANISER_LANGUAGES


@cache
def plan_schema() -> dict[str, Any]:
    """Return the JSON Schema of ``plan.json`` version 2 (``docs/plan.schema.json``)."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def check_plan(data: dict[str, Any], *, lang: str = "en") -> list[str]:
    """Every problem of a ``plan.json`` document, one line each; empty when the plan is sound.

    Parameters
    ----------
    data
        The parsed ``plan.json`` (as :meth:`planner.model.plan.Plan.to_dict` gives it).
    lang
        ``"en"`` (default) or ``"nl"`` for the messages.

    Returns
    -------
    list of str
        Schema problems first (by position in the document), then the follow-on rules. The
        follow-on rules are checked only when the schema holds, since they read its fields.
    """
    text = translate_table(_MESSAGES, translations(lang, organiser=True))
    problems = _schema_problems(data, text)
    if problems:
        return problems
    return _rule_problems(data, text)


# --- the schema ------------------------------------------------------------------------------


def _schema_problems(data: Any, text: dict[str, str]) -> list[str]:
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(plan_schema())
    seen: dict[str, None] = {}
    errors = sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    for error in errors:
        for leaf in _leaves(error):
            seen.setdefault(_message(leaf, text))
    return list(seen)


def _leaves(error: Any) -> list[Any]:
    """Return the most specific errors under a oneOf/anyOf/if-then error.

    These are the ones a reader can act on.
    """
    if not error.context:
        return [error]
    # Of a "null or object" choice, the object branch says what is wrong.
    branches = [e for e in error.context if e.validator != "type" or e.relative_path]
    return [leaf for e in (branches or error.context) for leaf in _leaves(e)]


def _where(path: Any) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "plan"


def _message(error: Any, text: dict[str, str]) -> str:
    where = _where(error.absolute_path)
    value = json.dumps(error.instance, ensure_ascii=False)
    if len(value) > 60:
        value = value[:57] + "..."
    kind = error.validator
    if kind == "required":
        field = error.message.split("'")[1] if "'" in error.message else error.message
        return text["required"].format(where=where, field=field)
    if kind == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return text["unknown_field"].format(where=where, field=", ".join(extra))
    if kind == "enum":
        choices = ", ".join(json.dumps(c) for c in error.validator_value)
        return text["enum"].format(where=where, value=value, choices=choices)
    if kind == "const":
        return text["const"].format(
            where=where, value=value, expected=json.dumps(error.validator_value)
        )
    if kind == "type":
        expected = error.validator_value
        expected = " of ".join(expected) if isinstance(expected, list) else expected
        return text["type"].format(where=where, value=value, expected=expected)
    if kind == "pattern":
        if "T([01]" in error.validator_value:
            return text["datetime"].format(where=where, value=value)
        return text["pattern"].format(where=where, value=value, pattern=error.validator_value)
    return text["other"].format(where=where, message=error.message)


# --- rules beyond the schema -----------------------------------------------------------------


def _rule_problems(data: dict[str, Any], text: dict[str, str]) -> list[str]:
    problems: list[str] = []
    counts = Counter(p["id"] for p in data["participants"])
    problems += [text["duplicate"].format(id=i, count=n) for i, n in counts.items() if n > 1]
    event = data["event"]
    arrive_by = f"{event['date']}T{event['arrive_by']}"
    end = f"{event['date']}T{event['end']}"
    vehicles = {v["id"]: v for v in data["vehicles"]}
    for index, person in enumerate(data["participants"]):
        base = f"participants[{index}] ({person['id']})"
        if person["status"] == "served" and person["outbound"] is None:
            problems.append(text["no_outbound"].format(id=person["id"]))
        for direction in ("outbound", "return"):
            journey = person[direction]
            if journey is None:
                continue
            where = f"{base}.{direction}"
            problems += _journey_problems(journey, where, text)
            problems += _venue_problems(journey, direction, event, arrive_by, end, where, text)
            for n, leg in enumerate(journey["legs"]):
                if leg["mode"] == "ride":
                    problems += _ride_problems(
                        person["id"], leg, vehicles, f"{where}.legs[{n}]", text
                    )
        problems += _home_problems(person, base, text)
    problems += _stop_problems(data, text)
    return problems


def _journey_problems(journey: dict[str, Any], where: str, text: dict[str, str]) -> list[str]:
    problems = []
    legs = journey["legs"]
    for n, leg in enumerate(legs):
        here = f"{where}.legs[{n}]"
        if leg["arrive"] < leg["depart"]:
            problems.append(
                text["leg_backwards"].format(where=here, arrive=leg["arrive"], depart=leg["depart"])
            )
        if n == 0:
            continue
        previous = legs[n - 1]
        if not _same_place(previous["to"], leg["from"]):
            problems.append(
                text["leg_gap_place"].format(
                    where=here, start=_place_text(leg["from"]), end=_place_text(previous["to"])
                )
            )
        if leg["depart"] < previous["arrive"]:
            problems.append(
                text["leg_gap_time"].format(
                    where=here, depart=leg["depart"], arrive=previous["arrive"]
                )
            )
    if journey["depart"] != legs[0]["depart"] or journey["arrive"] != legs[-1]["arrive"]:
        problems.append(
            text["other"].format(
                where=where, message="depart/arrive differ from the first and last leg"
            )
        )
    return problems


def _venue_problems(
    journey: dict[str, Any],
    direction: str,
    event: dict[str, Any],
    arrive_by: str,
    end: str,
    where: str,
    text: dict[str, str],
) -> list[str]:
    legs = journey["legs"]
    venue = {"kind": "venue", "lat": event["lat"], "lon": event["lon"]}
    if direction == "outbound":
        last = legs[-1]["to"]
        problems = (
            []
            if _is_venue(last, venue)
            else [text["outbound_not_venue"].format(where=where, end=_place_text(last))]
        )
        if journey["arrive"] > arrive_by:
            problems.append(
                text["outbound_late"].format(
                    where=where, arrive=journey["arrive"], arrive_by=arrive_by
                )
            )
        return problems
    first = legs[0]["from"]
    problems = (
        []
        if _is_venue(first, venue)
        else [text["return_not_venue"].format(where=where, start=_place_text(first))]
    )
    if journey["depart"] < end:
        problems.append(text["return_early"].format(where=where, depart=journey["depart"], end=end))
    return problems


def _home_problems(person: dict[str, Any], where: str, text: dict[str, str]) -> list[str]:
    """Check that the way there leaves from home and the way home ends at that same home."""
    out, back = person["outbound"], person["return"]
    problems = []
    start = out["legs"][0]["from"] if out else None
    end = back["legs"][-1]["to"] if back else None
    if start is not None and start["kind"] != "home":
        problems.append(
            text["outbound_not_home"].format(where=f"{where}.outbound", start=_place_text(start))
        )
    if end is not None and end["kind"] != "home":
        problems.append(
            text["return_not_home"].format(where=f"{where}.return", end=_place_text(end))
        )
    elif (
        start is not None
        and end is not None
        and start["kind"] == "home"
        and not _same_place(start, end)
    ):
        problems.append(
            text["other_home"].format(
                where=f"{where}.return", end=_place_text(end), start=_place_text(start)
            )
        )
    return problems


def _ride_problems(
    participant_id: str,
    leg: dict[str, Any],
    vehicles: dict[str, Any],
    where: str,
    text: dict[str, str],
) -> list[str]:
    vehicle = vehicles.get(leg["vehicle"])
    if vehicle is None:
        return [text["ride_unknown_vehicle"].format(where=where, vehicle=leg["vehicle"])]
    if _ride_matches(participant_id, leg, vehicle):
        return []
    return [
        text["ride_no_match"].format(
            where=where,
            vehicle=leg["vehicle"],
            id=participant_id,
            depart=leg["depart"],
            arrive=leg["arrive"],
        )
    ]


def _ride_matches(participant_id: str, leg: dict[str, Any], vehicle: dict[str, Any]) -> bool:
    for trip in vehicle["trips"]:
        stops = trip["stops"]
        for i, stop in enumerate(stops):
            if (
                participant_id in stop["pickup"]
                and stop["time"] == leg["depart"]
                and _same_place(stop["place"], leg["from"])
            ):
                for later in stops[i + 1 :]:
                    if (
                        participant_id in later["dropoff"]
                        and later["time"] == leg["arrive"]
                        and _same_place(later["place"], leg["to"])
                    ):
                        return True
    return False


def _stop_problems(data: dict[str, Any], text: dict[str, str]) -> list[str]:
    """Every pickup and drop-off of a vehicle belongs to a ride leg of that participant."""
    rides: dict[str, list[dict[str, Any]]] = {}
    for person in data["participants"]:
        for direction in ("outbound", "return"):
            journey = person[direction]
            for leg in journey["legs"] if journey else ():
                if leg["mode"] == "ride":
                    rides.setdefault(person["id"], []).append(leg)
    problems = []
    for vehicle in data["vehicles"]:
        for trip in vehicle["trips"]:
            for number, stop in enumerate(trip["stops"], start=1):
                for what, ids, end, clock in (
                    ("in", stop["pickup"], "from", "depart"),
                    ("out", stop["dropoff"], "to", "arrive"),
                ):
                    for pid in ids:
                        if not any(
                            leg["vehicle"] == vehicle["id"]
                            and leg[clock] == stop["time"]
                            and _same_place(leg[end], stop["place"])
                            for leg in rides.get(pid, ())
                        ):
                            problems.append(
                                text["stop_no_leg"].format(
                                    vehicle=vehicle["id"],
                                    direction=text[trip["direction"]],
                                    number=number,
                                    id=pid,
                                    what=text[what],
                                )
                            )
    return problems


def _same_place(a: dict[str, Any], b: dict[str, Any]) -> bool:
    # Equirectangular distance: exact enough over tens of metres.
    dy = (a["lat"] - b["lat"]) * 111_320.0
    dx = (a["lon"] - b["lon"]) * 111_320.0 * math.cos(math.radians(a["lat"]))
    return math.hypot(dx, dy) <= SAME_PLACE_M


def _is_venue(place: dict[str, Any], venue: dict[str, Any]) -> bool:
    return place["kind"] == "venue" and _same_place(place, venue)


def _place_text(place: dict[str, Any]) -> str:
    return f"{place['name']} ({place['kind']})"


def check_plan_file(path: str | Path, *, lang: str = "en") -> list[str]:
    """:func:`check_plan` of a file; a file that is not JSON is one problem, not an exception.

    Raises
    ------
    planner.errors.InputFileError
        When the file cannot be read.
    """
    from planner.errors import InputFileError

    source = Path(path)
    try:
        raw = source.read_bytes()
    except FileNotFoundError:
        raise InputFileError(source, "file not found") from None
    except IsADirectoryError:
        raise InputFileError(source, "is a folder, expected a plan.json file") from None
    except OSError as exc:
        raise InputFileError(source, f"cannot be read ({exc.strerror})") from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return [
            translations(lang, organiser=True).t(
                _MESSAGES["not_json"], path=source, message=str(exc).split(":")[0]
            )
        ]
    return check_plan(data, lang=lang)
