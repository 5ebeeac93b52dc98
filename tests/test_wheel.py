"""The installed wheel, not the repository, plans outside the repository as ``planner plan`` does.

The wheel is built from a copy of the sources, installed without dependencies into a fresh venv
that borrows the development venv's packages (no download), and runs the issue's snippet in a
folder outside the repository. Its plan.json must equal the command line's byte for byte, and the
wheel's own ``planner check`` validates it against the schema the wheel carries.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.cli.main import app

REPO = Path(__file__).resolve().parents[1]
SCENARIO = "spreekuur-tiel"
SNIPPET = """
import planner
s = planner.load_scenario("scenario.toml")
p = planner.plan(s, options=planner.PlanOptions(seed=0))
p.to_json("plan.json"); planner.write_outputs(p, "out")
print(planner.__file__)
"""
SCHEMA_PATH = "from planner.model.plan_check import SCHEMA_PATH; print(SCHEMA_PATH)"


def _build_wheel(tmp: Path) -> Path:
    """Build the wheel from a copy of what the build reads, so the checkout gets no build/."""
    source = tmp / "source"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for folder in ("planner", "data", "docs"):
        shutil.copytree(REPO / folder, source / folder, ignore=ignore)
    for name in ("pyproject.toml", "setup.py", "README.md"):
        shutil.copy2(REPO / name, source / name)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "--wheel-dir",
            str(tmp / "dist"),
            str(source),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = (tmp / "dist").glob("rivierenland_planner-*.whl")
    return wheel


def _fresh_venv(tmp: Path, wheel: Path) -> Path:
    """A venv with only the wheel installed; the dependencies come from this venv's packages."""
    env_dir = tmp / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    purelib = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    fresh_site = subprocess.run(
        [str(python), "-c", purelib], check=True, capture_output=True, text=True
    ).stdout.strip()
    # addsitedir also runs the borrowed .pth files (namespace packages such as xstatic); the
    # editable install of the checkout among them is a meta-path finder that comes after the
    # normal path search, so the wheel's planner is the one imported (asserted below).
    dev_site = sysconfig.get_paths()["purelib"]
    Path(fresh_site, "borrowed_dev_packages.pth").write_text(
        f"import site; site.addsitedir({dev_site!r})\n", encoding="utf-8"
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "--no-index",
            "--quiet",
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    return python


def test_installed_wheel_plans_like_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"  # no fetched network or feed: both sides use the same inputs
    for name, value in (("PLANNER_CACHE_DIR", str(cache)), ("PLANNER_GEOCODER_URL", "off")):
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("PLANNER_DATA_DIR", raising=False)
    python = _fresh_venv(tmp_path, _build_wheel(tmp_path))

    work = tmp_path / "notebook"
    shutil.copytree(REPO / "data" / "scenarios" / SCENARIO, work)
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "PLANNER_CACHE_DIR": str(cache),
        "PLANNER_GEOCODER_URL": "off",
    }
    run = subprocess.run(
        [str(python), "-c", SNIPPET], check=False, cwd=work, capture_output=True, text=True, env=env
    )
    assert run.returncode == 0, run.stderr
    installed = Path(run.stdout.strip().splitlines()[-1])
    assert installed.is_relative_to(tmp_path / "venv"), installed
    assert (work / "out" / "overview.html").is_file()

    cli_out = tmp_path / "cli"
    scenario = REPO / "data" / "scenarios" / SCENARIO / "scenario.toml"
    result = CliRunner().invoke(app, ["plan", str(scenario), "--seed", "0", "--out", str(cli_out)])
    assert result.exit_code == 0, result.output
    assert (work / "plan.json").read_bytes() == (cli_out / "plan.json").read_bytes()

    _check_with_the_wheel(python, work, env)


def _check_with_the_wheel(python: Path, work: Path, env: dict[str, str]) -> None:
    """Check the plan with the wheel's ``planner check``, which reads the wheel's own schema.

    A sound plan is OK; the same plan without its version fails on the schema.
    """
    schema = subprocess.run(
        [str(python), "-c", SCHEMA_PATH], check=True, cwd=work, capture_output=True, text=True
    ).stdout.strip()
    assert Path(schema).is_relative_to(python.parents[1]), schema
    planner_cli = python.parent / "planner"

    def check(plan: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(planner_cli), "check", plan, "--lang", "en"],
            check=False,
            cwd=work,
            capture_output=True,
            text=True,
            env=env,
        )

    sound = check("plan.json")
    assert (sound.returncode, sound.stdout.strip()) == (0, "OK"), sound.stdout + sound.stderr
    broken = json.loads((work / "plan.json").read_text(encoding="utf-8"))
    del broken["version"]
    (work / "broken.json").write_text(json.dumps(broken), encoding="utf-8")
    failed = check("broken.json")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "required field 'version' is missing" in failed.stdout, failed.stdout
