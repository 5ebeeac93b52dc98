"""The JSON API under ``/api/`` (session or ``Authorization: Token <token>``).

``POST /api/events``                   multipart ``scenario`` (TOML), ``participants``, ``fleet``
                                       (CSV or XLSX) -> 201 ``{"id": ...}`` or 400 with one entry
                                       per problem ``{"file", "row", "field", "message"}``
``GET  /api/events``                   events without personal data (coordinators and analysts)
``POST /api/events/{id}/plan``         start planning -> 202
``GET  /api/events/{id}/plan``         202 while planning, then 200 with ``plan.json`` v2
``GET  /api/events/{id}/drivers``      a new driver link per vehicle ``[{"vehicle", "url"}]``
``GET  /api/participants``             the register (names: coordinators only)
``DELETE /api/participants/{id}``      erase a person -> 204
"""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from planner.web import imports, planning
from planner.web.access import api_view
from planner.web.models import Event, Person, PlanRun
from planner.web.privacy import audit, erase_person
from planner.web.views import issue_links


@require_http_methods(["GET", "POST"])
@api_view("coordinator", "analyst")
def events(request: HttpRequest) -> HttpResponse:
    """List the events (GET), or create one from a scenario and two sign-up files (POST)."""
    if request.method == "GET":
        return JsonResponse([_event_json(e) for e in Event.objects.order_by("-date")], safe=False)
    if request.user.groups.filter(name="coordinator").count() == 0:
        return JsonResponse({"error": "not allowed for this role"}, status=403)
    missing = [k for k in ("scenario", "participants", "fleet") if k not in request.FILES]
    if missing:
        return JsonResponse(
            {
                "errors": [
                    {"file": k, "row": None, "field": None, "message": _("missing upload")}
                    for k in missing
                ]
            },
            status=400,
        )
    try:
        scenario = imports.read_scenario_upload(
            request.FILES["scenario"], request.FILES["participants"], request.FILES["fleet"]
        )
    except imports.UploadError as exc:
        return JsonResponse({"errors": [e.to_dict() for e in exc.errors]}, status=400)
    event = imports.create_event(scenario)
    return JsonResponse({"id": event.pk}, status=201)


def _event_json(e: Event) -> dict:
    return {
        "id": e.pk,
        "name": e.name,
        "venue": e.venue,
        "date": e.date.isoformat(),
        "start": e.start.strftime("%H:%M"),
        "end": e.end.strftime("%H:%M"),
        "recurrence": e.recurrence,
        "signups": e.signups.filter(cancelled=False).count(),
    }


@require_http_methods(["GET", "POST"])
@api_view("coordinator")
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    """Start planning (POST, 202), or return the plan (GET: 202 while planning, then 200)."""
    event = get_object_or_404(Event, pk=pk)
    latest = event.plan_runs.order_by("-pk").first()
    if request.method == "POST":
        if latest and latest.status in (PlanRun.QUEUED, PlanRun.RUNNING):
            return JsonResponse({"status": latest.status, "run": latest.pk}, status=202)
        limit = None
        if request.body and request.content_type == "application/json":
            try:
                limit = float(json.loads(request.body).get("time_limit_s") or 0) or None
            except (ValueError, AttributeError, TypeError):
                return JsonResponse({"error": "time_limit_s must be a number"}, status=400)
        run = planning.start(event, user=request.user, time_limit_s=limit)
        return JsonResponse({"status": run.status, "run": run.pk}, status=202)
    if latest is None:
        return JsonResponse({"error": "not planned yet"}, status=404)
    if latest.status in (PlanRun.QUEUED, PlanRun.RUNNING):
        return JsonResponse({"status": latest.status, "run": latest.pk}, status=202)
    if latest.status == PlanRun.FAILED:
        return JsonResponse({"status": "failed", "error": latest.error}, status=500)
    audit(request, "api_plan", f"event {pk} run {latest.pk}")
    return HttpResponse(latest.plan_json, content_type="application/json")


@require_http_methods(["GET"])
@api_view("coordinator")
def drivers(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue a new driver link per vehicle of the event."""
    event = get_object_or_404(Event, pk=pk)
    links = [
        {"vehicle": v.ref, "url": request.build_absolute_uri(f"/d/{raw}/")}
        for v, raw in issue_links(event)
    ]
    audit(request, "api_driver_links", f"event {pk}")
    return JsonResponse(links, safe=False)


@require_http_methods(["GET"])
@api_view("coordinator")
def participants(request: HttpRequest) -> HttpResponse:
    """List the register (coordinators only: it has names and phone numbers)."""
    audit(request, "api_participants", "register")
    return JsonResponse(
        [
            {
                "id": p.pk,
                "plan_id": p.plan_id,
                "name": p.name,
                "village": p.village,
                "address": p.address,
                "phone": p.phone,
            }
            for p in Person.objects.filter(erased=False)
        ],
        safe=False,
    )


@require_http_methods(["DELETE"])
@api_view("coordinator")
def participant(request: HttpRequest, pk: int) -> HttpResponse:
    """Erase a person (DELETE): future events are planned again without them."""
    erase_person(get_object_or_404(Person, pk=pk), user=request.user)
    audit(request, "erase_person", f"P{pk}")
    return HttpResponse(status=204)
