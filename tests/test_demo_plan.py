"""The demo plan, made by the real planner, keeps the plan.json v2 contract and the rules."""

from __future__ import annotations

from pathlib import Path

import pytest

import planner
from planner.model.plan_check import check_plan

DEMO = Path(__file__).resolve().parents[1] / "data" / "scenarios" / "taalcafe-tiel" / "scenario.toml"


@pytest.fixture(scope="module")
def demo_plan() -> planner.Plan:
    scenario = planner.load_scenario(DEMO)
    return planner.plan(scenario, options=planner.PlanOptions(seed=0, time_limit_s=8))


def test_demo_plan_passes_the_schema_and_follow_on_rules(demo_plan) -> None:
    assert check_plan(demo_plan.to_dict()) == []


def test_every_participant_once_and_unserved_with_a_coded_reason(demo_plan) -> None:
    scenario = demo_plan.scenario
    assert [p.id for p in demo_plan.participants] == [p.id for p in scenario.participants]
    for p in demo_plan.participants:
        assert p.served or (p.reason is not None and p.reason.text)


def test_demo_outputs_and_plan_json_round_trip(demo_plan, tmp_path) -> None:
    files = planner.write_outputs(demo_plan, tmp_path / "out")
    again = planner.Plan.from_json(files["plan"][0])
    assert again == demo_plan
