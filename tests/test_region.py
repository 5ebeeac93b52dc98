"""The Rivierenland data pack and its loader, cross-checked against ../shared reference data."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from planner.errors import DataPackError, UnknownPlaceError
from planner.network.geo import haversine_m
from planner.region import BANKS, RIVERS, Crossing, Region, load_region

PACK = Path(__file__).resolve().parents[1] / "data" / "rivierenland"
REFERENCE = Path("reference") / "rivierenland"


def _reference_rows(shared_dir: Path, name: str) -> list[dict[str, str]]:
    with open(shared_dir / REFERENCE / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# --------------------------------------------------------------------------- the embedded pack


def test_default_pack_has_the_eight_municipalities(region: Region) -> None:
    assert dict(zip(region.municipalities["code"], region.municipalities["name"], strict=True)) == {
        "GM0281": "Tiel",
        "GM0216": "Culemborg",
        "GM0214": "Buren",
        "GM1960": "West Betuwe",
        "GM1740": "Neder-Betuwe",
        "GM0297": "Zaltbommel",
        "GM0263": "Maasdriel",
        "GM0668": "West Maas en Waal",
    }
    assert region.municipalities.loc["GM1960", "population"] == 26323 + 11079 + 12038


def test_frames_are_point_geodataframes_indexed_by_id(region: Region) -> None:
    for frame in (region.villages, region.stations, region.venues):
        assert frame.crs.to_epsg() == 4326
        assert list(frame.index) == list(frame["id"])
        assert (frame.geometry.y == frame["lat"]).all() and (frame.geometry.x == frame["lon"]).all()
    assert region.villages.loc["tiel", "municipality"] == "Tiel"


def test_every_reference_woonplaats_is_in_the_pack_near_its_point(
    region: Region, shared_dir: Path
) -> None:
    rows = _reference_rows(shared_dir, "places-rivierenland-woonplaatsen.csv")
    assert len(rows) == 85
    problems = []
    for row in rows:
        try:
            village = region.find_village(row["woonplaats"])
        except UnknownPlaceError as exc:
            problems.append(str(exc))
            continue
        codes = {village["municipality_code"], *village["also_municipality_codes"]}
        if row["gemeente_code_2019plus"] not in codes:
            problems.append(f"{row['woonplaats']}: {row['gemeente_code_2019plus']} not in {codes}")
        distance = haversine_m(row["lat"], row["lon"], village["lat"], village["lon"]) / 1000
        if distance > 1.5:
            problems.append(f"{row['woonplaats']}: {distance:.2f} km from the reference point")
    assert problems == []


def test_stations_in_the_region_are_present(region: Region, shared_dir: Path) -> None:
    rows = [
        r
        for r in _reference_rows(shared_dir, "transit-nl-train-stations-2016.csv")
        if r["in_rivierenland_8_gemeenten"] == "yes" and r["alias"] == "false"
    ]
    assert len(rows) == 9
    for row in rows:
        station = region.find_station(row["code"])
        assert station["in_region"], row["name"]
        assert haversine_m(row["lat"], row["lon"], station["lat"], station["lon"]) < 300
    assert set(region.stations.loc[region.stations["in_region"], "ns_code"]) == {
        r["code"] for r in rows
    }


def test_declared_banks_agree_with_the_rivers(region: Region) -> None:
    mismatches = []
    for frame in (region.villages, region.stations, region.venues):
        found = region.banks_of(frame["lat"], frame["lon"])
        mismatches += [
            f"{i}: {b} vs {f}"
            for i, b, f in zip(frame.index, frame["bank"], found, strict=True)
            if b != f
        ]
    for c in region.crossings:
        mismatches += [
            f"{c.id}:{end}"
            for end, point, bank in (("a", c.a, c.bank_a), ("b", c.b, c.bank_b))
            if region.bank_of(*point) != bank
        ]
    assert mismatches == []


@pytest.mark.parametrize(
    ("station", "bank"),
    [
        ("Utrecht Centraal", "north"),
        ("Rhenen", "north"),
        ("Tiel", "betuwe"),
        ("Gorinchem", "betuwe"),
        ("Zaltbommel", "maaswaal"),
        ("Nijmegen", "maaswaal"),
        ("'s-Hertogenbosch", "south"),
        ("Oss", "south"),
    ],
)
def test_bank_of_reference_stations(
    region: Region, shared_dir: Path, station: str, bank: str
) -> None:
    row = next(
        r
        for r in _reference_rows(shared_dir, "transit-nl-train-stations-2016.csv")
        if r["name"] == station and r["alias"] == "false"
    )
    assert region.bank_of(float(row["lat"]), float(row["lon"])) == bank


def test_bank_of_beyond_the_centrelines_takes_the_nearest_bank(region: Region) -> None:
    assert region.bank_of(52.3, 5.3) == "north"
    assert region.bank_of(51.5, 5.3) == "south"
    assert region.bank_of(51.87, 6.2) == "betuwe"  # east of the Waal centreline's end


def test_crossings_link_the_banks_of_their_river(region: Region) -> None:
    kinds = {c.kind for c in region.crossings}
    assert kinds == {"bridge", "ferry"}
    for c in region.crossings:
        assert (c.bank_a, c.bank_b) == RIVERS[c.river]
        assert c.kind == "ferry" or (c.wait_s == 0 and c.opens is None and c.season is None)
    assert set(BANKS) == {b for pair in RIVERS.values() for b in pair}


def test_bbox_contains_every_place(region: Region) -> None:
    south, west, north, east = region.bbox
    assert south < north and west < east
    for frame in (region.villages, region.stations, region.venues):
        assert all(
            region.contains(lat, lon) for lat, lon in zip(frame["lat"], frame["lon"], strict=True)
        )
    assert not region.contains(52.37, 4.89)  # Amsterdam


# --------------------------------------------------------------------------- lookups


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Beneden-Leeuwen", "beneden-leeuwen"),
        ("beneden leeuwen", "beneden-leeuwen"),
        ("BENEDEN-LEEUWEN", "beneden-leeuwen"),
        ("Kapel Avezaath", "kapel-avezaath"),
        ("Rijswijk", "rijswijk"),
        ("Rijswijk (GLD)", "rijswijk"),
        ("Tïel", "tiel"),
        ("eck-en-wiel", "eck-en-wiel"),
        ("IJzendoorn", "ijzendoorn"),
    ],
)
def test_find_village_ignores_case_accents_and_hyphens(
    region: Region, query: str, expected: str
) -> None:
    assert region.find_village(query)["id"] == expected


def test_find_village_suggests_close_names(region: Region) -> None:
    with pytest.raises(
        UnknownPlaceError,
        match=r"unknown village 'Beneden Leuwen'; closest: Beneden-Leeuwen, "
        r"Boven-Leeuwen",
    ):
        region.find_village("Beneden Leuwen")


def test_find_venue_default_alias_and_unknown(region: Region) -> None:
    default = region.find_venue()
    assert default["default"] and default["kind"] == "library"
    assert region.find_venue("Zinder")["id"] == default["id"]
    assert region.find_venue("sociaal plein tiel")["kind"] == "community centre"
    with pytest.raises(
        UnknownPlaceError, match="unknown venue 'Bibliotheek Tell'; closest: Bibliotheek Tiel"
    ):
        region.find_venue("Bibliotheek Tell")


def test_find_place_prefers_villages_then_venues_then_stations(region: Region) -> None:
    assert region.find_place("Tiel")["id"] == "tiel"
    assert "municipality_code" in region.find_place("Tiel").index
    assert region.find_place("Zinder")["kind"] == "library"
    assert region.find_place("Tiel Passewaaij")["ns_code"] == "TPSW"
    with pytest.raises(UnknownPlaceError, match="unknown place 'Passewaay'"):
        region.find_place("Passewaay")


# --------------------------------------------------------------------------- crossings


def _crossing(region: Region, crossing_id: str) -> Crossing:
    return next(c for c in region.crossings if c.id == crossing_id)


def test_summer_ferry_closed_on_a_december_evening_open_on_a_june_afternoon(region: Region) -> None:
    ferry = _crossing(region, "veer-druten-dodewaard")
    assert ferry.is_seasonal and ferry.modes == {"bike", "foot"}
    assert not ferry.is_open(datetime(2026, 12, 10, 19, 30))
    assert ferry.is_open(datetime(2026, 6, 18, 14, 0))
    assert not ferry.is_open(datetime(2026, 6, 18, 20, 0))  # after 18:00
    assert ferry.is_open(None)  # no moment given: hours and season are ignored


def test_december_evening_bike_crossings_near_tiel(region: Region) -> None:
    evening = datetime(2026, 12, 10, 19, 30)
    waal = {c.id for c in region.crossings_open("bike", evening) if c.river == "Waal/Merwede"}
    assert "brug-prins-willem-alexander" in waal
    assert not {"veer-tiel-wamel", "veer-varik-heerewaarden", "veer-druten-dodewaard"} & waal
    assert "veer-tiel-wamel" in {
        c.id for c in region.crossings_open("walk", datetime(2026, 12, 10, 8))
    }


def test_ferry_hours_weekdays_sundays_and_timezones(region: Region) -> None:
    wijk = _crossing(region, "veer-wijk-rijswijk")
    assert wijk.is_open(datetime(2026, 12, 7, 7, 0))  # Monday
    assert not wijk.is_open(datetime(2026, 12, 6, 7, 0))  # Sunday opens at 09:00
    assert wijk.is_open(datetime(2026, 12, 6, 9, 0))
    assert not wijk.is_open(datetime(2026, 12, 7, 4, 0))
    utc = datetime(2026, 12, 7, 5, 30, tzinfo=ZoneInfo("UTC"))  # 06:30 in Amsterdam
    assert wijk.is_open(utc)
    bridge = _crossing(region, "brug-martinus-nijhoff-a2")
    assert bridge.is_open(datetime(2026, 12, 25, 3, 0)) and not bridge.is_seasonal


def test_season_wrapping_over_new_year_and_weekday_filter(region: Region) -> None:
    winter = Crossing.from_dict(
        {
            **_crossing(region, "veer-tiel-wamel").to_dict(),
            "season": ["11-01", "02-28"],
            "weekdays": [5, 6],
            "opens": "22:00",
            "closes": "02:00",
        }
    )
    assert winter.is_open(datetime(2027, 1, 2, 23, 0))  # Saturday, in season, before midnight
    assert winter.is_open(datetime(2027, 1, 3, 1, 30))  # Sunday, past midnight
    assert not winter.is_open(datetime(2027, 1, 4, 23, 0))  # Monday
    assert not winter.is_open(datetime(2027, 6, 5, 23, 0))  # out of season


def test_carries(region: Region) -> None:
    car_ferry = _crossing(region, "veer-alem-maren-kessel")
    assert all(car_ferry.carries(m) for m in ("car", "bike", "ebike", "walk"))
    foot_ferry = _crossing(region, "veer-tiel-wamel")
    assert not foot_ferry.carries("car") and foot_ferry.carries("ebike")
    motorway = _crossing(region, "brug-maas-a2-empel")
    assert motorway.carries("car") and not motorway.carries("bike")
    with pytest.raises(ValueError, match="unknown mode 'boat'"):
        car_ferry.carries("boat")


def test_crossing_round_trips_through_a_dict(region: Region) -> None:
    for c in region.crossings:
        assert Crossing.from_dict(c.to_dict()) == c


# --------------------------------------------------------------------------- broken packs


def _copy_pack(tmp_path: Path) -> Path:
    return Path(shutil.copytree(PACK, tmp_path / "pack"))


def _edit(pack: Path, file: str, change: Callable[[list[dict[str, str]]], None]) -> None:
    path = pack / file
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        fields, rows = list(reader.fieldnames or []), list(reader)
    change(rows)
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _set(index: int, **values: str) -> Callable[[list[dict[str, str]]], None]:
    return lambda rows: rows[index].update(values)


@pytest.mark.parametrize(
    ("file", "change", "message"),
    [
        ("villages.csv", _set(0, lat="five"), r"villages\.csv, row 2, field 'lat': not a number"),
        (
            "villages.csv",
            _set(1, id="aalst"),
            r"villages\.csv, row 3, field 'id': duplicate 'aalst'",
        ),
        (
            "villages.csv",
            _set(0, lat="5.12778", lon="51.7825"),
            r"villages\.csv, row 2, field 'lat': \(5\.12778, 51\.7825\) lies outside the region bbox",
        ),
        (
            "villages.csv",
            _set(0, bank="betuwe"),
            r"villages\.csv, row 2, field 'bank': declared 'betuwe' but the rivers put .* 'maaswaal'",
        ),
        (
            "villages.csv",
            _set(0, municipality_code="GM9999"),
            r"villages\.csv, row 2, field 'municipality_code': GM9999 is not in municipalities\.csv",
        ),
        (
            "venues.csv",
            _set(1, default="yes"),
            r"venues\.csv, field 'default': exactly one venue must have default 'yes', found 2",
        ),
        (
            "crossings.csv",
            _set(0, bank_b="north"),
            r"crossings\.csv, row 2, field 'bank_b': both ends",
        ),
        (
            "crossings.csv",
            _set(0, lat_a="51.9945", lon_a="5.0870"),
            r"crossings\.csv, row 2, field 'bank_a': declared 'north' but the rivers put .* 'betuwe'",
        ),
        (
            "crossings.csv",
            _set(2, close="", season_end="13-40"),
            r"row 4, field 'season_end': not a day MM-DD.*row 4, field 'close': fill in both",
        ),
        (
            "villages.csv",
            _set(0, population_kind="guess"),
            r"villages\.csv, row 2, field 'population_kind': 'guess' is not one of figure, estimate",
        ),
        (
            "villages.csv",
            _set(0, population_source=""),
            r"villages\.csv, row 2, field 'population_source': a population needs its population_kind",
        ),
        (
            "stations.csv",
            _set(0, in_region="maybe"),
            r"stations\.csv, row 2, field 'in_region': 'maybe' is not one of yes, no",
        ),
    ],
)
def test_broken_pack_is_refused_naming_file_row_and_field(
    tmp_path: Path, file: str, change: Callable, message: str
) -> None:
    pack = _copy_pack(tmp_path)
    _edit(pack, file, change)
    with pytest.raises(DataPackError, match=message):
        load_region(pack)


def test_missing_file_and_missing_pack(tmp_path: Path) -> None:
    pack = _copy_pack(tmp_path)
    (pack / "rivers.csv").unlink()
    with pytest.raises(DataPackError, match=r"rivers\.csv: file missing"):
        load_region(pack)
    with pytest.raises(DataPackError, match="no data pack here"):
        load_region(tmp_path / "nowhere")


def test_data_dir_environment_variable_selects_the_pack(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    shutil.copytree(PACK, data / "rivierenland")
    _edit(data / "rivierenland", "venues.csv", _set(0, name="Bibliotheek Elders"))
    monkeypatch.setenv("PLANNER_DATA_DIR", str(data))
    assert load_region().find_venue()["name"] == "Bibliotheek Elders"


def test_every_village_has_a_population_with_kind_year_and_source(repo_dir: Path) -> None:
    """No flat weight: each village has its own number, labelled figure or estimate, with the
    year it refers to and a source named, with that year, in SOURCES.md."""
    region = load_region()
    villages = region.villages
    assert villages["population"].notna().all() and (villages["population"] > 0).all()
    assert set(villages["population_kind"]) == {"figure", "estimate"}
    assert villages["population_source"].str.len().gt(20).all()
    assert villages["population_year"].between(2015, 2024).all()  # none undated
    assert (
        villages["population_source"].str.split(":").str[0] == villages["population_kind"]
    ).all()
    sources = (repo_dir / "data" / "SOURCES.md").read_text(encoding="utf-8")
    section = sources[sources.index("## Village populations") : sources.index("## Postcode areas")]
    groups = [
        ("figure", "German Wikipedia article 'Maasdriel'", "*Maasdriel*", "2024"),
        ("figure", "German Wikipedia article 'Zaltbommel'", "*Zaltbommel*", "2024"),
        ("figure", "former municipality Neerijnen", "gemeente Neerijnen", "2016"),
        ("figure", "former municipality Geldermalsen", "*Geldermalsen*", "2017"),
        ("figure", "municipality Culemborg", "municipality Culemborg", "2015"),
        ("figure", "Kerncijfers wijken en buurten 2016", "buurten 2016*", "2016"),
        ("figure", "Kerncijfers wijken en buurten 2021", "buurten 2021*", "2021"),
        ("figure", "population 2021 as given in", "population 2021 as given in", "2021"),
        ("figure", "Kerncijfers wijken en buurten 2022", "buurten 2022*", "2022"),
        ("figure", "CBS, 1 January 2023", "CBS, 1 January 2023", "2023"),
        ("figure", "Dutch Wikipedia article 'Herwijnen'", "*Herwijnen*", "2023"),
        ("figure", "'Allemaal geteld'", "*Allemaal geteld*", "2024"),
        ("figure", "De Tielenaar", "De Tielenaar", "2020"),
        ("estimate", "on 1 January 2021", "on 1 January 2021", "2021"),
        ("estimate", "CBS 2015 population of former", "buurten 2015* population", "2015"),
        ("estimate", "on 1 January 2024", "on 1 January 2024", "2024"),
    ]
    grouped = 0
    for kind, in_row, in_sources, year in groups:
        rows = villages[
            (villages["population_kind"] == kind)
            & villages["population_source"].str.contains(in_row, regex=False)
        ]
        assert len(rows), (kind, in_row)
        grouped += len(rows)
        assert rows["population_year"].isna().all() or (rows["population_year"] == int(year)).all()
        line = next(
            row
            for row in section.splitlines()
            if row.startswith(f"| {kind} |") and in_sources in row
        )
        assert f"| {year}" in line or year in line.split("|")[3], line
        if len(rows) <= 10:  # a few villages: the table names each of them
            assert all(name in line for name in rows["name"]), (line, list(rows["name"]))
    assert grouped == len(villages)  # every village in exactly one documented group
    # Each municipality's villages add up to its CBS figure within 1 %: the figures mix years
    # (2015-2024) and the rounding of their sources (SOURCES.md, caveats).
    totals = villages.groupby("municipality_code")["population"].sum()
    for code, row in region.municipalities.iterrows():
        assert abs(int(totals[code]) - int(row["population"])) <= 0.01 * int(row["population"])
    # The estimates differ where the figures do: West Maas en Waal's villages range from
    # Beneden-Leeuwen's 7,105 down to 1,210, not 2,320 each as a flat share gave.
    wmw = villages[villages["municipality_code"] == "GM0668"]["population"]
    assert wmw.max() == 7105 and wmw.min() == 1210


def test_kerk_avezaath_carries_burens_woonplaatscode() -> None:
    row = load_region().villages.loc["kerk-avezaath"]
    assert row["municipality_code"] == "GM0214" and str(row["cbs_woonplaatscode"]) == "3378"
