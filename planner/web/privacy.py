"""The audit log, erasing a person, and anonymising events some days after they took place."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from planner.web.models import AuditEntry, DriverLink, Event, Person, PlanRun, Signup
from planner.web.planning import remove_outputs

#: Plan files that hold names, addresses or phone numbers.
PERSONAL_OUTPUTS = ("drivers", "gpx", "riders")


def audit(request_or_user, action: str, subject: str) -> None:
    """Record that someone viewed or exported personal data (``subject``: ids, never names)."""
    user = getattr(request_or_user, "user", request_or_user)
    if user is not None and getattr(user, "is_authenticated", False):
        AuditEntry.objects.create(user=user, who=user.get_username(), action=action,
                                  subject=subject)
    else:
        AuditEntry.objects.create(user=None, who=str(request_or_user or "anonymous"),
                                  action=action, subject=subject)


def _blank(person: Person) -> None:
    person.name, person.address, person.phone, person.ref = "", "", "", ""
    person.language = ""
    person.erased = True
    person.save()


@transaction.atomic
def erase_person(person: Person) -> None:
    """Erase a person: out of every future event, and their personal data gone.

    Past plans keep only the anonymous id ``P<pk>``; files of plans that name the person (driver
    sheets, GPX, rider cards) are deleted, and the plans of future events are marked to re-plan.
    """
    today = timezone.localdate()
    runs = PlanRun.objects.filter(event__signups__person=person).distinct()
    for run in runs:
        remove_outputs(run, PERSONAL_OUTPUTS)
        if run.event.date >= today:
            run.notes = (run.notes + "\n" if run.notes else "") + \
                f"{person.plan_id}: erased; plan again"
            run.save(update_fields=["notes"])
    Signup.objects.filter(person=person, event__date__gte=today).delete()
    Signup.objects.filter(travels_with=person).update(travels_with=None)
    _blank(person)


def anonymise_due(now=None) -> int:
    """Anonymise every event that ended more than ``ANONYMISE_AFTER_DAYS`` ago; returns how many.

    The event's plan files with personal data are deleted and its driver links revoked; a person
    signed up for no later event is erased from the register.
    """
    now = now or timezone.now()
    cutoff = (now - timedelta(days=settings.ANONYMISE_AFTER_DAYS)).date()
    done = 0
    for event in Event.objects.filter(anonymised=False, date__lt=cutoff):
        with transaction.atomic():
            for run in event.plan_runs.all():
                remove_outputs(run, PERSONAL_OUTPUTS)
            DriverLink.objects.filter(event=event, revoked__isnull=True).update(revoked=now)
            for signup in event.signups.select_related("person"):
                person = signup.person
                if not person.erased and not person.signups.filter(
                        event__date__gte=cutoff).exists():
                    _blank(person)
            event.anonymised = True
            event.save(update_fields=["anonymised"])
            done += 1
    return done
