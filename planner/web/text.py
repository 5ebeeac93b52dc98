"""Page texts: Dutch by default, English on request (``?lang=en``)."""

from __future__ import annotations

LANGUAGES = ("nl", "en")

_ROWS = """
action|Actie|Action
add|Toevoegen|Add
address|Adres|Address
analyse|Analyseren|Analyse
analysis|Isolatie-analyse|Isolation analysis
app|Ritplanner Rivierenland|Rivierenland ride planner
audit|Auditlog|Audit log
available|Beschikbaar|Available
back|Terug|Back
before|vooraf|before
can_cycle|Fietst|Cycles
cancel|Annuleren|Cancel
cancel_rider|Afmelden|Cancel rider
check|Controleren|Check
column|kolom|column
confirm_import|Importeren bevestigen|Confirm import
copy_signups|Aanmeldingen overnemen van|Take over sign-ups of
create|Aanmaken|Create
created|Gemaakt|Created
date|Datum|Date
driver|Chauffeur|Driver
driver_links|Links voor chauffeurs|Driver links
drives_month|Ritten deze maand|Drives this month
drives_total|Ritten totaal|Drives in total
erase|Wissen|Erase
event|Bijeenkomst|Event
events|Bijeenkomsten|Events
expires|Verloopt|Expires
file|Bestand|File
fleet|Voertuigen (vrijwilligers)|Vehicles (volunteers)
import|Aanmeldingen importeren|Import sign-ups
import_errors|Niets opgeslagen: los deze fouten op|Nothing saved: fix these problems
inhabitants|inwoners in geïsoleerde dorpen|people in isolated villages
isolated_villages|dorpen geïsoleerd|villages isolated
kind|Soort|Kind
last_drive|Laatste rit|Last drive
links_once|Deze links worden maar één keer getoond: stuur ze nu door.|These links are shown only once: send them now.
login|Inloggen|Log in
login_blocked|Te veel mislukte pogingen; probeer het over 15 minuten opnieuw.|Too many failed attempts; try again in 15 minutes.
login_wrong|Onjuiste gebruikersnaam of wachtwoord.|Wrong user name or password.
logout|Uitloggen|Log out
make_links|Nieuwe links maken|Make new links
max_per_month|Max. per maand|Max per month
mode|Vervoer|Mode
name|Naam|Name
network|Netwerk|Network
new_event|Nieuwe bijeenkomst|New event
no_events|Nog geen bijeenkomsten.|No events yet.
participants|Deelnemers|Participants
password|Wachtwoord|Password
people|Deelnemers|Participants
phone|Telefoon|Phone
pin|Vastzetten|Pin
pinned|Vast voertuig|Pinned vehicle
plan|Plannen|Plan
plan_failed|Plannen mislukt|Planning failed
plan_title|Plan|Plan
planning|Bezig met plannen|Planning
population|Inwoners|Population
preview|Voorbeeld|Preview
print_all|Alles afdrukken|Print all
recurrence|Herhaling|Recurrence
replan|Opnieuw plannen|Plan again
restore|Terugzetten|Restore
revoke|Intrekken|Revoke
row|rij|row
save|Opslaan|Save
score|Score|Score
seats|Plaatsen|Seats
served|Geholpen|Served
signups|Aanmeldingen|Sign-ups
subject|Waarover|Subject
there|Heen|There
time_limit|Rekentijd (s)|Time limit (s)
times|Tijden|Times
timetable|Dienstregeling|Timetable
unserved|Niet geholpen|Unserved
upload|Bestand uploaden|Upload a file
upload_help|CSV of Excel (.xlsx), hoogstens 5 MB. Elke fout wordt getoond voordat er iets wordt opgeslagen.|CSV or Excel (.xlsx), at most 5 MB. Every problem is shown before anything is saved.
username|Gebruikersnaam|User name
vehicle|Voertuig|Vehicle
vehicles|Voertuigen|Vehicles
venue|Locatie|Venue
village|Dorp|Village
volunteers|Vrijwilligers|Volunteers
what|Wat|What
wheelchair|Rolstoel|Wheelchair
when|Wanneer|When
who|Wie|Who
who_how|Wie reist hoe|Who goes how
"""

TEXT: dict[str, dict[str, str]] = {lang: {} for lang in LANGUAGES}
for _line in _ROWS.strip().splitlines():
    _key, _nl, _en = _line.split("|")
    TEXT["nl"][_key], TEXT["en"][_key] = _nl, _en


def context(request) -> dict:
    """Template context: ``T`` (texts), ``LANG`` and the user's ``ROLE``."""
    from planner.web.access import role_of

    lang = getattr(request, "lang", "nl")
    return {"T": TEXT[lang], "LANG": lang, "ROLE": role_of(getattr(request, "user", None))}
