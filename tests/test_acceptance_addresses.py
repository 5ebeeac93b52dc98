"""Issue 12 acceptance, end to end through ``planner plan``: addresses, Excel in, Excel and CSV out.

Every person and address here is fictional; the stub addresses are test fixtures, not BAG records.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from planner import settings
from planner.cli.main import app
from planner.network.geo import haversine_m
from tests.pdok_stub import PdokStub, StubAddress

runner = CliRunner()
EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "scenarios" / "taalcafe-tiel"
MAURIK = StubAddress("Voorbeeldstraat", 12, "4021AB", "Maurik", "Buren", 51.959123, 5.423771)
WAMEL = StubAddress("Proefweg", 3, "6659XY", "Wamel", "West Maas en Waal", 51.879012, 5.462345)
PARTICIPANTS = """\
id,name,village,postcode,address,lat,lon,wheelchair,can_cycle,needs_return,max_ride_min,language,phone
Zoë,Zoë Müller,Maurik,4021 AB,Voorbeeldstraat 12,,,no,no,yes,60,ar,06-00000101
Anaïs,Anaïs Émile,Wamel,6659 XY,Proefweg 3,,,no,no,yes,60,ti,06-00000102
P03,Olena Kovalenko,Beneden-Leeuwen,,Dorpsstraat 5,,,no,no,yes,60,uk,06-00000103
P04,Farid Rahimi,Heerewaarden,,,,,no,no,yes,60,fa,06-00000104
"""
GPX = {"g": "http://www.topografix.com/GPX/1/1"}
#: The driver sheet's notice per precision (Dutch, the default language).
NOTICE = {"postcode": "alleen de postcode is bekend", "village": "alleen het dorp is bekend"}


def _scenario(
    folder: Path, participants: str = "participants.csv", fleet: str = "fleet.csv"
) -> Path:
    """Write the Taalcafé scenario with the address participants into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "participants.csv").write_text(PARTICIPANTS, encoding="utf-8")
    shutil.copy(EXAMPLE / "fleet.csv", folder / "fleet.csv")
    toml = (EXAMPLE / "scenario.toml").read_text(encoding="utf-8")
    toml = re.sub(r"(?m)^participants = .*$", f'participants = "{participants}"', toml)
    toml = re.sub(r"(?m)^fleet = .*$", f'fleet = "{fleet}"', toml)
    (folder / "scenario.toml").write_text(toml, encoding="utf-8")
    return folder / "scenario.toml"


def _plan(scenario: Path, out: Path) -> Path:
    result = runner.invoke(
        app, ["plan", str(scenario), "--out", str(out), "--seed", "1", "--time-limit", "30"]
    )
    assert result.exit_code == 0, result.output
    return out


def _csv_to_xlsx(path: Path) -> Path:
    """The same rows in a workbook, every cell text as typed into Excel (empty = no value)."""
    book = openpyxl.Workbook()
    for row in csv.reader(path.read_text(encoding="utf-8").splitlines()):
        book.active.append([cell or None for cell in row])
    target = path.with_suffix(".xlsx")
    book.save(target)
    return target


def _sheet_text(path: Path) -> str:
    """A driver sheet's visible text, one space between words."""
    html = path.read_text(encoding="utf-8")
    html = re.sub(r"(?s)<(style|svg|script)\b.*?</\1>", " ", html)
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("&nbsp;", " ").split())


def _homes(plan: dict) -> dict[str, dict]:
    """Each served participant's home stop (the start of the way there) from plan.json."""
    return {
        p["id"]: p["outbound"]["legs"][0]["from"]
        for p in plan["participants"]
        if p["status"] == "served"
    }


@pytest.fixture(scope="module")
def offline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The address scenario planned with the geocoder off (the conftest default)."""
    folder = tmp_path_factory.mktemp("offline")
    return _plan(_scenario(folder / "in"), folder / "out")


def test_offline_addresses_and_precision_are_on_each_drivers_sheet(offline: Path) -> None:
    plan = json.loads((offline / "plan.json").read_text(encoding="utf-8"))
    homes = _homes(plan)
    assert set(homes) == {"Zoë", "Anaïs", "P03", "P04"}
    # Offline: postcode given -> the postcode area's point; no postcode -> the village point.
    assert {pid: h["precision"] for pid, h in homes.items()} == {
        "Zoë": "postcode",
        "Anaïs": "postcode",
        "P03": "village",
        "P04": "village",
    }
    addresses = {
        "Zoë": "Voorbeeldstraat 12 4021 AB Maurik",
        "Anaïs": "Proefweg 3 6659 XY Wamel",
        "P03": "Dorpsstraat 5 Beneden-Leeuwen",
        "P04": "Heerewaarden",
    }
    names = {
        "Zoë": "Zoë Müller",
        "Anaïs": "Anaïs Émile",
        "P03": "Olena Kovalenko",
        "P04": "Farid Rahimi",
    }
    vehicle = {p["id"]: p["outbound"]["legs"][0]["vehicle"] for p in plan["participants"]}
    for pid, home in homes.items():
        text = _sheet_text(offline / "drivers" / f"{vehicle[pid]}.html")
        at_home = re.search(re.escape(addresses[pid]) + r" Let op: ([^.]+)\. " + names[pid], text)
        assert at_home, (pid, text)
        assert NOTICE[home["precision"]] in at_home[1]
        for other in set(vehicle.values()) - {vehicle[pid]}:  # never on another driver's sheet
            assert names[pid] not in _sheet_text(offline / "drivers" / f"{other}.html")


def test_dutch_plan_csv_reads_back_as_semicolon_utf8_with_bom(offline: Path) -> None:
    raw = (offline / "plan.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert [r["nr"] for r in rows] == ["Zoë", "Anaïs", "P03", "P04"]
    assert {r["status"] for r in rows} == {"met vervoer"}
    assert all("–" in r["heen_reis"] for r in rows)  # the en dash of "19:08–19:20" survives
    assert "Müller" not in raw.decode("utf-8-sig")  # names stay off the plan-wide CSV


def test_plan_xlsx_opens_with_openpyxl_and_has_the_named_sheets(offline: Path) -> None:
    plan = json.loads((offline / "plan.json").read_text(encoding="utf-8"))
    used = sorted(
        {
            leg["vehicle"]
            for p in plan["participants"]
            for leg in p["outbound"]["legs"]
            if leg.get("vehicle")
        }
    )
    book = openpyxl.load_workbook(offline / "plan.xlsx")
    assert book.sheetnames == ["Overzicht", *used, "Belronde"]
    overview = [[c.value for c in row] for row in book["Overzicht"].iter_rows()]
    assert [r[0] for r in overview[1:]] == ["Zoë", "Anaïs", "P03", "P04"]
    assert "Zoë Müller" in [r[1] for r in overview]
    calls = [[c.value for c in row] for row in book["Belronde"].iter_rows()]
    assert calls[0][:3] == ["ophaaltijd", "naam", "telefoon"]
    assert {r[1] for r in calls[1:]} == {
        "Zoë Müller",
        "Anaïs Émile",
        "Olena Kovalenko",
        "Farid Rahimi",
    }


def test_xlsx_participants_and_fleet_give_the_same_plan_as_csv(
    offline: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    _scenario(folder, participants="participants.xlsx", fleet="fleet.xlsx")
    _csv_to_xlsx(folder / "participants.csv")
    _csv_to_xlsx(folder / "fleet.csv")
    (folder / "participants.csv").unlink()
    (folder / "fleet.csv").unlink()
    out = _plan(folder / "scenario.toml", tmp_path / "out")
    for name in ("plan.json", "plan.csv"):
        assert (out / name).read_bytes() == (offline / name).read_bytes(), name


def test_stub_geocoder_point_is_the_gpx_waypoint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "cache_dir", tmp_path / "cache")
    scenario = _scenario(tmp_path / "in")
    with PdokStub([MAURIK, WAMEL]) as stub:
        monkeypatch.setenv("PLANNER_GEOCODER_URL", stub.url)
        out = _plan(scenario, tmp_path / "out")
    assert len(stub.queries) == 3  # Zoë, Anaïs and P03's address; P04 has none
    plan = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    homes = _homes(plan)
    assert homes["Zoë"]["precision"] == homes["Anaïs"]["precision"] == "address"
    assert homes["P03"]["precision"] == "village"  # Dorpsstraat 5 is not found
    vehicle = {p["id"]: p["outbound"]["legs"][0]["vehicle"] for p in plan["participants"]}
    for pid, stub_address, name in [("Zoë", MAURIK, "Zoë Müller"), ("Anaïs", WAMEL, "Anaïs Émile")]:
        gpx = ET.parse(out / "drivers" / f"{vehicle[pid]}.gpx")
        at_home = [
            w
            for w in gpx.findall("g:wpt", GPX)  # picked up there, dropped off home
            if re.match(
                rf"(H\d+ [^;]*Instappen: [^;]*|T\d+ [^;]*Uitstappen: [^;]*){re.escape(name)}\b",
                f"{w.findtext('g:name', namespaces=GPX)} {w.findtext('g:desc', namespaces=GPX)}",
            )
        ]
        assert len(at_home) == 2, pid
        for w in at_home:
            point = (float(w.get("lat", "nan")), float(w.get("lon", "nan")))
            assert haversine_m(*point, stub_address.lat, stub_address.lon) < 1.0, (pid, point)
