"""Where people live: street addresses geocoded with PDOK Locatieserver, with offline fallbacks.

PDOK Locatieserver is the free Dutch geocoder built on the BAG address register. An address is
looked up on its ``free`` endpoint with ``fq=type:adres``; the point is the best document's
``centroide_ll`` (``"POINT(lon lat)"``, WGS84), which for an address is the BAG address point.

``$PLANNER_GEOCODER_URL`` is the base URL that ``/free`` is appended to (default
:data:`DEFAULT_URL`); ``off`` means offline. Every answer, also "not found", is cached on disk (one
small JSON file per address, written atomically, under ``<cache_dir>/geocode``) and reused, so a
second run needs no network and gives the same points. Requests are spaced at least
:data:`MIN_INTERVAL_S` apart; a request that fails or times out (:data:`TIMEOUT_S`) gives one
warning and switches the geocoder off for the rest of the run.

:class:`PostcodePoints` holds the 4-digit postcode (PC4) points of the data pack
(``postcodes.csv``, see ``data/SOURCES.md``), the fallback when an address cannot be geocoded.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
import warnings
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from planner._io import write_json

__all__ = [
    "DEFAULT_URL",
    "ENV_URL",
    "GeocodeResult",
    "Geocoder",
    "GeocoderWarning",
    "PostcodePoint",
    "PostcodePoints",
    "geocoder_url",
    "normalise_postcode",
]

#: PDOK Locatieserver search API, version 3.1 (``/free`` is appended).
DEFAULT_URL = "https://api.pdok.nl/bzk/locatieserver/search/v3_1"
#: Environment variable with the base URL, or ``off`` for no network at all.
ENV_URL = "PLANNER_GEOCODER_URL"
#: Seconds to wait for one answer before giving up on the geocoder for this run.
TIMEOUT_S = 5.0
#: Least seconds between two requests (at most 5 per second, well below PDOK's fair use).
MIN_INTERVAL_S = 0.2
#: Largest answer read (bytes); one address document is about 1 kB.
MAX_RESPONSE_BYTES = 1_000_000

_POSTCODE = re.compile(r"^(\d{4})\s*([A-Za-z]{2})?$")
_POINT = re.compile(r"^\s*POINT\s*\(\s*([-+0-9.eE]+)\s+([-+0-9.eE]+)\s*\)\s*$")
_USER_AGENT = "rivierenland-planner/0.1 (Python urllib)"


class GeocoderWarning(UserWarning):
    """The geocoder could not be used (offline, no answer) or did not find an address."""


@dataclass(frozen=True)
class GeocodeResult:
    """The best address document PDOK returned: point (EPSG:4326), postcode and woonplaats."""

    lat: float
    lon: float
    postcode: str
    woonplaats: str


@dataclass(frozen=True)
class PostcodePoint:
    """One 4-digit postcode area of the data pack: its point (EPSG:4326) and woonplaats."""

    pc4: str
    lat: float
    lon: float
    woonplaats: str


def geocoder_url() -> str | None:
    """Return the geocoder base URL from ``$PLANNER_GEOCODER_URL``; None when it is ``off``."""
    value = os.environ.get(ENV_URL, DEFAULT_URL).strip() or DEFAULT_URL
    return None if value.lower() == "off" else value.rstrip("/")


def normalise_postcode(text: str) -> str:
    """``"4001jr"`` -> ``"4001 JR"``, ``"4001"`` -> ``"4001"``.

    Raises
    ------
    ValueError
        When ``text`` is not four digits (not starting with 0) with an optional two letters.
    """
    match = _POSTCODE.match(text.strip())
    if not match or match[1].startswith("0"):
        raise ValueError(f"{text!r} is not a Dutch postcode")
    return f"{match[1]} {match[2].upper()}" if match[2] else match[1]


# --------------------------------------------------------------------------- postcode points


class PostcodePoints:
    """The data pack's PC4 points, read from ``postcodes.csv`` in the pack folder.

    Parameters
    ----------
    path
        The CSV file (columns ``pc4``, ``woonplaats``, ``lat``, ``lon``); a missing file gives an
        empty table (a data pack without postcode points).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._points = _read_postcodes(path)

    def point(self, postcode: str) -> PostcodePoint | None:
        """Return the point of a postcode's 4-digit area (``"4001 JR"`` or ``"4001"``), if known."""
        return self._points.get(postcode[:4])

    def __len__(self) -> int:
        return len(self._points)


@cache
def _read_postcodes(path: Path) -> dict[str, PostcodePoint]:
    if not path.is_file():
        return {}
    points: dict[str, PostcodePoint] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            try:
                point = PostcodePoint(
                    pc4=normalise_postcode(row["pc4"]),
                    lat=float(row["lat"]),
                    lon=float(row["lon"]),
                    woonplaats=row["woonplaats"].strip(),
                )
            except (KeyError, TypeError, ValueError):
                raise ValueError(
                    f"{path}, row {line}: not a pc4, woonplaats, lat, lon row"
                ) from None
            if len(point.pc4) != 4 or not (math.isfinite(point.lat) and math.isfinite(point.lon)):
                raise ValueError(f"{path}, row {line}: pc4 must be 4 digits and lat/lon numbers")
            points[point.pc4] = point
    return points


# --------------------------------------------------------------------------- cache


class _Cache:
    """One JSON file per query, named by the query's SHA-256, so no address shows in file names."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def _file(self, query: str) -> Path | None:
        if self.folder is None:
            return None
        digest = hashlib.sha256(query.encode("utf-8")).hexdigest()
        return self.folder / f"{digest}.json"

    def get(self, query: str) -> dict[str, Any] | None:
        """Return the cached entry (``{"found": bool, ...}``), or None when absent or unreadable."""
        path = self._file(query)
        if path is None or not path.is_file():
            return None
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return entry if isinstance(entry, dict) and entry.get("query") == query else None

    def put(self, query: str, result: GeocodeResult | None) -> None:
        path = self._file(query)
        if path is None:
            return
        entry: dict[str, Any] = {"query": query, "found": result is not None}
        if result is not None:
            entry.update(
                lat=result.lat,
                lon=result.lon,
                postcode=result.postcode,
                woonplaats=result.woonplaats,
            )
        try:
            # The entries are home points: keep the folder to its owner.
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            write_json(path, entry)
        except OSError as exc:  # a read-only cache only costs a repeated request next time
            warnings.warn(
                f"geocoder cache {self.folder} is not writable ({exc.strerror})",
                GeocoderWarning,
                stacklevel=4,
            )
            self.folder = None


def _from_entry(entry: dict[str, Any]) -> GeocodeResult | None:
    if not entry.get("found"):
        return None
    try:
        return GeocodeResult(
            lat=float(entry["lat"]),
            lon=float(entry["lon"]),
            postcode=str(entry.get("postcode", "")),
            woonplaats=str(entry.get("woonplaats", "")),
        )
    except (KeyError, TypeError, ValueError):
        return None


# --------------------------------------------------------------------------- geocoder


class _Unavailable(Exception):
    """The geocoder did not answer usefully (network, timeout, HTTP error, other format)."""


class Geocoder:
    """Geocodes addresses with PDOK Locatieserver, through an on-disk cache.

    Parameters
    ----------
    url
        Base URL (``/free`` is appended), or None for offline: only the cache answers.
    cache_dir
        Folder of the cache files, or None for no cache.
    timeout_s
        Seconds to wait for one answer.
    min_interval_s
        Least seconds between two requests.
    """

    def __init__(
        self,
        url: str | None,
        cache_dir: Path | None,
        *,
        timeout_s: float = TIMEOUT_S,
        min_interval_s: float = MIN_INTERVAL_S,
    ) -> None:
        self.url = url.rstrip("/") if url else None
        self.cache = _Cache(cache_dir)
        self.timeout_s, self.min_interval_s = timeout_s, min_interval_s
        self.requests = 0
        self._last_request = -math.inf

    @classmethod
    def from_settings(cls, cache_dir: Path | None = None) -> Geocoder:
        """Return the geocoder of ``$PLANNER_GEOCODER_URL``, cached in ``<cache_dir>/geocode``.

        ``cache_dir`` is the folder that also holds the networks and feeds (``--cache-dir``);
        None means ``settings.cache_dir`` (``$PLANNER_CACHE_DIR``).
        """
        from planner import settings

        return cls(geocoder_url(), Path(cache_dir or settings.cache_dir) / "geocode")

    @classmethod
    def offline(cls) -> Geocoder:
        """Return a geocoder with neither network nor cache: every address falls back."""
        return cls(None, None)

    @property
    def online(self) -> bool:
        """True while requests may be sent (not ``off``, and no failure yet in this run)."""
        return self.url is not None

    def lookup(self, query: str) -> GeocodeResult | None:
        """Return the point of an address: from the cache, else from PDOK while online.

        Parameters
        ----------
        query
            Free text, e.g. ``"Dorpsstraat 12, 4021 AB Maurik"``.

        Returns
        -------
        GeocodeResult or None
            None when the address is not found, or not cached while offline.
        """
        key = _query_key(query)
        entry = self.cache.get(key)
        if entry is not None:
            return _from_entry(entry)
        if self.url is None:
            return None
        try:
            result = self._request(key)
        except _Unavailable as exc:
            warnings.warn(
                f"geocoder {self.url} {exc}; addresses are placed at their postcode "
                "area or village instead",
                GeocoderWarning,
                stacklevel=2,
            )
            self.url = None
            return None
        self.cache.put(key, result)
        return result

    def _request(self, query: str) -> GeocodeResult | None:
        assert self.url is not None
        wait = self._last_request + self.min_interval_s - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        params = urllib.parse.urlencode({"q": query, "fq": "type:adres", "rows": 1})
        request = urllib.request.Request(
            f"{self.url}/free?{params}",
            headers={"User-Agent": _USER_AGENT, "Accept": "application/json"},
        )
        self.requests += 1
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s) as answer:
                body = answer.read(MAX_RESPONSE_BYTES + 1)
        except TimeoutError:
            raise _Unavailable(f"did not answer within {self.timeout_s:g} s") from None
        except urllib.error.HTTPError as exc:
            raise _Unavailable(f"answered HTTP {exc.code}") from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            if isinstance(reason, TimeoutError):
                raise _Unavailable(f"did not answer within {self.timeout_s:g} s") from None
            raise _Unavailable(f"is not reachable ({reason})") from None
        finally:
            self._last_request = time.monotonic()
        if len(body) > MAX_RESPONSE_BYTES:
            raise _Unavailable(f"sent more than {MAX_RESPONSE_BYTES} bytes")
        return _parse_answer(body)


def _query_key(query: str) -> str:
    """Return the query as sent and cached: spaces collapsed, case kept (PDOK ignores case)."""
    return " ".join(query.split())


def _parse_answer(body: bytes) -> GeocodeResult | None:
    """Return the first ``adres`` document of a Locatieserver ``free`` answer, or None."""
    try:
        docs = json.loads(body.decode("utf-8"))["response"]["docs"]
    except (UnicodeDecodeError, ValueError, KeyError, TypeError):
        raise _Unavailable("answered in an unexpected format (no response.docs)") from None
    if not isinstance(docs, list):
        raise _Unavailable("answered in an unexpected format (response.docs is not a list)")
    for doc in docs:
        if not isinstance(doc, dict) or doc.get("type") != "adres":
            continue
        match = _POINT.match(str(doc.get("centroide_ll", "")))
        if not match:
            raise _Unavailable("answered an address without a centroide_ll point")
        lon, lat = float(match[1]), float(match[2])
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise _Unavailable(f"answered an impossible point ({lat}, {lon})")
        return GeocodeResult(
            lat=lat,
            lon=lon,
            postcode=str(doc.get("postcode", "")),
            woonplaats=str(doc.get("woonplaatsnaam", "")),
        )
    return None
