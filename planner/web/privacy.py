"""The audit log, erasing a person, and anonymising events some days after they took place.

What stays of a plan once its people are erased or anonymised: ``plan.json`` with anonymous ids
and every home moved to its village point (the vehicles' lines then run straight between their
stops), and ``plan.csv`` (ids, villages and times). Every other file of the plan names people or
shows exact home points, and is deleted.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from planner.errors import UnknownPlaceError
from planner.web import imports, planning
from planner.web.models import AuditEntry, DriverLink, Event, Person, PlanRun, Signup

#: Plan files with names, addresses, phone numbers or exact home points.
PERSONAL_OUTPUTS = ("drivers", "gpx", "riders", "xlsx", "gpkg", "overview")


def audit(request_or_user: Any, action: str, subject: str) -> None:
    """Record that someone viewed or exported personal data (``subject``: ids, never names)."""
    user = getattr(request_or_user, "user", request_or_user)
    if user is not None and getattr(user, "is_authenticated", False):
        AuditEntry.objects.create(
            user=user, who=user.get_username(), action=action, subject=subject
        )
    else:
        AuditEntry.objects.create(
            user=None, who=str(request_or_user or "anonymous"), action=action, subject=subject
        )


def village_point(village: str | None, lat: float, lon: float) -> tuple[float, float]:
    """Return the point of ``village`` in the data pack, else the point rounded to about 1 km."""
    if village:
        try:
            row = imports.region().find_village(village)
            return round(float(row["lat"]), 5), round(float(row["lon"]), 5)
        except UnknownPlaceError:
            pass
    return round(lat, 2), round(lon, 2)


def coarsen_homes(plan: dict[str, Any], ids: set[str] | None = None) -> dict[str, Any]:
    """Move the homes of the participants ``ids`` (None: everyone) in a plan.json to villages.

    Every home place at one of their points becomes the village point with precision
    ``village``, wherever it occurs (legs and vehicle stops alike, so the plan stays consistent),
    and a trip stopping there keeps, as its line, the straight segments between its stops.
    """
    moved: dict[tuple[float, float], tuple[float, float]] = {}
    for person in plan["participants"]:
        if ids is not None and person["id"] not in ids:
            continue
        for place in _home_places(_journey_places(person)):
            key = (place["lat"], place["lon"])
            moved.setdefault(key, village_point(person.get("village"), *key))
    for person in plan["participants"]:
        for place in _home_places(_journey_places(person)):
            _move(place, moved)
    for vehicle in plan["vehicles"]:
        for trip in vehicle["trips"]:
            homes = list(_home_places(stop["place"] for stop in trip["stops"]))
            if any((p["lat"], p["lon"]) in moved for p in homes):
                for place in homes:
                    _move(place, moved)
                trip["path"] = [[s["place"]["lat"], s["place"]["lon"]] for s in trip["stops"]]
    return plan


def _journey_places(person: dict[str, Any]) -> Iterable[dict[str, Any]]:
    for journey in (person.get("outbound"), person.get("return")):
        for leg in (journey or {}).get("legs", []):
            yield leg["from"]
            yield leg["to"]


def _home_places(places: Iterable[dict[str, Any]]) -> Iterable[dict[str, Any]]:
    return (p for p in places if p.get("kind") == "home")


def _move(place: dict[str, Any], moved: dict[tuple[float, float], tuple[float, float]]) -> None:
    target = moved.get((place["lat"], place["lon"]))
    if target is not None:
        place["lat"], place["lon"] = target
        place["precision"] = "village"


def _anonymise_run(run: PlanRun, ids: set[str] | None) -> None:
    """Delete the run's personal files and move the homes of ``ids`` in its plan to villages."""
    planning.remove_outputs(run, PERSONAL_OUTPUTS)
    if not run.plan_json:
        return
    data = coarsen_homes(json.loads(run.plan_json), ids)
    run.plan_json = json.dumps(data, ensure_ascii=False, sort_keys=True)
    for rel in run.files.get("plan", []):
        (run.out_dir / rel).write_text(
            json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8"
        )
    run.save(update_fields=["plan_json"])


def _blank(person: Person) -> None:
    person.name, person.address, person.phone, person.ref = "", "", "", ""
    person.language = ""
    person.lat, person.lon = village_point(person.village, person.lat, person.lon)
    person.precision = "village"
    person.erased = True
    person.save()


def erase_person(person: Person, *, user: Any = None) -> list[PlanRun]:
    """Erase a person: out of every future event, and their personal data gone.

    Past plans keep only the anonymous id ``P<pk>`` with the home at its village point; the files
    of plans that show the person are deleted. Every future event that was planned is planned
    again without them (returned: the new runs, in the background).
    """
    with transaction.atomic():
        today = timezone.localdate()
        for run in PlanRun.objects.filter(event__signups__person=person).distinct():
            _anonymise_run(run, {person.plan_id})
        future = list(
            Event.objects.filter(
                signups__person=person, date__gte=today, plan_runs__status=PlanRun.DONE
            ).distinct()
        )
        Signup.objects.filter(person=person, event__date__gte=today).delete()
        Signup.objects.filter(travels_with=person).update(travels_with=None)
        _blank(person)
    return [planning.start(event, user=user) for event in future]


def anonymise_due(now: datetime | None = None, *, days: int | None = None) -> int:
    """Anonymise every event that ended more than ``days`` ago; return how many.

    ``days`` defaults to ``ANONYMISE_AFTER_DAYS`` (``$PLANNER_ANONYMISE_DAYS``, 30). The event's
    plans keep anonymous ids with homes at village points, its personal files are deleted, its
    driver links revoked, its sign-ups shown by id only, and a person signed up for no later
    event is erased from the register. Sign-up files never confirmed are deleted as well.
    """
    now = now or timezone.now()
    uploads = settings.DATA_DIR / "uploads"
    if uploads.is_dir():
        imports.discard_stale(uploads, now.timestamp())
    keep_days = settings.ANONYMISE_AFTER_DAYS if days is None else days
    # Event dates are local (Europe/Amsterdam): after 23:00 UTC the UTC date is a day behind.
    cutoff = timezone.localdate(now) - timedelta(days=keep_days)
    done = 0
    for event in Event.objects.filter(anonymised=False, date__lt=cutoff):
        with transaction.atomic():
            for run in event.plan_runs.all():
                _anonymise_run(run, None)
            DriverLink.objects.filter(event=event, revoked__isnull=True).update(revoked=now)
            for signup in event.signups.select_related("person"):
                person = signup.person
                if (
                    not person.erased
                    and not person.signups.filter(event__date__gte=cutoff).exists()
                ):
                    _blank(person)
            event.anonymised = True
            event.save(update_fields=["anonymised"])
            done += 1
    return done
