"""Headless Chromium for the output tests: load a page from a file, report what it did.

Uses Debian's ``chromium`` binary on the command line (no WebDriver, no downloaded browser):
a copy of the page gets a small probe script as the first thing in ``<head>``; ``--dump-dom``
then returns the probe's JSON report (JavaScript errors, Leaflet layers drawn, resources fetched).
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path


def chromium_binary() -> str | None:
    """The chromium executable on PATH, or None."""
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


#: Headless, quiet and without first-run work: the flags every test browser starts with.
HEADLESS_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
CHROMIUM_FLAGS = (
    *HEADLESS_FLAGS,
    # Tests never reach the internet: every host name fails to resolve, so map tiles fail fast
    # (as offline) and any CDN request would show up as an attempted resource.
    "--host-resolver-rules=MAP * ~NOTFOUND",
)

# Runs first in the page: records JavaScript errors, then after load reports what was drawn.
PROBE = """<script>
window.__probe = {errors: [], failed: []};
window.addEventListener('error', function (e) {
  if (e instanceof ErrorEvent) {
    __probe.errors.push(String(e.message) + ' @ ' + e.filename + ':' + e.lineno);
  } else if (e.target) {  // a resource that failed to load (offline map tiles)
    __probe.failed.push(e.target.src || e.target.href || String(e.target));
  }
}, true);
window.addEventListener('unhandledrejection', function (e) {
  __probe.errors.push('unhandled rejection: ' + e.reason);
});
window.addEventListener('load', function () { setTimeout(function () {
  var out = {errors: __probe.errors, failed: __probe.failed, leaflet: (window.L && L.version) || null, maps: 0,
             polylines: [], markers: 0, title: document.title,
             svg_routes: document.querySelectorAll('svg.route-map polyline.route').length,
             resources: performance.getEntriesByType('resource').map(function (r) {
               return {name: r.name, type: r.initiatorType}; })};
  if (window.L) {
    Object.keys(window).forEach(function (k) {
      var v; try { v = window[k]; } catch (err) { return; }
      if (v instanceof L.Map) {
        out.maps += 1;
        v.eachLayer(function (layer) {
          if (layer instanceof L.Polyline && !(layer instanceof L.Polygon)) {
            out.polylines.push({cls: layer.options.className || '',
                                points: layer.getLatLngs().length,
                                drawn: !!(layer._path && layer._path.getAttribute('d'))});
          } else if (layer instanceof L.CircleMarker) { out.markers += 1; }
        });
      }
    });
  }
  var pre = document.createElement('pre');
  pre.id = '__probe';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
}, 200); });
</script>"""


class Chromium:
    """Loads pages from files in headless Chromium and reports what they did."""

    def __init__(self, binary: str, profile_root: Path) -> None:
        self.binary = binary
        self.profile_root = profile_root
        self._runs = 0
        self._lock = threading.Lock()

    def _run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        with self._lock:
            self._runs += 1
            profile = self.profile_root / f"profile-{self._runs}"
        return subprocess.run(
            [
                self.binary,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={profile}",
                "--enable-logging=stderr",
                "--v=0",
                *args,
            ],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def probe(self, page: Path) -> dict:
        """Open a copy of ``page`` (beside it) with the probe, return the probe's report."""
        text = page.read_text(encoding="utf-8")
        at = text.find("<head>")
        assert at >= 0, f"{page} has no <head>"
        copy = page.with_name(f".probe-{page.name}")
        copy.write_text(text[: at + 6] + PROBE + text[at + 6 :], encoding="utf-8")
        try:
            done = self._run("--virtual-time-budget=10000", "--dump-dom", copy.as_uri())
        finally:
            copy.unlink()
        match = re.search(r'<pre id="__probe">(.*?)</pre>', done.stdout, re.DOTALL)
        assert match, f"no probe report from {page.name}: {done.stderr[-2000:]}"
        report = json.loads(html.unescape(match.group(1)))
        report["console_errors"] = [
            line for line in done.stderr.splitlines() if "CONSOLE" in line and "Uncaught" in line
        ]
        return report

    def probe_all(self, pages: list[Path]) -> dict[Path, dict]:
        """:meth:`probe` several pages, a few browsers at a time."""
        with ThreadPoolExecutor(max_workers=3) as pool:
            return dict(zip(pages, pool.map(self.probe, pages), strict=True))

    def screenshot(self, page: Path, png: Path, *, size: str = "1280,860") -> Path:
        """Save a screenshot of ``page`` as PNG."""
        png.unlink(missing_ok=True)
        self._run(
            f"--window-size={size}",
            "--virtual-time-budget=5000",
            "--hide-scrollbars",
            f"--screenshot={png}",
            page.as_uri(),
        )
        assert png.is_file(), f"chromium wrote no screenshot of {page.name}"
        return png
