"""A coordinator's way through in real headless Chromium (Playwright driving Debian's chromium),
against the app served on a free local port. Screenshots go to ``test-artifacts/web/``."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from conftest import PASSWORD, REPO, demo_xlsx

from tests.output.chromium import HEADLESS_FLAGS

ARTIFACTS = REPO / "test-artifacts" / "web"
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def live_url(django_db):
    from planner.web.serve import make_server

    server = make_server("127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def chrome():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=list(HEADLESS_FLAGS))
        yield browser
        browser.close()


def _login(page, url: str, username: str = "coco") -> None:
    page.goto(f"{url}/login/")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def _new_event(page, url: str, name: str) -> None:
    page.goto(f"{url}/events/")
    page.fill("#id_name", name)
    page.fill("#id_date", "2026-12-10")
    page.fill("#id_start", "19:30")
    page.fill("#id_end", "21:30")
    page.click("text=Aanmaken")
    page.wait_for_url("**/events/*/")


def _import(page, kind: str, path: Path) -> None:
    page.click("#import-link")
    page.select_option("#id_kind", kind)
    page.set_input_files("#id_file", str(path))
    page.click("#upload")
    page.wait_for_selector("#preview")


def _wait_for_plan(page) -> None:
    """Until the plan is shown (the page refreshes itself while planning); fails on a failure."""
    page.wait_for_selector("#summary, #planning .error", timeout=120_000)
    failed = page.locator("#planning .error")
    assert failed.count() == 0, failed.first.inner_text()


def test_anonymous_visitor_sees_nothing(chrome, live_url, users) -> None:
    page = chrome.new_page()
    for path in ("/", "/events/", "/people/", "/volunteers/", "/events/1/", "/analysis/"):
        page.goto(live_url + path)
        assert page.url.startswith(f"{live_url}/login/"), path
        assert page.locator("#username").count() == 1
    assert page.goto(f"{live_url}/d/not-a-token/").status == 404
    page.screenshot(path=str(ARTIFACTS / "0-login.png"))
    page.close()


def test_log_in_and_import_demo_signups_from_xlsx(chrome, live_url, users, tmp_path) -> None:
    from planner.web.models import Event

    page = chrome.new_page()
    _login(page, live_url)
    assert page.url.endswith("/events/")
    _new_event(page, live_url, "Taalcafé browser")
    event = Event.objects.filter(name="Taalcafé browser").latest("pk")
    _import(page, "participants", demo_xlsx(tmp_path / "aanmeldingen.xlsx"))
    assert page.locator("#preview tr").count() == 26  # header and the 25 demo sign-ups
    assert event.signups.count() == 0
    page.screenshot(path=str(ARTIFACTS / "1-import-preview.png"), full_page=True)
    page.click("#confirm")
    page.wait_for_url(f"**/events/{event.pk}/")
    assert event.signups.count() == 25
    page.close()


def test_bad_upload_shows_the_rows_on_the_page(chrome, live_url, users, tmp_path) -> None:
    page = chrome.new_page()
    _login(page, live_url)
    _new_event(page, live_url, "Taalcafé fout")
    bad = tmp_path / "fout.csv"
    bad.write_text(
        "id,name,village\nP1,A,Atlantis\nP2,B,Tiel\nP3,C,Nergenshuizen\n", encoding="utf-8"
    )
    page.click("#import-link")
    page.set_input_files("#id_file", str(bad))
    page.click("#upload")
    errors = page.locator(".errors li")
    assert errors.count() == 2
    assert "rij 2" in errors.nth(0).inner_text() and "rij 4" in errors.nth(1).inner_text()
    page.screenshot(path=str(ARTIFACTS / "1-import-errors.png"), full_page=True)
    page.close()


def test_plan_see_map_cancel_replan_and_driver_link(chrome, live_url, users, tmp_path) -> None:
    """Log in, import, plan (time limit 2 s), see the map, cancel a rider, re-plan, open a
    driver link: it shows that vehicle's riders only."""
    import json

    from planner.web.models import Event

    page = chrome.new_page()
    _login(page, live_url)
    _new_event(page, live_url, "Taalcafé plan")
    event = Event.objects.filter(name="Taalcafé plan").latest("pk")
    _import(page, "participants", demo_xlsx(tmp_path / "a.xlsx", 8))
    page.click("#confirm")
    page.wait_for_url(f"**/events/{event.pk}/")
    _import(page, "fleet", REPO / "data" / "scenarios" / "taalcafe-tiel" / "fleet.csv")
    page.click("#confirm")
    page.wait_for_url(f"**/events/{event.pk}/")

    page.fill("#id_time_limit_s", "30")
    page.click("#plan-button")
    if page.locator("#progress").count():  # planning takes a few seconds: usually still running
        page.screenshot(path=str(ARTIFACTS / "2-progress.png"))
    _wait_for_plan(page)
    assert "binnen de tijdslimiet van 30 s" in page.inner_text("#duration")
    frame = page.frame_locator("#overview")
    frame.locator(".leaflet-container").wait_for(timeout=20_000)
    page.screenshot(path=str(ARTIFACTS / "2-plan.png"), full_page=True)
    first = json.loads(event.current_plan().plan_json)
    riders = [
        p["id"]
        for p in first["participants"]
        if p["status"] == "served" and any(leg["mode"] == "ride" for leg in p["outbound"]["legs"])
    ]
    assert riders, "the demo plan has riders"
    cancelled = riders[0]
    page.locator(f'tr[data-person="{cancelled}"] button.cancel').click()
    page.wait_for_selector(f'tr.cancelled[data-person="{cancelled}"]')
    page.fill("#id_time_limit_s", "30")
    page.click("#plan-button")
    page.wait_for_function(
        f"document.querySelector('#summary h2') && "
        f"!document.querySelector('#summary h2').textContent.includes('#{event.current_plan().pk}')",
        timeout=120_000,
    )
    second = json.loads(event.current_plan().plan_json)
    assert cancelled not in [p["id"] for p in second["participants"]]
    page.screenshot(path=str(ARTIFACTS / "3-replanned.png"), full_page=True)

    page.click("#make-links")
    links = page.locator("a.driver-link")
    used = {v["id"] for v in second["vehicles"] if any(t["stops"] for t in v["trips"])}
    by_vehicle = {
        links.nth(i).get_attribute("data-vehicle"): links.nth(i).get_attribute("href")
        for i in range(links.count())
    }
    vehicle = min(used)
    driver = chrome.new_page()  # no login: the link alone
    driver.goto(by_vehicle[vehicle])
    text = driver.inner_text("body")
    driver.screenshot(path=str(ARTIFACTS / "4-driver-link.png"), full_page=True)
    names = {p.plan_id: p.name for s in event.signups.select_related("person") for p in [s.person]}
    mine = {
        pid
        for v in second["vehicles"]
        if v["id"] == vehicle
        for t in v["trips"]
        for s in t["stops"]
        for pid in s["pickup"] + s["dropoff"]
    }
    for pid, name in names.items():
        if pid in mine:
            assert name in text, f"{name} rides in {vehicle}"
        elif pid != cancelled:
            assert name not in text, f"{name} is not in {vehicle} but is on its sheet"
    token = by_vehicle[vehicle].rstrip("/").rsplit("/", 1)[-1]
    changed = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    assert driver.goto(by_vehicle[vehicle].replace(token, changed)).status == 404
    for path in (
        f"/events/{event.pk}/",
        f"/events/{event.pk}/print/",
        f"/events/{event.pk}/export/xlsx/",
        f"/events/{event.pk}/map/",
        "/people/",
        "/api/participants",
        f"/api/events/{event.pk}/plan",
    ):
        response = driver.goto(live_url + path)  # the driver has no session: nothing else
        assert response.status == 401 or driver.url.startswith(f"{live_url}/login/"), path
        body = driver.content()
        assert not any(name in body for name in names.values()), path
    driver.close()
    page.close()
