"""A local HTTP server that answers Overpass API queries from a real OSM extract.

It stands in for overpass-api.de so that the real download code of osmnx runs offline: every
``/interpreter`` query is answered with the extract's ways that match the query's kind
(highways, or ``route=ferry``) plus their nodes, in Overpass JSON.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Self
from urllib.parse import parse_qs

import osmium


def overpass_json(pbf: Path) -> dict[str, list[dict]]:
    """Ways and nodes of ``pbf`` as Overpass JSON elements, split by 'highway' and 'ferry'."""
    ways = {"highway": [], "ferry": []}
    needed: set[int] = set()
    for w in osmium.FileProcessor(str(pbf), osmium.osm.WAY):
        kind = (
            "highway"
            if "highway" in w.tags
            else "ferry"
            if w.tags.get("route") == "ferry"
            else None
        )
        if kind:
            refs = [n.ref for n in w.nodes]
            needed.update(refs)
            ways[kind].append({"type": "way", "id": w.id, "nodes": refs, "tags": dict(w.tags)})
    nodes = [
        {
            "type": "node",
            "id": n.id,
            "lat": n.location.lat,
            "lon": n.location.lon,
            "tags": dict(n.tags),
        }
        for n in osmium.FileProcessor(str(pbf), osmium.osm.NODE)
        if n.id in needed
    ]
    return {kind: nodes + elements for kind, elements in ways.items()}


class OverpassStub:
    """Context manager running the stub on a free localhost port; ``url`` is the API base.

    After ``fail_after`` answered queries (when given; the attribute may be changed while it
    runs) every further query gets an HTTP 500, as an overloaded server would, to test an
    interrupted download.
    """

    def __init__(self, pbf: Path, fail_after: int | None = None) -> None:
        self.elements = overpass_json(pbf)
        self.queries: list[str] = []
        self.fail_after = fail_after
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                query = parse_qs(body).get("data", [""])[0]
                if stub.fail_after is not None and len(stub.queries) >= stub.fail_after:
                    self.send_error(500, "server overloaded")
                    return
                stub.queries.append(query)
                kind = "ferry" if '"route"="ferry"' in query else "highway"
                self._send({"version": 0.6, "elements": stub.elements[kind]})

            def do_GET(self) -> None:
                self._send({"status": "ok"})

            def _send(self, obj: dict) -> None:
                data = json.dumps(obj).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api"

    def __enter__(self) -> Self:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
