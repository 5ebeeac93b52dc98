"""The overview map's HTML: offline, private, complete, deterministic, approximate when it is."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from fixture_plan import NAMES, PHONES, hostile, make_plan

from planner.model.plan import ParticipantPlan, Reason
from planner.output._common import build_context
from planner.output.maps import render_overview_map
from planner.output.offline import external_resources


def _overview(outputs) -> str:
    return outputs[1]["overview"][0].read_text(encoding="utf-8")


def test_overview_loads_nothing_from_the_internet(outputs, approximate_outputs) -> None:
    for result in (outputs, approximate_outputs):
        page = _overview(result)
        assert external_resources(page) == []
        assert not re.search(r"//[\w.-]*cdn", page, re.IGNORECASE)
        assert "L.map(" in page and "Leaflet 1.9.3" in page  # Leaflet inlined from the package
        assert "$(" not in page.replace("$(document", "")  # no jQuery needed
        assert "url(images/" not in page  # Leaflet's images are data URIs


def test_overview_holds_no_personal_data(outputs, scenario) -> None:
    page = _overview(outputs)
    for person in scenario.participants:
        for secret in (person.name, *person.name.split(), person.phone, person.address):
            assert secret is None or secret not in page, f"{secret!r} on the overview"
    for vehicle in scenario.fleet:
        if vehicle.driver:
            assert vehicle.driver not in page and vehicle.phone not in page
    assert not set(NAMES.values()) & set(re.findall(r"[A-Z][a-z]+ [A-Z][a-z]+", page))
    assert not any(phone in page for phone in PHONES.values())


def test_overview_shows_vehicles_cyclists_unserved_and_summary(outputs, plan) -> None:
    page = _overview(outputs)
    for vehicle in plan.vehicles:
        assert page.count(f"vehicle-{vehicle.id}") == len([t for t in vehicle.trips if t.stops])
    movers = [p for p in plan.participants if p.mode in ("bike", "ebike", "walk")]
    assert page.count('"className": "route cyclist') == len(movers)
    assert page.count('"className": "unserved"') >= 1
    for p in plan.participants:
        if p.reason:
            assert f"{p.id}: {p.reason.text}" in page
    assert 'class="map-panel map-summary"' in page and 'class="map-panel map-legend"' in page
    assert f"<td>{plan.summary.served}</td>" in page
    assert "L.control.layers" in page
    assert 'lang="nl"' in page and "<title>Overzicht vervoersplan" in page
    assert 'class="map-banner"' not in page


def test_approximate_overview_says_so(approximate_outputs) -> None:
    page = _overview(approximate_outputs)
    assert 'class="map-banner"' in page and "Approximate network" in page
    assert page.count('approximate"') >= 4  # every route line carries the class
    assert 'lang="en"' in page


def test_overview_is_deterministic(plan, scenario, region, cyclist_paths) -> None:
    context = build_context(plan, scenario, region)
    first = render_overview_map(context, paths=cyclist_paths)
    assert render_overview_map(context, paths=cyclist_paths) == first


def test_hostile_names_cannot_break_the_page(plan, scenario) -> None:
    page = render_overview_map(build_context(*hostile(plan, scenario), None))
    assert "</script><script>document.title" not in page
    assert "<b>" not in page
    clean = render_overview_map(build_context(plan, scenario, None))
    assert page.count("<script>") == clean.count("<script>")


def test_plan_without_vehicles_still_draws(scenario) -> None:
    plan = make_plan(scenario)
    walkers = tuple(
        ParticipantPlan(
            id=p.id,
            village=p.village,
            status="unserved",
            reason=Reason("vehicles_busy", "no driver"),
        )
        for p in plan.participants
    )
    page = render_overview_map(
        build_context(replace(plan, participants=walkers, vehicles=()), scenario, None)
    )
    assert "route-outbound" not in page and page.count('"className": "unserved"') >= 1


@pytest.mark.parametrize("lang", ["de", "ar"])
def test_overview_language_must_be_dutch_or_english(plan, scenario, lang) -> None:
    from planner.i18n import UnknownLanguageError

    with pytest.raises(UnknownLanguageError):
        render_overview_map(build_context(plan, scenario, None), lang=lang)
