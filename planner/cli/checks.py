"""Checks every command runs on its output path before any work.

A bad ``--out`` fails in a second instead of after the solver ran.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from planner.errors import InputFileError


def check_out_dir(path: Path, option: str = "--out") -> Path:
    """``path`` is a folder that exists or can be made, and new files in it can be written.

    Nothing is created: the nearest existing folder on the way gets a probe file that is removed
    at once.

    Raises
    ------
    InputFileError
        Naming ``option`` when ``path`` is a file, lies under a file, or cannot be written.
    """
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise InputFileError(
            option, f"{path} is a file, not a folder", hint="give a folder for the outputs"
        )
    _check_writable(_existing_ancestor(path, option), path, option)
    return path


def check_out_file(path: Path, option: str = "--out") -> Path:
    """Check that ``path`` names a file (not a folder) whose folder exists or can be made, and is writable.

    Raises
    ------
    InputFileError
        Naming ``option`` when ``path`` is a folder, a device, or cannot be written.
    """
    path = Path(path)
    if path.is_dir():
        raise InputFileError(
            option, f"{path} is a folder, not a file", hint="give the name of the file to write"
        )
    if path.exists() and not path.is_file():
        raise InputFileError(option, f"{path} is not a regular file (a device or pipe?)")
    if len(path.name.encode()) > 255:
        raise InputFileError(option, "the file name is longer than 255 bytes")
    _check_writable(_existing_ancestor(path.parent, option), path, option)
    return path


def _existing_ancestor(path: Path, option: str) -> Path:
    for folder in (path, *path.parents):
        if len(folder.name.encode()) > 255:
            raise InputFileError(option, f"the name {folder.name[:40]!r}… is longer than 255 bytes")
        if folder.exists():
            if not folder.is_dir():
                raise InputFileError(option, f"{folder} is a file, so {path} cannot be made")
            return folder
    return Path.cwd()


def _check_writable(folder: Path, path: Path, option: str) -> None:
    try:
        fd, probe = tempfile.mkstemp(prefix=".planner-probe-", dir=folder)
    except OSError as exc:
        raise InputFileError(
            option,
            f"cannot write in {folder} ({exc.strerror})",
            hint=f"choose another place for {path}",
        ) from None
    os.close(fd)
    os.unlink(probe)
