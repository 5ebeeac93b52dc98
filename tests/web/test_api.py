"""The JSON API and the access rules, each on the allowed and the refused side."""

from __future__ import annotations

import pytest
from conftest import small_participants


def _create(client, upload_files, **kwargs):
    return client.post("/api/events", upload_files(**kwargs))


def test_create_event_returns_201_and_saves_signups_and_fleet(client_as, upload_files) -> None:
    from planner.web.models import Event

    response = _create(client_as("coordinator"), upload_files)
    assert response.status_code == 201, response.content
    event = Event.objects.get(pk=response.json()["id"])
    assert event.name == "Taalcafé Tiel" and str(event.date) == "2026-12-10"
    assert event.signups.count() == 4
    assert sorted(v.volunteer.ref for v in event.vehicles.all()) == [
        "B1",
        "D1",
        "T1",
        "V1",
        "V2",
        "V3",
    ]


def test_bad_rows_give_400_with_one_entry_per_row_and_nothing_saved(
    client_as, upload_files
) -> None:
    from planner.web.models import Event

    before = Event.objects.count()
    text = small_participants().replace("Wamel", "Atlantis").replace("Dreumel", "Nergenshuizen")
    response = _create(client_as("coordinator"), upload_files, participants=text)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [(e["file"], e["row"], e["field"]) for e in errors] == [
        ("participants.csv", 2, "village"),
        ("participants.csv", 3, "village"),
    ]
    assert errors[0]["message"] == "not a village of the region"  # the cell is never echoed
    assert Event.objects.count() == before


def test_wrong_columns_and_wrong_file_type_are_refused(client_as, upload_files) -> None:
    client = client_as("coordinator")
    response = _create(client, upload_files, participants="who,where\nA,Tiel\n")
    assert response.status_code == 400
    assert any(
        e["field"] in ("id", "name") or "column" in e["message"] for e in response.json()["errors"]
    )
    response = _create(client, upload_files, participants_name="signups.pdf")
    assert response.status_code == 400
    assert "CSV" in response.json()["errors"][0]["message"]


def test_anonymous_gets_401_everywhere(client_as) -> None:
    client = client_as(None)
    for method, url in [
        ("get", "/api/events"),
        ("post", "/api/events"),
        ("get", "/api/events/1/plan"),
        ("post", "/api/events/1/plan"),
        ("get", "/api/events/1/drivers"),
        ("get", "/api/participants"),
        ("delete", "/api/participants/1"),
    ]:
        assert getattr(client, method)(url).status_code == 401, url


def test_bad_token_gets_401_and_good_token_works(client_as, token_for, upload_files) -> None:
    client = client_as(None)
    assert client.get("/api/events", HTTP_AUTHORIZATION="Token nope").status_code == 401
    token = token_for("coordinator")
    response = client.post("/api/events", upload_files(), HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 201
    assert client.get("/api/participants", HTTP_AUTHORIZATION=f"Token {token}").status_code == 200


def test_analyst_sees_events_but_never_names(client_as, token_for, upload_files) -> None:
    event_id = _create(client_as("coordinator"), upload_files).json()["id"]
    auth = {"HTTP_AUTHORIZATION": f"Token {token_for('analyst')}"}
    client = client_as(None)
    listing = client.get("/api/events", **auth)
    assert listing.status_code == 200 and "Amal" not in listing.content.decode()
    for method, url in [
        ("get", "/api/participants"),
        ("get", f"/api/events/{event_id}/plan"),
        ("post", f"/api/events/{event_id}/plan"),
        ("get", f"/api/events/{event_id}/drivers"),
        ("delete", "/api/participants/1"),
        ("post", "/api/events"),
    ]:
        assert getattr(client, method)(url, **auth).status_code == 403, url


def test_session_api_needs_csrf_for_changes(client_as, upload_files) -> None:
    client = client_as("coordinator", csrf=True)
    assert client.get("/api/events").status_code == 200
    assert client.post("/api/events", upload_files()).status_code == 403


def test_driver_links_are_random_hashed_and_expire_a_day_after(client_as, upload_files) -> None:
    from datetime import timedelta

    from planner.web.models import DriverLink, Event, token_hash

    client = client_as("coordinator")
    event_id = _create(client, upload_files).json()["id"]
    links = client.get(f"/api/events/{event_id}/drivers").json()
    assert sorted(link["vehicle"] for link in links) == ["B1", "D1", "T1", "V1", "V2", "V3"]
    token = links[0]["url"].rstrip("/").rsplit("/", 1)[-1]
    assert len(token) >= 22  # 128 bits in URL-safe base64
    stored = DriverLink.objects.get(token_hash=token_hash(token))
    assert token not in stored.token_hash
    event = Event.objects.get(pk=event_id)
    assert stored.expires == event.ends_at() + timedelta(days=1)
    assert DriverLink.find(token) is not None
    stored.revoked = stored.created
    stored.save()
    assert DriverLink.find(token) is None
    assert client_as(None).get(f"/d/{token}/").status_code == 404


def test_expired_or_changed_token_gives_404(client_as, upload_files) -> None:
    from django.utils import timezone

    from planner.web.models import DriverLink, Event

    client = client_as("coordinator")
    event = Event.objects.get(pk=_create(client, upload_files).json()["id"])
    volunteer = event.vehicles.first().volunteer
    link, raw = DriverLink.issue(event, volunteer)
    anonymous = client_as(None)
    assert anonymous.get(f"/d/{raw}/").status_code == 200  # no plan yet: "no rides" page
    changed = raw[:-1] + ("A" if raw[-1] != "A" else "B")
    assert anonymous.get(f"/d/{changed}/").status_code == 404
    link.expires = timezone.now()
    link.save()
    assert anonymous.get(f"/d/{raw}/").status_code == 404


def test_delete_participant_erases_them(client_as, upload_files) -> None:
    from planner.web.models import Person

    client = client_as("coordinator")
    _create(client, upload_files)
    person = Person.objects.filter(name="Amal Haddad", erased=False).latest("pk")
    assert client.delete(f"/api/participants/{person.pk}").status_code == 204
    person.refresh_from_db()
    assert person.erased and person.name == "" and person.phone == ""
    assert not person.signups.exists()  # the event is in the future: they leave it
    names = [p["name"] for p in client.get("/api/participants").json()]
    assert person.pk not in [p["id"] for p in client.get("/api/participants").json()]
    assert (
        "Amal Haddad" not in names
        or Person.objects.filter(name="Amal Haddad", erased=False).exists()
    )


def test_plan_before_planning_is_404(client_as, upload_files) -> None:
    client = client_as("coordinator")
    event_id = _create(client, upload_files).json()["id"]
    assert client.get(f"/api/events/{event_id}/plan").status_code == 404


@pytest.mark.parametrize("role,status", [("coordinator", 200), ("analyst", 403)])
def test_pages_by_role(client_as, role, status) -> None:
    client = client_as(role)
    for url in ("/events/", "/people/", "/volunteers/", "/audit/"):
        response = client.get(url)
        assert response.status_code == status, url
        assert response["Cache-Control"] == "no-store"
    assert client.get("/analysis/").status_code == 200


def test_anonymous_is_sent_to_login(client_as) -> None:
    client = client_as(None)
    for url in ("/", "/events/", "/people/", "/volunteers/", "/analysis/", "/events/1/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/"), url


def test_login_works_and_is_rate_limited(client_as, users) -> None:
    from conftest import PASSWORD

    client = client_as(None, csrf=False)
    assert client.post("/login/", {"username": "coco", "password": PASSWORD}).status_code == 302
    other = client_as(None)
    for _ in range(5):
        assert other.post("/login/", {"username": "ana", "password": "wrong"}).status_code == 200
    blocked = other.post("/login/", {"username": "ana", "password": PASSWORD})
    assert blocked.status_code == 429
    assert "_auth_user_id" not in other.session


def test_login_form_needs_csrf(client_as) -> None:
    from conftest import PASSWORD

    client = client_as(None, csrf=True)
    response = client.post("/login/", {"username": "coco", "password": PASSWORD})
    assert response.status_code == 403


def test_passwords_are_hashed(users) -> None:
    from conftest import PASSWORD

    assert PASSWORD not in users["coordinator"].password
    assert users["coordinator"].password.startswith(("pbkdf2_", "argon2", "bcrypt", "scrypt"))


def test_plan_flow_202_then_200_with_plan_v2(client_as, upload_files) -> None:
    """POST plan -> 202; GET -> 202 while planning, then 200 with the plan.json v2 contract."""
    import time

    client = client_as("coordinator")
    event_id = _create(client, upload_files).json()["id"]
    started = client.post(
        f"/api/events/{event_id}/plan", '{"time_limit_s": 30}', content_type="application/json"
    )
    assert started.status_code == 202
    deadline = time.monotonic() + 120
    while (response := client.get(f"/api/events/{event_id}/plan")).status_code == 202:
        assert time.monotonic() < deadline, "planning did not finish"
        time.sleep(0.3)
    assert response.status_code == 200, response.content[:500]
    plan = response.json()
    assert plan["version"] == 2 and plan["network"] == "approximate"
    assert len(plan["participants"]) == 4
    assert "Amal" not in response.content.decode()  # plan.json holds ids and villages only
