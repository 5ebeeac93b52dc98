"""Rider cards: Dutch plus the participant's language, own data only, every leg of the plan."""

from __future__ import annotations

import html
import re
from dataclasses import replace

from fixture_plan import NAMES, PHONES

from planner.i18n import translations
from planner.model.plan import Plan
from planner.model.scenario import Scenario
from planner.output._common import LEG_MODES, VEHICLE_KINDS, clock, first_name
from planner.output.cards import card_languages
from planner.output.offline import external_resources

_TIME = re.compile(r"\b\d{2}:\d{2}\b")


def _cards(result) -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in result[1]["riders"]}


def _dutch(page: str) -> str:
    section = re.search(r'<section class="card" lang="nl".*?</section>', page, re.DOTALL)
    assert section is not None
    return html.unescape(re.sub(r"</?bdi>", "", section.group(0)))


def _languages(page: str) -> list[tuple[str, str]]:
    return re.findall(r'<section class="card" lang="(\w+)" dir="(\w+)">', page)


def test_a_card_for_every_participant(outputs, plan) -> None:
    assert sorted(_cards(outputs)) == sorted(p.id for p in plan.participants)


def test_cards_are_dutch_plus_own_language(outputs, scenario: Scenario) -> None:
    cards = _cards(outputs)
    for person in scenario.participants:
        codes = [code for code, _ in _languages(cards[person.id])]
        assert codes == card_languages(person)
        for code, direction in _languages(cards[person.id]):
            assert direction == ("rtl" if code in ("ar", "fa") else "ltr")


def test_unsupported_language_falls_back_to_english(scenario) -> None:
    person = replace(scenario.participants[0], language="Somali")
    assert card_languages(person) == ["nl", "en"]
    assert card_languages(replace(person, language="NL")) == ["nl"]


def test_dutch_card_names_every_leg_and_says_nothing_else(
    outputs, plan: Plan, scenario: Scenario
) -> None:
    """Every leg's mode, start time and places, and its line or driver; no other times."""
    nl = translations("nl")
    fleet = {v.id: v for v in scenario.fleet}
    people = {p.id: p for p in scenario.participants}
    cards = _cards(outputs)
    for entry in plan.participants:
        text = _dutch(cards[entry.id])
        allowed = {f"{scenario.event.start:%H:%M}", f"{scenario.event.end:%H:%M}"}
        if not entry.served:
            assert "nog geen vervoer" in text
            assert _TIME.findall(text.split("Heen")[1]) == []
            continue
        for _, journey in entry.journeys():
            for leg in journey.legs:
                assert clock(leg.depart) in text and clock(leg.arrive) in text, entry.id
                allowed |= {clock(leg.depart), clock(leg.arrive)}
                for place in (leg.from_, leg.to):
                    shown = (
                        people[entry.id].address or place.name
                        if place.kind == "home"
                        else place.name
                    )
                    assert shown in text, (entry.id, shown)
                if leg.mode == "ride":
                    vehicle = fleet[leg.vehicle]
                    assert nl.t(VEHICLE_KINDS[vehicle.kind]) in text
                    assert (first_name(vehicle.driver) or "taxichauffeur") in text
                else:
                    assert nl.t(LEG_MODES[leg.mode]) in text
                if leg.route:
                    assert leg.route in text
        assert set(_TIME.findall(text)) <= allowed, entry.id
        if entry.return_ is None:
            assert "geen terugreis gepland" in text


def test_cards_hold_only_their_own_participants_data(outputs) -> None:
    for pid, page in _cards(outputs).items():
        for other, name in NAMES.items():
            assert (name in html.unescape(page)) is (other == pid), f"{pid}: {name}"
            if other != pid and other in PHONES:
                assert PHONES[other] not in page
        assert external_resources(page) == [] and "<script" not in page


def test_approximate_cards_say_times_are_estimates(
    approximate_outputs, outputs, plan: Plan
) -> None:
    served = next(p.id for p in plan.participants if p.served)
    assert "De tijden zijn een schatting." in _cards(approximate_outputs)[served]
    assert "schatting" not in _cards(outputs)[served]
