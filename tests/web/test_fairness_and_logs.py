"""Fair shares over time (monthly limit, least recently driven first) and masked server logs."""

from __future__ import annotations

import io
import sys
from datetime import date


def _event(client, upload_files):
    from planner.web.models import Event

    return Event.objects.get(pk=client.post("/api/events", upload_files()).json()["id"])


def test_monthly_limit_leaves_a_driver_out_and_least_recent_come_first(
    client_as, upload_files
) -> None:
    from planner.web.models import Drive, Event, Volunteer
    from planner.web.planning import build_scenario, drives_in_month

    client = client_as("coordinator")
    event = _event(client, upload_files)
    earlier = Event.objects.create(
        name="eerder",
        venue=event.venue,
        lat=event.lat,
        lon=event.lon,
        date=date(2026, 12, 3),
        start=event.start,
        end=event.end,
    )
    d1, v1 = Volunteer.objects.get(ref="D1"), Volunteer.objects.get(ref="V1")
    Drive.objects.get_or_create(event=earlier, volunteer=d1)
    Drive.objects.get_or_create(event=earlier, volunteer=v1)
    v1.max_per_month = 1
    v1.save()
    d1.max_per_month = drives_in_month(d1, event) + 1  # other tests may plan this month too
    d1.save()
    never = [v.ref for v in Volunteer.objects.all() if not Drive.objects.filter(volunteer=v)]
    scenario, notes = build_scenario(event)
    refs = [v.id for v in scenario.fleet]
    assert "V1" not in refs and any(n.startswith("V1:") for n in notes)
    assert "D1" in refs  # under its limit
    # Whoever never drove is offered before D1, who drove this month.
    assert all(refs.index(r) < refs.index("D1") for r in never if r in refs)
    v1.max_per_month = drives_in_month(v1, event) + 1
    v1.save()
    assert "V1" in [v.id for v in build_scenario(event)[0].fleet]


def test_cancelled_and_erased_people_leave_the_scenario(client_as, upload_files) -> None:
    from planner.web.planning import build_scenario
    from planner.web.privacy import erase_person

    event = _event(client_as("coordinator"), upload_files)
    first, second = list(event.signups.all())[:2]
    first.cancelled = True
    first.save()
    erase_person(second.person)
    ids = {p.id for p in build_scenario(event)[0].participants}
    assert first.person.plan_id not in ids and second.person.plan_id not in ids
    assert len(ids) == 2


def test_access_log_masks_driver_tokens_and_query_strings(monkeypatch) -> None:
    from planner.web.serve import _Handler

    handler = _Handler.__new__(_Handler)
    handler.log_date_time_string = lambda: "now"
    out = io.StringIO()
    monkeypatch.setattr(sys, "stderr", out)
    handler.log_message(
        '"%s" %s %s', "GET /d/SECRETtoken123/route.gpx?x=Amal HTTP/1.1", "200", "10"
    )
    line = out.getvalue()
    assert "SECRETtoken123" not in line and "Amal" not in line and "/d/***" in line


def test_register_over_events_and_the_volunteers_count(
    client_as, upload_files, monkeypatch
) -> None:
    """The same people sign up for two dates: one register entry each; the volunteers page
    counts the drives of the plans made."""
    import re

    from planner.web import planning
    from planner.web.models import Drive, Event, Person

    monkeypatch.setattr(planning, "RUN_INLINE", True)
    client = client_as("coordinator")
    first = _event(client, upload_files)
    people_before = Person.objects.count()
    second = _event(client, upload_files)
    assert Person.objects.count() == people_before  # the same four, now with two sign-ups
    assert {s.person_id for s in first.signups.all()} == {s.person_id for s in second.signups.all()}
    page = client.get("/people/").content.decode()
    person = first.signups.first().person
    signups = re.search(
        rf"{person.plan_id}</td><td><a [^>]*>{person.name}</a></td>"
        rf"<td>[^<]*</td><td>[^<]*</td><td>([0-9]+)</td>",
        page,
    ).group(1)
    assert int(signups) == person.signups.count() >= 2
    planning.start(first, time_limit_s=30)
    drivers = set(Drive.objects.filter(event=first).values_list("volunteer__ref", flat=True))
    assert drivers  # the plan has rides
    page = client.get("/volunteers/").content.decode()
    ref = min(drivers)
    row = re.search(rf"<tr><td><a [^>]*>{ref}</a></td>(.*?)</tr>", page).group(1)
    cells = re.findall(r"<td>([^<]*)</td>", row)
    total = Drive.objects.filter(volunteer__ref=ref).count()
    assert cells[-2] == str(total) and cells[-1] == str(
        max(e.date for e in Event.objects.filter(drives__volunteer__ref=ref))
    )
