"""The ``label`` filter: the words, in the page's language, for the codes a plan or form holds."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

register = template.Library()

#: Modes of travel, vehicle kinds and recurrences, by the code the planner and the database use.
LABELS = {
    "walk": _("on foot"),
    "bike": _("bike"),
    "ebike": _("e-bike"),
    "bus": _("bus"),
    "train": _("train"),
    "ride": _("ride"),
    "unserved": pgettext_lazy("mode", "unserved"),  # the mode column: no means of travel
    "dorpsauto": _("village car"),
    "volunteer_car": _("volunteer's car"),
    "buurtbus": _("community bus"),
    "taxi": _("taxi"),
    "none": _("once"),
    "weekly": _("weekly"),
    "fortnightly": _("fortnightly"),
}


@register.filter
def label(code: str) -> str:
    """Return the words for ``code`` (the code itself when it has none)."""
    return str(LABELS.get(code, code))


def choices(codes: tuple[tuple[str, str], ...]) -> list[tuple[str, Any]]:
    """Return form choices with the words for each code (lazy: translated when shown)."""
    return [(code, LABELS.get(code, code)) for code, _unused in codes]
