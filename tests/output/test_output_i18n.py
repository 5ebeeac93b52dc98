"""Translation files: complete, consistent placeholders, right-to-left where needed."""

from __future__ import annotations

import string
import tomllib
from datetime import date

import pytest

from planner.errors import PlannerError
from planner.output.i18n import (
    I18N_DIR,
    ORGANISER_LANGUAGES,
    ORGANISER_SECTIONS,
    RIDER_LANGUAGES,
    RIDER_SECTIONS,
    UnknownLanguageError,
    normalise_language,
    translations,
)


def _load(code: str) -> dict:
    with (I18N_DIR / f"{code}.toml").open("rb") as fh:
        return tomllib.load(fh)


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_language_file_exists_and_nothing_else() -> None:
    assert sorted(p.stem for p in I18N_DIR.glob("*.toml")) == sorted(RIDER_LANGUAGES)


@pytest.mark.parametrize("code", RIDER_LANGUAGES)
def test_rider_texts_match_dutch_keys_and_placeholders(code: str) -> None:
    dutch, other = _load("nl"), _load(code)
    sections = ORGANISER_SECTIONS if code in ORGANISER_LANGUAGES else RIDER_SECTIONS
    for section in sections:
        assert set(other[section]) == set(dutch[section]), f"{code}.toml [{section}]"
        for key, text in dutch[section].items():
            if isinstance(text, str):
                assert _placeholders(other[section][key]) == _placeholders(text), f"{code} {key}"
                assert other[section][key].strip(), f"{code} {key} is empty"
    assert len(other["meta"]["weekdays"]) == 7 and len(other["meta"]["months"]) == 12


@pytest.mark.parametrize("code", [c for c in RIDER_LANGUAGES if c not in ("nl", "en")])
def test_rider_languages_are_really_translated(code: str) -> None:
    english = _load("en")["card"]
    other = _load(code)["card"]
    same = [k for k in english if k != "transit_leg" and other[k] == english[k]]
    assert same == [], f"{code}: copied from English: {same}"


def test_right_to_left_languages() -> None:
    directions = {code: translations(code).dir for code in RIDER_LANGUAGES}
    assert {c for c, d in directions.items() if d == "rtl"} == {"ar", "fa"}


def test_date_and_number_formats() -> None:
    day = date(2026, 3, 12)
    assert translations("nl").format_date(day) == "donderdag 12 maart 2026"
    assert translations("en").format_date(day) == "Thursday 12 March 2026"
    assert translations("uk").format_date(day) == "четвер, 12 березня 2026"
    assert translations("nl").number(12.345) == "12,3"
    assert translations("en").number(12.345, 2) == "12.35"


def test_html_text_escapes_values_and_isolates_them() -> None:
    tr = translations("ar")
    out = tr.h("card.ride_place", place="<b>Kerk & Co</b>")
    assert "<bdi>&lt;b&gt;Kerk &amp; Co&lt;/b&gt;</bdi>" in out
    assert out.startswith("مكان")


@pytest.mark.parametrize(("given", "code"), [
    ("ar", "ar"), ("AR", "ar"), ("ar-SY", "ar"), ("Arabisch", "ar"), ("Tigrinya", "ti"),
    ("tigrinja", "ti"), ("Oekraïens", "uk"), ("Farsi", "fa"), ("dari", "fa"), ("Turks", "tr"),
    ("Türkçe", "tr"), ("English", "en"), ("nl", "nl"), ("Somali", None), ("", None), (None, None),
])
def test_normalise_language(given: str | None, code: str | None) -> None:
    assert normalise_language(given) == code


def test_unknown_language_is_a_user_error() -> None:
    with pytest.raises(UnknownLanguageError, match="choose one of nl, en"):
        translations("de", organiser=True)
    with pytest.raises(PlannerError):
        translations("ar", organiser=True)  # rider-card language only
    assert translations("ar").code == "ar"
