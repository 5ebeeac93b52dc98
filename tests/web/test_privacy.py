"""Erasure, anonymisation after the event, the audit log, exports, CSRF and the server logs."""

from __future__ import annotations

import io
import json
import logging
import re
import zipfile
from datetime import date, timedelta

import pytest
from conftest import small_participants


@pytest.fixture()
def planned(client_as, upload_files, monkeypatch):
    """Return a function that makes a demo event (4 sign-ups) and plans it in this thread."""
    from planner.web import planning
    from planner.web.models import Event

    monkeypatch.setattr(planning, "RUN_INLINE", True)
    client = client_as("coordinator")

    def make(n: int = 4) -> Event:
        response = client.post("/api/events", upload_files(participants=small_participants(n)))
        event = Event.objects.get(pk=response.json()["id"])
        run = planning.start(event, time_limit_s=30)
        run.refresh_from_db()
        assert run.status == run.DONE, run.error
        return event

    return make


def _homes(plan: dict, pid: str) -> list[dict]:
    person = next(p for p in plan["participants"] if p["id"] == pid)
    return [
        place
        for journey in (person["outbound"], person["return"])
        if journey
        for leg in journey["legs"]
        for place in (leg["from"], leg["to"])
        if place["kind"] == "home"
    ]


def test_delete_participant_replans_future_events_without_them(client_as, planned) -> None:
    from planner.web.models import Person

    event = planned()
    first = event.current_plan()
    person = event.signups.first().person
    pid = person.plan_id
    assert pid in [p["id"] for p in json.loads(first.plan_json)["participants"]]
    response = client_as("coordinator").delete(f"/api/participants/{person.pk}")
    assert response.status_code == 204
    replanned = event.current_plan()
    assert replanned.pk != first.pk
    ids = [p["id"] for p in json.loads(replanned.plan_json)["participants"]]
    assert pid not in ids and len(ids) == 3
    assert not (first.out_dir / "plan.xlsx").exists()  # the old plan's files named them
    person = Person.objects.get(pk=person.pk)
    assert person.erased and person.precision == "village" and person.name == ""


def test_past_plans_keep_an_anonymous_id_at_the_village_point(client_as, planned) -> None:
    from planner.web.imports import region
    from planner.web.models import Person
    from planner.web.privacy import erase_person

    event = planned()
    event.date = date(2026, 11, 5)  # the event took place
    event.save()
    run = event.current_plan()
    signup = event.signups.select_related("person").first()
    person = Person.objects.get(pk=signup.person_id)
    person.lat, person.lon, person.precision = person.lat + 0.0012, person.lon + 0.0007, "address"
    person.save()
    plan = json.loads(run.plan_json)
    for place in _homes(plan, person.plan_id):  # as if geocoded to the door
        place["lat"], place["lon"], place["precision"] = person.lat, person.lon, "address"
    run.plan_json = json.dumps(plan)
    run.save()
    # Nothing to plan again for this event: it is over. (The shared test database may hold
    # later events of the same person, which are planned again.)
    assert all(r.event_id != event.pk for r in erase_person(person))
    run.refresh_from_db()
    plan = json.loads(run.plan_json)
    village = region().find_village(person.village)
    homes = _homes(plan, person.plan_id)
    assert homes and all(
        (h["lat"], h["lon"], h["precision"])
        == (round(float(village["lat"]), 5), round(float(village["lon"]), 5), "village")
        for h in homes
    )
    assert "xlsx" not in run.files and "drivers" not in run.files and "csv" in run.files
    assert signup.__class__.objects.filter(pk=signup.pk).exists()  # past sign-up: an id only
    page = client_as("coordinator").get(f"/events/{event.pk}/").content.decode()
    assert 'id="no-map"' in page


def test_anonymisation_after_the_configured_days(client_as, planned) -> None:
    from planner.web.models import DriverLink, Event
    from planner.web.privacy import anonymise_due

    event = planned()
    names = [s.person.name for s in event.signups.select_related("person")]
    raw = DriverLink.issue(event, event.vehicles.first().volunteer)[1]
    ended = event.ends_at()
    anonymise_due(ended + timedelta(days=29))  # the default: 30 days
    assert not Event.objects.get(pk=event.pk).anonymised
    anonymise_due(ended + timedelta(days=8), days=7)  # a shorter period, as the command takes
    event.refresh_from_db()
    assert event.anonymised
    assert DriverLink.find(raw) is None
    run = event.current_plan()
    plan = json.loads(run.plan_json)
    assert all(
        h["precision"] == "village" for p in plan["participants"] for h in _homes(plan, p["id"])
    )
    assert sorted(run.files) == ["csv", "plan"]
    page = client_as("coordinator").get(f"/events/{event.pk}/").content.decode()
    assert names and not any(name in page for name in names)


def test_anonymise_command(tmp_path, upload_files, client_as) -> None:
    """``planner web anonymise --days N`` anonymises what ended more than N days ago.

    In this process Django is already set up, so the command works on the test database.
    """
    from django.utils import timezone
    from typer.testing import CliRunner

    from planner.cli.main import app
    from planner.web.models import Event

    response = client_as("coordinator").post("/api/events", upload_files())
    event = Event.objects.get(pk=response.json()["id"])
    event.date = timezone.localdate() - timedelta(days=11)
    event.save()
    recent = Event.objects.create(
        name="recent",
        venue=event.venue,
        lat=event.lat,
        lon=event.lon,
        date=timezone.localdate() - timedelta(days=9),
        start=event.start,
        end=event.end,
    )
    result = CliRunner().invoke(
        app, ["web", "anonymise", "--data-dir", str(tmp_path), "--days", "10"]
    )
    assert result.exit_code == 0, result.output
    assert re.fullmatch(r"[1-9][0-9]* events anonymised \(older than 10 days\)\n", result.output)
    assert Event.objects.get(pk=event.pk).anonymised
    assert not Event.objects.get(pk=recent.pk).anonymised


def test_exports_and_print_all_are_whole_and_audited(client_as, planned) -> None:
    from planner.web.models import AuditEntry

    event = planned(6)
    run = event.current_plan()
    client = client_as("coordinator")
    page = client.get(f"/events/{event.pk}/print/")
    assert page["Cache-Control"] == "no-store"
    text = page.content.decode()
    sheets = len(run.files["drivers"]) + len(run.files["riders"])
    assert text.count('<section class="print-page">') == sheets
    served = [s.person for s in event.signups.select_related("person")]
    assert all(p.name in text for p in served)  # every rider card is there
    csv_text = b"".join(client.get(f"/events/{event.pk}/export/csv/").streaming_content)
    assert csv_text.decode("utf-8-sig").count("\n") == 7  # header and one row each
    gpx = zipfile.ZipFile(io.BytesIO(client.get(f"/events/{event.pk}/export/gpx/").content))
    assert sorted(gpx.namelist()) == sorted(r.rsplit("/", 1)[-1] for r in run.files["gpx"])
    gpkg = b"".join(client.get(f"/events/{event.pk}/export/gpkg/").streaming_content)
    assert gpkg.startswith(b"SQLite format 3")
    assert client.get(f"/events/{event.pk}/export/json/").json()["version"] == 2
    assert client.get(f"/events/{event.pk}/export/pdf/").status_code == 404
    actions = set(
        AuditEntry.objects.filter(subject__startswith=f"event {event.pk} ").values_list(
            "action", flat=True
        )
    )
    assert {"print_all", "export_csv", "export_gpx", "export_gpkg", "export_json"} <= actions
    audit_page = client.get("/audit/").content.decode()
    assert "export_gpkg" in audit_page


def test_every_form_carries_a_csrf_token_and_posts_without_one_fail(client_as, planned) -> None:
    event = planned()
    client = client_as("coordinator", csrf=True)
    signup = event.signups.first()
    for url in (
        "/events/",
        f"/events/{event.pk}/",
        f"/events/{event.pk}/import/",
        "/people/",
        "/people/new/",
        "/volunteers/new/",
        f"/people/{signup.person_id}/",
    ):
        page = client.get(url).content.decode()
        forms = re.findall(r"<form[^>]*method=\"post\".*?</form>", page, re.DOTALL)
        assert forms, url
        for form in forms:
            assert 'name="csrfmiddlewaretoken"' in form, (url, form[:200])
    for url in (
        f"/events/{event.pk}/plan/",
        f"/events/{event.pk}/links/",
        f"/events/{event.pk}/signups/{signup.pk}/cancel/",
        f"/people/{signup.person_id}/erase/",
        "/logout/",
        "/events/",
    ):
        assert client.post(url, {}).status_code == 403, url
    signup.refresh_from_db()
    assert not signup.cancelled and not signup.person.erased


def test_weekly_and_fortnightly_series(client_as) -> None:
    from planner.web.models import Event

    client = client_as("coordinator")
    for recurrence, dates in (
        ("weekly", ["2027-02-04", "2027-02-11"]),
        ("fortnightly", ["2027-02-04", "2027-02-18", "2027-03-04"]),
    ):
        name = f"Spreekuur {recurrence}"
        response = client.post(
            "/events/",
            {
                "name": name,
                "venue": "Bibliotheek Tiel (cultuurgebouw Zinder)",
                "date": "2027-02-04",
                "start": "10:00",
                "end": "11:30",
                "arrive_before_min": 10,
                "recurrence": recurrence,
                "occurrences": len(dates),
            },
        )
        assert response.status_code == 302
        series = Event.objects.filter(name=name).order_by("date")
        assert [str(e.date) for e in series] == dates
        assert {e.recurrence for e in series} == {recurrence}
    refused = client.post(
        "/events/",
        {
            "name": "Zonder herhaling",
            "venue": "Bibliotheek Tiel (cultuurgebouw Zinder)",
            "date": "2027-02-04",
            "start": "10:00",
            "end": "11:30",
            "arrive_before_min": 10,
            "recurrence": "none",
            "occurrences": 3,
        },
    )
    assert refused.status_code == 200
    assert not Event.objects.filter(name="Zonder herhaling").exists()


def test_the_run_passes_its_time_limit_to_the_solver(client_as, upload_files, monkeypatch) -> None:
    import planner
    from planner.web import planning
    from planner.web.models import Event

    seen = []
    real = planner.plan

    def spy(scenario, **kwargs):
        seen.append(kwargs["options"].time_limit_s)
        return real(scenario, **kwargs)

    monkeypatch.setattr(planner, "plan", spy)
    monkeypatch.setattr(planning, "RUN_INLINE", True)
    client = client_as("coordinator")
    event = Event.objects.get(pk=client.post("/api/events", upload_files()).json()["id"])
    client.post(f"/events/{event.pk}/plan/", {"time_limit_s": "25"})
    run = event.plan_runs.latest("pk")
    assert seen == [25.0] and run.time_limit_s == 25.0 and run.status == run.DONE


def test_no_personal_data_in_server_logs(client_as, upload_files, planned, caplog) -> None:
    """A whole flow with failures on purpose: the log records name no participant or driver."""
    from planner.web.models import Volunteer

    caplog.set_level(logging.DEBUG)
    event = planned(6)
    client = client_as("coordinator")
    bad = small_participants(3).replace("Wamel", "Atlantis")
    client.post("/api/events", upload_files(participants=bad))
    client.get(f"/events/{event.pk}/")
    client.get(f"/events/{event.pk}/print/")
    client.get("/people/")
    client.get("/events/999999/")
    client_as(None).get("/d/not-a-token/")
    client_as("analyst").get("/api/participants")
    secrets = [s.person.name for s in event.signups.select_related("person")]
    secrets += [s.person.phone for s in event.signups.select_related("person") if s.person.phone]
    secrets += [v.name for v in Volunteer.objects.exclude(name="")]
    logged = "\n".join(r.getMessage() + str(r.args) for r in caplog.records)
    assert caplog.records  # the flow did log (requests, plan runs)
    leaked = [s for s in secrets if s in logged]
    assert not leaked


def test_progress_while_planning_then_the_duration(client_as, upload_files) -> None:
    from django.utils import timezone

    from planner.web.models import Event, PlanRun

    client = client_as("coordinator")
    event = Event.objects.get(pk=client.post("/api/events", upload_files()).json()["id"])
    run = PlanRun.objects.create(
        event=event,
        time_limit_s=10,
        status=PlanRun.RUNNING,
        phase=PlanRun.SOLVING,
        started=timezone.now() - timedelta(seconds=4),
    )
    page = client.get(f"/events/{event.pk}/").content.decode()
    assert 'http-equiv="refresh"' in page and 'data-phase="solving"' in page
    assert re.search(r'<progress max="100" value="(3[0-9])">', page)  # 4 of 10 s, scaled to 95
    assert 'id="plan-button"' not in page  # one plan at a time
    run.phase = PlanRun.WRITING
    run.save()
    page = client.get(f"/events/{event.pk}/").content.decode()
    assert 'data-phase="writing"' in page and 'value="100"' in page
    run.status, run.phase, run.finished = PlanRun.FAILED, "", timezone.now()
    run.error = "RuntimeError: test"
    run.save()
    page = client.get(f"/events/{event.pk}/").content.decode()
    assert 'http-equiv="refresh"' not in page and "RuntimeError: test" in page
