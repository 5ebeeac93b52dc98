"""Translation catalogues: complete, consistent placeholders, right-to-left where needed."""

from __future__ import annotations

import string
from datetime import date

import pytest
from babel.messages.pofile import read_po

from planner import i18n
from planner.errors import PlannerError
from planner.i18n import (
    DOMAIN,
    LOCALE_DIR,
    RIDER_LANGUAGES,
    CatalogueMissingError,
    UnknownLanguageError,
    normalise_language,
    translations,
)
from planner.output._common import LEG_MODES, VEHICLE_KINDS

# The leg line is the same in every language apart from the arrow's direction.
_SAME_IN_EVERY_LANGUAGE = {"{depart}–{arrive} {service}: {origin} → {destination}"}


def _catalogue(code: str):
    with (LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as fh:
        return read_po(fh)


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _card_messages() -> set[str]:
    """Every message a rider card can show."""
    from_cards = {
        m.id
        for m in _catalogue("nl")
        if any(path.endswith("output/cards.py") for path, _ in m.locations)
    }
    return (
        from_cards
        | set(LEG_MODES.values())
        | set(VEHICLE_KINDS.values())
        | {"{name} station", "{weekday} {day} {month} {year}"}
    )


def test_every_language_has_a_catalogue_and_nothing_else() -> None:
    found = sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    assert found == sorted(RIDER_LANGUAGES)


@pytest.mark.parametrize("code", RIDER_LANGUAGES)
def test_translations_keep_the_placeholders(code: str) -> None:
    for message in _catalogue(code):
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            if text:
                assert _placeholders(text) == _placeholders(ids[-1]), f"{code}: {message.id!r}"


@pytest.mark.parametrize("code", RIDER_LANGUAGES)
def test_rider_card_is_complete_in_every_rider_language(code: str) -> None:
    if code == "en":
        return  # English is the message id itself
    catalogue = _catalogue(code)
    for message_id in _card_messages():
        message = catalogue.get(message_id)
        assert message is not None and message.string.strip(), f"{code}: {message_id!r} missing"


@pytest.mark.parametrize("code", [c for c in RIDER_LANGUAGES if c not in ("nl", "en")])
def test_rider_languages_are_really_translated(code: str) -> None:
    catalogue = _catalogue(code)
    from_cards = {
        m.id
        for m in _catalogue("nl")
        if any(path.endswith("output/cards.py") for path, _ in m.locations)
    }
    same = [m for m in from_cards - _SAME_IN_EVERY_LANGUAGE if catalogue.get(m).string == m]
    assert same == [], f"{code}: copied from English: {same}"


def test_right_to_left_languages() -> None:
    directions = {code: translations(code).dir for code in RIDER_LANGUAGES}
    assert {c for c, d in directions.items() if d == "rtl"} == {"ar", "fa"}


def test_language_names_are_their_own() -> None:
    names = {code: translations(code).name for code in RIDER_LANGUAGES}
    assert names == {
        "nl": "Nederlands",
        "en": "English",
        "ar": "العربية",
        "ti": "ትግርኛ",
        "uk": "Українська",
        "fa": "فارسی",
        "tr": "Türkçe",
    }


def test_date_and_number_formats() -> None:
    day = date(2026, 3, 12)
    assert translations("nl").format_date(day) == "donderdag 12 maart 2026"
    assert translations("en").format_date(day) == "Thursday 12 March 2026"
    assert translations("uk").format_date(day) == "четвер, 12 березня 2026"
    assert translations("tr").format_date(day) == "12 Mart 2026 Perşembe"
    assert translations("nl").number(12.345) == "12,3"
    assert translations("en").number(12.345, 2) == "12.35"
    assert translations("nl").thousands(44501) == "44.501"
    assert translations("en").thousands(44501) == "44,501"


def test_plural_forms() -> None:
    nl = translations("nl", organiser=True)
    assert nl.tn("{n} transfer", "{n} transfers", 1) == "1 overstap"
    assert nl.tn("{n} transfer", "{n} transfers", 2) == "2 overstappen"
    en = translations("en", organiser=True)
    assert en.tn("{n} transfer", "{n} transfers", 0) == "0 transfers"


def test_html_text_escapes_values_and_isolates_them() -> None:
    tr = translations("ar")
    out = tr.h("Driver: {driver}", driver="<b>Kerk & Co</b>")
    assert "<bdi>&lt;b&gt;Kerk &amp; Co&lt;/b&gt;</bdi>" in out
    assert out.startswith("السائق")


@pytest.mark.parametrize(
    ("given", "code"),
    [
        ("ar", "ar"),
        ("AR", "ar"),
        ("ar-SY", "ar"),
        ("Arabisch", "ar"),
        ("Tigrinya", "ti"),
        ("tigrinja", "ti"),
        ("Oekraïens", "uk"),
        ("Farsi", "fa"),
        ("dari", "fa"),
        ("Turks", "tr"),
        ("Türkçe", "tr"),
        ("English", "en"),
        ("nl", "nl"),
        ("Somali", None),
        ("", None),
        (None, None),
    ],
)
def test_normalise_language(given: str | None, code: str | None) -> None:
    assert normalise_language(given) == code


def test_unknown_language_is_a_user_error() -> None:
    with pytest.raises(UnknownLanguageError, match="choose one of nl, en"):
        translations("de", organiser=True)
    with pytest.raises(PlannerError):
        translations("ar", organiser=True)  # rider-card language only
    assert translations("ar").code == "ar"


def test_missing_compiled_catalogue_is_one_clear_line(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n._catalogue.cache_clear()
    try:
        with pytest.raises(
            CatalogueMissingError, match="django.mo: compiled catalogue missing; run 'make locale'"
        ) as caught:
            translations("nl")
        assert "\n" not in str(caught.value)
    finally:
        i18n._catalogue.cache_clear()


@pytest.mark.parametrize(
    ("lang", "modes", "words"),
    [
        ("nl", "Vervoerswijzen", ["Met vervoer", "met de auto 6", "benaderd (approximate)"]),
        ("en", "Modes", ["Served", "by car 6", "without transport 10", "approximate"]),
    ],
)
def test_plan_summary_says_modes_and_network_in_words(
    approximate_plan, monkeypatch, lang: str, modes: str, words: list[str]
) -> None:
    import io

    from rich.console import Console

    from planner.cli import plan as plan_cli

    out = io.StringIO()
    monkeypatch.setattr(plan_cli, "console", Console(file=out, width=200))
    plan_cli.print_summary(approximate_plan, lang=lang)
    text = out.getvalue()
    assert all(w in text for w in words), text
    km_line = next(line for line in text.splitlines() if "-km" in line)
    assert ("," if lang == "nl" else ".") in km_line.split("│")[2], km_line  # decimal sign
    (modes_line,) = [line for line in text.splitlines() if modes in line]
    assert not any(code in modes_line for code in ("ride ", "unserved ", "ebike ")), modes_line
