"""Page texts: Dutch by default, English on request (``?lang=en``).

The templates read ``T.<key>``; the texts are gettext messages (English ids) in the shared
catalogues under ``planner/locale`` (see :mod:`planner.i18n`).
"""

from __future__ import annotations

from planner.i18n import N_, NC_, ORGANISER_LANGUAGES, translate_table, translations

LANGUAGES = ORGANISER_LANGUAGES

_MESSAGES: dict[str, str | tuple[str, str]] = {
    "action": N_("Action"),
    "add": N_("Add"),
    "address": N_("Address"),
    "analyse": N_("Analyse"),
    "analysis": N_("Isolation analysis"),
    "app": N_("Rivierenland ride planner"),
    "audit": N_("Audit log"),
    "available": N_("Available"),
    "back": N_("Back"),
    "before": N_("before"),
    "can_cycle": N_("Cycles"),
    "cancel": N_("Cancel"),
    "cancel_rider": N_("Cancel rider"),
    "check": N_("Check"),
    "column": N_("column"),
    "confirm_import": N_("Confirm import"),
    "copy_signups": N_("Take over sign-ups of"),
    "create": N_("Create"),
    "created": N_("Created"),
    "date": N_("Date"),
    "driver": N_("Driver"),
    "driver_links": N_("Driver links"),
    "drives_month": N_("Drives this month"),
    "drives_total": N_("Drives in total"),
    "erase": N_("Erase"),
    "event": N_("Event"),
    "events": N_("Events"),
    "expires": N_("Expires"),
    "file": N_("File"),
    "fleet": N_("Vehicles (volunteers)"),
    "import": N_("Import sign-ups"),
    "import_errors": N_("Nothing saved: fix these problems"),
    "inhabitants": N_("people in isolated villages"),
    "isolated_villages": N_("villages isolated"),
    "kind": N_("Kind"),
    "last_drive": N_("Last drive"),
    "links_once": N_("These links are shown only once: send them now."),
    "login": N_("Log in"),
    "login_blocked": N_("Too many failed attempts; try again in 15 minutes."),
    "login_wrong": N_("Wrong user name or password."),
    "logout": N_("Log out"),
    "make_links": N_("Make new links"),
    "max_per_month": N_("Max per month"),
    "mode": N_("Mode"),
    "name": N_("Name"),
    "network": N_("Network"),
    "new_event": N_("New event"),
    "no_events": N_("No events yet."),
    "participants": N_("Participants"),
    "password": N_("Password"),
    "people": N_("Participants"),
    "phone": N_("Phone"),
    "pin": N_("Pin"),
    "pinned": N_("Pinned vehicle"),
    "plan": NC_("button", "Plan"),
    "plan_failed": N_("Planning failed"),
    "plan_title": N_("Plan"),
    "planning": N_("Planning"),
    "population": N_("Population"),
    "preview": N_("Preview"),
    "print_all": N_("Print all"),
    "recurrence": N_("Recurrence"),
    "replan": N_("Plan again"),
    "restore": N_("Restore"),
    "revoke": N_("Revoke"),
    "row": N_("row"),
    "save": N_("Save"),
    "score": N_("Score"),
    "seats": N_("Seats"),
    "served": N_("Served"),
    "signups": N_("Sign-ups"),
    "subject": N_("Subject"),
    "there": N_("There"),
    "time_limit": N_("Time limit (s)"),
    "times": N_("Times"),
    "timetable": N_("Timetable"),
    "unserved": N_("Unserved"),
    "upload": N_("Upload a file"),
    "upload_help": N_(
        "CSV or Excel (.xlsx), at most 5 MB. Every problem is shown before anything is saved."
    ),
    "username": N_("User name"),
    "vehicle": N_("Vehicle"),
    "vehicles": N_("Vehicles"),
    "venue": N_("Venue"),
    "village": N_("Village"),
    "volunteers": N_("Volunteers"),
    "what": N_("What"),
    "wheelchair": N_("Wheelchair"),
    "when": N_("When"),
    "who": N_("Who"),
    "who_how": N_("Who goes how"),
}


def context(request) -> dict:
    """Return the template context: ``T`` (texts), ``LANG`` and the user's ``ROLE``."""
    from planner.web.access import role_of

    lang = getattr(request, "lang", "nl")
    texts = translate_table(_MESSAGES, translations(lang, organiser=True))
    return {"T": texts, "LANG": lang, "ROLE": role_of(getattr(request, "user", None))}
