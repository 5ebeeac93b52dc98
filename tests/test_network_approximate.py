"""The approximate river-aware network: rivers are crossed only over bridges and running ferries."""

from __future__ import annotations

from datetime import datetime
from itertools import pairwise

import numpy as np
import pytest

from planner import settings
from planner.network import ApproximateNetwork
from planner.network.geo import haversine_m

JUNE_AFTERNOON = datetime(2026, 6, 20, 14, 0)
DECEMBER_AFTERNOON = datetime(2026, 12, 10, 14, 0)


@pytest.fixture(scope="module")
def net(region) -> ApproximateNetwork:
    return ApproximateNetwork(region)


def point(region, name: str) -> tuple[float, float]:
    v = region.find_village(name)
    return float(v["lat"]), float(v["lon"])


def test_wamel_to_tiel_by_car_uses_a_bridge(region, net) -> None:
    wamel, tiel = point(region, "Wamel"), point(region, "Tiel")
    used = net.crossings_used(wamel, tiel, "car", when=DECEMBER_AFTERNOON)
    assert len(used) == 1 and used[0].kind == "bridge"
    assert used[0].carries("car")
    straight = float(haversine_m(*wamel, *tiel))
    by_car = net.matrix([wamel, tiel], "car", metric="distance", when=DECEMBER_AFTERNOON)[0, 1]
    assert by_car > straight * settings.detour_factors["car"]


def test_summer_ferry_for_bikes_in_june_bridge_in_december(region, net) -> None:
    varik, heerewaarden = point(region, "Varik"), point(region, "Heerewaarden")
    june = net.crossings_used(heerewaarden, varik, "bike", when=JUNE_AFTERNOON)
    december = net.crossings_used(heerewaarden, varik, "bike", when=DECEMBER_AFTERNOON)
    assert [c.kind for c in june] == ["ferry"]
    assert june[0].season is not None and not june[0].is_open(DECEMBER_AFTERNOON)
    assert [c.kind for c in december] == ["bridge"]
    t_june = net.matrix([heerewaarden, varik], "bike", when=JUNE_AFTERNOON)[0, 1]
    t_dec = net.matrix([heerewaarden, varik], "bike", when=DECEMBER_AFTERNOON)[0, 1]
    assert t_dec > t_june


def test_no_route_crosses_a_river_without_a_crossing(region, net) -> None:
    """Every leg of every path stays on one bank, except legs that are a running crossing."""
    rng = np.random.default_rng(3)
    villages = region.villages.sample(25, random_state=1)
    pts = list(zip(villages["lat"], villages["lon"]))
    for when in (JUNE_AFTERNOON, DECEMBER_AFTERNOON, datetime(2026, 12, 10, 22, 30)):
        for mode in ("car", "bike", "walk"):
            open_legs = {
                frozenset([c.a, c.b])
                for c in region.crossings
                if c.carries(mode) and c.is_open(when)
            }
            for i, j in rng.integers(0, len(pts), size=(20, 2)):
                line = net.path(pts[i], pts[j], mode, when=when)
                for a, b in pairwise(line):
                    if region.bank_of(*a) != region.bank_of(*b):
                        assert frozenset([a, b]) in open_legs, (mode, when, a, b)


def test_same_bank_is_detour_scaled_straight_line(region, net) -> None:
    tiel, zoelen = point(region, "Tiel"), point(region, "Zoelen")
    d = net.matrix([tiel, zoelen], "walk", metric="distance")[0, 1]
    assert d == pytest.approx(float(haversine_m(*tiel, *zoelen)) * settings.detour_factors["walk"])
    t = net.matrix([tiel, zoelen], "walk")[0, 1]
    assert t == pytest.approx(d / (settings.speeds_kph["walk"] / 3.6))


def test_matrix_is_square_with_zero_diagonal_and_description(region, net) -> None:
    pts = list(zip(region.villages["lat"][:30], region.villages["lon"][:30]))
    m = net.matrix(pts, "car")
    assert m.shape == (30, 30)
    assert np.all(np.diag(m) == 0)
    assert np.all(np.isfinite(m))
    assert "approximate" in net.description
