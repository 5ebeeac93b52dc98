"""Raw access to the text files of a GTFS feed stored as a zip archive or a folder.

gtfs-kit reads whole tables into memory. That is right for a regional feed but not for a national
one (the Dutch feed has tens of millions of stop times), so filtering and error diagnosis read the
files here, as strings and in chunks.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import pandas as pd

from planner.errors import TransitError

CHUNK_ROWS = 500_000
_CSV_OPTIONS = {"dtype": str, "keep_default_na": False, "encoding": "utf-8-sig"}
#: What reading a zip archive with a damaged directory or deflate stream raises.
DAMAGED_ZIP = (zipfile.BadZipFile, zlib.error, EOFError)


def damaged(source: Path, exc: Exception) -> TransitError:
    """Return the one-line error for a GTFS zip archive that cannot be unpacked."""
    return TransitError(
        f"{source}: the zip archive is damaged ({exc}); download or copy the feed again"
    )


@contextmanager
def open_table(source: Path, table: str) -> Iterator[IO[bytes] | None]:
    """Open ``<table>.txt`` of a zip or folder feed as a binary stream (None when absent)."""
    if source.is_dir():
        path = source / f"{table}.txt"
        if not path.is_file():
            yield None
            return
        with path.open("rb") as stream:
            yield stream
        return
    try:
        with zipfile.ZipFile(source) as archive:
            names = [n for n in archive.namelist() if Path(n).name == f"{table}.txt"]
            if not names:
                yield None
                return
            with archive.open(names[0]) as stream:
                yield stream
    except DAMAGED_ZIP as exc:  # raised here or while the caller reads the stream
        raise damaged(source, exc) from None


def table_names(source: Path) -> list[str]:
    """Names (without ``.txt``) of the text files in a zip or folder feed."""
    if source.is_dir():
        return sorted(p.stem for p in source.glob("*.txt"))
    with zipfile.ZipFile(source) as archive:
        return sorted(Path(n).stem for n in archive.namelist() if n.endswith(".txt"))


def read_table(source: Path, table: str, columns: list[str] | None = None) -> pd.DataFrame | None:
    """Read a whole table as strings (empty cells stay ``""``); None when the file is absent."""
    with open_table(source, table) as stream:
        if stream is None:
            return None
        frame = pd.read_csv(stream, **_CSV_OPTIONS)
    frame.columns = [c.strip() for c in frame.columns]
    return frame[columns] if columns is not None else frame


def iter_table(
    source: Path, table: str, columns: list[str] | None = None
) -> Iterator[pd.DataFrame]:
    """Yield a table in chunks of strings; nothing when the file is absent."""
    with open_table(source, table) as stream:
        if stream is None:
            return
        header = pd.read_csv(stream, nrows=0, **_CSV_OPTIONS).columns
        stream.seek(0)
        names = [c.strip() for c in header]
        wanted = None if columns is None else [header[names.index(c)] for c in columns]
        for chunk in pd.read_csv(stream, usecols=wanted, chunksize=CHUNK_ROWS, **_CSV_OPTIONS):
            chunk.columns = [c.strip() for c in chunk.columns]
            yield chunk


def header(source: Path, table: str) -> list[str] | None:
    """Column names of a table (stripped), or None when the file is absent."""
    with open_table(source, table) as stream:
        if stream is None:
            return None
        return [c.strip() for c in pd.read_csv(stream, nrows=0, **_CSV_OPTIONS).columns]
