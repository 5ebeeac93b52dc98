"""Participants and fleet as Excel workbooks: the same scenario as CSV, errors that name cells."""

from __future__ import annotations

import csv
import re
import shutil
from datetime import time
from pathlib import Path

import openpyxl
import pytest

from planner.model.read import ScenarioFileError, read_participants, read_scenario
from planner.region import Region

EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "scenarios"
_NUMBER = re.compile(r"^-?\d+([.,]\d+)?$")
_CLOCK = re.compile(r"^(\d{2}):(\d{2})$")


def _typed(text: str) -> object:
    """A CSV cell as a spreadsheet user would type it: numbers and times as such, else text."""
    if _CLOCK.match(text):
        return time(int(text[:2]), int(text[3:]))
    if _NUMBER.match(text) and not text.startswith("0") or text == "0":
        return float(text.replace(",", ".")) if re.search("[.,]", text) else int(text)
    return text or None


def _to_xlsx(csv_path: Path, xlsx_path: Path, sheet: str, *, first: str | None = None) -> None:
    text = csv_path.read_text(encoding="utf-8-sig")
    delimiter = ";" if text.splitlines()[0].count(";") > text.splitlines()[0].count(",") else ","
    book = openpyxl.Workbook()
    if first:  # another sheet before the data, e.g. instructions for volunteers
        book.active.title = first
        book.active["A1"] = "Vul de gegevens in op het volgende blad."
        ws = book.create_sheet(sheet)
    else:
        ws = book.active
        ws.title = sheet
    for number, row in enumerate(csv.reader(text.splitlines(), delimiter=delimiter)):
        ws.append(row if number == 0 else [_typed(cell) for cell in row])
    book.save(xlsx_path)


@pytest.mark.parametrize(
    "example, people, vehicles",
    [
        ("taalcafe-tiel", "participants.csv", "fleet.csv"),
        ("spreekuur-tiel", "deelnemers.csv", "vervoer.csv"),  # Dutch: ';', decimal comma
    ],
)
def test_xlsx_scenario_equals_csv_scenario(
    tmp_path: Path, region: Region, example: str, people: str, vehicles: str
) -> None:
    source = EXAMPLES / example
    from_csv = read_scenario(source / "scenario.toml", region=region)
    _to_xlsx(source / people, tmp_path / "aanmeldingen.xlsx", "Deelnemers", first="Uitleg")
    _to_xlsx(source / vehicles, tmp_path / "vervoer.xlsx", "Blad1")
    toml = (source / "scenario.toml").read_text(encoding="utf-8")
    toml = re.sub(
        r"(?m)^participants = .*$",
        'participants = "aanmeldingen.xlsx"\nparticipants_sheet = "Deelnemers"',
        toml,
    )
    toml = re.sub(r"(?m)^fleet = .*$", 'fleet = "vervoer.xlsx"', toml)
    (tmp_path / "scenario.toml").write_text(toml, encoding="utf-8")
    from_xlsx = read_scenario(tmp_path / "scenario.toml", region=region)
    assert from_xlsx.participants == from_csv.participants
    assert from_xlsx.fleet == from_csv.fleet
    assert (from_xlsx.event, from_xlsx.options) == (from_csv.event, from_csv.options)


def _sheet(tmp_path: Path, rows: list[list[object]], title: str = "Deelnemers") -> Path:
    book = openpyxl.Workbook()
    book.active.title = title
    for row in rows:
        book.active.append(row)
    path = tmp_path / "p.xlsx"
    book.save(path)
    return path


def test_errors_name_sheet_and_cell(tmp_path: Path, region: Region) -> None:
    rows: list[list[object]] = [["nr", "naam", "dorp", "rolstoel"]]
    rows += [[f"P{i}", f"Naam {i}", "Wamel", "nee"] for i in range(1, 5)]
    rows += [
        [],
        ["P6", None, "Wamel", "misschien"],
        ["P7", "Zoë", "Wamell", "ja"],
        ["P8", "Ali", "Wamel", "nee", None, "los"],
    ]
    with pytest.raises(ScenarioFileError) as caught:
        read_participants(_sheet(tmp_path, rows), region=region)
    message = str(caught.value)
    assert "p.xlsx, Deelnemers!B7 (column 'naam'): empty" in message
    assert "Deelnemers!D7 (column 'rolstoel'): 'misschien' is not yes or no" in message
    assert (
        "Deelnemers!C8 (column 'dorp'): not a village of the region (did you mean Wamel?)"
        in message
    )
    assert "Wamell" not in message  # the cell is named by place, never echoed
    assert "Deelnemers!F9: a value beyond the header, which has 4 columns" in message


def test_sheet_names_with_spaces_are_quoted(tmp_path: Path, region: Region) -> None:
    path = _sheet(tmp_path, [["nr", "naam", "dorp"], ["P1", "", "Wamel"]], title="Mijn lijst")
    with pytest.raises(ScenarioFileError, match=r"'Mijn lijst'!B2 \(column 'naam'\): empty"):
        read_participants(path, region=region)


def test_missing_column_and_empty_sheet(tmp_path: Path, region: Region) -> None:
    path = _sheet(tmp_path, [["nr", "dorp"], ["P1", "Wamel"]])
    with pytest.raises(
        ScenarioFileError,
        match=r"sheet Deelnemers, row 1 \(column 'name'\): "
        r"required column is missing",
    ):
        read_participants(path, region=region)
    with pytest.raises(ScenarioFileError, match="Deelnemers, row 1: the sheet is empty"):
        read_participants(_sheet(tmp_path, []), region=region)


def test_unknown_sheet_lists_the_sheets(tmp_path: Path, region: Region) -> None:
    path = _sheet(tmp_path, [["nr", "naam", "dorp"], ["P1", "Zoë", "Wamel"]])
    with pytest.raises(
        ScenarioFileError,
        match=r"no sheet named 'Vervoer' \(sheets: "
        r"Deelnemers\)",
    ):
        read_participants(path, region=region, sheet="Vervoer")


def test_not_a_workbook(tmp_path: Path, region: Region) -> None:
    path = tmp_path / "p.xlsx"
    path.write_text("id,name,village\nP1,Zoë,Wamel\n", encoding="utf-8")
    with pytest.raises(ScenarioFileError, match=r"p.xlsx: cannot read the Excel file"):
        read_participants(path, region=region)
    old = tmp_path / "p.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(ScenarioFileError, match=r"p.xls: .xls workbooks are not read \(save it"):
        read_participants(old, region=region)


def test_sheet_key_checks(tmp_path: Path, region: Region) -> None:
    source = EXAMPLES / "taalcafe-tiel"
    for name in ("participants.csv", "fleet.csv"):
        shutil.copy(source / name, tmp_path / name)
    toml = (source / "scenario.toml").read_text(encoding="utf-8")
    (tmp_path / "s.toml").write_text('participants_sheet = "Deelnemers"\n' + toml, encoding="utf-8")
    with pytest.raises(
        ScenarioFileError,
        match=r"key 'participants_sheet': participants.csv is "
        r"not an Excel workbook",
    ):
        read_scenario(tmp_path / "s.toml", region=region)
    (tmp_path / "s.toml").write_text("participants_sheet = 3\n" + toml, encoding="utf-8")
    with pytest.raises(ScenarioFileError, match=r"key 'participants_sheet': 3 is not a sheet"):
        read_scenario(tmp_path / "s.toml", region=region)


def test_cell_values_become_csv_text(tmp_path: Path, region: Region) -> None:
    rows: list[list[object]] = [
        [
            "nr",
            "naam",
            "dorp",
            "breedtegraad",
            "lengtegraad",
            "rolstoel",
            "max_rit_min",
            "postcode",
        ],
        [101, "Zoë", "Wamel", 51.87755, 5.45768, True, 45.0, 6659],
    ]
    (person,) = read_participants(_sheet(tmp_path, rows), region=region)
    assert (person.id, person.lat, person.lon) == ("101", 51.87755, 5.45768)
    assert (person.wheelchair, person.max_ride_min, person.postcode) == (True, 45, "6659")
