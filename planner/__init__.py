"""Rivierenland ride planner: how newcomers in small villages reach meetings in Tiel and get home.

Data flows one way, one subpackage per stage::

    region -> network -> transit -> model -> solve -> plan -> output

The public API is listed in ``__all__`` (see ``docs/python-api.md``); names load on first use, so
``import planner`` stays fast for the command line.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from planner.access.analysis import AccessResult
    from planner.api import (
        assess_access,
        load_network,
        load_region,
        load_scenario,
        load_timetable,
        plan,
        rank_events,
        write_outputs,
    )
    from planner.limits import PlanOptions
    from planner.model.plan import Plan
    from planner.model.scenario import Scenario
    from planner.ranking.event import EventRanking

__version__ = "0.1.0"

_HOME = {
    "AccessResult": "planner.access.analysis",
    "EventRanking": "planner.ranking.event",
    "Plan": "planner.model.plan",
    "PlanOptions": "planner.limits",
    "Scenario": "planner.model.scenario",
    "assess_access": "planner.api",
    "load_network": "planner.api",
    "load_region": "planner.api",
    "load_scenario": "planner.api",
    "load_timetable": "planner.api",
    "plan": "planner.api",
    "rank_events": "planner.api",
    "write_outputs": "planner.api",
}
__all__ = [
    "AccessResult",
    "EventRanking",
    "Plan",
    "PlanOptions",
    "Scenario",
    "assess_access",
    "load_network",
    "load_region",
    "load_scenario",
    "load_timetable",
    "plan",
    "rank_events",
    "write_outputs",
]


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module 'planner' has no attribute {name!r}")
    return getattr(importlib.import_module(_HOME[name]), name)
