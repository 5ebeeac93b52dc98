"""The demo plan, made by the real planner, keeps the plan.json v2 contract and the rules."""

from __future__ import annotations

import planner
from planner.model.plan_check import check_plan
from tests.ride_rules import assert_ride_rules


def test_demo_plan_passes_the_schema_and_follow_on_rules(demo_run) -> None:
    assert check_plan(demo_run.plan.to_dict()) == []


def test_every_participant_once_and_unserved_with_a_coded_reason(demo_run) -> None:
    scenario = demo_run.scenario
    assert [p.id for p in demo_run.plan.participants] == [p.id for p in scenario.participants]
    for p in demo_run.plan.participants:
        assert p.served or (p.reason is not None and p.reason.text)


def test_demo_rides_keep_the_comfort_rules_and_the_summary_reports_them(demo_run) -> None:
    legs = assert_ride_rules(demo_run.plan, demo_run.network, demo_run.scenario, demo_run.options)
    assert len(legs) >= 20  # the demo is mostly rides: the rules were really checked


def test_demo_outputs_and_plan_json_round_trip(demo_run, tmp_path) -> None:
    files = planner.write_outputs(demo_run.plan, tmp_path / "out")
    again = planner.Plan.from_json(files["plan"][0])
    assert again == demo_run.plan
