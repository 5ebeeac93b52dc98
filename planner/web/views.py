"""The coordinators' and analysts' pages, and the drivers' secret links."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.db import transaction
from django.db.models import Count, Max, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from planner.model.plan import Plan
from planner.web import imports, planning
from planner.web.access import (
    coordinator_required,
    login_blocked,
    login_failed,
    login_succeeded,
    role_of,
    staff_required,
)
from planner.web.forms import (
    AnalysisForm,
    EventForm,
    PersonForm,
    PlanForm,
    UploadForm,
    VolunteerForm,
)
from planner.web.models import (
    AuditEntry,
    DriverLink,
    Event,
    EventVehicle,
    Person,
    PlanRun,
    Signup,
    Volunteer,
)
from planner.web.privacy import anonymise_due, audit, erase_person
from planner.web.templatetags.labels import label

_STEP = {"weekly": 7, "fortnightly": 14}
#: What the plan page exports, by URL name (files the planner wrote, and plan.json itself).
EXPORTS = ("csv", "xlsx", "gpkg", "gpx", "json")


# --------------------------------------------------------------------------- login


def login_view(request: HttpRequest) -> HttpResponse:
    """``/login/``: user name and password; failed attempts are rate-limited."""
    error, status = None, 200
    if request.method == "POST":
        username = request.POST.get("username", "")
        address = request.META.get("REMOTE_ADDR", "")
        if login_blocked(username, address):
            error, status = "blocked", 429
        else:
            user = authenticate(
                request, username=username, password=request.POST.get("password", "")
            )
            if user is None or role_of(user) is None:
                login_failed(username, address)
                error, status = "wrong", 200
            else:
                login_succeeded(username, address)
                login(request, user)
                anonymise_due()
                target = request.POST.get("next") or "/"
                return redirect(
                    target if target.startswith("/") and not target.startswith("//") else "/"
                )
    return render(
        request,
        "web/login.html",
        {"error": error, "next": request.GET.get("next", "")},
        status=status,
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    """Log out and go back to the login page."""
    logout(request)
    return redirect("/login/")


@staff_required
def home(request: HttpRequest) -> HttpResponse:
    """Send coordinators to the events and analysts to the analysis."""
    return redirect("events" if role_of(request.user) == "coordinator" else "analysis")


# --------------------------------------------------------------------------- events


@coordinator_required
def events(request: HttpRequest) -> HttpResponse:
    """All events, newest date first, and the form for a new one (with recurrence)."""
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        event = _create_series(form.cleaned_data)
        return redirect("event", event.pk)
    rows = Event.objects.annotate(n=Count("signups")).order_by("-date", "-pk")
    return render(request, "web/events.html", {"events": rows, "form": form})


@transaction.atomic
def _create_series(data: dict) -> Event:
    from planner.web.imports import region

    venue = region().find_venue(data["venue"])
    events: list[Event] = []
    for n in range(data["occurrences"]):
        day = data["date"] + timedelta(days=n * _STEP.get(data["recurrence"], 0))
        events.append(
            Event.objects.create(
                name=data["name"],
                venue=str(venue["name"]),
                lat=float(venue["lat"]),
                lon=float(venue["lon"]),
                date=day,
                start=data["start"],
                end=data["end"],
                arrive_before_min=data["arrive_before_min"],
                recurrence=data["recurrence"],
                series=events[0] if events else None,
            )
        )
    return events[0]


@coordinator_required
def event(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the event: sign-ups, vehicles, planning progress and the current plan."""
    ev = get_object_or_404(Event, pk=pk)
    run = ev.current_plan()
    latest = ev.plan_runs.order_by("-pk").first()
    busy = latest if latest and latest.status in (PlanRun.QUEUED, PlanRun.RUNNING) else None
    plan = Plan.from_dict(json.loads(run.plan_json)) if run else None
    signups = list(ev.signups.select_related("person", "pinned_to"))
    # An anonymised event shows ids only, also of people still in the register.
    people = {} if ev.anonymised else {s.person.plan_id: s.person for s in signups}
    rows = _plan_rows(plan, people) if plan else []
    audit(request, "view_event", f"event {ev.pk}")
    links = ev.driver_links.select_related("volunteer").order_by("-pk")
    context = {
        "event": ev,
        "run": run,
        "busy": busy,
        "failed": latest if latest and latest.status == PlanRun.FAILED else None,
        "plan": plan,
        "rows": rows,
        "signups": signups,
        "vehicles": ev.vehicles.select_related("volunteer"),
        "volunteers": Volunteer.objects.filter(active=True),
        "links": [link for link in links if link.live],
        "new_links": _pop_new_links(request, ev),
        "notes": (run.notes.splitlines() if run and run.notes else []),
        "elapsed": _elapsed(busy),
        "plan_form": PlanForm(),
        "previous_in_series": _previous_in_series(ev),
        "default_limit": settings.PLAN_TIME_LIMIT_S,
        "show_names": not ev.anonymised,
        "files": set(run.files) if run else set(),
    }
    return render(request, "web/event.html", context)


def _elapsed(run: PlanRun | None) -> dict | None:
    if run is None:
        return None
    seconds = (timezone.now() - run.started).total_seconds() if run.started else 0.0
    # The search has the time limit; the bar stays short of full until the files are written.
    share = (
        100
        if run.phase == PlanRun.WRITING
        else min(95, int(95 * seconds / max(run.time_limit_s, 1)))
    )
    return {"seconds": round(seconds), "limit": round(run.time_limit_s), "percent": share}


def _previous_in_series(ev: Event) -> Event | None:
    root = ev.series or ev
    return (
        Event.objects.filter(Q(pk=root.pk) | Q(series=root), date__lt=ev.date)
        .order_by("-date")
        .first()
    )


def _plan_rows(plan: Plan, people: dict[str, Person]) -> list[dict]:
    rows = []
    for p in plan.participants:
        person = people.get(p.id)
        rows.append(
            {
                "id": p.id,
                "name": person.name if person and not person.erased else "",
                "village": p.village or "",
                "mode": p.mode,
                "status": p.status,
                "reason": p.reason.text if p.reason else "",
                "outbound": _journey_text(p.outbound),
                "return": _journey_text(p.return_),
            }
        )
    return rows


def _journey_text(journey) -> str:
    if journey is None:
        return ""
    parts = []
    for leg in journey.legs:
        what = leg.vehicle or leg.route or ""
        parts.append(
            f"{leg.depart[11:]} {label(leg.mode)}{' ' + what if what else ''} "
            f"→ {leg.to.name} {leg.arrive[11:]}"
        )
    return "; ".join(parts)


@require_POST
@coordinator_required
def start_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """Start planning the event in the background (the previous plan kept where it can)."""
    ev = get_object_or_404(Event, pk=pk)
    form = PlanForm(request.POST)
    limit = form.cleaned_data.get("time_limit_s") if form.is_valid() else None
    if not ev.signups.filter(cancelled=False).exists():
        messages.error(request, _("Nobody is signed up yet: import the sign-ups first."))
        return redirect("event", pk)
    planning.start(ev, user=request.user, time_limit_s=limit)
    return redirect("event", pk)


@require_POST
@coordinator_required
def signup_action(request: HttpRequest, pk: int, signup: int, action: str) -> HttpResponse:
    """Cancel or restore a sign-up, or pin its rider to a vehicle (empty: unpin)."""
    s = get_object_or_404(Signup, pk=signup, event_id=pk)
    if action == "cancel":
        s.cancelled = True
    elif action == "restore":
        s.cancelled = False
    elif action == "pin":
        ref = request.POST.get("vehicle", "")
        s.pinned_to = Volunteer.objects.filter(ref=ref).first() if ref else None
    else:
        raise Http404
    s.save()
    return redirect("event", pk)


@require_POST
@coordinator_required
def copy_signups(request: HttpRequest, pk: int) -> HttpResponse:
    """Take over the sign-ups and vehicles of the previous date of the series."""
    ev = get_object_or_404(Event, pk=pk)
    source = _previous_in_series(ev)
    if source is None:
        raise Http404
    with transaction.atomic():
        for s in source.signups.filter(cancelled=False, person__erased=False):
            Signup.objects.get_or_create(
                event=ev, person=s.person, defaults={"travels_with": s.travels_with}
            )
        for v in source.vehicles.all():
            EventVehicle.objects.get_or_create(
                event=ev,
                volunteer=v.volunteer,
                defaults={"available_from": v.available_from, "available_until": v.available_until},
            )
    return redirect("event", pk)


# --------------------------------------------------------------------------- import


@coordinator_required
def import_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload, preview (every row error, or every row), then confirm: nothing is saved before."""
    ev = get_object_or_404(Event, pk=pk)
    context: dict = {"event": ev, "form": UploadForm(), "errors": [], "rows": None}
    if request.method == "POST" and "confirm" in request.POST:
        kind, staged = request.POST.get("kind", ""), request.POST.get("staged", "")
        try:
            items = imports.read_table(
                kind, imports.staged_path(staged), request.POST.get("shown", "upload")
            )
        except imports.UploadError as exc:
            context["errors"] = exc.errors
            return render(request, "web/import.html", context, status=400)
        if kind == "participants":
            imports.save_participants(ev, items)
        else:
            imports.save_fleet(ev, items)
        imports.discard(staged)
        messages.success(
            request,
            ngettext("{n} row imported.", "{n} rows imported.", len(items)).format(n=len(items)),
        )
        return redirect("event", pk)
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        context["form"] = form
        if not form.is_valid():
            return render(request, "web/import.html", context, status=400)
        kind, upload = form.cleaned_data["kind"], form.cleaned_data["file"]
        shown = upload.name
        try:
            staged = imports.stage(upload, label=kind)
            items = imports.read_table(kind, imports.staged_path(staged), shown)
        except imports.UploadError as exc:
            if "staged" in locals():
                imports.discard(staged)
            context["errors"] = exc.errors
            return render(request, "web/import.html", context, status=400)
        audit(request, "import_preview", f"event {ev.pk} {kind}")
        context.update({"rows": items, "kind": kind, "staged": staged, "shown": shown})
    return render(request, "web/import.html", context)


# --------------------------------------------------------------------------- plan files


def _run_file(run: PlanRun | None, kind: str, name: str | None = None):
    if run is None:
        raise Http404
    for rel in run.files.get(kind, []):
        if name is None or rel.rsplit("/", 1)[-1] == name:
            path = run.out_dir / rel
            if path.is_file():
                return path
    raise Http404


@coordinator_required
def overview_map(request: HttpRequest, pk: int) -> HttpResponse:
    """Return the current plan's overview map (ids and villages only; Leaflet inlined)."""
    ev = get_object_or_404(Event, pk=pk)
    path = _run_file(ev.current_plan(), "overview")
    return HttpResponse(path.read_text(encoding="utf-8"))


@coordinator_required
def print_all(request: HttpRequest, pk: int) -> HttpResponse:
    """Every driver sheet and rider card of the current plan on one page, a sheet per page."""
    ev = get_object_or_404(Event, pk=pk)
    run = ev.current_plan()
    if run is None:
        raise Http404
    styles, bodies = [], []
    for kind in ("drivers", "riders"):
        for rel in run.files.get(kind, []):
            text = (run.out_dir / rel).read_text(encoding="utf-8")
            for style in re.findall(r"<style[^>]*>.*?</style>", text, re.DOTALL):
                if style not in styles:
                    styles.append(style)
            body = re.search(r"<body[^>]*>(.*)</body>", text, re.DOTALL)
            bodies.append(body.group(1) if body else text)
    audit(request, "print_all", f"event {ev.pk} run {run.pk}")
    page = (
        '<!doctype html><html lang="nl"><head><meta charset="utf-8">'
        f"<title>{escape(ev.name)} {ev.date}</title>{''.join(styles)}"
        "<style>.print-page{break-after:page}</style></head><body>"
        + "".join(f'<section class="print-page">{b}</section>' for b in bodies)
        + "</body></html>"
    )
    return HttpResponse(page)


@coordinator_required
def export(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Return plan.json, plan.csv, plan.xlsx, plan.gpkg or every driver's GPX in one zip.

    Every export is in the audit log: all but the CSV hold names or home points.
    """
    ev = get_object_or_404(Event, pk=pk)
    run = ev.current_plan()
    stem = f"plan-{ev.date:%Y%m%d}-{ev.pk}"
    if run is None:
        raise Http404
    if kind not in EXPORTS or (kind != "json" and not run.files.get(kind)):
        raise Http404
    audit(request, f"export_{kind}", f"event {ev.pk} run {run.pk}")
    if kind == "json":
        response = HttpResponse(run.plan_json, content_type="application/json")
        response["Content-Disposition"] = f'attachment; filename="{stem}.json"'
        return response
    if kind == "gpx":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for rel in run.files["gpx"]:
                archive.write(run.out_dir / rel, rel.rsplit("/", 1)[-1])
        response = HttpResponse(buffer.getvalue(), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{stem}-gpx.zip"'
        return response
    path = _run_file(run, kind)
    return FileResponse(open(path, "rb"), as_attachment=True, filename=f"{stem}.{kind}")


# --------------------------------------------------------------------------- driver links


def issue_links(event: Event) -> list[tuple[Volunteer, str]]:
    """Issue a new link for each vehicle of the event; return (volunteer, raw token) pairs.

    Earlier links stay valid until revoked or expired: the raw token of an earlier link is not
    kept, so it cannot be shown again.
    """
    return [
        (row.volunteer, DriverLink.issue(event, row.volunteer)[1])
        for row in event.vehicles.select_related("volunteer")
    ]


def _pop_new_links(request: HttpRequest, ev: Event) -> list[dict]:
    return request.session.pop(f"new-links-{ev.pk}", [])


@require_POST
@coordinator_required
def make_links(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue new driver links and show them once."""
    ev = get_object_or_404(Event, pk=pk)
    request.session[f"new-links-{ev.pk}"] = [
        {"vehicle": v.ref, "driver": v.name, "url": request.build_absolute_uri(f"/d/{raw}/")}
        for v, raw in issue_links(ev)
    ]
    return redirect("event", pk)


@require_POST
@coordinator_required
def revoke_link(request: HttpRequest, pk: int, link: int) -> HttpResponse:
    """Revoke a driver link: it gives 404 from now on."""
    DriverLink.objects.filter(pk=link, event_id=pk).update(revoked=timezone.now())
    return redirect("event", pk)


def driver_page(request: HttpRequest, token: str) -> HttpResponse:
    """Show a driver's own sheet of the current plan (no account; 404 for any other token)."""
    link = DriverLink.find(token)
    if link is None:
        raise Http404
    run = link.event.current_plan()
    ref = link.volunteer.ref
    audit(f"driver link {ref}", "view_driver_sheet", f"event {link.event_id} vehicle {ref}")
    try:
        sheet = _run_file(run, "drivers", f"{ref}.html")
    except Http404:
        return render(request, "web/driver_none.html", {"event": link.event, "ref": ref})
    text = sheet.read_text(encoding="utf-8")
    bar = (
        f'<p class="no-print" style="font:16px sans-serif;margin:8px">'
        f'<a href="/d/{token}/route.gpx">GPX ({ref})</a></p>'
    )
    return HttpResponse(re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + bar, text, count=1))


def driver_gpx(request: HttpRequest, token: str) -> HttpResponse:
    """Return the GPX of the link's vehicle."""
    link = DriverLink.find(token)
    if link is None:
        raise Http404
    ref = link.volunteer.ref
    path = _run_file(link.event.current_plan(), "gpx", f"{ref}.gpx")
    audit(f"driver link {ref}", "export_driver_gpx", f"event {link.event_id} vehicle {ref}")
    return FileResponse(
        open(path, "rb"),
        as_attachment=True,
        filename=f"{ref}.gpx",
        content_type="application/gpx+xml",
    )


# --------------------------------------------------------------------------- register


@coordinator_required
def people(request: HttpRequest) -> HttpResponse:
    """List the participants in the register."""
    audit(request, "view_people", "register")
    rows = Person.objects.filter(erased=False).annotate(n=Count("signups"))
    return render(request, "web/people.html", {"people": rows})


@coordinator_required
def person_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Add a participant, or change one."""
    person = get_object_or_404(Person, pk=pk, erased=False) if pk else Person()
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        form.save()
        return redirect("people")
    if pk:
        audit(request, "view_person", person.plan_id)
    return render(request, "web/edit.html", {"form": form, "kind": "person", "obj": person})


@require_POST
@coordinator_required
def person_erase(request: HttpRequest, pk: int) -> HttpResponse:
    """Erase a participant (future events are planned again without them)."""
    erase_person(get_object_or_404(Person, pk=pk), user=request.user)
    audit(request, "erase_person", f"P{pk}")
    return redirect("people")


@coordinator_required
def volunteers(request: HttpRequest) -> HttpResponse:
    """Volunteers with how often and how recently each drove (fair shares)."""
    audit(request, "view_volunteers", "register")
    today = timezone.localdate()
    rows = Volunteer.objects.annotate(drives_total=Count("drives"), last=Max("drives__event__date"))
    counts = {
        v.pk: v.drives.filter(event__date__year=today.year, event__date__month=today.month).count()
        for v in rows
    }
    return render(request, "web/volunteers.html", {"volunteers": [(v, counts[v.pk]) for v in rows]})


@coordinator_required
def volunteer_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Add a volunteer, or change one (their vehicle, monthly limit, whether active)."""
    volunteer = get_object_or_404(Volunteer, pk=pk) if pk else Volunteer()
    form = VolunteerForm(request.POST or None, instance=volunteer)
    if request.method == "POST" and form.is_valid():
        form.save()
        return redirect("volunteers")
    return render(request, "web/edit.html", {"form": form, "kind": "volunteer", "obj": volunteer})


@coordinator_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """Show the latest 500 entries of the audit log."""
    return render(request, "web/audit.html", {"entries": AuditEntry.objects.all()[:500]})


# --------------------------------------------------------------------------- analysts


@staff_required
def analysis(request: HttpRequest) -> HttpResponse:
    """Show the isolation analysis and what-ifs for a venue and time (no personal data)."""
    form = AnalysisForm(request.GET or None)
    context: dict = {"form": form, "summary": None, "events": Event.objects.order_by("-date")[:50]}
    if request.GET and form.is_valid():
        from planner.web.analysis import run_analysis

        try:
            context["summary"] = run_analysis(form.cleaned_data, request.lang)
        except ValueError as exc:
            form.add_error("add_vehicle", str(exc))
    return render(request, "web/analysis.html", context)


@staff_required
def analysis_map(request: HttpRequest, key: str) -> HttpResponse:
    """Return a stored isolation map."""
    from planner.web.analysis import map_path

    path = map_path(key)
    if path is None:
        raise Http404
    return HttpResponse(path.read_text(encoding="utf-8"))
