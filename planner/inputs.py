"""Read a file the user gave: a regular file of bounded size, decoded as the tool that wrote it.

Every file the planner reads from the user (scenario and candidates TOML, participants, fleet and
points CSV, benchmark instances, solver parameters) comes through :func:`read_input_text`, so a
folder, a device such as ``/dev/zero``, a file over :data:`planner.limits.MAX_INPUT_BYTES`, a
binary file or a workbook saved under a text name all give the same one-line
:class:`~planner.errors.InputFileError` naming the file, before anything is parsed.

Text is decoded the way spreadsheets and editors write it: UTF-8 (with or without BOM), UTF-16
or UTF-32 with a BOM (Excel's "Unicode text"), UTF-16 without a BOM, and otherwise Windows-1252
(older Excel, "CSV (Macintosh)" excepted, which :func:`read_csv_records` handles by its CR-only
line ends).
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import stat
from pathlib import Path

from planner.errors import InputFileError
from planner.limits import MAX_INPUT_BYTES

__all__ = ["check_input_file", "decode_text", "read_csv_records", "read_input_text"]

#: Byte-order marks, longest first (the UTF-32 LE mark begins with the UTF-16 LE one).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
#: First bytes of a zip archive: an .xlsx workbook, an .ods sheet or a GTFS zip.
_ZIP_MAGIC = b"PK\x03\x04"
#: Control characters that text files hold (tab, line ends, form feed).
_TEXT_CONTROLS = frozenset("\t\n\r\f")


def check_input_file(path: str | os.PathLike[str], option: str | None = None) -> Path:
    """Return ``path`` if it is a regular, readable file within the size limit.

    Parameters
    ----------
    path
        The file the user named.
    option
        The command-line option or key that named it, put in front of the message.

    Raises
    ------
    InputFileError
        When ``path`` does not exist, is a folder, a device or a pipe, cannot be read, or is
        larger than :data:`planner.limits.MAX_INPUT_BYTES` (the message states the limit).
    """
    path = Path(path)
    where = f"{option} {path}" if option else path
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputFileError(where, "file not found") from None
    except OSError as exc:
        raise InputFileError(where, f"cannot read the file ({exc.strerror})") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputFileError(
            where, "is a folder, not a file", hint="give the path of the file itself"
        )
    if not stat.S_ISREG(info.st_mode):
        raise InputFileError(
            where,
            "is not a regular file (a device, pipe or socket)",
            hint="give the path of a file on disk",
        )
    if info.st_size > MAX_INPUT_BYTES:
        raise InputFileError(
            where,
            f"the file has {info.st_size:,} bytes, more than the limit "
            f"of {MAX_INPUT_BYTES:,} bytes",
            hint="split the input",
        )
    if not os.access(path, os.R_OK):
        raise InputFileError(where, "cannot read the file (permission denied)")
    return path


def read_input_text(
    path: str | os.PathLike[str], kind: str = "text", option: str | None = None
) -> str:
    """Return the text of a user file, checked by :func:`check_input_file` and decoded.

    Parameters
    ----------
    path
        The file.
    kind
        What the file should hold (``"CSV"``, ``"TOML"``), for the hint of an error.
    option
        The command-line option that named the file, for the message.

    Raises
    ------
    InputFileError
        As :func:`check_input_file`, and for a binary file or a zip archive (an Excel workbook).
    """
    path = check_input_file(path, option)
    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_INPUT_BYTES + 1)
    except OSError as exc:
        raise InputFileError(path, f"cannot read the file ({exc.strerror})") from None
    if len(raw) > MAX_INPUT_BYTES:  # grew after the check
        raise InputFileError(
            path,
            f"the file has more than the limit of {MAX_INPUT_BYTES:,} bytes",
            hint="split the input",
        )
    return decode_text(path, raw, kind)


def decode_text(path: str | os.PathLike[str], raw: bytes, kind: str = "text") -> str:
    """Return ``raw`` decoded (see the module docstring for the encodings tried).

    Raises
    ------
    InputFileError
        When the bytes are a zip archive or binary data rather than text.
    """
    if raw.startswith(_ZIP_MAGIC):
        raise InputFileError(
            path,
            f"is a zip archive or an Excel workbook, not {kind} text",
            hint=f"save it from the spreadsheet as {kind} (UTF-8)"
            if kind == "CSV"
            else f"give a {kind} text file",
        )
    text = _decode(raw)
    if _looks_binary(text):
        raise InputFileError(
            path,
            f"is a binary file, not {kind} text",
            hint=f"give a {kind} file saved as text (UTF-8)",
        )
    return text


def _decode(raw: bytes) -> str:
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return raw[len(bom) :].decode(encoding, errors="replace")
    utf16 = _utf16_without_bom(raw)
    if utf16 is not None:
        return raw.decode(utf16, errors="replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:  # five bytes have no cp1252 character: keep them visible
        return raw.decode("latin-1")


def _utf16_without_bom(raw: bytes) -> str | None:
    """``utf-16-le``/``-be`` when every other byte of mostly-ASCII text is zero, else None."""
    sample = raw[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def _looks_binary(text: str) -> bool:
    """Whether ``text`` holds more control characters than a text file with a stray one would.

    A single control character in a cell is reported on its row by the table readers; a binary
    file has them everywhere (random bytes: about one in eight).
    """
    sample = text[:65536]
    bad = sum(
        1
        for ch in sample
        if (ch < " " and ch not in _TEXT_CONTROLS) or "\x7f" <= ch < "\xa0" or ch == "\ufffd"
    )
    return bad >= 4 and bad > 0.02 * len(sample)


def read_csv_records(
    path: str | os.PathLike[str], text: str, delimiters: tuple[str, ...] = (",",)
) -> list[list[str]]:
    """Return the records of CSV ``text``; the delimiter is the one the header uses most.

    Line ends may be LF, CRLF or CR alone (Excel's "CSV (Macintosh)").

    Raises
    ------
    InputFileError
        For a quote that is never closed (naming the row where it opened) or a quote followed by
        more text in the same cell.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    first = text.split("\n", 1)[0]
    delimiter = max(delimiters, key=first.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    records: list[list[str]] = []
    started = 1
    try:
        for record in reader:
            records.append(record)
            started = reader.line_num + 1
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            raise InputFileError(
                path,
                'a quote (") opened on this row is never closed',
                row=started,
                hint="close the quote or remove it",
            ) from None
        raise InputFileError(
            path,
            f'a quote (") in the middle of a cell ({exc})',
            row=reader.line_num,
            hint='put the whole cell in quotes and double the quotes inside it ("")',
        ) from None
    return records
