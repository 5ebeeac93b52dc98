"""Forms of the coordinator pages (Django adds CSRF protection to every one)."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext as _

from planner.web.models import RECURRENCE, VEHICLE_KINDS, Person, Volunteer
from planner.web.templatetags.labels import choices

_REF = re.compile(r"^[A-Za-z0-9_-]{1,40}$")


def venue_choices() -> list[tuple[str, str]]:
    """Return the venues of the data pack as form choices."""
    from planner.web.imports import region

    return [(str(name), str(name)) for name in region().venues["name"]]


class EventForm(forms.Form):
    """A new event, or a series of them (weekly or fortnightly)."""

    name = forms.CharField(max_length=200)
    venue = forms.ChoiceField(choices=())
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    arrive_before_min = forms.IntegerField(min_value=0, max_value=60, initial=10)
    recurrence = forms.ChoiceField(choices=choices(RECURRENCE), initial="none")
    occurrences = forms.IntegerField(min_value=1, max_value=26, initial=1)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["venue"].choices = venue_choices()

    def clean(self):
        """Check that the end is after the start and that a series has a recurrence."""
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", _("The end is before the start."))
        if data.get("recurrence") == "none" and (data.get("occurrences") or 1) > 1:
            self.add_error("occurrences", _("Choose weekly or fortnightly for more than one date."))
        return data


class UploadForm(forms.Form):
    """A sign-up file (participants or vehicles), CSV or XLSX."""

    kind = forms.ChoiceField(choices=(("participants", "participants"), ("fleet", "fleet")))
    file = forms.FileField()


class PlanForm(forms.Form):
    """The solver's time limit of a plan, seconds."""

    time_limit_s = forms.FloatField(min_value=1, max_value=600, required=False)


class _VillagePoint:
    """Fills lat/lon from the village when the coordinator leaves them empty."""

    village_field = "village"

    def clean(self):
        data = super().clean()  # type: ignore[misc]
        if data.get("lat") is None or data.get("lon") is None:
            from planner.errors import UnknownPlaceError
            from planner.web.imports import region

            name = data.get(self.village_field)
            try:
                row = region().find_village(name or "")
            except UnknownPlaceError as exc:
                self.add_error(self.village_field, str(exc))  # type: ignore[attr-defined]
                return data
            self.instance.lat, self.instance.lon = float(row["lat"]), float(row["lon"])  # type: ignore[attr-defined]
            data["lat"], data["lon"] = self.instance.lat, self.instance.lon  # type: ignore[attr-defined]
            data[self.village_field] = str(row["name"])
        return data


class PersonForm(_VillagePoint, forms.ModelForm):
    """A participant in the register."""

    lat = forms.FloatField(required=False)
    lon = forms.FloatField(required=False)

    class Meta:
        model = Person
        fields = [
            "name",
            "village",
            "address",
            "phone",
            "lat",
            "lon",
            "wheelchair",
            "can_cycle",
            "needs_return",
            "max_ride_min",
            "language",
            "seats",
        ]


class VolunteerForm(_VillagePoint, forms.ModelForm):
    """A volunteer driver and their vehicle, with their monthly limit."""

    village_field = "base_village"
    lat = forms.FloatField(required=False)
    lon = forms.FloatField(required=False)

    class Meta:
        model = Volunteer
        fields = [
            "ref",
            "name",
            "phone",
            "kind",
            "seats",
            "wheelchair_places",
            "base_village",
            "lat",
            "lon",
            "cost_per_km",
            "max_duty_min",
            "max_per_month",
            "active",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = choices(VEHICLE_KINDS)

    def clean_ref(self):
        """Check the vehicle id: it names files and URLs."""
        ref = self.cleaned_data["ref"]
        if not _REF.match(ref):
            raise forms.ValidationError(_("Letters, digits, - and _ only."))
        return ref


class AnalysisForm(forms.Form):
    """An isolation analysis: venue, day, times and what-ifs."""

    venue = forms.ChoiceField(choices=())
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    arrive_by = forms.TimeField(initial="19:20", widget=forms.TimeInput(attrs={"type": "time"}))
    return_after = forms.TimeField(initial="21:30", widget=forms.TimeInput(attrs={"type": "time"}))
    shift_min = forms.IntegerField(min_value=-180, max_value=180, initial=0)
    add_vehicle = forms.CharField(required=False, help_text="dorpsauto@Village, comma-separated")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["venue"].choices = venue_choices()
