"""plan.csv for Dutch Excel, plan.xlsx for the coordinator, and formula-safe cells everywhere."""

from __future__ import annotations

import csv
import importlib.util
import io
from datetime import date, time
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from planner._io import csv_text, spreadsheet_safe, write_csv
from planner.access.analysis import write_rows
from planner.cli.matrix import matrix_csv
from planner.model.plan import (
    Journey,
    JourneyLeg,
    ParticipantPlan,
    Place,
    Plan,
    PlanEvent,
    Reason,
    Stop,
    Summary,
    Trip,
    VehiclePlan,
)
from planner.model.scenario import Event, FleetVehicle, Participant, Scenario


def _spreadsheet_module():
    """planner.output.spreadsheet; loaded on its own while sibling output modules are still
    being ported to plan v2 (the package's __init__ imports them all). Remove once they are."""
    try:
        from planner.output import spreadsheet
    except ImportError:
        path = Path(__file__).resolve().parents[1] / "planner" / "output" / "spreadsheet.py"
        spec = importlib.util.spec_from_file_location("_planner_output_spreadsheet", path)
        assert spec is not None and spec.loader is not None
        spreadsheet = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(spreadsheet)
    return spreadsheet


_SPREADSHEET = _spreadsheet_module()
CSV_COLUMNS = _SPREADSHEET.CSV_COLUMNS
write_plan_csv = _SPREADSHEET.write_plan_csv
write_plan_xlsx = _SPREADSHEET.write_plan_xlsx

DAY = "2026-12-10"
VENUE = Place("Bibliotheek Tiel", "venue", 51.8868, 5.4262)


def _home(name: str, lat: float, lon: float, precision: str) -> Place:
    return Place(name, "home", lat, lon, precision)  # type: ignore[arg-type]


def _plan() -> tuple[Plan, Scenario]:
    """Zoë rides with D1 both ways, "=cmd" cycles, Jan (postcode only) rides, Ali is unserved."""
    zoe_home = _home("Wamel", 51.8790, 5.4623, "address")
    jan_home = _home("Maurik", 51.9618, 5.4210, "postcode")
    to_venue = JourneyLeg("ride", jan_home, VENUE, f"{DAY}T18:40", f"{DAY}T19:15", vehicle="D1")
    participants = (
        ParticipantPlan(
            "Zoë",
            "Wamel",
            "served",
            outbound=Journey(
                (JourneyLeg("ride", zoe_home, VENUE, f"{DAY}T18:55", f"{DAY}T19:15", vehicle="D1"),)
            ),
            return_=Journey(
                (JourneyLeg("ride", VENUE, zoe_home, f"{DAY}T21:35", f"{DAY}T21:55", vehicle="D1"),)
            ),
        ),
        ParticipantPlan(
            "=cmd",
            "Tiel",
            "served",
            outbound=Journey(
                (
                    JourneyLeg(
                        "bike",
                        _home("Tiel", 51.89, 5.43, "village"),
                        VENUE,
                        f"{DAY}T19:00",
                        f"{DAY}T19:12",
                    ),
                )
            ),
        ),
        ParticipantPlan(
            "P3",
            "Maurik",
            "served",
            outbound=Journey((to_venue,)),
            return_=Journey(
                (
                    JourneyLeg(
                        "walk",
                        VENUE,
                        Place("Tiel Centrum", "stop", 51.887, 5.43),
                        f"{DAY}T21:32",
                        f"{DAY}T21:40",
                    ),
                    JourneyLeg(
                        "bus",
                        Place("Tiel Centrum", "stop", 51.887, 5.43),
                        jan_home,
                        f"{DAY}T21:45",
                        "2026-12-11T00:10",
                        route="45",
                    ),
                )
            ),
        ),
        ParticipantPlan(
            "P4",
            "Dreumel",
            "unserved",
            reason=Reason("no_vehicle_in_time", "geen auto vóór 19:20 beschikbaar"),
        ),
    )
    d1 = VehiclePlan(
        "D1",
        "dorpsauto",
        trips=(
            Trip(
                "outbound",
                (
                    Stop(f"{DAY}T18:40", jan_home, pickup=("P3",)),
                    Stop(f"{DAY}T18:55", zoe_home, pickup=("Zoë",)),
                    Stop(f"{DAY}T19:15", VENUE, dropoff=("P3", "Zoë")),
                ),
            ),
            Trip(
                "return",
                (
                    Stop(f"{DAY}T21:35", VENUE, pickup=("Zoë",)),
                    Stop(f"{DAY}T21:55", zoe_home, dropoff=("Zoë",)),
                ),
            ),
        ),
    )
    plan = Plan(
        PlanEvent(
            "Taalcafé", "Bibliotheek Tiel", VENUE.lat, VENUE.lon, DAY, "19:30", "21:30", "19:20"
        ),
        participants,
        (d1, VehiclePlan("V2", "taxi")),
        Summary(participants=4, served=3, unserved=1, vehicle_km=30.0, cost_eur=9.0, co2_kg=4.0),
        network="approximate",
        timetable="example",
    )
    people = (
        Participant(
            "Zoë",
            "Zoë Müller",
            51.8790,
            5.4623,
            village="Wamel",
            address="Dorpsstraat 1",
            postcode="6659 XY",
            phone="06-00000101",
            precision="address",
        ),
        Participant("=cmd", "@SUM(A1)", 51.89, 5.43, village="Tiel", phone="+31600000102"),
        Participant(
            "P3",
            "Jan Jansen",
            51.9618,
            5.4210,
            village="Maurik",
            postcode="4021",
            phone="06-00000103",
            precision="postcode",
        ),
        Participant("P4", "Ali", 51.85, 5.45, village="Dreumel", phone="06-00000104"),
    )
    fleet = (
        FleetVehicle(
            "D1",
            "dorpsauto",
            3,
            0,
            51.88,
            5.45,
            time(18),
            time(23),
            0.3,
            base_village="Wamel",
            driver="Gerda van Dijk",
            phone="06-00000201",
        ),
        FleetVehicle("V2", "taxi", 3, 0, 51.88, 5.43, time(18), time(23), 1.0),
    )
    event = Event(
        "Taalcafé",
        "Bibliotheek Tiel",
        VENUE.lat,
        VENUE.lon,
        date(2026, 12, 10),
        time(19, 30),
        time(21, 30),
    )
    return plan, Scenario(event, people, fleet)


def _read_dutch_csv(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Dutch Excel needs to see UTF-8
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def test_dutch_csv_keeps_accents(tmp_path: Path) -> None:
    plan, _ = _plan()
    rows = _read_dutch_csv(write_plan_csv(plan, tmp_path / "plan.csv"))
    assert list(rows[0]) == [
        "nr",
        "dorp",
        "status",
        "vervoer",
        "reden",
        "heen_vertrek",
        "heen_aankomst",
        "heen_voertuig",
        "heen_reis",
        "terug_vertrek",
        "terug_aankomst",
        "terug_voertuig",
        "terug_reis",
        "netwerk",
        "dienstregeling",
    ]
    by_id = {r["nr"]: r for r in rows}
    assert by_id["Zoë"]["vervoer"] == "rit" and by_id["Zoë"]["heen_vertrek"] == "18:55"
    assert by_id["P4"]["reden"] == "geen auto vóór 19:20 beschikbaar"
    assert by_id["P4"]["status"] == "zonder vervoer"
    assert by_id["P3"]["terug_reis"] == "21:32–21:40 lopen; 21:45–00:10 +1 bus 45"
    assert by_id["P3"]["terug_aankomst"] == "00:10 +1"
    assert {r["dienstregeling"] for r in rows} == {"voorbeeld"}
    assert "'=cmd" in by_id  # neutralised, not a formula
    text = (tmp_path / "plan.csv").read_text(encoding="utf-8-sig")
    assert "Zoë Müller" not in text and "06-" not in text  # no personal data in plan.csv


def test_english_csv(tmp_path: Path) -> None:
    plan, _ = _plan()
    path = write_plan_csv(plan, tmp_path / "plan.csv", lang="en")
    assert not path.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert rows[0]["mode"] == "ride" and rows[3]["status"] == "unserved"


def test_xlsx_sheets_and_rows(tmp_path: Path) -> None:
    plan, scenario = _plan()
    book = openpyxl.load_workbook(write_plan_xlsx(plan, scenario, tmp_path / "plan.xlsx"))
    assert book.sheetnames == ["Overzicht", "D1", "Belronde"]  # V2 has no trips
    overview = [[c.value for c in row] for row in book["Overzicht"].iter_rows()]
    assert overview[0][:3] == ["nr", "naam", "dorp"]
    zoe = next(r for r in overview if r[0] == "Zoë")
    assert zoe[1] == "Zoë Müller" and zoe[5:8] == ["18:55", "19:15", "rit D1 (Gerda van Dijk)"]
    calls = [[c.value for c in row] for row in book["Belronde"].iter_rows()]
    assert calls[0][:3] == ["ophaaltijd", "naam", "telefoon"]
    assert [r[1] for r in calls[1:]] == ["Jan Jansen", "Zoë Müller", "Ali"]
    jan = calls[1]
    assert jan[0] == "18:40" and jan[6] == "Gerda van Dijk" and jan[8] is None
    assert jan[9] == "alleen postcode: eerst bellen"
    assert calls[3][9] == "niet ingepland: geen auto vóór 19:20 beschikbaar"
    d1 = [[c.value for c in row] for row in book["D1"].iter_rows()]
    first_stop = d1[2]
    assert first_stop[:6] == [
        "heenrit",
        "18:40",
        "Maurik",
        "alleen postcode: eerst bellen",
        "Jan Jansen",
        None,
    ]
    assert "Dorpsstraat 1, 6659 XY Wamel" in d1[3][6]


def test_xlsx_cells_are_never_formulas(tmp_path: Path) -> None:
    plan, scenario = _plan()
    book = openpyxl.load_workbook(
        write_plan_xlsx(plan, scenario, tmp_path / "plan.xlsx", lang="en")
    )
    assert book.sheetnames == ["Overview", "D1", "Call list"]
    assert [c.value for c in book["D1"][2]][2:4] == ["kind", "village car"]  # words, not the code
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    assert "=cmd" in [c.value for c in cells] and "@SUM(A1)" in [c.value for c in cells]


@pytest.mark.parametrize("value", ["=1+1", "+31 6", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_formula_starts_are_neutralised(value: str) -> None:
    assert spreadsheet_safe(value) == "'" + value
    assert spreadsheet_safe(-2.5) == -2.5 and spreadsheet_safe("Tiel") == "Tiel"


def test_every_csv_writer_is_safe(tmp_path: Path) -> None:
    rows = list(
        csv.reader(
            io.StringIO(csv_text(["id", "name"], [["a,b", 'say "hi"'], ["=HYPERLINK(1)", "x;y"]]))
        )
    )
    assert rows == [["id", "name"], ["a,b", 'say "hi"'], ["'=HYPERLINK(1)", "x;y"]]
    matrix = matrix_csv(["a,b", "=c"], np.array([[0.0, 1.5], [np.inf, 0.0]]))
    assert list(csv.reader(io.StringIO(matrix))) == [
        ["id", "a,b", "'=c"],
        ["a,b", "0.0", "1.5"],
        ["'=c", "", "0.0"],
    ]
    path = write_rows(tmp_path / "a.csv", ("village", "n"), [{"village": "-x", "n": None}])
    assert path.read_text(encoding="utf-8") == "village,n\n'-x,\n"
    dutch = write_csv(tmp_path / "d.csv", ["dorp"], [["Zoë;vóór"]], delimiter=";", bom=True)
    assert dutch.read_bytes() == '\ufeffdorp\n"Zoë;vóór"\n'.encode()
