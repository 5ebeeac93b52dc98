"""Translations of the short texts on maps, driver sheets and rider cards.

The texts live in ``data/i18n/<code>.toml`` (one file per language, ISO 639-1 codes). Every language
has the ``[meta]``, ``[common]`` and ``[card]`` tables, so that a rider card can be written in it;
the organiser's outputs (``[map]``, ``[sheet]``, ``[gpx]``) exist in Dutch and English.
"""

from __future__ import annotations

import html
import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from planner.errors import PlannerError
from planner.settings import data_dir

I18N_DIR = data_dir() / "i18n"

RIDER_LANGUAGES: tuple[str, ...] = ("nl", "en", "ar", "ti", "uk", "fa", "tr")
"""Languages a rider card can be written in."""

ORGANISER_LANGUAGES: tuple[str, ...] = ("nl", "en")
"""Languages of the overview map, the driver sheets and the GPX files."""

RIDER_SECTIONS: tuple[str, ...] = ("meta", "common", "card")
ORGANISER_SECTIONS: tuple[str, ...] = (*RIDER_SECTIONS, "map", "sheet", "gpx")

# Names people write in a participants file instead of a code, lower case.
_LANGUAGE_ALIASES: dict[str, str] = {
    "dutch": "nl", "nederlands": "nl", "nl-nl": "nl",
    "english": "en", "engels": "en", "en-gb": "en", "en-us": "en",
    "arabic": "ar", "arabisch": "ar", "العربية": "ar",
    "tigrinya": "ti", "tigrinja": "ti", "tigrigna": "ti", "ትግርኛ": "ti", "ti-er": "ti",
    "ukrainian": "uk", "oekraïens": "uk", "oekraiens": "uk", "українська": "uk", "ua": "uk",
    "farsi": "fa", "persian": "fa", "perzisch": "fa", "dari": "fa", "prs": "fa", "فارسی": "fa",
    "turkish": "tr", "turks": "tr", "türkçe": "tr",
}


class UnknownLanguageError(PlannerError, ValueError):
    """A language was asked for that has no translation file (or lacks a needed table)."""


@dataclass(frozen=True)
class Translations:
    """The texts of one language. ``dir`` is ``"ltr"`` or ``"rtl"``."""

    code: str
    texts: dict[str, dict[str, Any]]

    @property
    def name(self) -> str:
        """The language's own name, e.g. ``"Nederlands"``."""
        return str(self.texts["meta"]["name"])

    @property
    def dir(self) -> str:
        """Writing direction for the HTML ``dir`` attribute."""
        return str(self.texts["meta"]["dir"])

    def t(self, key: str, **values: object) -> str:
        """Plain text for ``"table.key"``, with ``{placeholders}`` filled in."""
        text = self._raw(key)
        return text.format_map(values) if values else text

    def h(self, key: str, **values: object) -> str:
        """HTML for ``"table.key"``: text escaped, each value escaped and isolated in ``<bdi>``.

        The ``<bdi>`` keeps Latin place names and times readable inside right-to-left sentences.
        """
        escaped = {k: f"<bdi>{html.escape(str(v))}</bdi>" for k, v in values.items()}
        return html.escape(self._raw(key), quote=False).format_map(escaped)

    def _raw(self, key: str) -> str:
        section, _, name = key.partition(".")
        try:
            return str(self.texts[section][name])
        except KeyError:
            raise KeyError(f"no text {key!r} in data/i18n/{self.code}.toml") from None

    def number(self, value: float, decimals: int = 1) -> str:
        """A number with this language's decimal separator, e.g. ``"12,5"`` in Dutch."""
        separator = str(self.texts["meta"]["decimal_separator"])
        return f"{value:.{decimals}f}".replace(".", separator)

    def format_date(self, day: date) -> str:
        """A date written out, e.g. ``"donderdag 12 maart 2026"``."""
        meta = self.texts["meta"]
        return str(meta["date_format"]).format(
            weekday=meta["weekdays"][day.weekday()], day=day.day,
            month=meta["months"][day.month - 1], year=day.year,
        )


def normalise_language(value: str | None) -> str | None:
    """Map a language as written in a participants file to a code of :data:`RIDER_LANGUAGES`.

    Parameters
    ----------
    value
        An ISO 639-1 code (``"ar"``), a regional tag (``"ar-SY"``) or a name in Dutch, English
        or the language itself (``"Arabisch"``, ``"Farsi"``, ``"Türkçe"``).

    Returns
    -------
    str or None
        The code, or None when ``value`` is empty or no translation exists for it.
    """
    if not value or not value.strip():
        return None
    key = value.strip().lower()
    if key in _LANGUAGE_ALIASES:
        return _LANGUAGE_ALIASES[key]
    base = key.replace("_", "-").split("-")[0]
    return base if base in RIDER_LANGUAGES else None


def translations(lang: str, *, organiser: bool = False) -> Translations:
    """Load the texts of one language.

    Parameters
    ----------
    lang
        Language code, one of :data:`RIDER_LANGUAGES` (or :data:`ORGANISER_LANGUAGES` when
        ``organiser`` is true).
    organiser
        Require the tables of the organiser's outputs (map, driver sheet, GPX).

    Raises
    ------
    UnknownLanguageError
        When the language has no translation file or lacks a table that is needed.
    """
    allowed = ORGANISER_LANGUAGES if organiser else RIDER_LANGUAGES
    if lang not in allowed:
        raise UnknownLanguageError(
            f"no translation for language {lang!r}; choose one of {', '.join(allowed)}"
        )
    texts = _load(lang)
    needed = ORGANISER_SECTIONS if organiser else RIDER_SECTIONS
    missing = [s for s in needed if s not in texts]
    if missing:
        raise UnknownLanguageError(
            f"{I18N_DIR / (lang + '.toml')}: table(s) {', '.join(missing)} missing"
        )
    return Translations(code=lang, texts=texts)


@cache
def _load(lang: str) -> dict[str, dict[str, Any]]:
    path = I18N_DIR / f"{lang}.toml"
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise UnknownLanguageError(f"{path}: translation file missing") from None
    except tomllib.TOMLDecodeError as exc:
        raise UnknownLanguageError(f"{path}: not valid TOML ({exc})") from None
