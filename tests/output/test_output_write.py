"""write_outputs: the whole folder, checks before writing, same input gives the same files."""

from __future__ import annotations

from dataclasses import replace

import pytest

from planner.errors import PlannerError
from planner.model.plan import ParticipantPlan
from planner.output import PlanMismatchError, UnknownLanguageError, write_outputs
from planner.output._common import safe_filename
from planner.output.offline import external_resources


def test_write_outputs_lists_every_file(outputs) -> None:
    out, files = outputs
    assert set(files) == {"overview", "csv", "gpkg", "drivers", "gpx", "riders"}
    written = sorted(p for paths in files.values() for p in paths)
    on_disk = sorted(p for p in out.rglob("*") if p.is_file())
    assert written == on_disk
    assert len(written) == 1 + 1 + 1 + 2 + 2 + 9


def test_no_html_output_loads_anything_from_the_internet(outputs) -> None:
    for page in outputs[0].rglob("*.html"):
        assert external_resources(page.read_text(encoding="utf-8")) == [], page.name


def test_same_input_gives_the_same_files(outputs, plan, scenario, region, cyclist_paths,
                                         tmp_path) -> None:
    again = write_outputs(plan, scenario, region, tmp_path, paths=cyclist_paths)
    first = outputs[1]
    for kind in ("overview", "csv", "drivers", "gpx", "riders"):
        for a, b in zip(first[kind], again[kind], strict=True):
            assert a.read_bytes() == b.read_bytes(), a.name


def test_bad_language_fails_before_writing(plan, scenario, tmp_path) -> None:
    with pytest.raises(UnknownLanguageError):
        write_outputs(plan, scenario, None, tmp_path / "out", lang="fr")
    assert not (tmp_path / "out").exists()


def test_plan_for_another_scenario_is_refused(plan, scenario, tmp_path) -> None:
    stranger = ParticipantPlan(id="p99", village="Tiel", mode="walk")
    with pytest.raises(PlanMismatchError, match="p99"):
        write_outputs(replace(plan, participants=(*plan.participants, stranger)), scenario,
                      None, tmp_path / "out")
    fewer_cars = replace(scenario, fleet=scenario.fleet[1:])
    with pytest.raises(PlannerError, match="V1"):
        write_outputs(plan, fewer_cars, None, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_ids_become_safe_distinct_file_names() -> None:
    assert safe_filename("V1") == "V1"
    assert safe_filename("bus 2") != safe_filename("bus/2")
    assert "/" not in safe_filename("../x") and not safe_filename("../x").startswith(".")
