"""Plan in the background: the scenario from the database, then the public API.

The event's scenario comes from the register, ``planner.plan`` takes the previous plan, and
``planner.write_outputs`` writes into the run's folder.

One plan runs at a time per server process (the machine's cores are the limit); a run started
while another is busy waits, shown as ``queued``. The solver's time limit is the run's
``time_limit_s``.
"""

from __future__ import annotations

import json
import logging
import shutil
import threading
from dataclasses import fields
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from planner.model.plan import Plan
from planner.model.scenario import Event as ScenarioEvent
from planner.model.scenario import FleetVehicle, Participant, Scenario
from planner.web.models import (
    PARTICIPANT_FIELDS,
    PARTICIPANT_TEXTS,
    VEHICLE_FIELDS,
    Drive,
    Event,
    EventVehicle,
    PlanRun,
    Signup,
    Volunteer,
)

log = logging.getLogger("planner.web")
_one_at_a_time = threading.Lock()
#: Euro of objective per step of recency: enough to decide between equal drivers, little next
#: to a kilometre's worth of driving or to leaving anyone unserved.
FAIR_SHARE_EUR = 0.5
#: Set by the tests: run plans in the calling thread instead of a background thread.
RUN_INLINE = False


def build_scenario(event: Event) -> tuple[Scenario, list[str]]:
    """Return the scenario of ``event`` as the register holds it now, and notes on who is out.

    Cancelled sign-ups and erased people are left out. A volunteer who already drove their
    monthly limit in the event's month is left out; the others are listed least recently driven
    first, and the more recently they drove the higher their vehicle's ``preference_eur`` (fair
    shares over time: of two equal drivers the one who drove longer ago is asked).
    """
    # The register's event has every field of the scenario's (web.imports.create_event copies
    # them the other way): the dataclass is the one list of them.
    scen_event = ScenarioEvent(**{f.name: getattr(event, f.name) for f in fields(ScenarioEvent)})
    signups = list(
        Signup.objects.filter(event=event, cancelled=False, person__erased=False).select_related(
            "person", "travels_with", "pinned_to"
        )
    )
    present = {s.person_id for s in signups}
    participants = tuple(_participant(s, present) for s in signups)
    fleet, notes = [], []
    rows = EventVehicle.objects.filter(event=event, volunteer__active=True).select_related(
        "volunteer"
    )
    last = {row.pk: last_drive(row.volunteer, before=event.date) or date.min for row in rows}
    # Each step towards the most recent drive costs FAIR_SHARE_EUR more in the objective.
    steps = {day: i for i, day in enumerate(sorted(set(last.values())))}
    for row in sorted(rows, key=lambda r: (last[r.pk], r.volunteer.ref)):
        v = row.volunteer
        used = drives_in_month(v, event)
        if v.max_per_month is not None and used >= v.max_per_month:
            notes.append(f"{v.ref}: max {v.max_per_month} per month reached ({used})")
            continue
        fleet.append(
            FleetVehicle(
                id=v.ref,
                **{name: getattr(v, name) for name in VEHICLE_FIELDS},
                available_from=row.available_from,
                available_until=row.available_until,
                base_village=v.base_village or None,
                driver=v.name,
                phone=v.phone or None,
                preference_eur=FAIR_SHARE_EUR * steps[last[row.pk]],
            )
        )
    return Scenario(
        event=scen_event,
        participants=participants,
        fleet=tuple(fleet),
        options={"seed": event.seed},
    ), notes


def _participant(signup: Signup, present: set[int]) -> Participant:
    p = signup.person
    companion = signup.travels_with
    from_register: dict[str, Any] = {name: getattr(p, name) for name in PARTICIPANT_FIELDS}
    from_register.update({name: getattr(p, name) or None for name in PARTICIPANT_TEXTS})
    return Participant(
        id=p.plan_id,
        **from_register,
        travels_with=companion.plan_id if companion and companion.pk in present else None,
        vehicle=signup.pinned_to.ref if signup.pinned_to else None,
    )


def last_drive(volunteer: Volunteer, *, before: date | None = None) -> date | None:
    """Return the date of the volunteer's latest drive (before ``before``), or None."""
    drives = Drive.objects.filter(volunteer=volunteer)
    if before is not None:
        drives = drives.filter(event__date__lt=before)
    latest = drives.order_by("-event__date").first()
    return latest.event.date if latest else None


def drives_in_month(volunteer: Volunteer, event: Event) -> int:
    """Drives of the volunteer in the calendar month of ``event``, other than ``event``."""
    return (
        Drive.objects.filter(
            volunteer=volunteer,
            event__date__year=event.date.year,
            event__date__month=event.date.month,
        )
        .exclude(event=event)
        .count()
    )


def start(event: Event, *, user=None, time_limit_s: float | None = None) -> PlanRun:
    """Queue a plan of ``event`` and start it in the background; returns the run."""
    limit = float(time_limit_s or settings.PLAN_TIME_LIMIT_S)
    run = PlanRun.objects.create(event=event, time_limit_s=limit, created_by=user)
    if RUN_INLINE:
        execute(run.pk)
    else:
        transaction.on_commit(
            lambda: threading.Thread(
                target=_in_thread, args=(run.pk,), name=f"plan-{run.pk}", daemon=True
            ).start()
        )
    return run


def _in_thread(run_id: int) -> None:
    try:
        execute(run_id)
    finally:
        # This thread's own connection: left open it would block dropping the test database
        # and hold a PostgreSQL session per finished plan.
        connection.close()


def execute(run_id: int) -> None:
    """Run one plan to the end; a failure is stored on the run, never raised."""
    import planner

    with _one_at_a_time:
        run = PlanRun.objects.select_related("event").get(pk=run_id)
        run.status, run.phase, run.started = PlanRun.RUNNING, PlanRun.SOLVING, timezone.now()
        run.save(update_fields=["status", "phase", "started"])
        try:
            scenario, notes = build_scenario(run.event)
            previous = current_plan(run.event)
            options = planner.PlanOptions.from_scenario(scenario, time_limit_s=run.time_limit_s)
            result = planner.plan(
                scenario, options=options, previous=previous, cache_dir=cache_dir()
            )
            run.phase = PlanRun.WRITING
            run.save(update_fields=["phase"])
            written = planner.write_outputs(result, run.out_dir, scenario=scenario)
        except Exception as exc:  # noqa: BLE001 - any failure is the run's result, shown on the page
            # The type only: a message may quote a sign-up file, and logs hold no personal data.
            log.error("plan run %s failed: %s", run_id, type(exc).__name__)
            run.status, run.error = PlanRun.FAILED, f"{type(exc).__name__}: {exc}"
            run.phase, run.finished = "", timezone.now()
            run.save(update_fields=["status", "phase", "error", "finished"])
            return
        run.plan_json = json.dumps(result.to_dict(), ensure_ascii=False, sort_keys=True)
        run.files = {
            kind: [str(Path(p).relative_to(run.out_dir)) for p in paths]
            for kind, paths in written.items()
        }
        run.notes = "\n".join(notes)
        run.status, run.phase, run.finished = PlanRun.DONE, "", timezone.now()
        with transaction.atomic():
            run.save()
            record_drives(run.event, result)
        log.info(
            "plan run %s done: %s of %s served",
            run_id,
            result.summary.served,
            result.summary.participants,
        )


def cache_dir() -> Path | None:
    """Return the planner's cache folder (networks, feeds): ``$PLANNER_CACHE_DIR`` or default."""
    from planner import settings as planner_settings

    return planner_settings.cache_dir


def current_plan(event: Event) -> Plan | None:
    """Return the event's newest finished plan as a :class:`Plan`, or None."""
    run = event.current_plan()
    return Plan.from_dict(json.loads(run.plan_json)) if run else None


def record_drives(event: Event, plan: Plan) -> None:
    """Who drives in this (now current) plan of ``event``: the fair-share count."""
    Drive.objects.filter(event=event).delete()
    refs = {v.id for v in plan.vehicles if any(t.stops for t in v.trips)}
    for volunteer in Volunteer.objects.filter(ref__in=refs):
        Drive.objects.create(event=event, volunteer=volunteer)


def remove_outputs(run: PlanRun, kinds: tuple[str, ...]) -> None:
    """Delete the files of ``kinds`` (e.g. drivers, riders) of a run: they hold personal data."""
    folder = run.out_dir
    for kind in kinds:
        for rel in run.files.get(kind, []):
            (folder / rel).unlink(missing_ok=True)
        run.files.pop(kind, None)
    run.save(update_fields=["files"])
    for sub in ("drivers", "riders"):
        if (folder / sub).is_dir() and not any((folder / sub).iterdir()):
            shutil.rmtree(folder / sub, ignore_errors=True)
