"""Rider cards, one per participant: ``riders/<participant_id>.html``.

A card tells one participant how they travel: pickup time and place, the driver's first name,
and the way home, in Dutch plus the participant's own language (Arabic and Farsi right-to-left).
It holds that participant's data only and loads nothing from the internet.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from planner._io import write_text
from planner.i18n import Translations, normalise_language, translations
from planner.model.plan import Journey, JourneyLeg, ParticipantPlan, Place, Plan
from planner.model.scenario import Participant, Scenario
from planner.output._common import (
    LEG_MODES,
    VEHICLE_KINDS,
    OutputContext,
    build_context,
    clock,
    first_name,
    place_label,
    render_template,
    safe_filename,
)
from planner.output.offline import assert_self_contained

FALLBACK_LANGUAGE = "en"
"""Second language of a card when the participant's language has no translation file."""


@dataclass(frozen=True)
class CardSection:
    """A card's text in one language; every line is HTML with the values escaped."""

    lang: str
    dir: str
    language_name: str
    title: str
    header: tuple[str, ...]
    outbound_heading: str
    outbound: tuple[str, ...]
    return_heading: str
    return_: tuple[str, ...]
    notes: tuple[str, ...]


def card_languages(participant: Participant) -> list[str]:
    """Dutch, then the participant's language; English when that language has no translation."""
    code = normalise_language(participant.language)
    if code is None and participant.language and participant.language.strip():
        code = FALLBACK_LANGUAGE
    return ["nl"] if code in (None, "nl") else ["nl", code]


def write_rider_cards(plan: Plan, scenario: Scenario, out_dir: str | Path) -> list[Path]:
    """Write ``<participant_id>.html`` in ``out_dir`` for every participant of the plan.

    Parameters
    ----------
    plan
        The plan (times HH:MM, local).
    scenario
        The scenario: the participant's name, address and language; drivers' names.
    out_dir
        Folder for the cards (created when missing), usually ``DIR/riders``.

    Returns
    -------
    list of Path
        The files written, in plan order of the participants.
    """
    context = build_context(plan, scenario, None)
    out = Path(out_dir)
    return [
        write_text(out / f"{safe_filename(p.id)}.html", render_rider_card(context, p))
        for p in plan.participants
    ]


def render_rider_card(context: OutputContext, plan_entry: ParticipantPlan) -> str:
    """Return the HTML of one participant's card."""
    person = context.participants[plan_entry.id]
    sections = [
        _section(context, plan_entry, person, translations(code)) for code in card_languages(person)
    ]
    page = render_template("rider_card.html.j2", sections=sections)
    return assert_self_contained(page, f"riders/{plan_entry.id}.html")


def _section(
    context: OutputContext, entry: ParticipantPlan, person: Participant, tr: Translations
) -> CardSection:
    event = context.scenario.event
    header = (
        tr.h("Name: {name}", name=person.name),
        tr.h(
            "When: {date}, {start}–{end}",
            date=tr.format_date(event.date),
            start=f"{event.start:%H:%M}",
            end=f"{event.end:%H:%M}",
        ),
        tr.h("Where: {venue}", venue=event.venue),
    )
    notes = []
    if entry.served and person.wheelchair and _rides(entry):
        notes.append(tr.h("There is room for your wheelchair."))
    if context.plan.approximate and entry.served:
        notes.append(tr.h("The times are estimates."))
    if context.plan.timetable == "example" and _uses_timetable(entry):
        notes.append(
            tr.h(
                "Note: bus and train times come from an example timetable, not the official timetable."
            )
        )
    return CardSection(
        lang=tr.code,
        dir=tr.dir,
        language_name=tr.name,
        title=tr.t("Travel card"),
        header=header,
        outbound_heading=tr.t("Going"),
        outbound=_outbound_lines(context, entry, person, tr),
        return_heading=tr.t("Coming back"),
        return_=_return_lines(context, entry, person, tr),
        notes=tuple(notes),
    )


def _uses_timetable(entry: ParticipantPlan) -> bool:
    return any(leg.mode in ("bus", "train") for _, j in entry.journeys() for leg in j.legs)


def _rides(entry: ParticipantPlan) -> bool:
    return any(leg.mode == "ride" for _, j in entry.journeys() for leg in j.legs)


def _outbound_lines(
    context: OutputContext, entry: ParticipantPlan, person: Participant, tr: Translations
) -> tuple[str, ...]:
    if not entry.served or entry.outbound is None:
        return (tr.h("No transport has been found for you yet. The organisers will contact you."),)
    return _journey_lines(context, entry.outbound, person, tr)


def _return_lines(
    context: OutputContext, entry: ParticipantPlan, person: Participant, tr: Translations
) -> tuple[str, ...]:
    if not entry.served:
        return ()
    if entry.return_ is None:
        return (tr.h("No return trip is planned."),)
    return _journey_lines(context, entry.return_, person, tr)


def _journey_lines(
    context: OutputContext, journey: Journey, person: Participant, tr: Translations
) -> tuple[str, ...]:
    """One line per leg, in order, with its times, places and the line or the driver."""
    lines: list[str] = []
    for leg in journey.legs:
        lines.append(
            tr.h(
                "{depart}–{arrive} {service}: {origin} → {destination}",
                depart=clock(leg.depart),
                arrive=clock(leg.arrive),
                service=_service(context, leg, tr),
                origin=_place(leg.from_, person, tr),
                destination=_place(leg.to, person, tr),
            )
        )
        if leg.mode == "ride" and leg.vehicle:
            lines.append(tr.h("Driver: {driver}", driver=_driver(context, leg.vehicle, tr)))
    if journey.legs[0].mode == "ride" and journey.legs[0].from_.kind == "home":
        lines.append(tr.h("Please be ready 5 minutes early."))
    return tuple(lines)


def _service(context: OutputContext, leg: JourneyLeg, tr: Translations) -> str:
    """Return what carries the rider: the line for bus and train, the vehicle kind for a ride."""
    if leg.mode == "ride" and leg.vehicle:
        kind = context.fleet[leg.vehicle].kind
        return tr.t(VEHICLE_KINDS[kind])
    word = tr.t(LEG_MODES[leg.mode])
    return f"{word} {leg.route}" if leg.route else word


def _place(place: Place, person: Participant, tr: Translations) -> str:
    """Return a place as the rider reads it: their own address at home, the station by name."""
    if place.kind == "home":
        return person.address or place.name
    return place_label(place, tr)


def _driver(context: OutputContext, vehicle_id: str, tr: Translations) -> str:
    vehicle = context.fleet[vehicle_id]
    name = first_name(vehicle.driver) or tr.t("taxi driver")
    return f"{name} ({vehicle.phone})" if vehicle.phone else name
