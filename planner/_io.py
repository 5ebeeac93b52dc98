"""Atomic file writes (a reader never sees a half-written output) and spreadsheet-safe CSV."""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any


@contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path`` in one step."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, 0o644)  # mkstemp makes files owner-only; outputs are meant to be shared
        os.replace(tmp_path, target)
    finally:
        tmp_path.unlink(missing_ok=True)


def write_text(path: str | os.PathLike[str], text: str) -> Path:
    """Write UTF-8 text atomically and return the path."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)


def write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write bytes atomically and return the path."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)


def write_json(path: str | os.PathLike[str], obj: Any) -> Path:
    """Write JSON (UTF-8, indented, keys in insertion order) atomically."""
    return write_text(path, json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


def write_with(path: str | os.PathLike[str], writer: Callable[[Path], None]) -> Path:
    """Let ``writer`` fill a temporary file, then move it into place atomically."""
    with atomic_path(path) as tmp:
        writer(tmp)
    return Path(path)


#: First characters that make a spreadsheet read a cell as a formula (OWASP CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """Return a cell value that no spreadsheet runs as a formula.

    Text starting with ``=``, ``+``, ``-``, ``@``, tab or CR gets a leading single quote (the OWASP
    rule); numbers and other values pass unchanged, so a negative number stays a number.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(header: Sequence[Any], rows: Iterable[Sequence[Any]], *, delimiter: str = ",") -> str:
    """CSV text: every cell passed through :func:`spreadsheet_safe`, quoted where needed."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    for row in (header, *rows):
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return buffer.getvalue()


def write_csv(
    path: str | os.PathLike[str],
    header: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    *,
    delimiter: str = ",",
    bom: bool = False,
) -> Path:
    """Write a spreadsheet-safe CSV file atomically (UTF-8, with a BOM when ``bom``).

    Dutch Excel wants ``delimiter=";"`` and ``bom=True`` to read accents and columns right.
    """
    text = csv_text(header, rows, delimiter=delimiter)
    return write_bytes(path, text.encode("utf-8-sig" if bom else "utf-8"))
