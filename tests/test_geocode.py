"""Addresses: geocoding with the PDOK stub, the on-disk cache, and the offline fallback order."""

from __future__ import annotations

import json
import socket
import time
import warnings
from pathlib import Path

import pytest

from planner import settings
from planner.geocode import (
    DEFAULT_URL,
    Geocoder,
    GeocoderWarning,
    PostcodePoints,
    geocoder_url,
    normalise_postcode,
)
from planner.model.read import (
    ScenarioFileError,
    ScenarioWarning,
    read_fleet,
    read_participants,
    read_scenario,
)
from planner.network.geo import haversine_m
from planner.region import Region
from tests.pdok_stub import PdokStub, StubAddress

# Test fixtures, not real BAG records: invented streets at points inside the villages.
MAURIK = StubAddress("Voorbeeldstraat", 12, "4021AB", "Maurik", "Buren", 51.959123, 5.423771)
WAMEL = StubAddress("Proefweg", 3, "6659XY", "Wamel", "West Maas en Waal", 51.879012, 5.462345)
HEADER = "id,name,village,postcode,address,lat,lon\n"


def _csv(folder: Path, rows: str, name: str = "p.csv") -> Path:
    path = folder / name
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def _read(path: Path, region: Region, geocoder: Geocoder):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        people = read_participants(path, region=region, geocoder=geocoder)
    return {p.id: p for p in people}, [str(w.message) for w in caught]


# --------------------------------------------------------------------------- online, with the stub


def test_geocoded_point_is_the_stub_point(tmp_path: Path, region: Region) -> None:
    path = _csv(
        tmp_path, "P1,Zoë,Maurik,4021 AB,Voorbeeldstraat 12,,\nP2,Ali,,6659xy,Proefweg 3,,\n"
    )
    with PdokStub([MAURIK, WAMEL]) as stub:
        people, messages = _read(path, region, Geocoder(stub.url, tmp_path / "cache"))
    assert haversine_m(people["P1"].lat, people["P1"].lon, MAURIK.lat, MAURIK.lon) < 1.0
    assert haversine_m(people["P2"].lat, people["P2"].lon, WAMEL.lat, WAMEL.lon) < 1.0
    assert [p.precision for p in people.values()] == ["address", "address"]
    assert people["P1"].address == "Voorbeeldstraat 12" and people["P1"].postcode == "4021 AB"
    assert people["P2"].village == "Wamel"  # from the geocoded woonplaats
    assert messages == []
    assert [q["path"] for q in stub.queries] == ["/bzk/locatieserver/search/v3_1/free"] * 2
    assert {q["fq"] for q in stub.queries} == {"type:adres"}
    assert stub.queries[0]["q"] == "Voorbeeldstraat 12, 4021 AB Maurik"


def test_cache_is_reused_and_written_atomically(tmp_path: Path, region: Region) -> None:
    path = _csv(tmp_path, "P1,Zoë,Maurik,,Voorbeeldstraat 12,,\n")
    cache = tmp_path / "cache"
    with PdokStub([MAURIK]) as stub:
        _read(path, region, Geocoder(stub.url, cache))
        again, _ = _read(path, region, Geocoder(stub.url, cache))
    assert len(stub.queries) == 1  # the second run asked the cache only
    assert again["P1"].precision == "address"
    files = list(cache.iterdir())
    assert len(files) == 1 and files[0].suffix == ".json"  # no temporary file left
    assert "Voorbeeldstraat" not in files[0].name  # file names do not show the address
    assert json.loads(files[0].read_text())["found"] is True


def test_not_found_falls_back_to_postcode_and_warns_by_row(tmp_path: Path, region: Region) -> None:
    path = _csv(tmp_path, "P1,Zoë,Maurik,4021 AB,Nergensweg 99,,\n")
    with PdokStub([MAURIK]) as stub:
        people, messages = _read(path, region, Geocoder(stub.url, tmp_path / "cache"))
    area = PostcodePoints(region.root / "postcodes.csv").point("4021")
    assert area is not None
    assert (people["P1"].lat, people["P1"].lon, people["P1"].precision) == (
        area.lat,
        area.lon,
        "postcode",
    )
    assert len(messages) == 1 and "row 2" in messages[0] and "did not find" in messages[0]
    assert "Nergensweg" not in messages[0]  # the warning names the row, never the address


def test_a_match_in_another_postcode_is_not_used(tmp_path: Path, region: Region) -> None:
    # PDOK returns its best match even when it lies elsewhere; a different postcode is refused.
    path = _csv(tmp_path, "P1,Zoë,Maurik,4021 AC,Voorbeeldstraat 12,,\n")
    with PdokStub([MAURIK]) as stub:  # matches on street, number and woonplaats: 4021AB
        people, messages = _read(path, region, Geocoder(stub.url, tmp_path / "cache"))
    assert len(stub.queries) == 1
    assert people["P1"].precision == "postcode"
    assert any("another postcode area" in m for m in messages)


def test_given_coordinates_win_without_a_request(tmp_path: Path, region: Region) -> None:
    path = _csv(tmp_path, "P1,Zoë,Maurik,4021 AB,Voorbeeldstraat 12,51.95,5.43\n")
    with PdokStub([MAURIK]) as stub:
        people, _ = _read(path, region, Geocoder(stub.url, tmp_path / "cache"))
    assert (people["P1"].lat, people["P1"].lon, people["P1"].precision) == (51.95, 5.43, "address")
    assert stub.queries == []


def test_requests_are_rate_limited(tmp_path: Path) -> None:
    with PdokStub([MAURIK]) as stub:
        geocoder = Geocoder(stub.url, None, min_interval_s=0.15)
        for number in (1, 2, 3):
            geocoder.lookup(f"Voorbeeldstraat {number}, Maurik")
    gaps = [b - a for a, b in zip(stub.times, stub.times[1:], strict=False)]
    assert len(gaps) == 2 and min(gaps) >= 0.14


# --------------------------------------------------------------------------- failures


def test_timeout_warns_once_and_falls_back(tmp_path: Path, region: Region) -> None:
    rows = "".join(f"P{i},Naam,Maurik,4021 AB,Voorbeeldstraat {i},,\n" for i in range(1, 6))
    path = _csv(tmp_path, rows)
    with PdokStub([MAURIK], delay_s=3.0) as stub:
        started = time.monotonic()
        people, messages = _read(
            path, region, Geocoder(stub.url, tmp_path / "cache", timeout_s=0.3)
        )
        elapsed = time.monotonic() - started
    assert elapsed < 2.0  # one time-out, then offline for the other rows
    assert len(stub.queries) == 1
    geocoder_lines = [m for m in messages if "did not answer within 0.3 s" in m]
    assert len(geocoder_lines) == 1 and "\n" not in geocoder_lines[0]
    assert {p.precision for p in people.values()} == {"postcode"}
    assert not list((tmp_path / "cache").glob("*"))  # a failure is never cached


def test_unreachable_and_broken_services_fall_back(tmp_path: Path) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{s.getsockname()[1]}"
    with pytest.warns(GeocoderWarning, match="is not reachable"):
        assert Geocoder(closed, None, timeout_s=1).lookup("Voorbeeldstraat 12, Maurik") is None
    with PdokStub([], body=b"<html>maintenance</html>") as stub:
        geocoder = Geocoder(stub.url, None)
        with pytest.warns(GeocoderWarning, match="unexpected format"):
            assert geocoder.lookup("Voorbeeldstraat 12, Maurik") is None
        assert not geocoder.online


# --------------------------------------------------------------------------- offline


def test_offline_fallback_order(tmp_path: Path, region: Region) -> None:
    cache = tmp_path / "cache"
    with PdokStub([MAURIK]) as stub:  # fill the cache for P2's address
        Geocoder(stub.url, cache).lookup("Voorbeeldstraat 12, 4021 AB Maurik")
    path = _csv(
        tmp_path,
        "P1,Een,Maurik,4021 AB,Voorbeeldstraat 12,51.95,5.43\n"  # 1: row lat/lon
        "P2,Twee,Maurik,4021 AB,Voorbeeldstraat 12,,\n"  # 2: the cache
        "P3,Drie,Maurik,4021 AB,Andereweg 1,,\n"  # 3: PC4 point
        "P4,Vier,Maurik,,Andereweg 1,,\n"  # 4: village point
        "P5,Vijf,,4021,,,\n",
    )  # postcode only
    people, messages = _read(path, region, Geocoder(None, cache))
    maurik = region.find_village("Maurik")
    area = PostcodePoints(region.root / "postcodes.csv").point("4021")
    assert area is not None
    got = {pid: (p.lat, p.lon, p.precision) for pid, p in people.items()}
    assert got["P1"] == (51.95, 5.43, "address")
    assert haversine_m(*got["P2"][:2], MAURIK.lat, MAURIK.lon) < 1.0 and got["P2"][2] == "address"
    assert got["P3"] == (area.lat, area.lon, "postcode")
    assert got["P4"] == (maurik["lat"], maurik["lon"], "village")
    assert got["P5"] == (area.lat, area.lon, "postcode") and people["P5"].village == "Maurik"
    assert len(messages) == 1 and "rows 4, 5" in messages[0] and "geocoder is off" in messages[0]


def test_fleet_base_address(tmp_path: Path, region: Region) -> None:
    path = tmp_path / "f.csv"
    path.write_text(
        "id,kind,seats,standplaats,adres,postcode\n"
        "V1,volunteer_car,3,Maurik,Voorbeeldstraat 12,4021 AB\n"
        "V2,dorpsauto,4,Wamel,,\n",
        encoding="utf-8",
    )
    with PdokStub([MAURIK]) as stub:
        fleet = read_fleet(path, region=region, geocoder=Geocoder(stub.url, None))
    assert haversine_m(fleet[0].lat, fleet[0].lon, MAURIK.lat, MAURIK.lon) < 1.0
    assert (fleet[0].precision, fleet[0].address, fleet[0].postcode) == (
        "address",
        "Voorbeeldstraat 12",
        "4021 AB",
    )
    assert (fleet[1].precision, fleet[1].address) == ("village", None)


def _one_address_and_a_taxi(folder: Path) -> None:
    """Write ``p.csv`` (one participant with a street address in Maurik) and ``f.csv`` (a taxi)."""
    _csv(folder, "P1,Zoë,Maurik,4021 AB,Voorbeeldstraat 12,,\n")
    (folder / "f.csv").write_text("id,kind,seats,base_village\nV1,taxi,3,Tiel\n")


def _one_address_scenario(folder: Path) -> Path:
    """Write those two files and ``s.toml``, a Taalcafé that reads them; return its path."""
    _one_address_and_a_taxi(folder)
    toml = folder / "s.toml"
    toml.write_text(
        'participants = "p.csv"\nfleet = "f.csv"\n[event]\nname = "Taalcafé"\n'
        'date = 2026-12-10\nstart = "19:30"\nend = "21:30"\n',
        encoding="utf-8",
    )
    return toml


def _assert_geocoded_once_into(chosen: Path, default: Path, stub: PdokStub) -> None:
    """The stub answered one query, cached in ``chosen``; nothing went to ``default``."""
    assert len(stub.queries) == 1
    assert len(list((chosen / "geocode").iterdir())) == 1
    assert not (default / "geocode").exists()


def test_read_scenario_uses_the_settings(
    tmp_path: Path, region: Region, monkeypatch: pytest.MonkeyPatch
) -> None:
    toml = _one_address_scenario(tmp_path)
    monkeypatch.setattr(settings, "cache_dir", tmp_path / "cache")
    with PdokStub([MAURIK]) as stub:
        monkeypatch.setenv("PLANNER_GEOCODER_URL", stub.url)
        scenario = read_scenario(toml, region=region)
    person = scenario.participants[0]
    assert haversine_m(person.lat, person.lon, MAURIK.lat, MAURIK.lon) < 1.0
    assert len(list((tmp_path / "cache" / "geocode").iterdir())) == 1
    monkeypatch.setenv("PLANNER_GEOCODER_URL", "off")  # offline now: the cache answers
    assert read_scenario(toml, region=region).participants[0] == person


def test_plan_cache_dir_holds_the_geocoder_cache(
    tmp_path: Path, region: Region, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``planner plan --cache-dir`` puts geocoded addresses where it keeps networks and feeds."""
    from typer.testing import CliRunner

    import planner
    from planner.cli.main import app

    toml = _one_address_scenario(tmp_path)
    default, chosen = tmp_path / "default-cache", tmp_path / "chosen-cache"
    monkeypatch.setattr(settings, "cache_dir", default)
    args = ["plan", str(toml), "--out", str(tmp_path / "out"), "--cache-dir", str(chosen)]
    with PdokStub([MAURIK]) as stub:
        monkeypatch.setenv("PLANNER_GEOCODER_URL", stub.url)
        result = CliRunner().invoke(app, [*args, "--time-limit", "30"])
    assert result.exit_code == 0, result.output
    _assert_geocoded_once_into(chosen, default, stub)
    monkeypatch.setenv("PLANNER_GEOCODER_URL", "off")  # offline: only that folder's cache answers
    person = planner.load_scenario(toml, region=region, cache_dir=chosen).participants[0]
    assert person.precision == "address"
    assert haversine_m(person.lat, person.lon, MAURIK.lat, MAURIK.lon) < 1.0
    assert planner.load_scenario(toml, region=region).participants[0].precision == "postcode"


def test_event_ranking_geocodes_through_the_cache_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``planner event --cache-dir`` reads addresses through the same geocoder cache as a plan."""
    import planner

    _one_address_and_a_taxi(tmp_path)
    candidates = tmp_path / "candidates.toml"
    candidates.write_text(
        'participants = "p.csv"\nfleet = "f.csv"\n[[venues]]\nvenue = "Bibliotheek Tiel"\n'
        '[[slots]]\ndate = 2026-12-10\nstart = "19:30"\nend = "21:30"\n',
        encoding="utf-8",
    )
    default, chosen = tmp_path / "default-cache", tmp_path / "chosen-cache"
    monkeypatch.setattr(settings, "cache_dir", default)
    with PdokStub([MAURIK]) as stub:
        monkeypatch.setenv("PLANNER_GEOCODER_URL", stub.url)
        planner.rank_events(candidates, plan_top=0, cache_dir=chosen)
    _assert_geocoded_once_into(chosen, default, stub)


# --------------------------------------------------------------------------- input checks


def test_bad_postcode_names_row_and_column(tmp_path: Path, region: Region) -> None:
    path = _csv(tmp_path, "P1,Zoë,Maurik,40211,,,\n")
    with pytest.raises(
        ScenarioFileError,
        match=r"row 2, column 'postcode': '40211' is not a "
        r"Dutch postcode",
    ):
        read_participants(path, region=region)


def test_postcode_outside_the_pack(tmp_path: Path, region: Region) -> None:
    path = _csv(tmp_path, "P1,Zoë,Maurik,1011 AB,,,\nP2,Ali,,1011,,,\n")
    with pytest.raises(ScenarioFileError, match=r"row 3, column 'postcode': no location"):
        read_participants(path, region=region)
    path = _csv(tmp_path, "P1,Zoë,Maurik,1011 AB,,,\n")
    with pytest.warns(ScenarioWarning, match="not in the data pack"):
        (person,) = read_participants(path, region=region)
    assert person.precision == "village"


def test_postcode_and_url_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    assert normalise_postcode(" 4001jr ") == "4001 JR"
    assert normalise_postcode("4001") == "4001"
    for bad in ("0401 AB", "401 AB", "4001 A", "4001-AB"):
        with pytest.raises(ValueError):
            normalise_postcode(bad)
    monkeypatch.delenv("PLANNER_GEOCODER_URL")
    assert geocoder_url() == DEFAULT_URL
    monkeypatch.setenv("PLANNER_GEOCODER_URL", "OFF")
    assert geocoder_url() is None
    monkeypatch.setenv("PLANNER_GEOCODER_URL", "http://localhost:1/api/")
    assert geocoder_url() == "http://localhost:1/api"


def test_postcode_points_are_sourced_and_in_the_region(region: Region) -> None:
    points = PostcodePoints(region.root / "postcodes.csv")
    assert len(points) >= 90
    text = (region.root / "postcodes.csv").read_text(encoding="utf-8")
    for line in text.splitlines()[1:]:
        pc4, woonplaats, _municipality, lat, lon, source = line.split(",", 5)
        assert region.contains(float(lat), float(lon)), pc4
        assert source.strip('"').startswith(
            ("4pp postcode point", "centroid of the PC4", "point inside the PC4")
        )
        region.find_village(woonplaats)  # every area belongs to a village of the pack
