"""A local HTTP server that answers PDOK Locatieserver ``free`` queries for a few test addresses.

It stands in for https://api.pdok.nl/bzk/locatieserver/search/v3_1 so that the real request code
of :mod:`planner.geocode` runs offline. Answers follow the real service's format: a Solr-style
``{"response": {"numFound", "start", "maxScore", "numFoundExact", "docs": [...]}}`` whose address
documents carry ``type: "adres"``, ``weergavenaam``, ``straatnaam``, ``huisnummer``, ``postcode``
(``"4021AB"``, no space), ``woonplaatsnaam``, ``gemeentenaam``, ``provincienaam``,
``centroide_ll`` (``"POINT(lon lat)"``, WGS84) and ``centroide_rd`` (``"POINT(x y)"``, RD New).

The addresses are test fixtures (invented streets), not real BAG records.
"""

from __future__ import annotations

import json
import re
import threading
import time
import unicodedata
import zlib
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self
from urllib.parse import parse_qs, urlsplit

from pyproj import Transformer

_TO_RD = Transformer.from_crs("EPSG:4326", "EPSG:28992", always_xy=True)


@dataclass(frozen=True)
class StubAddress:
    """One address the stub knows: street, number, postcode (``"4021AB"``), place and point."""

    street: str
    number: int
    postcode: str
    woonplaats: str
    gemeente: str
    lat: float
    lon: float

    def doc(self, score: float) -> dict[str, object]:
        """The address as a Locatieserver ``free`` document."""
        x, y = _TO_RD.transform(self.lon, self.lat)
        ident = f"{zlib.crc32(f'{self.street}{self.number}{self.postcode}'.encode()):012d}"
        return {
            "bron": "BAG",
            "type": "adres",
            "id": f"adr-{ident}",
            "weergavenaam": f"{self.street} {self.number}, {self.postcode} {self.woonplaats}",
            "straatnaam": self.street,
            "straatnaam_verkort": self.street,
            "huisnummer": self.number,
            "huis_nlt": str(self.number),
            "postcode": self.postcode,
            "woonplaatsnaam": self.woonplaats,
            "gemeentenaam": self.gemeente,
            "provincienaam": "Gelderland",
            "provinciecode": "PV25",
            "provincieafkorting": "GD",
            "openbareruimtetype": "Weg",
            "nummeraanduiding_id": f"0281200{ident}",
            "adresseerbaarobject_id": f"0281010{ident}",
            "centroide_ll": f"POINT({self.lon:.8f} {self.lat:.8f})",
            "centroide_rd": f"POINT({x:.3f} {y:.3f})",
            "score": score,
        }


def _words(text: str) -> list[str]:
    """Lower-case words without accents or punctuation, postcodes written without a space."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    plain = re.sub(r"\b(\d{4})\s+([a-z]{2})\b", r"\1\2", plain)
    return re.findall(r"[a-z0-9]+", plain)


class PdokStub:
    """Context manager running the stub on a free localhost port; ``url`` is the base URL.

    Parameters
    ----------
    addresses
        The addresses it finds. A query matches an address when it holds the street's words, the
        number and either the postcode or the woonplaats.
    delay_s
        Seconds to wait before answering (to test time-outs).
    body
        Raw bytes to answer instead of JSON (to test a broken service).
    """

    def __init__(
        self, addresses: list[StubAddress], *, delay_s: float = 0.0, body: bytes | None = None
    ) -> None:
        self.addresses = addresses
        self.delay_s, self.body = delay_s, body
        self.queries: list[dict[str, str]] = []
        self.times: list[float] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                params = {k: v[0] for k, v in parse_qs(parts.query).items()}
                stub.queries.append({"path": parts.path, **params})
                stub.times.append(time.monotonic())
                if stub.delay_s:
                    time.sleep(stub.delay_s)
                if not parts.path.endswith("/free"):
                    self._send(404, b'{"error": "not found"}')
                    return
                data = (
                    stub.body
                    if stub.body is not None
                    else json.dumps(stub.answer(params), ensure_ascii=False).encode()
                )
                self._send(200, data)

            def _send(self, status: int, data: bytes) -> None:
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json; charset=UTF-8")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):  # the client timed out first
                    pass

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/bzk/locatieserver/search/v3_1"

    def answer(self, params: dict[str, str]) -> dict[str, object]:
        """The ``free`` answer for query parameters ``q``, ``fq`` and ``rows``."""
        words = set(_words(params.get("q", "")))
        docs = []
        if params.get("fq", "type:adres") == "type:adres":
            for address in self.addresses:
                street = set(_words(address.street))
                place = {address.postcode.lower()} | set(_words(address.woonplaats))
                if street <= words and str(address.number) in words and words & place:
                    docs.append(address.doc(score=12.5 - len(docs)))
        rows = int(params.get("rows", 10))
        return {
            "response": {
                "numFound": len(docs),
                "start": 0,
                "maxScore": docs[0]["score"] if docs else 0.0,
                "numFoundExact": True,
                "docs": docs[:rows],
            }
        }

    def __enter__(self) -> Self:
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
