"""No plan leaves out someone whom a vehicle that carries nobody could serve on its own."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.limits import PlanOptions
from planner.model.generate import generate_scenario
from planner.model.plan_check import check_plan
from planner.network import ApproximateNetwork
from planner.region import load_region
from planner.solve.planning import plan_event

REGION = load_region()
NETWORK = ApproximateNetwork(REGION)
OPTIONS = PlanOptions(seed=0, time_limit_s=30)


def _idle_vehicles(plan, scenario):
    busy = {v.id for v in plan.vehicles if any(s.pickup for t in v.trips for s in t.stops)}
    return tuple(v for v in scenario.fleet if v.id not in busy)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), people=st.integers(4, 9), vehicles=st.integers(1, 3))
def test_no_unserved_participant_an_idle_vehicle_alone_could_serve(seed, people, vehicles) -> None:
    scenario = generate_scenario(people, vehicles, seed=seed, region=REGION)
    plan = plan_event(scenario, REGION, NETWORK, OPTIONS, None)
    idle = _idle_vehicles(plan, scenario)
    assert [p.id for p in plan.participants] == [p.id for p in scenario.participants]
    assert check_plan(plan.to_dict()) == []
    for entry in plan.participants:
        if entry.served or not idle:
            continue
        person = next(p for p in scenario.participants if p.id == entry.id)
        alone = replace(scenario, participants=(replace(person, travels_with=None),), fleet=idle)
        again = plan_event(alone, REGION, NETWORK, OPTIONS, None)
        assert not again.participants[0].served, (entry.id, entry.reason)
