"""Forms of the coordinator pages (Django adds CSRF protection to every one)."""

from __future__ import annotations

import re

from django import forms

# Lazy: the labels are made at import and translated into the language of each page.
from django.utils.translation import gettext_lazy as _

from planner.web.models import RECURRENCE, VEHICLE_KINDS, Person, Volunteer
from planner.web.templatetags.labels import choices

_REF = re.compile(r"^[A-Za-z0-9_-]{1,40}$")


def venue_choices() -> list[tuple[str, str]]:
    """Return the venues of the data pack as form choices."""
    from planner.web.imports import region

    return [(str(name), str(name)) for name in region().venues["name"]]


class EventForm(forms.Form):
    """A new event, or a series of them (weekly or fortnightly)."""

    name = forms.CharField(label=_("Name"), max_length=200)
    venue = forms.ChoiceField(label=_("Venue"), choices=())
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(
        label=_("Start"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end = forms.TimeField(
        label=_("End"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    arrive_before_min = forms.IntegerField(
        label=_("Arrive minutes before the start"), min_value=0, max_value=60, initial=10
    )
    recurrence = forms.ChoiceField(
        label=_("Recurrence"), choices=choices(RECURRENCE), initial="none"
    )
    occurrences = forms.IntegerField(
        label=_("Number of dates"), min_value=1, max_value=26, initial=1
    )

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


_POINT_LABELS = {"lat": _("Latitude (empty: the village)"), "lon": _("Longitude")}


class _VillagePoint:
    """Optional lat/lon, filled from the village when the coordinator leaves them empty."""

    village_field = "village"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Made optional here, not declared again on each form: Django would drop their labels.
        for name in _POINT_LABELS:
            self.fields[name].required = False  # type: ignore[attr-defined]

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

    class Meta:
        model = Person
        # The fields shown, in this order, with their labels.
        labels = {
            "name": _("Name"),
            "village": _("Village"),
            "address": _("Address"),
            "phone": _("Phone"),
            **_POINT_LABELS,
            "wheelchair": _("Wheelchair"),
            "can_cycle": _("Cycles"),
            "needs_return": _("Needs a way home"),
            "max_ride_min": _("Longest ride (min)"),
            "language": _("Language of the rider card"),
            "seats": _("Seats"),
        }
        fields = list(labels)


class VolunteerForm(_VillagePoint, forms.ModelForm):
    """A volunteer driver and their vehicle, with their monthly limit."""

    village_field = "base_village"

    class Meta:
        model = Volunteer
        # The fields shown, in this order, with their labels.
        labels = {
            "ref": _("Vehicle"),
            "name": _("Driver"),
            "phone": _("Phone"),
            "kind": _("Kind"),
            "seats": _("Seats"),
            "wheelchair_places": _("Wheelchair places"),
            "base_village": _("Home village"),
            **_POINT_LABELS,
            "cost_per_km": _("Cost per km (EUR)"),
            "max_duty_min": _("Longest duty (min)"),
            "max_per_month": _("Max per month"),
            "active": _("Active"),
        }
        fields = list(labels)
        help_texts = {"max_per_month": _("At most this many evenings a month (empty: no limit).")}

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

    venue = forms.ChoiceField(label=_("Venue"), choices=())
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    arrive_by = forms.TimeField(
        label=_("Arrive by"), initial="19:20", widget=forms.TimeInput(attrs={"type": "time"})
    )
    return_after = forms.TimeField(
        label=_("Leave after"), initial="21:30", widget=forms.TimeInput(attrs={"type": "time"})
    )
    shift_min = forms.IntegerField(
        label=_("Shift both times (min)"), min_value=-180, max_value=180, initial=0
    )
    add_vehicle = forms.CharField(
        label=_("What-if: village cars"),
        required=False,
        help_text=_("dorpsauto@Village, several separated by commas"),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["venue"].choices = venue_choices()
