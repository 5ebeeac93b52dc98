"""Fetch a GTFS feed (download or local copy), filter it to the region and keep it in the cache.

The cached file's name is a hash of the feed's content and the box, so fetching the same feed
again reuses the stored result and a changed feed gets a new file.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import urllib.error
import urllib.request
import zipfile
from io import BufferedIOBase
from pathlib import Path

from planner._io import write_with
from planner.errors import TransitError
from planner.transit.feed import BBox, read_feed
from planner.transit.filter import stream_filter

_DOWNLOAD_TIMEOUT_S = 60


def fetch_feed(url_or_path: str | Path, bbox: BBox, cache_dir: str | Path) -> Path:
    """Download (or copy) a GTFS feed, filter it to a region and store it in the cache.

    Large national feeds are streamed: stop times and shapes are read in chunks, so the Dutch
    national feed (``gtfs-nl.zip`` from OVapi) can be cut down to Rivierenland on a laptop.

    Parameters
    ----------
    url_or_path
        An ``http(s)://`` URL of a GTFS zip, or a local zip file or folder.
    bbox
        (south, west, north, east) in degrees, EPSG:4326; see :func:`filter_feed`.
    cache_dir
        Folder for the filtered feed. The file name is derived from the feed content and the
        bbox, so fetching the same feed again reuses the stored result.

    Returns
    -------
    Path
        The filtered feed, a GTFS zip archive in ``cache_dir``.

    Raises
    ------
    TransitError
        When the download fails, the feed is malformed or no trip stops inside the box.
    """
    cache = Path(cache_dir)
    cache.mkdir(parents=True, exist_ok=True)
    text = str(url_or_path)
    if text.startswith(("http://", "https://")):
        with tempfile.TemporaryDirectory(dir=cache) as tmp:
            download = Path(tmp) / "download.zip"
            _download(text, download)
            return _filter_into_cache(download, bbox, cache)
    source = Path(url_or_path)
    if not source.exists():
        raise TransitError(
            f"{source}: GTFS feed not found (give an http(s) URL, a .zip file "
            "or a folder of GTFS .txt files)"
        )
    return _filter_into_cache(source, bbox, cache)


def _download(url: str, target: Path) -> None:
    request = urllib.request.Request(url, headers={"User-Agent": "rivierenland-planner"})
    try:
        with urllib.request.urlopen(request, timeout=_DOWNLOAD_TIMEOUT_S) as response:
            write_with(target, lambda tmp: _copy_stream(response, tmp))
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise TransitError(
            f"cannot download GTFS feed from {url}: {exc} (check the address and "
            "the internet connection)"
        ) from None
    if not zipfile.is_zipfile(target):
        raise TransitError(f"{url}: the download is not a zip archive (is it a GTFS feed?)")


def _copy_stream(stream: BufferedIOBase, path: Path) -> None:
    with path.open("wb") as out:
        shutil.copyfileobj(stream, out, length=1 << 20)


def _filter_into_cache(source: Path, bbox: BBox, cache: Path) -> Path:
    if source.is_file() and not zipfile.is_zipfile(source):
        raise TransitError(
            f"{source}: not a zip archive (a GTFS feed is a .zip file or a folder of .txt files)"
        )
    target = cache / f"gtfs-{_cache_key(source, bbox)}.zip"
    if target.exists():
        return target
    with tempfile.TemporaryDirectory(dir=cache) as tmp:
        # Named so that an error in the filtered copy says where its row numbers come from.
        folder = Path(tmp) / f"{source.name} (filtered)"
        stream_filter(source, bbox, folder)
        filtered = read_feed(folder)  # checks the result, so a broken feed fails here, not later
        return filtered.to_file(target)


def _cache_key(source: Path, bbox: BBox) -> str:
    digest = hashlib.sha256(repr(tuple(round(v, 6) for v in bbox)).encode())
    files = sorted(source.glob("*.txt")) if source.is_dir() else [source]
    for path in files:
        digest.update(path.name.encode())
        with path.open("rb") as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()[:16]
