"""Sign-up files in: checked with the planner's own readers, saved only when every row is right.

An upload is staged under ``DATA_DIR/uploads`` with a random name, read with
:func:`planner.model.read.read_participants` / :func:`~planner.model.read.read_fleet` (CSV, and
XLSX where the reader supports it), and saved into the register in one transaction after the
coordinator confirmed the preview. Every problem names the uploaded file, row and column.
"""

from __future__ import annotations

import re
import secrets
import shutil
import tempfile
import time
import warnings
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from planner.errors import PlannerError
from planner.i18n import N_, bilingual
from planner.model.read import Problem, ScenarioFileError, read_fleet, read_participants
from planner.model.scenario import FleetVehicle, Participant, Scenario
from planner.web.models import (
    PARTICIPANT_FIELDS,
    PARTICIPANT_TEXTS,
    VEHICLE_FIELDS,
    Event,
    EventVehicle,
    Person,
    Signup,
    Volunteer,
)

SUFFIXES = (".csv", ".xlsx")
KINDS = ("participants", "fleet")
_XLSX_MAGIC = b"PK\x03\x04"
_STAGED = re.compile(r"^[A-Za-z0-9_-]{16,64}\.(csv|xlsx)$")
#: Seconds an upload waits for the coordinator's confirmation before it is deleted.
STAGED_KEEP_S = 6 * 3600


@dataclass(frozen=True)
class RowError:
    """One problem of an upload: the file as uploaded, spreadsheet row, column and message."""

    file: str
    row: int | None
    field: str | None
    message: str

    def to_dict(self) -> dict[str, Any]:
        """Return the problem as the API gives it."""
        return {"file": self.file, "row": self.row, "field": self.field, "message": self.message}

    def __str__(self) -> str:
        where = self.file + (f", row {self.row}" if self.row else "")
        where += f", column '{self.field}'" if self.field else ""
        return f"{where}: {self.message}"


class UploadError(Exception):
    """An upload that cannot be used; ``errors`` lists every problem."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


def region():
    """Return the data pack (cached by the planner's loader)."""
    import planner

    return planner.load_region()


def check_upload(upload: UploadedFile, *, label: str) -> str:
    """Return the suffix of an acceptable upload; raise :class:`UploadError` for a wrong one."""
    name = Path(upload.name or label).name
    limit_mb = settings.MAX_UPLOAD_BYTES // (1024 * 1024)
    if upload.size > settings.MAX_UPLOAD_BYTES:
        raise UploadError(
            [
                RowError(
                    name,
                    None,
                    None,
                    bilingual(
                        N_("file too large ({size} MB); at most {limit} MB"),
                        size=f"{upload.size / 1e6:.0f}",
                        limit=limit_mb,
                    ),
                )
            ]
        )
    suffix = Path(name).suffix.lower()
    head = upload.read(4)
    upload.seek(0)
    if suffix not in SUFFIXES or (suffix == ".xlsx") != (head == _XLSX_MAGIC) or b"\0" in head:
        raise UploadError(
            [RowError(name, None, None, bilingual(N_("not a CSV or Excel (.xlsx) file")))]
        )
    return suffix


def stage(upload: UploadedFile, *, label: str) -> str:
    """Keep an upload for the preview; return its staged name.

    Uploads left unconfirmed for ``STAGED_KEEP_S`` are deleted first: they hold personal data.
    """
    suffix = check_upload(upload, label=label)
    folder = settings.DATA_DIR / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    discard_stale(folder)
    staged = f"{secrets.token_urlsafe(18)}{suffix}"
    with open(folder / staged, "wb") as out:
        out.writelines(upload.chunks())
    return staged


def discard_stale(folder: Path, now: float | None = None) -> None:
    """Delete the staged uploads in ``folder`` older than ``STAGED_KEEP_S``."""
    cutoff = (time.time() if now is None else now) - STAGED_KEEP_S
    for path in folder.iterdir():
        if _STAGED.match(path.name) and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def staged_path(staged: str) -> Path:
    """Return the file of a staged name (refusing anything but a name :func:`stage` made)."""
    if not _STAGED.match(staged):
        raise UploadError([RowError(staged, None, None, _("unknown upload"))])
    path = settings.DATA_DIR / "uploads" / staged
    if not path.is_file():
        raise UploadError([RowError(staged, None, None, _("upload expired; upload it again"))])
    return path


def discard(staged: str) -> None:
    """Remove a staged upload."""
    try:
        staged_path(staged).unlink()
    except UploadError:
        pass


def read_table(kind: str, path: Path, shown_name: str) -> tuple[Any, ...]:
    """Participants or vehicles of a file, or :class:`UploadError` with every row problem."""
    reader = read_participants if kind == "participants" else read_fleet
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # unknown columns: ignored, as on the command line
            return reader(path, region=region())
    except ScenarioFileError as exc:
        raise UploadError([_row_error(p, shown_name) for p in exc.problems]) from None
    except (PlannerError, UnicodeError) as exc:
        raise UploadError(
            [RowError(shown_name, None, None, _without_path(str(exc), path))]
        ) from None


def _row_error(problem: Problem, shown_name: str) -> RowError:
    message = problem.message + (f" ({problem.hint})" if problem.hint else "")
    return RowError(shown_name, problem.row, problem.column or problem.key, message)


def _without_path(text: str, path: Path) -> str:
    return text.replace(str(path), "").lstrip(":, ")


def read_scenario_upload(
    scenario: UploadedFile, participants: UploadedFile, fleet: UploadedFile
) -> Scenario:
    """Read a scenario from three uploads (TOML, and CSV or XLSX each) via ``load_scenario``.

    The TOML's ``participants`` and ``fleet`` paths are replaced by the uploaded files.
    """
    import planner

    errors: list[RowError] = []
    suffixes: dict[str, str] = {}
    for kind, upload in (("participants", participants), ("fleet", fleet)):
        try:
            suffixes[kind] = check_upload(upload, label=kind)
        except UploadError as exc:
            errors += exc.errors
    if scenario.size > settings.MAX_UPLOAD_BYTES:
        errors.append(
            RowError(
                scenario.name,
                None,
                None,
                _("file too large ({size} MB); at most {limit} MB").format(
                    size=round(scenario.size / 1e6),
                    limit=settings.MAX_UPLOAD_BYTES // (1024 * 1024),
                ),
            )
        )
    if errors:
        raise UploadError(errors)
    shown = {"participants": participants.name, "fleet": fleet.name}
    with tempfile.TemporaryDirectory(prefix="planner-upload-") as tmp:
        folder = Path(tmp)
        try:
            text = scenario.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise UploadError([RowError(scenario.name, None, None, _("not UTF-8 text"))]) from None
        for kind, upload in (("participants", participants), ("fleet", fleet)):
            target = f"{kind}{suffixes[kind]}"
            with open(folder / target, "wb") as out:
                shutil.copyfileobj(upload, out)
            text = _point_to(text, kind, target)
        (folder / "scenario.toml").write_text(text, encoding="utf-8")
        names = {str(folder / f"{k}{suffixes[k]}"): shown[k] for k in KINDS}
        names[str(folder / "scenario.toml")] = scenario.name
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return planner.load_scenario(folder / "scenario.toml", region=region())
        except ScenarioFileError as exc:
            raise UploadError(
                [_row_error(p, names.get(str(p.path), Path(p.path).name)) for p in exc.problems]
            ) from None
        except PlannerError as exc:
            message = str(exc)
            for path, name in names.items():
                message = message.replace(path, name)
            raise UploadError([RowError(scenario.name, None, None, message)]) from None


def _point_to(toml_text: str, key: str, target: str) -> str:
    """Return the TOML text with its top-level ``key = "..."`` line pointing to ``target``."""
    line = f'{key} = "{target}"'
    pattern = re.compile(rf"^{key}\s*=.*$", re.MULTILINE)
    first_table = re.search(r"^\s*\[", toml_text, re.MULTILINE)
    top = toml_text[: first_table.start()] if first_table else toml_text
    if pattern.search(top):
        return pattern.sub(line, top, count=1) + toml_text[len(top) :]
    return f"{line}\n{toml_text}"


# --------------------------------------------------------------------------- saving


@transaction.atomic
def save_participants(event: Event, people: tuple[Participant, ...]) -> list[Signup]:
    """Add (or update) each person in the register and sign them up for ``event``.

    A person is the same as a register entry with the same sign-up id and name.
    """
    by_ref: dict[str, Person] = {}
    signups = []
    for p in people:
        person = Person.objects.filter(ref=p.id, name=p.name, erased=False).first() or Person()
        for name in PARTICIPANT_FIELDS:
            setattr(person, name, getattr(p, name))
        for name in PARTICIPANT_TEXTS:
            setattr(person, name, getattr(p, name) or "")
        person.ref = p.id
        person.save()
        by_ref[p.id] = person
        signup, _ = Signup.objects.update_or_create(
            event=event, person=person, defaults={"cancelled": False}
        )
        signups.append(signup)
    for p, signup in zip(people, signups, strict=True):
        if p.travels_with:
            signup.travels_with = by_ref[p.travels_with]
            signup.save(update_fields=["travels_with"])
    return signups


@transaction.atomic
def save_fleet(event: Event, fleet: tuple[FleetVehicle, ...]) -> list[EventVehicle]:
    """Add (or update) each vehicle and its driver; record their availability for ``event``."""
    rows = []
    for v in fleet:
        volunteer = Volunteer.objects.filter(ref=v.id).first() or Volunteer(ref=v.id)
        for name in VEHICLE_FIELDS:
            setattr(volunteer, name, getattr(v, name))
        volunteer.base_village = v.base_village or ""
        volunteer.name = v.driver or volunteer.name
        volunteer.phone = v.phone or volunteer.phone
        volunteer.save()
        row, _ = EventVehicle.objects.update_or_create(
            event=event,
            volunteer=volunteer,
            defaults={"available_from": v.available_from, "available_until": v.available_until},
        )
        rows.append(row)
    return rows


@transaction.atomic
def create_event(scenario: Scenario) -> Event:
    """Create an event with its sign-ups and vehicles from a whole scenario."""
    event = Event.objects.create(
        **asdict(scenario.event), seed=int(scenario.options.get("seed", 1))
    )
    save_participants(event, scenario.participants)
    save_fleet(event, scenario.fleet)
    return event
