"""plan.csv for Dutch Excel, plan.xlsx for the coordinator, and formula-safe cells everywhere."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from fixture_plan import small_plan

from planner._io import csv_text, spreadsheet_safe, write_csv
from planner.access.analysis import write_rows
from planner.cli.matrix import matrix_csv
from planner.output.spreadsheet import CSV_COLUMNS, write_plan_csv, write_plan_xlsx


def _read_dutch_csv(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Dutch Excel needs to see UTF-8
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def test_dutch_csv_keeps_accents(tmp_path: Path) -> None:
    plan, _ = small_plan()
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
    plan, _ = small_plan()
    path = write_plan_csv(plan, tmp_path / "plan.csv", lang="en")
    assert not path.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert rows[0]["mode"] == "ride" and rows[3]["status"] == "unserved"


def test_xlsx_sheets_and_rows(tmp_path: Path) -> None:
    plan, scenario = small_plan()
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
    plan, scenario = small_plan()
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
