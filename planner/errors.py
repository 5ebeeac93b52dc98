"""Exceptions for user errors.

Every user-facing error derives from :class:`PlannerError` and from the matching built-in,
so callers can catch either. The CLI prints them as one line and exits with code 1.
"""

from __future__ import annotations


class PlannerError(Exception):
    """Base class for errors caused by the user's input or environment (never a bug)."""


def located(
    path: object, message: str, *, row: int | None, field: str | None, hint: str | None
) -> str:
    """Return ``path, row N, field 'f': message (hint)`` without the parts that are None."""
    where = str(path)
    if row is not None:
        where += f", row {row}"
    if field is not None:
        where += f", field '{field}'"
    text = f"{where}: {message}"
    return f"{text} ({hint})" if hint else text


class InputFileError(PlannerError, ValueError):
    """A user file is malformed. The message names the file, row and field."""

    def __init__(
        self,
        path: object,
        message: str,
        *,
        row: int | None = None,
        field: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(located(path, message, row=row, field=field, hint=hint))
        self.path, self.row, self.field, self.hint = path, row, field, hint
        self.message = message


class UnknownPlaceError(PlannerError, LookupError):
    """A village, venue or station name is not in the data pack."""


class DataPackError(PlannerError, ValueError):
    """The embedded or user-supplied region data pack is inconsistent."""


class NetworkError(PlannerError, RuntimeError):
    """A street network could not be built, downloaded or read."""


class TransitError(PlannerError, ValueError):
    """A GTFS feed is missing a file or column, or holds a bad value."""
