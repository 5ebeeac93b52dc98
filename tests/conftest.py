"""Shared fixtures. Real reference data lives in ../shared beside the repository (never copied)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from planner import Plan, PlanOptions, Scenario
    from planner.network import ApproximateNetwork, Network
    from planner.region import Region

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DEMO = REPO / "data" / "scenarios" / "taalcafe-tiel" / "scenario.toml"

# No test may reach the real PDOK geocoder: tests that geocode start tests/pdok_stub.py.
os.environ.setdefault("PLANNER_GEOCODER_URL", "off")


@pytest.fixture(scope="session")
def repo_dir() -> Path:
    return REPO


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.fail(f"../shared is missing: expected it at {SHARED}")
    return SHARED


@pytest.fixture(scope="session")
def region() -> Region:
    """The embedded Rivierenland data pack, read once for the session."""
    from planner.region import load_region

    return load_region()


@pytest.fixture(scope="session")
def network(region: Region) -> ApproximateNetwork:
    """The straight-line network of the region (no OSM graph needed)."""
    from planner.network import ApproximateNetwork

    return ApproximateNetwork(region)


@dataclass(frozen=True)
class DemoRun:
    """The demo scenario planned by the real planner, with what it was planned with."""

    region: Region
    network: Network
    scenario: Scenario
    options: PlanOptions
    plan: Plan


@pytest.fixture(scope="session")
def demo_run() -> DemoRun:
    """The demo (data/scenarios/taalcafe-tiel, seed 0, 8 s), planned once for the session."""
    import planner

    region = planner.load_region()
    network = planner.load_network(region)
    scenario = planner.load_scenario(DEMO, region=region)
    options = planner.PlanOptions(seed=0, time_limit_s=30)
    timetable = planner.load_timetable(scenario.event.date)
    made = planner.plan(
        scenario, region=region, network=network, timetable=timetable, options=options
    )
    return DemoRun(region, network, scenario, options, made)
