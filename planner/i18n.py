"""Translations of every user-facing text: maps, sheets, cards, CLI summaries and web pages.

The texts live in gettext catalogues, ``planner/locale/<lang>/LC_MESSAGES/django.po``, with the
English text as the message id. The domain is ``django`` so that the web app's ``LOCALE_PATHS``
reads the same files. The ``.mo`` files are compiled from the ``.po`` files when the package is
built (``pip install .``, a wheel) or by ``make locale`` in a checkout; they are not committed.

Mark a text for extraction by calling :meth:`Translations.t` (plain text), :meth:`Translations.h`
(HTML), :meth:`Translations.tn` / :meth:`Translations.hn` (with a count, plural forms), or, for a
text kept in a constant and translated later, :func:`N_`. Values go in ``{name}`` placeholders
(``python-brace-format``), never into the message id. Month and weekday names, decimal
separators, language names and writing directions come from Babel's CLDR data.
"""

from __future__ import annotations

import gettext
import html
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from babel import Locale
from babel.numbers import get_decimal_symbol

from planner.errors import PlannerError

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
"""Folder of the catalogues: ``<lang>/LC_MESSAGES/<DOMAIN>.po`` and the compiled ``.mo``."""

DOMAIN = "django"
"""The gettext domain, shared with Django (which only reads the domain ``django``)."""

DEFAULT_LANGUAGE = "nl"
"""The language of every output unless English is asked for."""

RIDER_LANGUAGES: tuple[str, ...] = ("nl", "en", "ar", "ti", "uk", "fa", "tr")
"""Languages a rider card can be written in."""

ORGANISER_LANGUAGES: tuple[str, ...] = ("nl", "en")
"""Languages of everything else: maps, driver sheets, GPX, spreadsheets, CLI and web pages."""

# Names people write in a participants file instead of a code, lower case.
_LANGUAGE_ALIASES: dict[str, str] = {
    "dutch": "nl",
    "nederlands": "nl",
    "nl-nl": "nl",
    "english": "en",
    "engels": "en",
    "en-gb": "en",
    "en-us": "en",
    "arabic": "ar",
    "arabisch": "ar",
    "العربية": "ar",
    "tigrinya": "ti",
    "tigrinja": "ti",
    "tigrigna": "ti",
    "ትግርኛ": "ti",
    "ti-er": "ti",
    "ukrainian": "uk",
    "oekraïens": "uk",
    "oekraiens": "uk",
    "українська": "uk",
    "ua": "uk",
    "farsi": "fa",
    "persian": "fa",
    "perzisch": "fa",
    "dari": "fa",
    "prs": "fa",
    "فارسی": "fa",
    "turkish": "tr",
    "turks": "tr",
    "türkçe": "tr",
}


def N_(message: str) -> str:
    """Return ``message`` unchanged: marks a text for extraction, translated later with ``t``."""
    return message


def NC_(context: str, message: str) -> tuple[str, str]:
    """Return ``(context, message)``: a deferred text whose English is ambiguous (``msgctxt``)."""
    return context, message


APPROXIMATE_NETWORK = N_(
    "Approximate network: no OpenStreetMap street network was loaded, so routes and travel "
    "times are estimates (straight line × detour factor, across the rivers only over a bridge "
    "or a running ferry)."
)
"""The note on every organiser output built on the approximate network."""

EXAMPLE_TIMETABLE = N_(
    "This is an example timetable, not the official timetable: the bus and train times come "
    "from an example feed."
)
"""The note on every organiser output whose buses and trains come from the example feed."""


class UnknownLanguageError(PlannerError, ValueError):
    """A language was asked for that has no catalogue (or is not offered for this output)."""


class CatalogueMissingError(PlannerError):
    """The compiled catalogues (``.mo``) are missing: the package was not built."""


@dataclass(frozen=True)
class Translations:
    """The texts of one language, read from its compiled catalogue."""

    code: str
    catalogue: gettext.NullTranslations

    @property
    def name(self) -> str:
        """Return the language's own name, e.g. ``"Nederlands"``."""
        own = Locale.parse(self.code).get_display_name(self.code) or self.code
        return own[:1].upper() + own[1:]

    @property
    def dir(self) -> str:
        """Return the writing direction for the HTML ``dir`` attribute: ``ltr`` or ``rtl``."""
        return str(Locale.parse(self.code).text_direction)

    def t(self, message: str, /, **values: object) -> str:
        """Return the translation of ``message``, with its ``{placeholders}`` filled in."""
        text = self.catalogue.gettext(message)
        return text.format_map(values) if values else text

    def tc(self, context: str, message: str, /, **values: object) -> str:
        """Return the translation of ``message`` in ``context`` (gettext's ``msgctxt``)."""
        text = self.catalogue.pgettext(context, message)
        return text.format_map(values) if values else text

    def tn(self, singular: str, plural: str, n: int, /, **values: object) -> str:
        """Return the singular or plural form for the count ``n`` (also the value ``{n}``)."""
        return self.catalogue.ngettext(singular, plural, n).format_map({"n": n, **values})

    def h(self, message: str, /, **values: object) -> str:
        """Return HTML for ``message``: text escaped, each value escaped and put in ``<bdi>``.

        The ``<bdi>`` keeps Latin place names and times readable inside right-to-left sentences.
        """
        return _html(self.catalogue.gettext(message), values)

    def hn(self, singular: str, plural: str, n: int, /, **values: object) -> str:
        """Return HTML for the singular or plural form for ``n``, as :meth:`h` does."""
        return _html(self.catalogue.ngettext(singular, plural, n), {"n": n, **values})

    def number(self, value: float, decimals: int = 1) -> str:
        """Return a number with this language's decimal separator, e.g. ``"12,5"`` in Dutch."""
        return f"{value:.{decimals}f}".replace(".", get_decimal_symbol(self.code))

    def thousands(self, value: int) -> str:
        """Return a whole number with this language's grouping, e.g. ``"44.501"`` in Dutch."""
        separator = "." if get_decimal_symbol(self.code) == "," else ","
        return f"{value:,}".replace(",", separator)

    def format_date(self, day: date) -> str:
        """Return a date written out, e.g. ``"donderdag 12 maart 2026"``."""
        names = Locale.parse(self.code)
        # The word order is the translator's; the names are CLDR's.
        return self.t("{weekday} {day} {month} {year}").format(
            weekday=names.days["format"]["wide"][day.weekday()],
            day=day.day,
            month=names.months["format"]["wide"][day.month],
            year=day.year,
        )


def _html(text: str, values: dict[str, object]) -> str:
    escaped = {k: f"<bdi>{html.escape(str(v))}</bdi>" for k, v in values.items()}
    return html.escape(text, quote=False).format_map(escaped)


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
    """Return the texts of one language.

    Parameters
    ----------
    lang
        Language code, one of :data:`RIDER_LANGUAGES` (or :data:`ORGANISER_LANGUAGES` when
        ``organiser`` is true).
    organiser
        The text is for an organiser's output (map, driver sheet, GPX, CLI, web page), which
        exists in Dutch and English only; a rider card is not.

    Raises
    ------
    UnknownLanguageError
        When the language is not offered for this kind of output.
    CatalogueMissingError
        When the compiled catalogue of the language is missing.
    """
    allowed = ORGANISER_LANGUAGES if organiser else RIDER_LANGUAGES
    if lang not in allowed:
        raise UnknownLanguageError(
            f"no translation for language {lang!r}; choose one of {', '.join(allowed)}"
        )
    return Translations(code=lang, catalogue=_catalogue(lang))


@cache
def _catalogue(lang: str) -> gettext.NullTranslations:
    try:
        return gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang])
    except FileNotFoundError:
        mo = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
        raise CatalogueMissingError(
            f"{mo}: compiled catalogue missing; run 'make locale' in a checkout "
            "(pybabel compile -d planner/locale -D django) or reinstall the package"
        ) from None


def bilingual(message: str, /, **values: object) -> str:
    """Return ``message`` in English and Dutch, ``"english / nederlands"``.

    For a message shown before the reader's language is known (an upload check).
    """
    english, dutch = (
        translations(code, organiser=True).t(message, **values)
        for code in ORGANISER_LANGUAGES[::-1]
    )
    return f"{english} / {dutch}"


def translate_table(
    messages: Mapping[str, str | tuple[str, str]], tr: Translations
) -> dict[str, str]:
    """Return a table of message ids (made with :func:`N_` or :func:`NC_`) translated."""
    return {
        key: tr.tc(*message) if isinstance(message, tuple) else tr.t(message)
        for key, message in messages.items()
    }


def extract_django_templates(fileobj, keywords, comment_tags, options):
    """Extract the messages of a Django template for Babel (``babel.cfg``).

    Django's own ``templatize`` turns ``{% translate %}`` and ``{% blocktranslate %}`` into
    gettext calls, which Babel's Python extractor then reads, as ``makemessages`` does.
    """
    import io

    from babel.messages.extract import extract_python
    from django.utils.translation.template import templatize

    code = templatize(fileobj.read().decode("utf-8"))
    return extract_python(io.BytesIO(code.encode("utf-8")), keywords, comment_tags, options)
