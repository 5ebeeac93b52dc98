"""A threaded WSGI server whose access log masks the drivers' secret tokens."""

from __future__ import annotations

import re
import socketserver
import sys
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer
from wsgiref.simple_server import make_server as _make

_TOKEN = re.compile(r"/d/[^/\s]+")


class _Server(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Handler(WSGIRequestHandler):
    """Logs method, path (driver tokens masked, no query string) and status; never a body."""

    def log_message(self, format: str, *args) -> None:
        text = _TOKEN.sub("/d/***", format % args)
        text = re.sub(r"\?\S*", "", text)
        sys.stderr.write(f"{self.log_date_time_string()} {text}\n")


def make_server(host: str, port: int):
    """Return a server for the Django app on ``host:port`` (port 0: any free port)."""
    from planner.web.wsgi import application

    return _make(host, port, application, server_class=_Server, handler_class=_Handler)
