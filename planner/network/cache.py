"""On-disk cache of built street networks, keyed on content and checked on every load.

Layout: ``<cache_dir>/networks/<region>/`` holds ``car.npz``, ``bike.npz``, ``walk.npz`` and
``manifest.json`` (the key, the source, and a SHA-256 per file). The folder is written beside the
old one and swapped in with renames, so a reader never sees a half-written network; a manifest
whose checksums do not match marks the cache as corrupt.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from planner.network.graph import StreetGraph

MANIFEST = "manifest.json"
FORMAT_VERSION = 2


class CacheCorrupt(Exception):
    """The cache folder exists but is partial or altered."""


def network_dir(cache_dir: Path, region: str) -> Path:
    """Return the folder holding the cached network of ``region``."""
    return Path(cache_dir) / "networks" / region


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def save(
    folder: Path,
    graphs: dict[str, StreetGraph],
    *,
    key: str,
    source: str,
    warnings: list[str],
    inputs: str = "",
    osm_file: str | None = None,
) -> None:
    """Write ``graphs`` and their manifest to ``folder`` atomically (replacing what was there).

    ``key`` identifies the whole build (source and inputs), ``inputs`` the non-OSM inputs alone
    (checked on every load), ``osm_file`` the local file it was built from (to rebuild),
    ``warnings`` the build's warnings (shown again on reuse).
    """
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        files = {}
        for mode, graph in graphs.items():
            graph.to_npz(tmp / f"{mode}.npz")
            files[f"{mode}.npz"] = file_sha256(tmp / f"{mode}.npz")
        manifest = {
            "format": FORMAT_VERSION,
            "key": key,
            "source": source,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "files": files,
            "warnings": warnings,
            "inputs": inputs,
            "osm_file": osm_file,
        }
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        _swap_in(tmp, folder)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _swap_in(new: Path, folder: Path) -> None:
    old = folder.with_name(f".{folder.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if folder.exists():
        os.replace(folder, old)
    os.replace(new, folder)
    shutil.rmtree(old, ignore_errors=True)


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """Return the manifest of a complete, unaltered cache; ``None`` if there is none.

    Raises :class:`CacheCorrupt` if files are missing or their checksums do not match.
    """
    path = Path(folder) / MANIFEST
    if not Path(folder).exists():
        return None
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        files = manifest["files"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CacheCorrupt(f"{path}: unreadable manifest ({exc})") from exc
    if manifest.get("format") != FORMAT_VERSION:
        raise CacheCorrupt(f"{path}: cache format {manifest.get('format')} is not {FORMAT_VERSION}")
    for name, digest in files.items():
        f = Path(folder) / name
        if not f.is_file() or file_sha256(f) != digest:
            raise CacheCorrupt(f"{f}: missing or altered")
    return manifest


def load(folder: Path) -> tuple[dict[str, StreetGraph], dict[str, Any]] | None:
    """Load the cached graphs and manifest; ``None`` if absent, :class:`CacheCorrupt` if broken."""
    manifest = read_manifest(folder)
    if manifest is None:
        return None
    try:
        graphs = {
            name.removesuffix(".npz"): StreetGraph.from_npz(Path(folder) / name)
            for name in manifest["files"]
        }
    except (OSError, ValueError, KeyError) as exc:
        raise CacheCorrupt(f"{folder}: {exc}") from exc
    return graphs, manifest
