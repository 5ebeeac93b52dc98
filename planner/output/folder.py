"""Replace an output folder as a whole: a folder is either the complete new plan or untouched.

The new content is written into a hidden temporary folder beside the target; at the end the two
are exchanged in one atomic ``renameat2(RENAME_EXCHANGE)`` on Linux (two renames elsewhere), and
the old content is deleted. A crash before the exchange leaves the target as it was and only a
hidden ``.NAME.new-*`` folder, which the next run removes.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from planner.errors import PlannerError

#: A folder holding this file is a plan folder that may be replaced.
PLAN_MARKER = "plan.json"


class OutputFolderError(PlannerError, ValueError):
    """The output folder is a file, or holds files that are not a plan."""


@contextmanager
def replaced_folder(target: Path) -> Iterator[Path]:
    """Yield an empty temporary folder; on success it becomes ``target``."""
    check_output_folder(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(target)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    try:
        yield tmp
        if target.exists():
            _exchange(tmp, target)
            shutil.rmtree(tmp)  # now holds the old plan
        else:
            os.rename(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def check_output_folder(target: Path) -> None:
    """Refuse a file, or a folder with other content, before any work is done."""
    if target.exists() and not target.is_dir():
        raise OutputFolderError(f"{target}: is a file, not a folder (choose another --out)")
    if target.is_dir() and any(target.iterdir()) and not (target / PLAN_MARKER).is_file():
        raise OutputFolderError(
            f"{target}: holds files that are not a plan; choose an empty or new folder for --out"
        )
    parent = target.parent if not target.exists() else target
    while not parent.exists():
        parent = parent.parent
    if not os.access(parent, os.W_OK):
        raise OutputFolderError(f"{target}: cannot be written (no permission)")


def _remove_leftovers(target: Path) -> None:
    for stale in target.parent.glob(f".{target.name}.new-*"):
        shutil.rmtree(stale, ignore_errors=True)


def _exchange(a: Path, b: Path) -> None:
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    at_fdcwd, rename_exchange = -100, 2
    if (
        renameat2 is not None
        and renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0
    ):
        return
    # No atomic exchange here: move the old plan aside first, then the new one in.
    aside = b.parent / f".{b.name}.new-old"
    os.rename(b, aside)
    os.rename(a, b)
    os.rename(aside, a)
