"""Options several commands share, defined once, and the parsers of their date and time values.

A command declares ``lang: Lang = "nl"``; the help text and the allowed values live here, so
``planner access``, ``event``, ``plan`` and ``matrix`` cannot drift apart. A command whose option
says something of its own keeps its help text and takes the values from here (``Language``).
"""

from __future__ import annotations

from datetime import date, time
from pathlib import Path
from typing import Annotated, Literal

import typer

from planner import clock
from planner.errors import InputFileError

#: The languages a command speaks: those of :data:`planner.i18n.ORGANISER_LANGUAGES`.
Language = Literal["nl", "en"]
#: Language of messages and maps.
Lang = Annotated[Language, typer.Option(help="Language of messages and the map.")]
#: Cache folder of networks and feeds.
CacheDir = Annotated[Path | None, typer.Option(help="Cache folder (networks, feeds).")]
#: Map background.
Tiles = Annotated[
    Literal["offline", "osm"],
    typer.Option(
        help="Map background: offline (the data pack's borders, rivers and place names; nothing "
        "loaded) or osm (OpenStreetMap's tiles, online)."
    ),
]
#: Seed of the random choices.
Seed = Annotated[int, typer.Option(help="Seed: the same input and seed give the same result.")]


def parse_date(text: str, option: str = "--date") -> date:
    """Return a ``YYYY-MM-DD`` date, or an :class:`InputFileError` naming ``option``."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InputFileError(option, f"bad date '{text}'", hint="use YYYY-MM-DD") from None


def parse_clock(text: str, option: str) -> time:
    """Return an ``HH:MM`` time of day, or an :class:`InputFileError` naming ``option``."""
    try:
        return clock.parse_clock(text)
    except ValueError:
        raise InputFileError(option, f"bad time '{text}'", hint="use HH:MM, e.g. 19:20") from None
