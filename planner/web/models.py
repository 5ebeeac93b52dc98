"""The register kept over many events, the sign-ups, plans, driver links and the audit log.

Participant ids in a plan are ``P<pk>`` of :class:`Person`: anonymous by themselves, so a past
plan keeps only them once a person is erased. Vehicle ids are the volunteer's ``ref``.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

ROLES = ("coordinator", "analyst")
RECURRENCE = (("none", "none"), ("weekly", "weekly"), ("fortnightly", "fortnightly"))
VEHICLE_KINDS = (
    ("dorpsauto", "dorpsauto"),
    ("volunteer_car", "volunteer_car"),
    ("buurtbus", "buurtbus"),
    ("taxi", "taxi"),
)


#: The fields of a Person that a scenario's Participant has under the same name, with the same
#: value; and the optional texts, which the register keeps as "" where a scenario has None.
PARTICIPANT_FIELDS = (
    "name",
    "lat",
    "lon",
    "wheelchair",
    "can_cycle",
    "needs_return",
    "max_ride_min",
    "seats",
    "precision",
)
PARTICIPANT_TEXTS = ("village", "address", "phone", "language")
#: The fields of a Volunteer that a scenario's FleetVehicle has under the same name, same value.
VEHICLE_FIELDS = (
    "kind",
    "seats",
    "wheelchair_places",
    "lat",
    "lon",
    "cost_per_km",
    "max_duty_min",
)


def token_hash(raw: str) -> str:
    """Return the stored form of a secret token: its SHA-256 hex digest."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class Person(models.Model):
    """A participant in the register. Erased people keep only their anonymous id."""

    ref = models.CharField(max_length=40, blank=True, help_text="id in the sign-up file")
    name = models.CharField(max_length=200)
    village = models.CharField(max_length=100, blank=True)
    lat = models.FloatField()
    lon = models.FloatField()
    address = models.CharField(max_length=300, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    wheelchair = models.BooleanField(default=False)
    can_cycle = models.BooleanField(default=False)
    needs_return = models.BooleanField(default=True)
    max_ride_min = models.PositiveIntegerField(default=60)
    language = models.CharField(max_length=10, blank=True)
    seats = models.PositiveSmallIntegerField(default=1)
    precision = models.CharField(max_length=10, default="village")
    erased = models.BooleanField(default=False)

    class Meta:
        ordering = ["name", "pk"]

    @property
    def plan_id(self) -> str:
        """The anonymous id this person has in every plan."""
        return f"P{self.pk}"

    def __str__(self) -> str:
        return self.plan_id if self.erased else f"{self.name} ({self.plan_id})"


class Volunteer(models.Model):
    """A volunteer driver with the vehicle they drive; ``ref`` is the vehicle id in plans."""

    ref = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    kind = models.CharField(max_length=20, choices=VEHICLE_KINDS, default="volunteer_car")
    seats = models.PositiveSmallIntegerField(default=3)
    wheelchair_places = models.PositiveSmallIntegerField(default=0)
    base_village = models.CharField(max_length=100, blank=True)
    lat = models.FloatField()
    lon = models.FloatField()
    cost_per_km = models.FloatField(default=0.0)
    max_duty_min = models.PositiveIntegerField(null=True, blank=True)
    max_per_month = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="at most this many evenings a month (empty: no limit)"
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["ref"]

    def __str__(self) -> str:
        return f"{self.ref} {self.name}".strip()


class Event(models.Model):
    """One meeting. Events of one recurring series share ``series``."""

    name = models.CharField(max_length=200)
    venue = models.CharField(max_length=200)
    lat = models.FloatField()
    lon = models.FloatField()
    date = models.DateField()
    start = models.TimeField()
    end = models.TimeField()
    arrive_before_min = models.PositiveSmallIntegerField(default=10)
    recurrence = models.CharField(max_length=12, choices=RECURRENCE, default="none")
    series = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="occurrences"
    )
    seed = models.IntegerField(default=1)
    anonymised = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "start", "pk"]

    def __str__(self) -> str:
        return f"{self.name} {self.date:%Y-%m-%d}"

    def ends_at(self) -> datetime:
        """Return the end of the event as an aware local date-time."""
        return timezone.make_aware(datetime.combine(self.date, self.end))

    def current_plan(self) -> PlanRun | None:
        """Return the newest finished plan, or None."""
        return self.plan_runs.filter(status=PlanRun.DONE).order_by("-pk").first()


class Signup(models.Model):
    """A person signed up for an event; a cancelled sign-up leaves the next plan."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="signups")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="signups")
    cancelled = models.BooleanField(default=False)
    pinned_to = models.ForeignKey(
        Volunteer, null=True, blank=True, on_delete=models.SET_NULL, related_name="pinned_signups"
    )
    travels_with = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        unique_together = [("event", "person")]
        ordering = ["pk"]


class EventVehicle(models.Model):
    """A volunteer's availability for one event."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="vehicles")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="availability")
    available_from = models.TimeField()
    available_until = models.TimeField()

    class Meta:
        unique_together = [("event", "volunteer")]
        ordering = ["volunteer__ref"]


class PlanRun(models.Model):
    """One planning of an event: queued, running in the background, then done or failed."""

    QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
    STATUSES = ((QUEUED, QUEUED), (RUNNING, RUNNING), (DONE, DONE), (FAILED, FAILED))
    #: What a running plan is doing: the search (within ``time_limit_s``), then writing files.
    SOLVING, WRITING = "solving", "writing"
    PHASES = ((SOLVING, SOLVING), (WRITING, WRITING))

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="plan_runs")
    status = models.CharField(max_length=10, choices=STATUSES, default=QUEUED)
    phase = models.CharField(max_length=10, choices=PHASES, blank=True)
    time_limit_s = models.FloatField()
    created = models.DateTimeField(auto_now_add=True)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)
    plan_json = models.TextField(blank=True)
    notes = models.TextField(blank=True, help_text="the web app's own notes, one a line")
    files = models.JSONField(
        default=dict, blank=True, help_text="files written per kind, relative to out_dir"
    )
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["pk"]

    @property
    def duration_s(self) -> float | None:
        """Return the seconds from the start to the end of a finished run, or None."""
        if self.started is None or self.finished is None:
            return None
        return (self.finished - self.started).total_seconds()

    @property
    def out_dir(self):
        """The folder of this plan's maps, sheets and exports."""
        return settings.DATA_DIR / "plans" / f"run-{self.pk}"


class Drive(models.Model):
    """A volunteer drove (has trips in the current plan of) an event: for fair shares."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="drives")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="drives")

    class Meta:
        unique_together = [("event", "volunteer")]


class DriverLink(models.Model):
    """A driver's secret link to their own sheet of one event; only the token's hash is kept."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="driver_links")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(auto_now_add=True)
    expires = models.DateTimeField()
    revoked = models.DateTimeField(null=True, blank=True)

    @classmethod
    def issue(cls, event: Event, volunteer: Volunteer) -> tuple[DriverLink, str]:
        """Issue a new link; return it and the raw token (shown once, never stored)."""
        raw = secrets.token_urlsafe(32)  # 256 bits
        link = cls.objects.create(
            event=event,
            volunteer=volunteer,
            token_hash=token_hash(raw),
            expires=event.ends_at() + timedelta(days=1),
        )
        return link, raw

    @classmethod
    def find(cls, raw: str) -> DriverLink | None:
        """Return the live link of ``raw``, or None (unknown, revoked or expired)."""
        link = (
            cls.objects.select_related("event", "volunteer")
            .filter(token_hash=token_hash(raw))
            .first()
        )
        if link is None or link.revoked is not None or link.expires <= timezone.now():
            return None
        return link

    @property
    def live(self) -> bool:
        """Whether the link still opens the sheet (neither revoked nor expired)."""
        return self.revoked is None and self.expires > timezone.now()


class ApiToken(models.Model):
    """A token for the JSON API (``Authorization: Token <raw>``); only its hash is kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(auto_now_add=True)

    @classmethod
    def issue(cls, user) -> str:
        """Create a token for ``user``; returns the raw token."""
        raw = secrets.token_urlsafe(32)
        cls.objects.create(user=user, token_hash=token_hash(raw))
        return raw


class AuditEntry(models.Model):
    """Who viewed or exported personal data, and when. ``user`` is empty for a driver link."""

    at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    who = models.CharField(max_length=150)
    action = models.CharField(max_length=40)
    subject = models.CharField(max_length=200)

    class Meta:
        ordering = ["-at", "-pk"]
