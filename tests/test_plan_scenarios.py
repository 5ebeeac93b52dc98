"""Every scenario file of the repository that plans keeps the plan.json contract.

Each ``*.toml`` under ``data/scenarios`` and ``tests/data/scenarios`` is read; the ones the reader
refuses are the bad-input examples (``test_bad_inputs.py`` checks their one-line errors). Every
other one is planned with a short time limit and its plan checked against
``docs/plan.schema.json`` and the follow-on rules. The demo is planned once for the session.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import planner
from planner.errors import PlannerError
from planner.model.plan_check import check_plan
from tests.conftest import DEMO, REPO

FOLDERS = (REPO / "data" / "scenarios", REPO / "tests" / "data" / "scenarios")


def _is_scenario(path: Path) -> bool:
    # A candidates file for `planner event` lists venues and slots instead of one [event].
    return "[[venues]]" not in path.read_text(encoding="utf-8", errors="replace")


SCENARIOS = sorted(p for folder in FOLDERS for p in folder.rglob("*.toml") if _is_scenario(p))


def test_the_scenario_folders_hold_the_examples() -> None:
    examples = [p.parent.name for p in SCENARIOS if p.name == "scenario.toml"]
    assert {"taalcafe-tiel", "spreekuur-tiel"} <= set(examples)


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: str(p.relative_to(REPO)))
def test_every_scenario_that_plans_gives_a_sound_plan(path: Path, demo_run) -> None:
    if path == DEMO:
        made = demo_run.plan
    else:
        try:
            scenario = planner.load_scenario(path, region=demo_run.region)
        except PlannerError:  # only the bad-input examples may be refused
            assert path.is_relative_to(FOLDERS[1])
            return
        made = planner.plan(
            scenario,
            region=demo_run.region,
            network=demo_run.network,
            options=planner.PlanOptions(seed=0, time_limit_s=30),
        )
    assert check_plan(made.to_dict()) == []
    assert check_plan(made.to_dict(), lang="nl") == []
    assert made.summary.participants == len(made.participants) > 0
