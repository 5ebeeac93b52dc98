"""The import page (preview, every row error, nothing half-saved) and the register pages."""

from __future__ import annotations

import re

from conftest import demo_xlsx, small_participants
from django.core.files.uploadedfile import SimpleUploadedFile


def _event(client, upload_files):
    from planner.web.models import Event

    return Event.objects.get(pk=client.post("/api/events", upload_files()).json()["id"])


def _upload(client, event, name, data: bytes, kind="participants"):
    return client.post(
        f"/events/{event.pk}/import/", {"kind": kind, "file": SimpleUploadedFile(name, data)}
    )


def test_preview_then_confirm_saves_all_rows(client_as, upload_files) -> None:
    client = client_as("coordinator")
    event = _event(client, upload_files)
    text = small_participants(8).encode()
    preview = _upload(client, event, "extra.csv", text)
    assert preview.status_code == 200
    page = preview.content.decode()
    assert 'id="preview"' in page and "Olena Kovalenko" in page
    assert event.signups.count() == 4  # nothing saved before the confirmation
    staged = page.split('name="staged" value="')[1].split('"')[0]
    done = client.post(
        f"/events/{event.pk}/import/",
        {"kind": "participants", "staged": staged, "shown": "extra.csv", "confirm": "1"},
    )
    assert done.status_code == 302
    assert event.signups.count() == 8


def test_bad_uploads_show_every_problem_and_save_nothing(client_as, upload_files) -> None:
    client = client_as("coordinator")
    event = _event(client, upload_files)
    before = (event.signups.count(), event.vehicles.count())
    cases = {
        "wrong columns": ("a.csv", b"who,where\nX,Tiel\n", "id"),
        "unknown village": (
            "b.csv",
            small_participants(3)
            .replace("Dreumel", "Atlantis")
            .replace("Wamel", "Utopia")
            .encode(),
            "not a village of the region",
        ),
        "not csv": ("c.pdf", b"%PDF-1.4 ...", "CSV"),
        "binary named csv": ("d.csv", b"\x00\x01\x02\x03", "CSV"),
        "fake xlsx": ("e.xlsx", b"id,name\n", "CSV"),
    }
    for case, (name, data, expected) in cases.items():
        response = _upload(client, event, name, data)
        assert response.status_code == 400, case
        page = response.content.decode()
        assert 'id="import-errors"' in page and expected in page, case
    page = _upload(client, event, "b.csv", cases["unknown village"][1]).content.decode()
    assert "rij 2" in page and "rij 3" in page  # both row errors, not only the first
    assert "Atlantis" not in page and "did you mean" not in page  # no cell echoed, none close
    assert (event.signups.count(), event.vehicles.count()) == before


def test_a_50_mb_file_is_refused_with_a_message(client_as, upload_files) -> None:
    client = client_as("coordinator")
    event = _event(client, upload_files)
    big = b"id,name,village\n" + b"P9,Someone,Tiel\n" * (50 * 1024 * 1024 // 16)
    response = _upload(client, event, "big.csv", big)
    assert response.status_code == 400
    assert "too large" in response.content.decode()
    assert event.signups.count() == 4


def test_xlsx_signups_are_read(client_as, upload_files, tmp_path) -> None:
    client = client_as("coordinator")
    event = _event(client, upload_files)
    data = demo_xlsx(tmp_path / "aanmeldingen.xlsx", 6).read_bytes()
    response = _upload(client, event, "aanmeldingen.xlsx", data)
    assert response.status_code == 200, response.content.decode()[-2000:]
    assert "Olena Kovalenko" in response.content.decode()


def test_people_and_volunteers_pages(client_as, upload_files) -> None:
    from planner.web.models import AuditEntry

    client = client_as("coordinator")
    _event(client, upload_files)
    assert "Amal Haddad" in client.get("/people/").content.decode()
    page = client.get("/volunteers/").content.decode()
    assert "Gerda van Dijk" in page and 'id="volunteers"' in page
    assert AuditEntry.objects.filter(action="view_people", who="coco").exists()
    response = client.post(
        "/volunteers/new/",
        {
            "ref": "X1",
            "name": "Nieuwe Rijder",
            "kind": "volunteer_car",
            "seats": 3,
            "wheelchair_places": 0,
            "base_village": "Wamel",
            "cost_per_km": 0.2,
            "max_per_month": 2,
            "active": "on",
        },
    )
    assert response.status_code == 302
    response = client.post(
        "/volunteers/new/",
        {
            "ref": "X2",
            "kind": "taxi",
            "seats": 3,
            "wheelchair_places": 0,
            "base_village": "Atlantis",
            "cost_per_km": 0,
        },
    )
    assert response.status_code == 200 and "Atlantis" in response.content.decode()


def test_event_series_weekly(client_as) -> None:
    from planner.web.models import Event

    client = client_as("coordinator")
    response = client.post(
        "/events/",
        {
            "name": "Spreekuur",
            "venue": "Bibliotheek Tiel (cultuurgebouw Zinder)",
            "date": "2027-01-07",
            "start": "10:00",
            "end": "11:30",
            "arrive_before_min": 10,
            "recurrence": "weekly",
            "occurrences": 3,
        },
    )
    assert response.status_code == 302
    first = Event.objects.get(pk=int(response["Location"].strip("/").split("/")[-1]))
    dates = [str(e.date) for e in Event.objects.filter(name="Spreekuur").order_by("date")]
    assert dates == ["2027-01-07", "2027-01-14", "2027-01-21"]
    assert first.occurrences.count() == 2


def test_anonymise_after_the_configured_days(client_as, upload_files) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from planner.web.models import Event
    from planner.web.privacy import anonymise_due

    client = client_as("coordinator")
    event = _event(client, upload_files)
    person = event.signups.first().person
    at_event = timezone.make_aware(timezone.datetime.combine(event.date, event.end))
    anonymise_due(at_event + timedelta(days=29))
    person.refresh_from_db()
    assert not person.erased
    anonymise_due(at_event + timedelta(days=32))
    person.refresh_from_db()
    assert person.erased and person.name == ""
    assert Event.objects.get(pk=event.pk).anonymised


def test_unconfirmed_uploads_are_deleted_after_some_hours(client_as, upload_files) -> None:
    import os
    import time

    from django.conf import settings

    from planner.web import imports
    from planner.web.privacy import anonymise_due

    client = client_as("coordinator")
    event = _event(client, upload_files)
    page = _upload(client, event, "a.csv", small_participants(2).encode()).content.decode()
    staged = page.split('name="staged" value="')[1].split('"')[0]
    path = settings.DATA_DIR / "uploads" / staged
    assert path.is_file()
    anonymise_due()
    assert path.is_file()  # still waiting for the confirmation
    old = time.time() - imports.STAGED_KEEP_S - 60
    os.utime(path, (old, old))
    anonymise_due()
    assert not path.exists()
    done = client.post(
        f"/events/{event.pk}/import/", {"kind": "participants", "staged": staged, "confirm": "1"}
    )
    assert done.status_code == 400 and "upload het bestand opnieuw" in done.content.decode()


def test_print_page_escapes_the_event_name(client_as, upload_files, monkeypatch) -> None:
    from planner.web import planning

    monkeypatch.setattr(planning, "RUN_INLINE", True)
    client = client_as("coordinator")
    event = _event(client, upload_files)
    event.name = "<script>alert(1)</script>"
    event.save()
    planning.start(event, time_limit_s=30)
    page = client.get(f"/events/{event.pk}/print/").content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page


def test_volunteers_page_counts_this_month_only(client_as, upload_files) -> None:
    import re
    from datetime import timedelta

    from django.utils import timezone

    from planner.web.models import Drive, Event, Volunteer

    client = client_as("coordinator")
    template = _event(client, upload_files)
    volunteer = Volunteer.objects.create(ref="M9", name="Maand", lat=51.9, lon=5.4)
    today = timezone.localdate()
    for day in (today, today + timedelta(days=40), today - timedelta(days=40)):
        event = Event.objects.create(
            name="x",
            venue=template.venue,
            lat=template.lat,
            lon=template.lon,
            date=day,
            start=template.start,
            end=template.end,
        )
        Drive.objects.create(event=event, volunteer=volunteer)
    page = client.get("/volunteers/").content.decode()
    row = re.search(r"<tr><td><a [^>]*>M9</a></td>(.*?)</tr>", page).group(1)
    cells = re.findall(r"<td>([^<]*)</td>", row)
    assert cells[-3:-1] == ["1", "3"]  # this month, in total


def test_analyst_runs_the_isolation_analysis_and_a_what_if(client_as, upload_files) -> None:
    """Villages and counts, the map, never a participant (their names are in the register)."""
    from planner.web.models import Person

    _event(client_as("coordinator"), upload_files)
    client = client_as("analyst")
    query = {
        "venue": "Bibliotheek Tiel (cultuurgebouw Zinder)",
        "date": "2026-12-10",
        "arrive_by": "19:20",
        "return_after": "21:30",
        "shift_min": 0,
        "add_vehicle": "dorpsauto@Wamel",
    }
    response = client.get("/analysis/", query)
    page = response.content.decode()
    assert response.status_code == 200 and 'id="analysis-summary"' in page
    numbers = re.search(r"<p>(\d+) / (\d+) .*?\(.*?: (\d+)\)", page)
    assert numbers, page[-3000:]
    isolated, villages, before = map(int, numbers.groups())
    assert villages == 81 and isolated < before  # the village car helps
    key = re.search(r'src="/analysis/map/([0-9a-f]{24})/"', page).group(1)
    assert "leaflet" in client.get(f"/analysis/map/{key}/").content.decode().lower()
    names = [p.name for p in Person.objects.exclude(name="")]
    assert names and not any(name in page for name in names)
    bad = client.get("/analysis/", {**query, "add_vehicle": "dorpsauto@Atlantis"})
    assert (
        "Atlantis" in bad.content.decode() and 'id="analysis-summary"' not in bad.content.decode()
    )
