"""Writing outputs killed with SIGKILL at random moments leaves the folder whole: the old plan or
the new one, never a mix or a partial folder (issue 14 item 6)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]

WRITER = """
import sys
sys.path[:0] = [{here!r}, {repo!r}]
from pathlib import Path
from dataclasses import replace
from fixture_plan import make_plan
from planner.model.read import read_scenario
from planner.output import write_outputs
scenario = read_scenario(Path({repo!r}) / "data/scenarios/taalcafe-tiel/scenario.toml")
plan = make_plan(scenario)
if sys.argv[2] == "fewer":
    gone = plan.vehicles[0].id
    plan = replace(plan, vehicles=plan.vehicles[1:], participants=tuple(
        p for p in plan.participants
        if not any(l.vehicle == gone for _, j in p.journeys() for l in j.legs)))
print("ready", flush=True)
write_outputs(plan, scenario, None, sys.argv[1])
"""


# GDAL and openpyxl stamp the writing time into these: compared by their file signature only.
_STAMPED = {".gpkg": b"SQLite format 3\x00", ".xlsx": b"PK\x03\x04"}


def _files(folder: Path) -> dict[str, bytes]:
    """Every file of ``folder`` by relative name: its bytes, or its signature when stamped."""
    out = {}
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            data = p.read_bytes()
            signature = _STAMPED.get(p.suffix)
            out[str(p.relative_to(folder))] = (
                signature if signature and data.startswith(signature) else data
            )
    return out


def _run(script: Path, out: Path, variant: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, str(script), str(out), variant],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )


def test_killed_writes_leave_the_old_or_the_new_plan(tmp_path: Path) -> None:
    script = tmp_path / "writer.py"
    script.write_text(WRITER.format(here=str(HERE), repo=str(REPO)), encoding="utf-8")
    out = tmp_path / "plan"
    # The two complete states: the full plan, and a plan without its first vehicle.
    for variant in ("fewer", "full"):
        target = tmp_path / variant
        assert _run(script, target, variant).wait(timeout=300) == 0
    full, fewer = _files(tmp_path / "full"), _files(tmp_path / "fewer")
    assert full != fewer
    assert _run(script, out, "full").wait(timeout=300) == 0
    # Time one whole write after start-up, to spread the kills over it.
    proc = _run(script, out, "fewer")
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    started = time.monotonic()
    assert proc.wait(timeout=300) == 0
    span = max(time.monotonic() - started, 0.05)
    rng = random.Random(14)
    outcomes = set()
    for trial in range(12):
        variant = ("full", "fewer")[trial % 2]
        proc = _run(script, out, variant)
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0, span * 1.2))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        now = _files(out)
        assert now in (full, fewer), f"trial {trial}: folder is neither plan"
        outcomes.add("full" if now == full else "fewer")
    # A later successful run leaves no temporary folder behind.
    assert _run(script, out, "full").wait(timeout=300) == 0
    assert _files(out) == full
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["writer.py", "plan", "full", "fewer"]
    )
