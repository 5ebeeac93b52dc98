"""Journeys checked by hand against the feed files, and the door-to-door helpers.

Every expected time below was read from the quoted lines of the feed's text files.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import numpy as np
import pytest

from planner.network.geo import haversine_m
from planner.transit import (
    Feed,
    Journey,
    RoundTrip,
    Timetable,
    TransitLeg,
    TransitLimits,
    arrive_by,
    depart_at,
    example_feed_path,
    format_time,
    read_feed,
    round_trip,
    stops_in_reach,
    to_seconds,
)

DATA = Path(__file__).parent / "data" / "transit"


def t(text: str) -> int:
    return to_seconds(text)


@pytest.fixture(scope="module")
def caltrain_tuesday(shared_dir: Path) -> Timetable:
    return Timetable.for_date(
        read_feed(shared_dir / "gtfs" / "caltrain_gtfs.zip"), dt.date(2010, 3, 2)
    )


@pytest.fixture(scope="module")
def vvs_tuesday(shared_dir: Path) -> Timetable:
    # 2020-03-10: T0#25 and T0+s (Mon-Fri), T0+te#17 (Mon-Thu) run; T0+f is removed
    # ("T0+f,20200310,2" in calendar_dates.txt).
    return Timetable.for_date(
        read_feed(shared_dir / "gtfs" / "vvs-bus-751-only.gtfs.zip"), dt.date(2020, 3, 10)
    )


@pytest.fixture(scope="module")
def sample_tuesday(shared_dir: Path) -> Timetable:
    return Timetable.for_date(read_feed(shared_dir / "gtfs" / "sample-feed"), dt.date(2007, 6, 5))


@pytest.fixture(scope="module")
def example() -> Feed:
    return read_feed(example_feed_path())


@pytest.fixture(scope="module")
def example_tuesday(example: Feed) -> Timetable:
    return Timetable.for_date(example, dt.date(2026, 3, 10))


def only_ride(journey: Journey | None) -> TransitLeg:
    assert journey is not None
    assert len(journey.legs) == 1 and journey.legs[0].mode == "transit"
    return journey.legs[0]


def stops_and_times(journey: Journey) -> list[tuple]:
    """(mode, from stop, to stop, departure, arrival) of each leg."""
    return [
        (leg.mode, leg.from_stop, leg.to_stop, leg.departure, leg.arrival) for leg in journey.legs
    ]


# --- Caltrain ------------------------------------------------------------------------------


def test_caltrain_depart_at(caltrain_tuesday: Timetable) -> None:
    # Northbound from Palo Alto after 08:00 (trips.txt: 323 bullet and 225 limited run
    # "San Jose to San Francisco"; 216 at 8:01 runs "San Francisco to San Jose"):
    #   32320090831,8:05:00,8:05:00,Palo Alto Caltrain,3 / 32320090831,8:42:00,...,San Francisco
    #   22520090831,8:16:00,8:16:00,Palo Alto Caltrain,5 / 22520090831,8:57:00,...,San Francisco
    ride = only_ride(
        depart_at(
            caltrain_tuesday, {"Palo Alto Caltrain": 0}, {"San Francisco Caltrain": 0}, t("08:00")
        )
    )
    assert (ride.trip, ride.route) == ("32320090831", "ct_bullet")
    assert (ride.departure, ride.arrival) == (t("08:05"), t("08:42"))


def test_caltrain_arrive_by(caltrain_tuesday: Timetable) -> None:
    # Latest train reaching San Francisco by 09:00: 225 (8:16 -> 8:57); the next, 329 at 8:23,
    # arrives 9:02 ("32920090831,9:02:00,9:02:00,San Francisco Caltrain,8") and 227 leaves
    # Palo Alto 8:36 but arrives 9:19.
    ride = only_ride(
        arrive_by(
            caltrain_tuesday, {"Palo Alto Caltrain": 0}, {"San Francisco Caltrain": 0}, t("09:00")
        )
    )
    assert (ride.trip, ride.departure, ride.arrival) == ("22520090831", t("08:16"), t("08:57"))


def test_caltrain_thanksgiving_runs_the_sunday_timetable(shared_dir: Path) -> None:
    feed = read_feed(shared_dir / "gtfs" / "caltrain_gtfs.zip")
    holiday = Timetable.for_date(feed, dt.date(2009, 11, 26))
    # Sunday trip 423: "42320090831,8:31:00,...,Palo Alto Caltrain,8" and
    # "42320090831,9:36:00,...,San Francisco Caltrain,24"; the bullet 323 does not run.
    ride = only_ride(
        depart_at(holiday, {"Palo Alto Caltrain": 0}, {"San Francisco Caltrain": 0}, t("08:00"))
    )
    assert (ride.trip, ride.departure, ride.arrival) == ("42320090831", t("08:31"), t("09:36"))


def test_caltrain_night_train_past_midnight(shared_dir: Path, caltrain_tuesday: Timetable) -> None:
    # "19820090831,24:01:00,...,San Francisco Caltrain,1" ... "19820090831,24:57:00,...,Palo Alto"
    ride = only_ride(
        depart_at(
            caltrain_tuesday, {"San Francisco Caltrain": 0}, {"Palo Alto Caltrain": 0}, t("23:50")
        )
    )
    assert (ride.trip, format_time(ride.departure), format_time(ride.arrival)) == (
        "19820090831",
        "24:01:00",
        "24:57:00",
    )
    # The same run seen from Wednesday: San Mateo 24:32 = 00:32, Palo Alto 24:57 = 00:57.
    wednesday = Timetable.for_date(
        read_feed(shared_dir / "gtfs" / "caltrain_gtfs.zip"), dt.date(2010, 3, 3)
    )
    ride = only_ride(
        depart_at(wednesday, {"San Mateo Caltrain": 0}, {"Palo Alto Caltrain": 0}, t("00:30"))
    )
    assert (ride.trip, ride.departure, ride.arrival) == ("19820090831", t("00:32"), t("00:57"))


# --- VVS bus 751/752 ------------------------------------------------------------------------

IM_LETTEN, BAHNHOF = "de:08115:3238:0:3", "de:08115:4193:2:3"


def test_vvs_depart_at_and_arrive_by(vvs_tuesday: Timetable) -> None:
    # "85.T0.31-752-j20-1.5.H,de:08115:3238:0:3,07:16:00,07:16:00,4" and
    # "85.T0.31-752-j20-1.5.H,de:08115:4193:2:3,07:35:00,07:38:00,12" (service T0#25); the runs
    # before and after pass Im Letten at 06:46 (57, T0+s) and 07:46 (59, arriving 08:05).
    for journey in (
        depart_at(vvs_tuesday, {IM_LETTEN: 0}, {BAHNHOF: 0}, t("07:00")),
        arrive_by(vvs_tuesday, {IM_LETTEN: 0}, {BAHNHOF: 0}, t("08:00")),
    ):
        ride = only_ride(journey)
        assert (ride.trip, ride.departure, ride.arrival) == (
            "85.T0.31-752-j20-1.5.H",
            t("07:16"),
            t("07:35"),
        )


def test_vvs_no_boarding_where_pickup_type_is_1(vvs_tuesday: Timetable) -> None:
    # "55.T0.31-752-j20-1.7.H,de:08115:3126:0:3,06:16:00,06:16:00,13"
    # "55.T0.31-752-j20-1.7.H,de:08115:7100:10:13,06:20:00,06:20:00,14,1"   <- pickup_type 1
    # "55.T0.31-752-j20-1.7.H,de:08115:2234:0:3,06:28:00,06:28:00,19"
    zob, parkstrasse, hst_i = "de:08115:7100:10:13", "de:08115:3126:0:3", "de:08115:2234:0:3"
    ride = only_ride(depart_at(vvs_tuesday, {parkstrasse: 0}, {hst_i: 0}, t("06:00")))
    assert (ride.trip, ride.departure, ride.arrival) == (
        "55.T0.31-752-j20-1.7.H",
        t("06:16"),
        t("06:28"),
    )
    # Trips 54, 55 and 67 are the only ones serving Hst. I, and all three have pickup_type 1 at
    # the ZOB (grep de:08115:2234:0:3 / de:08115:7100:10:13 in stop_times.txt).
    assert depart_at(vvs_tuesday, {zob: 0}, {hst_i: 0}, t("06:17")) is None


# --- GTFS sample feed -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("origin", "destination", "leave", "legs"),
    [
        # frequencies.txt "STBA,6:00:00,22:00:00,1800"; stop_times.txt "STBA,0:20:00,0:30:00,
        # BEATTY_AIRPORT,2": the 07:30 run reaches the airport at 07:50. transfers.txt
        # "BEATTY_AIRPORT,BEATTY_AIRPORT,,AB,2,0" beats the airport's 660 s, so AB1
        # ("AB1,8:00:00,8:00:00,BEATTY_AIRPORT,1" -> "AB1,8:10:00,8:15:00,BULLFROG,2") is reached.
        pytest.param(
            "STAGECOACH",
            "BULLFROG",
            "07:30",
            [("STBA", "07:30", "07:50"), ("AB1", "08:00", "08:10")],
            id="to_route_ab_takes_no_time",
        ),
        # "AB2,12:05:00,...,BULLFROG,1" -> "AB2,12:15:00,...,BEATTY_AIRPORT,2"; from route AB the
        # airport needs 1200 s ("BEATTY_AIRPORT,BEATTY_AIRPORT,AB,,2,1200"), so 12:35: the STBA run
        # of 12:00 (airport 12:30) is missed, the 12:30 run leaves the airport at 13:00 and reaches
        # STAGECOACH at 13:20 ("STBA,0:50:00,1:00:00,STAGECOACH,3"). With 660 s it would be 12:50.
        pytest.param(
            "BULLFROG",
            "STAGECOACH",
            "12:00",
            [("AB2", "12:05", "12:15"), ("STBA", "13:00", "13:20")],
            id="from_route_ab_takes_20_minutes",
        ),
    ],
)
def test_sample_transfer_time(
    sample_tuesday: Timetable,
    origin: str,
    destination: str,
    leave: str,
    legs: list[tuple[str, str, str]],
) -> None:
    journey = depart_at(sample_tuesday, {origin: 0}, {destination: 0}, t(leave))
    assert journey is not None
    assert [(leg.trip, leg.departure, leg.arrival) for leg in journey.legs] == [
        (trip, t(departure), t(arrival)) for trip, departure, arrival in legs
    ]


def test_sample_tie_rule_prefers_the_latest_departure(sample_tuesday: Timetable) -> None:
    # To FUR_CREEK_RES, leaving at 07:00 or 07:30 gives the same earliest arrival 09:20:
    # STBA -> AB1 (08:00, 0 min change to route AB) -> BULLFROG 08:10 -> BFC1
    # ("BFC1,8:20:00,...,BULLFROG,1" -> "BFC1,9:20:00,...,FUR_CREEK_RES,2"). ABBFC1 (08:00 ->
    # 09:30) is later. The tie rule returns the later start, 07:30.
    journey = depart_at(sample_tuesday, {"STAGECOACH": 0}, {"FUR_CREEK_RES": 0}, t("07:00"))
    assert journey is not None
    assert (journey.departure, journey.arrival, journey.transfers) == (t("07:30"), t("09:20"), 2)


# --- example feed ----------------------------------------------------------------------------


def test_example_feed_train_and_night_train(example_tuesday: Timetable) -> None:
    # frequencies.txt "sprinter-tl-ut-heen,06:08:00,23:39:00,1800,1"; 37 min Tiel -> Utrecht.
    ride = only_ride(depart_at(example_tuesday, {"TL": 0}, {"UT": 0}, t("12:00")))
    assert (ride.departure, ride.arrival) == (t("12:08"), t("12:45"))
    # stop_times.txt "sprinter-ut-tl-nacht,24:04:00,24:04:00,UT,1" ... "24:41:00,...,TL,7"
    ride = only_ride(depart_at(example_tuesday, {"UT": 0}, {"TL": 0}, t("23:50")))
    assert (ride.trip, format_time(ride.departure), format_time(ride.arrival)) == (
        "sprinter-ut-tl-nacht",
        "24:04:00",
        "24:41:00",
    )


def test_example_feed_walks_between_station_and_bus_stop(example_tuesday: Timetable) -> None:
    # V1 "bus-v1-terug" leaves Maurik at 17:34 and reaches bus-tl at 17:52; transfers.txt
    # "bus-tl,TL,2,180" -> train at TL from 17:55: the 18:08 Sprinter (37 min) -> UT 18:45.
    journey = arrive_by(example_tuesday, {"bus-maurik": 0}, {"UT": 0}, t("19:30"))
    assert journey is not None and journey.example
    assert stops_and_times(journey) == [
        ("transit", "bus-maurik", "bus-tl", t("17:34"), t("17:52")),
        ("walk", "bus-tl", "TL", t("17:52"), t("17:55")),
        ("transit", "TL", "UT", t("18:08"), t("18:45")),
    ]


def test_no_walking_between_stops_without_transfers_txt(example_tuesday: Timetable) -> None:
    # Tiel Passewaaij station and the Kapel-Avezaath bus stop are 1.4 km apart but transfers.txt
    # does not link them, so the journey rides to Geldermalsen: "sprinter-tl-ut-heen" (runs from
    # TL 06:08 + k * 30 min) passes TPSW at +3 min and GDM at +10 min; "GDM,bus-gdm,2,180"; V7
    # "bus-v7-terug" leaves bus-gdm at 06:30 + k * 60 min and reaches Kapel-Avezaath 19 min
    # later (stop_times.txt: 06:30 bus-gdm, 06:49 bus-kapel-avezaath). Riding into Tiel instead
    # (TPSW 08:08 -> TL 08:11, V7 "bus-v7-heen" from bus-tl 09:10) arrives only at 09:18.
    journey = depart_at(example_tuesday, {"TPSW": 0}, {"bus-kapel-avezaath": 0}, t("08:00"))
    assert journey is not None
    assert stops_and_times(journey) == [
        ("transit", "TPSW", "GDM", t("08:11"), t("08:18")),
        ("walk", "GDM", "bus-gdm", t("08:18"), t("08:21")),
        ("transit", "bus-gdm", "bus-kapel-avezaath", t("08:30"), t("08:49")),
    ]


def test_minimum_change_time_at_the_same_stop(tmp_path: Path) -> None:
    # The tiny test feed with T2 leaving from T1's stop: T1 "T1,08:20:00,08:20:00,S1,2" and
    # T2 "T2,08:25:00,08:25:00,S1,1" -> "T2,08:45:00,08:45:00,B,2".
    folder = tmp_path / "tiny"
    shutil.copytree(DATA / "valid", folder)
    stop_times = (
        (folder / "stop_times.txt")
        .read_text()
        .replace("T2,08:25:00,08:25:00,S2", "T2,08:25:00,08:25:00,S1")
    )
    (folder / "stop_times.txt").write_text(stop_times)
    day = dt.date(2026, 3, 10)
    free = Timetable.for_date(read_feed(folder), day)
    journey = depart_at(free, {"A": 0}, {"B": 0}, t("07:30"))
    assert journey is not None and journey.arrival == t("08:45")  # 0 min change by default
    (folder / "transfers.txt").write_text(
        "from_stop_id,to_stop_id,transfer_type,min_transfer_time\nS1,S1,2,600\n"
    )
    ten_minutes = Timetable.for_date(read_feed(folder), day)
    assert depart_at(ten_minutes, {"A": 0}, {"B": 0}, t("07:30")) is None
    assert arrive_by(ten_minutes, {"A": 0}, {"B": 0}, t("09:00")) is None


# --- journeys as data ------------------------------------------------------------------------


def test_journey_dict_round_trip_and_contract(example_tuesday: Timetable) -> None:
    journey = arrive_by(example_tuesday, {"bus-maurik": 0}, {"UT": 0}, t("19:30"))
    assert journey is not None
    data = journey.to_dict()
    assert list(data) == ["departure", "arrival", "legs", "note"]
    assert data["note"] == "example timetable, not the official timetable"
    assert list(data["legs"][0]) == ["route", "trip", "from", "to", "departure", "arrival"]
    assert data["legs"][1]["mode"] == "walk" and data["legs"][1]["route"] is None
    assert Journey.from_dict(data) == journey


def test_same_query_same_answer(caltrain_tuesday: Timetable) -> None:
    query = (
        {"Palo Alto Caltrain": 0, "Menlo Park Caltrain": 120},
        {"San Francisco Caltrain": 0, "22nd Street Caltrain": 300},
        t("07:10"),
    )
    assert depart_at(caltrain_tuesday, *query) == depart_at(caltrain_tuesday, *query)


def test_access_and_egress_times_shift_the_journey(caltrain_tuesday: Timetable) -> None:
    # With 10 min to reach Palo Alto and 5 min from San Francisco, 08:05 -> 08:42 (trip 323)
    # becomes a 07:55 -> 08:47 door-to-door journey.
    journey = arrive_by(
        caltrain_tuesday,
        {"Palo Alto Caltrain": 600},
        {"San Francisco Caltrain": 300},
        t("08:50"),
        from_label="home",
        to_label="venue",
    )
    assert journey is not None
    assert (journey.departure, journey.arrival) == (t("07:55"), t("08:47"))
    assert [leg.mode for leg in journey.legs] == ["walk", "transit", "walk"]
    assert (journey.legs[0].from_stop, journey.legs[-1].to_stop) == ("home", "venue")


# --- door to door ----------------------------------------------------------------------------

TIEL_VENUE = (51.88680, 5.42620)  # data/rivierenland/venues.csv, the default venue
MAURIK = (51.96083, 5.42222)  # data/rivierenland/villages.csv


def test_distance_is_haversine_metres() -> None:
    # One degree of latitude is about 111.2 km on the 6371 km mean-radius sphere.
    assert haversine_m(51.0, 5.0, np.array([52.0]), np.array([5.0]))[0] == pytest.approx(
        111_195, rel=1e-4
    )


def test_stops_in_reach_by_straight_line(example_tuesday: Timetable) -> None:
    limits = TransitLimits(walk_speed_m_s=1.25, walk_detour=1.3, bike_detour=1.25)
    reach = stops_in_reach(example_tuesday, MAURIK, 300, limits=limits)
    assert list(reach) == ["bus-maurik"] and reach["bus-maurik"] < 1
    bike = stops_in_reach(example_tuesday, MAURIK, 1800, mode="bike", limits=limits)
    stop = example_tuesday.stop_index["bus-zoelen"]
    metres = haversine_m(
        *MAURIK, example_tuesday.stop_lat[[stop]], example_tuesday.stop_lon[[stop]]
    )
    assert bike["bus-zoelen"] == pytest.approx(metres[0] * 1.25 / (15 / 3.6))


def test_stops_in_reach_with_real_travel_times(example_tuesday: Timetable) -> None:
    def ten_minutes_everywhere(point, stops, mode):
        assert mode == "walk" and point == MAURIK
        return np.full(len(stops), 600.0)

    reach = stops_in_reach(example_tuesday, MAURIK, 600, travel_times=ten_minutes_everywhere)
    assert len(reach) == len(example_tuesday.served_stops())
    assert stops_in_reach(example_tuesday, MAURIK, 599, travel_times=ten_minutes_everywhere) == {}


def test_round_trip_the_last_bus_home_leaves_early(example_tuesday: Timetable) -> None:
    trip = round_trip(
        example_tuesday, MAURIK, TIEL_VENUE, arrive_by_s=t("19:30"), return_after_s=t("21:30")
    )
    # Outbound: the last V1 into Tiel ("bus-v1-terug" from 18:05 at Kesteren, Maurik 18:34,
    # bus-tl 18:52), then a walk to the venue.
    assert trip.outbound is not None
    assert [leg.mode for leg in trip.outbound.legs] == ["walk", "transit", "walk"]
    assert trip.outbound.legs[1].departure == t("18:34")
    assert trip.outbound.arrival <= t("19:30")
    # No bus home after 21:30: the last V1 leaves Tiel at 18:40 ("bus-v1-heen,06:40:00,18:41:00").
    assert trip.return_ is None
    assert trip.last_home is not None and trip.last_home.legs[1].departure == t("18:40")
    assert RoundTrip.from_dict(trip.to_dict()) == trip


def test_round_trip_by_train_gets_home(example_tuesday: Timetable) -> None:
    kesteren_station = (51.93139, 5.58335)  # data/rivierenland/stations.csv
    trip = round_trip(
        example_tuesday,
        kesteren_station,
        TIEL_VENUE,
        arrive_by_s=t("19:30"),
        return_after_s=t("21:30"),
    )
    assert trip.return_ is not None and trip.return_.departure >= t("21:30")
    assert any(leg.route == "trein-tl-ah" for leg in trip.return_.legs)


def test_limits_are_checked() -> None:
    with pytest.raises(ValueError, match="home_mode"):
        TransitLimits(home_mode="car")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="bike_detour"):
        TransitLimits(bike_detour=0.9)
    assert TransitLimits.from_dict(TransitLimits(max_home_s=600).to_dict()) == TransitLimits(
        max_home_s=600
    )
