"""The approximate network's detour factors are the medians measured on the real Dutch data."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from benchmarks.detour_factors import measure
from planner import settings


def test_settings_are_the_measured_medians_and_the_ranges_are_as_documented(
    shared_dir: Path,
) -> None:
    samples = measure(shared_dir / "osm")
    for mode, pairs in samples.items():
        assert (
            round(float(np.median([ratio for ratio, _ in pairs])), 2)
            == settings.detour_factors[mode]
        ), mode
    assert settings.detour_factors["ebike"] == settings.detour_factors["bike"]
    km = {mode: np.array([metres for _, metres in pairs]) / 1000 for mode, pairs in samples.items()}
    # What the README says: car pairs 2.1-12.2 km apart; bike and walk pairs under 1.2 km, so
    # neither factor is measured at the 2-25 km of a trip to Tiel by bike.
    assert 2.0 <= km["car"].min() and km["car"].max() < 12.5
    assert km["bike"].max() < 1.2 and km["walk"].max() < 1.2
