"""The plan as spreadsheets: ``plan.csv`` (no personal data) and ``plan.xlsx`` (the coordinator's).

``plan.csv`` has one row per participant with ids, villages, modes and times only. For Dutch
users it is separated by ``;`` and starts with a UTF-8 BOM, the way Dutch Excel opens a file with
its columns and accents intact; ``lang="en"`` gives ``,`` without BOM and English headers.

``plan.xlsx`` holds names, addresses and phone numbers, so it is for the coordinator only (keep it
behind the same login as the driver sheets). Its sheets:

* ``Overzicht`` (``Overview``): one row per participant: how, when and with whom;
* one sheet per vehicle with trips: its stops in order, who gets in and out, their addresses;
* ``Belronde`` (``Call list``): whom to phone the evening before, with the pickup time and driver.

No cell is ever a formula: text is written as text, and CSV text that starts with ``=``, ``+``,
``-``, ``@``, tab or CR gets a leading quote (:func:`planner._io.spreadsheet_safe`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from planner._io import write_csv, write_with
from planner.i18n import N_, NC_, translate_table, translations
from planner.model.plan import Journey, JourneyLeg, ParticipantPlan, Plan, VehiclePlan
from planner.model.scenario import FleetVehicle, Participant, Scenario
from planner.output._common import VEHICLE_KINDS

__all__ = ["CSV_COLUMNS", "write_plan_csv", "write_plan_xlsx"]

#: Columns of ``plan.csv`` (canonical names; the header is in the output language).
CSV_COLUMNS: tuple[str, ...] = (
    "id",
    "village",
    "status",
    "mode",
    "reason",
    "outbound_depart",
    "outbound_arrive",
    "outbound_vehicle",
    "outbound_legs",
    "return_depart",
    "return_arrive",
    "return_vehicle",
    "return_legs",
    "network",
    "timetable",
)

_MESSAGES: dict[str, str | tuple[str, str]] = {
    "id": N_("id"),
    "village": N_("village"),
    "status": N_("status"),
    "mode": N_("mode"),
    "reason": N_("reason"),
    "outbound_depart": N_("outbound_depart"),
    "outbound_arrive": N_("outbound_arrive"),
    "outbound_vehicle": N_("outbound_vehicle"),
    "outbound_legs": N_("outbound_legs"),
    "return_depart": N_("return_depart"),
    "return_arrive": N_("return_arrive"),
    "return_vehicle": N_("return_vehicle"),
    "return_legs": N_("return_legs"),
    "network": N_("network"),
    "timetable": N_("timetable"),
    # A status cell, not a heading or a mode: the Dutch is an adjective phrase ("met vervoer").
    "served": NC_("status", "served"),
    "unserved": NC_("status", "unserved"),
    "mode_ride": N_("ride"),
    "mode_bike": N_("bike"),
    "mode_ebike": N_("e-bike"),
    "mode_walk": N_("walk"),
    "mode_bus": N_("bus"),
    "mode_train": N_("train"),
    "mode_unserved": N_("none"),
    "network_osm": N_("road network (OpenStreetMap)"),
    "network_approximate": N_("approximate"),  # the network column, as in plan.json
    "timetable_official": N_("official"),
    "timetable_example": N_("example"),
    "timetable_none": N_("none"),
    "overview": N_("Overview"),
    "calls": N_("Call list"),
    "name": N_("name"),
    "phone": N_("phone"),
    "address": N_("address"),
    "postcode": N_("postcode"),
    "outbound_with": N_("outbound_with"),
    "return_with": N_("return_with"),
    "direction": N_("trip"),
    "outbound": N_("outbound"),
    "return": N_("return"),
    "time": N_("time"),
    "place": N_("place"),
    "precision": N_("precision"),
    "pickup": N_("get in"),
    "dropoff": N_("get out"),
    "vehicle": N_("vehicle"),
    "kind": N_("kind"),
    **{f"kind_{code}": words for code, words in VEHICLE_KINDS.items()},
    "driver": N_("driver"),
    "driver_phone": N_("driver_phone"),
    "pickup_time": N_("pickup_time"),
    "return_time": N_("return_departure"),
    "note": N_("note"),
    "precision_address": N_("address"),
    "precision_postcode": N_("postcode only: phone first"),
    "precision_village": N_("village only: phone first"),
    "call_unserved": N_("not planned: {reason}"),
}

#: Columns of the ``plan.xlsx`` sheets (keys of the messages; the header is in the output language).
_OVERVIEW_COLUMNS: tuple[str, ...] = (
    "id",
    "name",
    "village",
    "status",
    "mode",
    "outbound_depart",
    "outbound_arrive",
    "outbound_with",
    "return_depart",
    "return_arrive",
    "return_with",
    "reason",
)
_VEHICLE_COLUMNS: tuple[str, ...] = (
    "direction",
    "time",
    "place",
    "precision",
    "pickup",
    "dropoff",
    "address",
    "phone",
)
_CALL_COLUMNS: tuple[str, ...] = (
    "pickup_time",
    "name",
    "phone",
    "village",
    "address",
    "vehicle",
    "driver",
    "driver_phone",
    "return_time",
    "note",
)

#: Characters Excel forbids in sheet names, and its length limit.
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\']")
_SHEET_MAX = 31
#: Control characters an .xlsx file cannot hold (openpyxl refuses them).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _texts(lang: str) -> dict[str, str]:
    return translate_table(_MESSAGES, translations(lang, organiser=True))


# --------------------------------------------------------------------------- plan.csv


def write_plan_csv(plan: Plan, path: str | Path, *, lang: str = "nl") -> Path:
    """Write ``plan.csv``: one row per participant, ids and villages only, times ``HH:MM``.

    Parameters
    ----------
    plan
        The plan (v2).
    path
        The file to write (atomically).
    lang
        ``"nl"``: ``;``, UTF-8 with BOM, Dutch headers and values; ``"en"``: ``,``, UTF-8,
        English.

    Returns
    -------
    Path
        ``path``.
    """
    text = _texts(lang)
    rows = [[_csv_row(plan, p, text)[c] for c in CSV_COLUMNS] for p in plan.participants]
    dutch = lang == "nl"
    return write_csv(
        path, [text[c] for c in CSV_COLUMNS], rows, delimiter=";" if dutch else ",", bom=dutch
    )


def _csv_row(plan: Plan, p: ParticipantPlan, text: dict[str, str]) -> dict[str, str]:
    row = {
        "id": p.id,
        "village": p.village or "",
        "status": text[p.status],
        "mode": text[f"mode_{p.mode}"],
        "reason": p.reason.text if p.reason else "",
        "network": text[f"network_{plan.network}"],
        "timetable": text[f"timetable_{plan.timetable}"],
    }
    for direction, journey in (("outbound", p.outbound), ("return", p.return_)):
        row[f"{direction}_depart"] = _clock(plan, journey.depart) if journey else ""
        row[f"{direction}_arrive"] = _clock(plan, journey.arrive) if journey else ""
        row[f"{direction}_vehicle"] = " ".join(_vehicles(journey)) if journey else ""
        row[f"{direction}_legs"] = _legs_summary(plan, journey, text) if journey else ""
    return row


def _clock(plan: Plan, iso: str) -> str:
    """``"2026-12-10T18:43"`` -> ``"18:43"``; a time on a later day gets ``+1``."""
    day, _, clock = iso.partition("T")
    return clock[:5] + (" +1" if day > plan.event.date else "")


def _vehicles(journey: Journey) -> list[str]:
    return list(dict.fromkeys(leg.vehicle for leg in journey.legs if leg.vehicle))


def _leg_label(leg: JourneyLeg, text: dict[str, str]) -> str:
    service = leg.vehicle or leg.route
    return text[f"mode_{leg.mode}"] + (f" {service}" if service else "")


def _legs_summary(plan: Plan, journey: Journey, text: dict[str, str]) -> str:
    return "; ".join(
        f"{_clock(plan, leg.depart)}–{_clock(plan, leg.arrive)} {_leg_label(leg, text)}"
        for leg in journey.legs
    )


# --------------------------------------------------------------------------- plan.xlsx


def write_plan_xlsx(plan: Plan, scenario: Scenario, path: str | Path, *, lang: str = "nl") -> Path:
    """Write ``plan.xlsx`` for the coordinator (names, addresses, phones; see the module doc).

    Parameters
    ----------
    plan
        The plan (v2).
    scenario
        The scenario planned: names, addresses and phones come from it.
    path
        The workbook to write (atomically).
    lang
        ``"nl"`` (default) or ``"en"`` for the sheet names, headers and values.

    Returns
    -------
    Path
        ``path``.
    """
    from openpyxl import Workbook

    text = _texts(lang)
    people = {p.id: p for p in scenario.participants}
    fleet = {v.id: v for v in scenario.fleet}
    book = Workbook()
    overview = book.worksheets[0]  # a new workbook holds one sheet
    overview.title = text["overview"]
    _fill(overview, _OVERVIEW_COLUMNS, text, _overview_rows(plan, people, fleet, text))
    used = {text["overview"].casefold(), text["calls"].casefold()}
    for vehicle in plan.vehicles:
        if not vehicle.trips:
            continue
        sheet = book.create_sheet(_sheet_title(vehicle.id, used))
        _fill(
            sheet,
            _VEHICLE_COLUMNS,
            text,
            _vehicle_rows(plan, vehicle, fleet.get(vehicle.id), people, text),
        )
    calls = book.create_sheet(text["calls"])
    _fill(calls, _CALL_COLUMNS, text, _call_rows(plan, people, fleet, text))
    return write_with(path, book.save)


def _fill(
    sheet: Any, columns: Sequence[str], text: dict[str, str], rows: Iterable[Sequence[Any]]
) -> None:
    """Write the header of ``columns`` in the output language, then the rows.

    Text cells are text, never formulas.
    """
    from openpyxl.styles import Font

    sheet.append([text[c] for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=number, column=column)
            if isinstance(value, str):
                cell.value = _CONTROL.sub("", value)
                cell.data_type = "s"  # openpyxl would store "=..." as a formula
            else:
                cell.value = value
    sheet.freeze_panes = "A2"
    for letter, width in _widths(sheet).items():
        sheet.column_dimensions[letter].width = width


def _widths(sheet: Any) -> dict[str, float]:
    widths: dict[str, float] = {}
    for column in sheet.iter_cols():
        longest = max((len(str(c.value)) for c in column if c.value is not None), default=4)
        widths[column[0].column_letter] = min(60.0, longest + 2.0)
    return widths


def _sheet_title(vehicle_id: str, used: set[str]) -> str:
    r"""Return an Excel-valid, unique sheet name for a vehicle (≤ 31 characters, no ``[]:*?/\'``)."""
    base = _CONTROL.sub("", _SHEET_FORBIDDEN.sub("_", vehicle_id)).strip() or "_"
    title, number = base[:_SHEET_MAX], 1
    while title.casefold() in used:
        number += 1
        suffix = f" ({number})"
        title = base[: _SHEET_MAX - len(suffix)] + suffix
    used.add(title.casefold())
    return title


def _name(people: dict[str, Participant], pid: str) -> str:
    person = people.get(pid)
    return person.name if person else pid


def _with_whom(
    journey: Journey | None, fleet: dict[str, FleetVehicle], text: dict[str, str]
) -> str:
    """Per leg: the vehicle and its driver, the bus or train route, or the own mode."""
    if journey is None:
        return ""
    parts = []
    for leg in journey.legs:
        label = _leg_label(leg, text)
        vehicle = fleet.get(leg.vehicle) if leg.vehicle else None
        parts.append(f"{label} ({vehicle.driver})" if vehicle and vehicle.driver else label)
    return ", ".join(dict.fromkeys(parts))


def _overview_rows(
    plan: Plan, people: dict[str, Participant], fleet: dict[str, FleetVehicle], text: dict[str, str]
) -> Iterable[list[str]]:
    for p in plan.participants:
        row = [p.id, _name(people, p.id), p.village or "", text[p.status], text[f"mode_{p.mode}"]]
        for journey in (p.outbound, p.return_):
            row += [
                _clock(plan, journey.depart) if journey else "",
                _clock(plan, journey.arrive) if journey else "",
                _with_whom(journey, fleet, text),
            ]
        yield [*row, p.reason.text if p.reason else ""]


def _vehicle_rows(
    plan: Plan,
    vehicle: VehiclePlan,
    base: FleetVehicle | None,
    people: dict[str, Participant],
    text: dict[str, str],
) -> Iterable[list[str]]:
    yield [
        text["vehicle"],
        vehicle.id,
        text["kind"],
        text.get(f"kind_{vehicle.kind}", vehicle.kind),
        text["driver"],
        base.driver if base else "",
        text["phone"],
        (base.phone or "") if base else "",
    ]
    for trip in vehicle.trips:
        for stop in trip.stops:
            riders = [*stop.pickup, *stop.dropoff]
            precision = stop.place.precision
            yield [
                text[trip.direction],
                _clock(plan, stop.time),
                stop.place.name,
                text[f"precision_{precision}"] if precision else "",
                ", ".join(_name(people, pid) for pid in stop.pickup),
                ", ".join(_name(people, pid) for pid in stop.dropoff),
                "; ".join(a for pid in riders if (a := _address(people.get(pid)))),
                "; ".join(
                    f"{_name(people, pid)}: {people[pid].phone}"
                    for pid in riders
                    if pid in people and people[pid].phone
                ),
            ]


def _address(person: Participant | None) -> str:
    if person is None:
        return ""
    parts = [person.address, " ".join(x for x in (person.postcode, person.village) if x)]
    return ", ".join(x for x in parts if x)


def _call_rows(
    plan: Plan, people: dict[str, Participant], fleet: dict[str, FleetVehicle], text: dict[str, str]
) -> list[list[str]]:
    """Riders with a ride, by pickup time; then the unserved, whom the coordinator tells too."""
    rides, unserved = [], []
    for p in plan.participants:
        person = people.get(p.id)
        phone = (person.phone or "") if person else ""
        if not p.served:
            note = text["call_unserved"].format(reason=p.reason.text if p.reason else "")
            unserved.append(
                [
                    "",
                    _name(people, p.id),
                    phone,
                    p.village or "",
                    _address(person),
                    "",
                    "",
                    "",
                    "",
                    note,
                ]
            )
            continue
        out = _first_ride(p.outbound)
        back = _first_ride(p.return_)
        if out is None and back is None:
            continue
        ids = list(dict.fromkeys(leg.vehicle for leg in (out, back) if leg and leg.vehicle))
        vehicles = [fleet[v] for v in ids if v in fleet]
        rides.append(
            [
                _clock(plan, out.depart) if out else "",
                _name(people, p.id),
                phone,
                p.village or "",
                _address(person),
                " / ".join(ids),
                " / ".join(v.driver for v in vehicles if v.driver),
                " / ".join(v.phone for v in vehicles if v.phone),
                _clock(plan, back.depart) if back else "",
                text[f"precision_{out.from_.precision}"]
                if out and out.from_.precision not in (None, "address")
                else "",
            ]
        )
    return sorted(rides, key=lambda r: (r[0] or "99", r[1])) + unserved


def _first_ride(journey: Journey | None) -> JourneyLeg | None:
    if journey is None:
        return None
    return next((leg for leg in journey.legs if leg.mode == "ride" and leg.vehicle), None)
