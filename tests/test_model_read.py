"""Reading scenario files: the examples, Dutch spreadsheets and every broken input."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest

from planner.errors import InputFileError
from planner.model.read import (
    ScenarioFileError,
    ScenarioWarning,
    read_fleet,
    read_participants,
    read_scenario,
)
from planner.model.scenario import FleetVehicle, Participant
from planner.region import Region

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "data" / "scenarios"
BROKEN = Path(__file__).parent / "data" / "scenarios"


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _participants(folder: Path, region: Region, text: str) -> list[Participant]:
    """Read ``text`` as the participants file ``p.csv``."""
    return read_participants(_write(folder, "p.csv", text), region=region)


def _fleet(folder: Path, region: Region, text: str) -> list[FleetVehicle]:
    """Read ``text`` as the fleet file ``f.csv``."""
    return read_fleet(_write(folder, "f.csv", text), region=region)


def _scenario(folder: Path, participants: str, fleet: str, event: str = "") -> Path:
    _write(folder, "p.csv", participants)
    _write(folder, "f.csv", fleet)
    event = event or 'name = "Taalcafé"\ndate = 2026-12-10\nstart = "19:30"\nend = "21:30"\n'
    return _write(folder, "s.toml", f'participants = "p.csv"\nfleet = "f.csv"\n[event]\n{event}')


# --------------------------------------------------------------------------- examples


def test_reads_taalcafe_example(region: Region) -> None:
    scenario = read_scenario(EXAMPLES / "taalcafe-tiel" / "scenario.toml", region=region)
    venue = region.find_venue()
    assert scenario.event.venue == venue["name"]
    assert (scenario.event.lat, scenario.event.lon) == (venue["lat"], venue["lon"])
    assert (scenario.event.date, scenario.event.start, scenario.event.end) == (
        date(2026, 12, 10),
        time(19, 30),
        time(21, 30),
    )
    assert scenario.event.arrive_before_min == 10
    people = {p.id: p for p in scenario.participants}
    assert len(people) == 25
    assert len({p.village for p in scenario.participants}) == 20
    assert sum(p.wheelchair for p in scenario.participants) == 3
    assert sum(p.can_cycle for p in scenario.participants) == 9
    assert sum(not p.needs_return for p in scenario.participants) == 2
    assert {p.language for p in scenario.participants} == {"ar", "ti", "uk", "fa", "tr", "en"}
    wamel = region.find_village("Wamel")
    assert (people["P01"].lat, people["P01"].lon) == (wamel["lat"], wamel["lon"])
    assert (people["P15"].village, people["P15"].lat, people["P15"].lon) == (
        "Maurik",
        51.956829,
        5.396526,
    )
    assert people["P18"].max_ride_min == 45
    assert [v.kind for v in scenario.fleet] == [
        "dorpsauto",
        "buurtbus",
        "volunteer_car",
        "volunteer_car",
        "volunteer_car",
        "taxi",
    ]
    bus = scenario.fleet[1]
    assert (bus.seats, bus.wheelchair_places, bus.available_from) == (8, 1, time(17, 45))
    assert scenario.options == {"seed": 1}
    assert scenario.source == EXAMPLES / "taalcafe-tiel" / "scenario.toml"


def test_reads_dutch_spreadsheet_example(region: Region) -> None:
    scenario = read_scenario(EXAMPLES / "spreekuur-tiel" / "scenario.toml", region=region)
    assert scenario.event.venue == region.find_venue("Inloophuis Tiel")["name"]
    assert scenario.event.arrive_before_min == 5
    people = {p.id: p for p in scenario.participants}
    assert list(people) == [f"S{i}" for i in range(1, 9)]
    assert people["S1"].name == "Abdi Warsame"  # the byte-order mark is not part of 'nr'
    assert people["S3"].wheelchair and people["S3"].max_ride_min == 45
    assert people["S5"].can_cycle and not people["S5"].needs_return
    assert (people["S4"].lat, people["S4"].lon, people["S4"].address) == (
        51.921637,
        5.413087,
        "Voorbeeldlaan 2",
    )
    assert people["S6"].phone == "06-00000306"
    car = scenario.fleet[0]
    assert (car.kind, car.cost_per_km, car.base_village, car.driver) == (
        "volunteer_car",
        0.23,
        "Wamel",
        "Anneke Verhoeven",
    )
    assert (car.available_from, car.available_until) == (time(8, 30), time(13, 0))
    assert scenario.options == {}


# --------------------------------------------------------------------------- broken inputs

#: Broken file -> (where the message must point, a fragment of the explanation or suggestion).
CASES: dict[str, tuple[str, str]] = {
    "participants-missing-id-column.csv": ("row 1, column 'id'", "also accepted: nr"),
    "participants-non-numeric-lat.csv": ("row 3, column 'lat'", "'noord' is not a number"),
    "participants-unknown-village.csv": ("row 2, column 'village'", "did you mean Wamel"),
    "participants-duplicate-id.csv": ("row 4, column 'id'", "already used on row 2"),
    "participants-bad-yes-no.csv": ("row 3, column 'rolstoel'", "ja/nee"),
    "participants-outside-region.csv": ("row 2, column 'lat'", "outside the region"),
    "participants-swapped-lat-lon.csv": ("row 2, column 'lat'", "look swapped"),
    "participants-no-location.csv": ("row 2, column 'village'", "or lat and lon"),
    "participants-lat-without-lon.csv": ("row 2, column 'lon'", "both lat and lon"),
    "participants-too-many-values.csv": ("row 3, column 'D'", "header, which has 3 columns"),
    "participants-empty-name.csv": ("row 2, column 'name'", "empty"),
    "participants-no-rows.csv": ("row 2, column 'id'", "no participants"),
    "participants-empty-file.csv": ("row 1", "the file is empty"),
    "participants-column-twice.csv": ("row 1, column 'dorp'", "same column as 'village'"),
    "participants-zero-max-ride.csv": ("row 2, column 'max_ride_min'", "whole number ≥ 1"),
    "fleet-bad-kind.csv": ("row 3, column 'kind'", "dorpsauto, volunteer_car, buurtbus, taxi"),
    "fleet-bad-time.csv": ("row 2, column 'available_from'", "HH:MM"),
    "fleet-window-reversed.csv": ("row 2, column 'available_until'", "18:00 is not after 22:00"),
    "fleet-no-places.csv": ("row 2, column 'seats'", "at least one place"),
    "fleet-negative-seats.csv": ("row 2, column 'seats'", "whole number ≥ 0"),
    "fleet-missing-seats-column.csv": ("row 1, column 'seats'", "stoelen"),
    "fleet-negative-cost.csv": ("row 2, column 'cost_per_km'", "negative"),
    "scenario-missing-event.toml": ("key 'event'", "add [event]"),
    "scenario-missing-csv.toml": ("key 'participants'", "absent-participants.csv"),
    "scenario-missing-fleet-key.toml": ("key 'fleet'", 'fleet = "fleet.csv"'),
    "scenario-bad-date.toml": ("key 'event.date'", "YYYY-MM-DD"),
    "scenario-bad-start.toml": ("key 'event.start'", "HH:MM"),
    "scenario-end-before-start.toml": ("key 'event.end'", "19:30 is not after start 21:30"),
    "scenario-invalid-toml.toml": ("line 7", "in quotes"),
    "scenario-unknown-venue.toml": ("key 'event.venue'", "Atlantis"),
    "scenario-venue-lat-without-lon.toml": ("key 'event.lon'", "both lat and lon"),
    "scenario-option-not-number.toml": ("key 'options.time_limit'", "not a number"),
}


def _read_any(path: Path, region: Region) -> object:
    if path.name.startswith("participants-"):
        return read_participants(path, region=region)
    if path.name.startswith("fleet-"):
        return read_fleet(path, region=region)
    return read_scenario(path, region=region)


def test_every_broken_file_has_a_case() -> None:
    files = {p.name for p in BROKEN.iterdir() if not p.name.startswith("valid-")}
    assert files == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_input_names_file_row_and_column(name: str, region: Region) -> None:
    where, explanation = CASES[name]
    with pytest.raises(ScenarioFileError) as caught:
        _read_any(BROKEN / name, region)
    message = str(caught.value)
    assert len(caught.value.problems) == 1, message
    assert message.startswith(f"{BROKEN / name}, {where}: ") or (
        name == "scenario-invalid-toml.toml" and where in message
    ), message
    assert explanation in message
    assert "\n" not in message
    assert isinstance(caught.value, InputFileError)


def test_valid_helper_files_read(region: Region) -> None:
    assert [p.id for p in read_participants(BROKEN / "valid-participants.csv", region=region)] == [
        "A1",
        "A2",
    ]
    assert [v.id for v in read_fleet(BROKEN / "valid-fleet.csv", region=region)] == ["V1"]


def test_all_problems_of_all_files_are_listed(tmp_path: Path, region: Region) -> None:
    toml = _scenario(
        tmp_path,
        "id,name,village,wheelchair\nA1,X,Wamle,no\nA2,Y,Tiel,misschien\nA1,Z,Tiel,no\n",
        "id,kind,seats,base_village\nV1,bus,3,Tiel\n",
        event='name = "x"\ndate = 2026-12-10\nstart = "19:30"\nend = "25:00"\n',
    )
    with pytest.raises(ScenarioFileError) as caught:
        read_scenario(toml, region=region)
    places = [(p.path.name, p.row, p.column or p.key) for p in caught.value.problems]
    assert places == [
        ("s.toml", None, "event.end"),
        ("p.csv", 2, "village"),
        ("p.csv", 3, "wheelchair"),
        ("p.csv", 4, "id"),
        ("f.csv", 2, "kind"),
    ]
    assert str(caught.value).startswith("5 problems: ")
    assert caught.value.path == tmp_path / "s.toml"
    assert (caught.value.field, caught.value.row) == ("event.end", None)


def test_long_problem_lists_are_cut_short(tmp_path: Path, region: Region) -> None:
    rows = "".join(f"A{i},X,Wamel,perhaps\n" for i in range(40))
    with pytest.raises(ScenarioFileError) as caught:
        _participants(tmp_path, region, "id,name,village,wheelchair\n" + rows)
    assert len(caught.value.problems) == 40
    assert str(caught.value).endswith("… and 15 more problems")


# --------------------------------------------------------------------------- details


@pytest.mark.parametrize("text", ["ja", "Yes", "TRUE", "1", "j", "y", "waar"])
def test_yes_spellings(text: str, tmp_path: Path, region: Region) -> None:
    csv_text = f"id,name,village,can_cycle\nA1,X,Wamel,{text}\n"
    person = _participants(tmp_path, region, csv_text)[0]
    assert person.can_cycle is True


@pytest.mark.parametrize("text", ["nee", "No", "false", "0", "N", "onwaar"])
def test_no_spellings(text: str, tmp_path: Path, region: Region) -> None:
    csv_text = f"id,name,village,needs_return\nA1,X,Wamel,{text}\n"
    person = _participants(tmp_path, region, csv_text)[0]
    assert person.needs_return is False


def test_empty_cells_take_defaults(tmp_path: Path, region: Region) -> None:
    text = "id,name,village,wheelchair,max_ride_min,phone\nA1,X,Wamel,,,\n"
    person = _participants(tmp_path, region, text)[0]
    assert (person.wheelchair, person.can_cycle, person.needs_return) == (False, False, True)
    assert (person.max_ride_min, person.phone, person.language, person.address) == (
        60,
        None,
        None,
        None,
    )
    car = _fleet(tmp_path, region, "id,kind,seats,base_village\nV1,taxi,3,Tiel\n")[0]
    assert (car.wheelchair_places, car.cost_per_km, car.driver, car.phone) == (0, 0.0, "", None)
    assert (car.available_from, car.available_until) == (time(0, 0), time(23, 59))


def test_wheelchair_only_vehicle_is_allowed(tmp_path: Path, region: Region) -> None:
    text = "id,kind,seats,wheelchair_places,base_village\nV1,taxi,0,1,Tiel\n"
    assert _fleet(tmp_path, region, text)[0].wheelchair_places == 1


def test_header_spelling_is_forgiving(tmp_path: Path, region: Region) -> None:
    person = _participants(tmp_path, region, " ID ;Naam;Dorp;Kan fietsen\nA1;X;wamel;JA\n")[0]
    assert (person.id, person.village, person.can_cycle) == ("A1", "Wamel", True)


def test_windows_1252_file_is_read(tmp_path: Path, region: Region) -> None:
    path = tmp_path / "p.csv"
    path.write_bytes("id;naam;dorp\nA1;Zoë Müller;Tiel\n".encode("cp1252"))
    assert read_participants(path, region=region)[0].name == "Zoë Müller"


def test_clock_spellings(tmp_path: Path, region: Region) -> None:
    text = (
        "id,kind,seats,base_village,available_from,available_until\nV1,taxi,3,Tiel,8.15,21:45:00\n"
    )
    car = _fleet(tmp_path, region, text)[0]
    assert (car.available_from, car.available_until) == (time(8, 15), time(21, 45))


def test_a_name_in_the_village_column_is_not_echoed(tmp_path: Path, region: Region) -> None:
    with pytest.raises(InputFileError) as caught:
        _participants(tmp_path, region, "id,name,village\nA1,Wamel,Fatima Yilmaz\n")
    message = str(caught.value)
    assert "row 2, column 'village': not a village of the region" in message
    assert "Fatima" not in message and "did you mean" not in message  # nothing close to suggest


def test_unknown_column_is_ignored_with_a_warning(tmp_path: Path, region: Region) -> None:
    with pytest.warns(ScenarioWarning, match=r"p\.csv: column 'shoe_size' is not used"):
        person = _participants(tmp_path, region, "id,name,village,shoe_size\nA1,X,Wamel,42\n")[0]
    assert person.id == "A1"


def test_unknown_toml_key_is_ignored_with_a_warning(tmp_path: Path, region: Region) -> None:
    toml = _scenario(
        tmp_path,
        "id,name,village\nA1,X,Wamel\n",
        "id,kind,seats,base_village\n",
        event='name = "x"\ndate = 2026-12-10\nstart = "19:30"\nend = "21:30"\nroom = "zaal 2"\n',
    )
    with pytest.warns(ScenarioWarning, match="key 'event.room' is not used"):
        scenario = read_scenario(toml, region=region)
    assert scenario.fleet == ()


def test_event_with_own_coordinates_and_native_toml_times(tmp_path: Path, region: Region) -> None:
    toml = _scenario(
        tmp_path,
        "id,name,village\nA1,X,Wamel\n",
        "id,kind,seats,base_village\n",
        event='name = "Buurtavond"\nlat = 51.9\nlon = 5.4\ndate = 2026-12-10\n'
        "start = 19:30:00\nend = 21:00:00\narrive_before_min = 0\n",
    )
    event = read_scenario(toml, region=region).event
    assert (event.venue, event.lat, event.lon) == ("Buurtavond", 51.9, 5.4)
    assert (event.start, event.end, event.arrive_before_min) == (time(19, 30), time(21), 0)


def test_missing_scenario_file_is_a_user_error(tmp_path: Path, region: Region) -> None:
    with pytest.raises(ScenarioFileError, match=r"absent\.toml: file not found"):
        read_scenario(tmp_path / "absent.toml", region=region)
