"""Fixtures of the output tests: a hand-built plan, its outputs, and headless Chromium."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from chromium import Chromium, chromium_binary
from fixture_plan import make_plan, via

from planner.model.plan import Plan
from planner.model.read import read_scenario
from planner.model.scenario import Scenario
from planner.region import Region


@pytest.fixture(scope="session")
def scenario() -> Scenario:
    """The demo scenario (data/scenarios/taalcafe-tiel)."""
    root = Path(__file__).resolve().parents[2]
    return read_scenario(root / "data" / "scenarios" / "taalcafe-tiel" / "scenario.toml")


@pytest.fixture(scope="session")
def plan(scenario: Scenario) -> Plan:
    return make_plan(scenario)


@pytest.fixture(scope="session")
def approximate_plan(scenario: Scenario) -> Plan:
    return make_plan(scenario, "approximate")


@pytest.fixture(scope="session")
def cyclist_paths(scenario: Scenario, plan: Plan) -> dict[str, list[tuple[float, float]]]:
    homes = {p.id: (p.lat, p.lon) for p in scenario.participants}
    venue = (scenario.event.lat, scenario.event.lon)
    return {
        p.id: list(via(homes[p.id], venue)) for p in plan.participants if p.mode in ("bike", "walk")
    }


@pytest.fixture(scope="session")
def outputs(
    tmp_path_factory: pytest.TempPathFactory,
    plan: Plan,
    scenario: Scenario,
    region: Region,
    cyclist_paths,
) -> tuple[Path, dict[str, list[Path]]]:
    """All outputs of the plan, written once for the session."""
    from planner.output import write_outputs

    out = tmp_path_factory.mktemp("plan-out")
    return out, write_outputs(plan, scenario, region, out, paths=cyclist_paths)


@pytest.fixture(scope="session")
def approximate_outputs(
    tmp_path_factory: pytest.TempPathFactory, approximate_plan: Plan, scenario: Scenario
) -> tuple[Path, dict[str, list[Path]]]:
    """All outputs of the approximate plan, in English, without a data pack."""
    from planner.output import write_outputs

    out = tmp_path_factory.mktemp("plan-approx")
    return out, write_outputs(approximate_plan, scenario, None, out, lang="en")


@pytest.fixture(scope="session")
def chromium() -> str:
    """Path of Debian's chromium. Skipped when absent locally; a failure when CI=true."""
    binary = chromium_binary()
    if binary is None:
        message = "chromium is not installed (apt-get install -y chromium)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return binary


@pytest.fixture(scope="session")
def artifacts_dir(repo_dir: Path) -> Path:
    path = repo_dir / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path


@pytest.fixture(scope="session")
def browser(chromium: str, tmp_path_factory: pytest.TempPathFactory) -> Chromium:
    return Chromium(chromium, tmp_path_factory.mktemp("chromium"))
