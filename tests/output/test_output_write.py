"""write_outputs: the whole folder, checks before writing, same input gives the same files."""

from __future__ import annotations

from dataclasses import replace

import pytest

from planner.errors import PlannerError
from planner.model.plan import ParticipantPlan, Reason
from planner.output import PlanMismatchError, UnknownLanguageError, write_outputs
from planner.output._common import safe_filename
from planner.output.offline import external_resources


def test_write_outputs_lists_every_file(outputs) -> None:
    out, files = outputs
    assert set(files) == {"plan", "overview", "csv", "xlsx", "gpkg", "drivers", "gpx", "riders"}
    written = sorted(p for paths in files.values() for p in paths)
    on_disk = sorted(p for p in out.rglob("*") if p.is_file())
    assert written == on_disk
    assert not list(out.parent.glob(f".{out.name}.new-*"))  # no temporary folder left


def test_no_html_output_loads_anything_from_the_internet(outputs) -> None:
    for page in outputs[0].rglob("*.html"):
        assert external_resources(page.read_text(encoding="utf-8")) == [], page.name


def test_same_input_gives_the_same_files(
    outputs, plan, scenario, region, cyclist_paths, tmp_path
) -> None:
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
    stranger = ParticipantPlan(
        id="p99", village="Tiel", status="unserved", reason=Reason("vehicles_busy", "x")
    )
    with pytest.raises(PlanMismatchError, match="p99"):
        write_outputs(
            replace(plan, participants=(*plan.participants, stranger)),
            scenario,
            None,
            tmp_path / "out",
        )
    used = plan.vehicles[0].id
    fewer_cars = replace(scenario, fleet=tuple(v for v in scenario.fleet if v.id != used))
    with pytest.raises(PlannerError, match=used):
        write_outputs(plan, fewer_cars, None, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_ids_become_safe_distinct_file_names() -> None:
    assert safe_filename("V1") == "V1"
    assert safe_filename("bus 2") != safe_filename("bus/2")
    assert "/" not in safe_filename("../x") and not safe_filename("../x").startswith(".")


def test_a_new_plan_replaces_the_old_folder_as_a_whole(plan, scenario, tmp_path) -> None:
    out = tmp_path / "plan"
    write_outputs(plan, scenario, None, out)
    gone = plan.vehicles[0].id
    fewer = replace(
        plan,
        vehicles=plan.vehicles[1:],
        participants=tuple(
            p
            for p in plan.participants
            if not any(leg.vehicle == gone for _, j in p.journeys() for leg in j.legs)
        ),
    )
    write_outputs(fewer, scenario, None, out)
    assert not (out / "drivers" / f"{gone}.html").exists()
    assert not (out / "drivers" / f"{gone}.gpx").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan"]


def test_a_folder_with_other_files_is_refused(plan, scenario, tmp_path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(PlannerError, match="not a plan"):
        write_outputs(plan, scenario, None, tmp_path)
    assert (tmp_path / "notes.txt").read_text() == "mine"
    with pytest.raises(PlannerError, match="is a file"):
        write_outputs(plan, scenario, None, tmp_path / "notes.txt")


def test_no_overview_output_holds_an_exact_home(outputs, scenario) -> None:
    """Participants given by lat/lon appear only on driver sheets, GPX, their card and
    plan.json (the coordinator's file), never on the overview, CSV or GeoPackage."""
    import geopandas as gpd
    import pyogrio

    out = outputs[0]
    exact = [p for p in scenario.participants if p.precision == "address"]
    assert exact
    texts = [
        (out / "overview.html").read_text(encoding="utf-8"),
        (out / "plan.csv").read_text(encoding="utf-8-sig"),
    ]
    for layer, _ in pyogrio.list_layers(out / "plan.gpkg"):
        frame = gpd.read_file(out / "plan.gpkg", layer=layer)
        texts.append(frame.to_json())
    for p in exact:
        for text in texts:
            for lat, lon in ((p.lat, p.lon), (round(p.lat, 5), round(p.lon, 5))):
                assert f"{lat}" not in text or f"{lon}" not in text, p.id
