"""Rider cards, one per participant: ``riders/<participant_id>.html``.

A card tells one participant how they travel: pickup time and place, the driver's first name,
and the way home, in Dutch plus the participant's own language (Arabic and Farsi right-to-left).
It holds that participant's data only and loads nothing from the internet.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from planner._io import write_text
from planner.model.plan import Leg, ParticipantPlan, Plan
from planner.model.scenario import Participant, Scenario
from planner.output._common import (
    OutputContext,
    build_context,
    first_name,
    render_template,
    safe_filename,
    shift_hhmm,
)
from planner.output.i18n import Translations, normalise_language, translations
from planner.output.itinerary import itinerary_legs
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
    """The HTML of one participant's card."""
    person = context.participants[plan_entry.id]
    sections = [_section(context, plan_entry, person, translations(code))
                for code in card_languages(person)]
    page = render_template("rider_card.html.j2", sections=sections)
    return assert_self_contained(page, f"riders/{plan_entry.id}.html")


def _section(context: OutputContext, entry: ParticipantPlan, person: Participant,
             tr: Translations) -> CardSection:
    event = context.scenario.event
    header = (
        tr.h("card.name", name=person.name),
        tr.h("card.when", date=tr.format_date(event.date), start=f"{event.start:%H:%M}",
             end=f"{event.end:%H:%M}"),
        tr.h("card.where", venue=event.venue),
    )
    notes = []
    if entry.mode != "unserved" and person.wheelchair and _rides(entry):
        notes.append(tr.h("card.wheelchair"))
    if context.plan.approximate and entry.mode != "unserved":
        notes.append(tr.h("card.approximate"))
    if entry.itinerary and entry.itinerary.get("timetable") == "example timetable":
        notes.append(tr.h("card.example_timetable"))
    return CardSection(
        lang=tr.code, dir=tr.dir, language_name=tr.name, title=tr.t("card.title"), header=header,
        outbound_heading=tr.t("card.outbound"),
        outbound=_outbound_lines(context, entry, person, tr),
        return_heading=tr.t("card.return"),
        return_=_return_lines(context, entry, person, tr),
        notes=tuple(notes),
    )


def _rides(entry: ParticipantPlan) -> bool:
    return any(leg and leg.vehicle for leg in (entry.outbound, entry.return_))


def _outbound_lines(context: OutputContext, entry: ParticipantPlan, person: Participant,
                    tr: Translations) -> tuple[str, ...]:
    event = context.scenario.event
    if entry.mode == "unserved":
        return (tr.h("card.unserved"),)
    leg = entry.outbound
    if leg and leg.vehicle:
        return (
            tr.h("card.ride_pickup", time=leg.pickup or ""),
            tr.h("card.ride_place", place=_pickup_place(context, entry, person)),
            tr.h("card.ride_driver", driver=_driver(context, leg, tr)),
            tr.h("card.ride_vehicle", vehicle=_vehicle_kind(context, leg, tr)),
            tr.h("card.ride_arrive", venue=event.venue, time=leg.dropoff or ""),
            tr.h("card.ride_ready"),
        )
    if entry.mode in ("bike", "ebike", "walk"):
        arrive_by = shift_hhmm(f"{event.start:%H:%M}", -event.arrive_before_min)
        return (tr.h(f"card.{entry.mode}", venue=event.venue, time=arrive_by),)
    if entry.mode == "transit":
        return _transit_lines(entry, "outbound", tr)
    return (tr.h("card.unserved"),)


def _return_lines(context: OutputContext, entry: ParticipantPlan, person: Participant,
                  tr: Translations) -> tuple[str, ...]:
    event = context.scenario.event
    if entry.mode == "unserved":
        return ()
    leg = entry.return_
    if leg and leg.vehicle:
        return (
            tr.h("card.return_pickup", venue=event.venue, time=leg.pickup or ""),
            tr.h("card.ride_driver", driver=_driver(context, leg, tr)),
            tr.h("card.ride_vehicle", vehicle=_vehicle_kind(context, leg, tr)),
            tr.h("card.return_home", time=leg.dropoff or ""),
        )
    if entry.mode in ("bike", "ebike", "walk") and person.needs_return:
        return (tr.h(f"card.{entry.mode}_return"),)
    if entry.mode == "transit" and itinerary_legs(entry.itinerary, "return"):
        return _transit_lines(entry, "return", tr)
    return (tr.h("card.no_return"),)


def _transit_lines(entry: ParticipantPlan, direction: str, tr: Translations) -> tuple[str, ...]:
    lines = [tr.h("card.transit_intro")]
    for leg in itinerary_legs(entry.itinerary, direction):
        service = f"{tr.t(f'common.leg_{leg.mode}')} {leg.route}".strip()
        lines.append(tr.h("card.transit_leg", depart=leg.depart, arrive=leg.arrive,
                          service=service, origin=leg.origin, destination=leg.destination))
    return tuple(lines)


def _pickup_place(context: OutputContext, entry: ParticipantPlan, person: Participant) -> str:
    if person.address:
        return person.address
    for vehicle in context.plan.vehicles:
        for trip in vehicle.trips:
            for stop in trip.stops:
                if entry.id in stop.pickup:
                    return stop.place
    return entry.village or person.village or ""


def _driver(context: OutputContext, leg: Leg, tr: Translations) -> str:
    name = first_name(context.fleet[leg.vehicle].driver) if leg.vehicle else ""
    return name or tr.t("card.driver_unknown")


def _vehicle_kind(context: OutputContext, leg: Leg, tr: Translations) -> str:
    kind = context.fleet[leg.vehicle].kind if leg.vehicle else ""
    return tr.t(f"common.kind_{kind}") if kind else ""
