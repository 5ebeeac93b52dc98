"""Page texts come from the catalogues: Dutch by default, English on request, with contexts."""

from __future__ import annotations


def test_pages_are_dutch_by_default_and_english_on_request(client_as, upload_files) -> None:
    client = client_as("coordinator")
    event_id = client.post("/api/events", upload_files()).json()["id"]

    dutch = client.get(f"/events/{event_id}/").content.decode()
    assert '<html lang="nl">' in dutch
    assert "Aanmeldingen importeren" in dutch and "(coördinator)" in dutch
    assert ">Plannen</button>" in dutch  # "Plan" as a button (context), not the noun "Plan"

    english = client.get(f"/events/{event_id}/?lang=en").content.decode()
    assert '<html lang="en">' in english
    assert "Import sign-ups" in english and "(coordinator)" in english
    assert ">Plan</button>" in english
    assert "Aanmeldingen" not in english


def test_the_plan_names_network_and_timetable_in_words(
    client_as, upload_files, monkeypatch
) -> None:
    from planner.web import planning
    from planner.web.models import Event

    monkeypatch.setattr(planning, "RUN_INLINE", True)  # plan in this thread
    client = client_as("coordinator")
    event = Event.objects.get(pk=client.post("/api/events", upload_files()).json()["id"])
    run = planning.start(event, time_limit_s=30)
    run.refresh_from_db()
    assert run.status == run.DONE, run.error
    page = client.get(f"/events/{event.pk}/").content.decode()
    assert "Netwerk: benaderd (approximate) · Dienstregeling: voorbeeld" in page


def test_the_analyst_sees_the_role_in_the_page_language(client_as) -> None:
    page = client_as("analyst").get("/analysis/").content.decode()
    assert "(analist)" in page and "Isolatie-analyse" in page


def test_form_labels_follow_the_page_language(client_as) -> None:
    client = client_as("coordinator")
    dutch = client.get("/events/").content.decode()
    assert "Aantal datums" in dutch and "Occurrences" not in dutch
    english = client.get("/events/?lang=en").content.decode()
    assert "Number of dates" in english and "Aantal datums" not in english
