"""Rider cards: Dutch plus the participant's language, own data only, every travel mode."""

from __future__ import annotations

import html
import re
from dataclasses import replace

from fixture_plan import NAMES, PHONES

from planner.output._common import build_context
from planner.output.cards import card_languages, render_rider_card
from planner.output.offline import external_resources


def _cards(result) -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in result[1]["riders"]}


def _languages(page: str) -> list[tuple[str, str]]:
    return re.findall(r'<section class="card" lang="(\w+)" dir="(\w+)">', page)


def test_a_card_for_every_participant(outputs, plan) -> None:
    assert sorted(_cards(outputs)) == sorted(p.id for p in plan.participants)


def test_cards_are_dutch_plus_own_language(outputs) -> None:
    cards = _cards(outputs)
    assert _languages(cards["p01"]) == [("nl", "ltr"), ("ar", "rtl")]
    assert _languages(cards["p02"]) == [("nl", "ltr"), ("ti", "ltr")]
    assert _languages(cards["p03"]) == [("nl", "ltr"), ("uk", "ltr")]
    assert _languages(cards["p04"]) == [("nl", "ltr"), ("fa", "rtl")]
    assert _languages(cards["p05"]) == [("nl", "ltr"), ("tr", "ltr")]
    assert _languages(cards["p06"]) == [("nl", "ltr"), ("en", "ltr")]
    assert _languages(cards["p07"]) == [("nl", "ltr"), ("ti", "ltr")]  # "Tigrinya" in the file
    assert _languages(cards["p08"]) == [("nl", "ltr")]  # no language given
    assert "بطاقة الرحلة" in cards["p01"] and "کارت سفر" in cards["p04"]
    assert "ካርድ ጉዕዞ" in cards["p02"] and "Картка поїздки" in cards["p03"]


def test_unsupported_language_falls_back_to_english(scenario) -> None:
    person = replace(scenario.participants[0], language="Somali")
    assert card_languages(person) == ["nl", "en"]
    assert card_languages(replace(person, language="NL")) == ["nl"]


def test_ride_card_gives_time_place_driver_first_name_and_way_home(outputs) -> None:
    page = _cards(outputs)["p01"]
    dutch = page.split('lang="ar"')[0]
    assert "Ophaaltijd: <bdi>18:22</bdi>" in dutch
    assert "Ophaalplek: <bdi>Dorpsstraat 4, Ophemert</bdi>" in dutch
    assert "Chauffeur: <bdi>Jan</bdi>" in dutch
    assert "Vertrek bij <bdi>Bibliotheek Tiel</bdi>: <bdi>21:10</bdi>" in dutch
    assert "Thuis: rond <bdi>21:31</bdi>" in dutch
    assert "rolstoel" in dutch
    assert "السائق: <bdi>Jan</bdi>" in page
    assert "de Vries" not in page and "06 0000 0901" not in page  # driver's surname, phone


def test_cards_hold_only_their_own_participants_data(outputs) -> None:
    for pid, page in _cards(outputs).items():
        for other, name in NAMES.items():
            assert (name in html.unescape(page)) is (other == pid), f"{pid}: {name}"
            assert PHONES[other] not in page
        assert external_resources(page) == [] and "<script" not in page


def test_self_propelled_transit_and_unserved_cards(outputs) -> None:
    cards = _cards(outputs)
    assert "U fietst zelf naar <bdi>Bibliotheek Tiel</bdi>" in cards["p06"]
    assert "uiterlijk om <bdi>18:50</bdi>" in cards["p06"]  # 19:00 minus 10 minutes
    assert "Na afloop fietst u zelf terug." in cards["p06"]
    assert "e-bike" in cards["p09"]
    assert "<bdi>18:13</bdi>–<bdi>18:27</bdi> <bdi>trein Arriva</bdi>" in cards["p07"]
    assert "<bdi>ባቡር Arriva</bdi>" in cards["p07"]
    assert "<bdi>Tiel</bdi> → <bdi>Kesteren</bdi>" in cards["p07"]
    assert "nog geen vervoer" in cards["p08"] and "wheelchair place" not in cards["p08"]


def test_approximate_cards_say_times_are_estimates(approximate_outputs, outputs) -> None:
    assert "De tijden zijn een schatting." in _cards(approximate_outputs)["p01"]
    assert "الأوقات تقديرية." in _cards(approximate_outputs)["p01"]
    assert "schatting" not in _cards(outputs)["p01"]


def test_taxi_without_named_driver(plan, scenario) -> None:
    entry = replace(plan.participant("p04"),
                    outbound=replace(plan.participant("p04").outbound, vehicle="T1"))
    page = render_rider_card(build_context(plan, scenario, None), entry)
    assert "Chauffeur: <bdi>taxichauffeur</bdi>" in page and "Vervoer: <bdi>taxi</bdi>" in page
