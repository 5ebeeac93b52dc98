"""check_plan and `planner check`: the fixture plan is sound; each broken rule is named."""

from __future__ import annotations

import copy
import json

import pytest
from typer.testing import CliRunner

from planner.cli.main import app
from planner.model.plan_check import check_plan

runner = CliRunner()


def _index(data, pid):
    return next(i for i, p in enumerate(data["participants"]) if p["id"] == pid)


def test_fixture_plan_is_sound(plan, approximate_plan) -> None:
    assert check_plan(plan.to_dict()) == []
    assert check_plan(approximate_plan.to_dict()) == []


def _modified(plan, change):
    data = copy.deepcopy(plan.to_dict())
    change(data)
    return data


def _broken(plan, change):
    return check_plan(_modified(plan, change))


def test_schema_problems_name_the_field(plan) -> None:
    def change(d):
        d["participants"][_index(d, "P12")]["outbound"]["legs"][0]["mode"] = "car"
        d["participants"][_index(d, "P01")]["outbound"]["legs"][0]["depart"] = "2026-12-10 18:55"
        d["participants"][_index(d, "P14")]["outbound"]["legs"][0]["vehicle"] = "D1"
        d["participants"][_index(d, "P02")]["reason"]["code"] = "full"
        del d["network"]

    problems = _broken(plan, change)
    text = "\n".join(problems)
    assert "'network'" in text
    assert '"car"' in text
    assert "2026-12-10 18:55" in text and "YYYY-MM-DDTHH:MM" in text
    assert '"full"' in text
    assert any(
        f"participants[{_index(plan.to_dict(), 'P14')}].outbound.legs[0].vehicle" in p
        for p in problems
    )


def test_follow_on_rules(plan) -> None:
    def change(d):
        p11 = d["participants"][_index(d, "P11")]["outbound"]["legs"]
        p11[1]["depart"] = "2026-12-10T18:45"  # before the bike leg arrives at 18:50
        p12 = d["participants"][_index(d, "P12")]
        p12["outbound"]["legs"][0]["arrive"] = p12["outbound"]["arrive"] = "2026-12-10T19:25"
        p12["return"]["legs"][0]["depart"] = p12["return"]["depart"] = "2026-12-10T21:20"
        d["participants"][_index(d, "P17")]["outbound"]["legs"][0]["depart"] = "2026-12-10T18:51"
        d["participants"].append(copy.deepcopy(d["participants"][0]))

    problems = _broken(plan, change)
    text = "\n".join(problems)
    assert "18:45" in text and "18:50" in text  # legs follow on in time
    assert "19:25" in text and "19:20" in text  # outbound by the arrive-by time
    assert "21:20" in text  # return not before the end
    assert "P17" in text and "V2" in text  # ride leg matches no stop
    assert f"{plan.participants[0].id} appears 2 times" in text


def test_served_without_outbound_and_moved_place(plan) -> None:
    def change(d):
        d["participants"][_index(d, "P12")]["outbound"] = None
        leg = d["participants"][_index(d, "P14")]["outbound"]["legs"][1]
        leg["from"]["lat"] += 0.01  # the bus leaves from elsewhere than the walk ended

    text = "\n".join(_broken(plan, change))
    assert "P12" in text and "outbound" in text
    assert "Lienden, dorp" in text


def test_journeys_start_and_end_at_one_home(plan) -> None:
    def change(d):
        p14 = d["participants"][_index(d, "P14")]
        del p14["outbound"]["legs"][0]  # the way there starts at the bus stop
        p14["outbound"]["depart"] = p14["outbound"]["legs"][0]["depart"]
        p11 = d["participants"][_index(d, "P11")]
        del p11["return"]["legs"][-1]  # the way home ends at the station
        p11["return"]["arrive"] = p11["return"]["legs"][-1]["arrive"]
        p12 = d["participants"][_index(d, "P12")]["return"]["legs"][-1]["to"]
        p12["lat"] += 0.01  # home again, but at another home than the one left from

    problems = _broken(plan, change)
    assert len(problems) == 3, problems
    p14, p11, p12 = (
        f"participants[{_index(plan.to_dict(), i)}] ({i})" for i in ("P14", "P11", "P12")
    )
    assert any(
        p.startswith(f"{p14}.outbound") and "Lienden, dorp (stop)" in p and "not at home" in p
        for p in problems
    )
    assert any(p.startswith(f"{p11}.return") and "(station), not at home" in p for p in problems)
    assert any(
        p.startswith(f"{p12}.return") and "the outbound journey started at" in p for p in problems
    )
    nl = check_plan(_modified(plan, change), lang="nl")
    assert any("niet thuis" in p for p in nl) and any("heenreis begon bij" in p for p in nl)


@pytest.mark.parametrize("lang, ok_word", [("nl", "ontbreekt"), ("en", "missing")])
def test_cli_check(plan, tmp_path, lang, ok_word) -> None:
    good = tmp_path / "plan.json"
    plan.to_json(good)
    result = runner.invoke(app, ["check", str(good), "--lang", lang])
    assert result.exit_code == 0 and result.output.strip() == "OK"
    data = plan.to_dict()
    del data["summary"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    result = runner.invoke(app, ["check", str(bad), "--lang", lang])
    assert result.exit_code == 1
    assert ok_word in result.output and "summary" in result.output


def test_cli_check_dutch_by_default_and_bad_files(tmp_path) -> None:
    junk = tmp_path / "junk.json"
    junk.write_bytes(b"\xff\x00not json")
    result = runner.invoke(app, ["check", str(junk)])
    assert result.exit_code == 1 and "geen geldige JSON" in result.output
    assert "Traceback" not in result.output
    result = runner.invoke(app, ["check", str(tmp_path / "missing.json")])
    assert result.exit_code == 1 and "not found" in result.output


def test_a_stop_without_its_ride_leg_is_named_in_the_messages_language(plan) -> None:
    def change(d):
        d["participants"][_index(d, "P17")]["outbound"]["legs"][0]["depart"] = "2026-12-10T18:51"

    data = _modified(plan, change)
    english = [p for p in check_plan(data, lang="en") if p.startswith("vehicle ")]
    dutch = [p for p in check_plan(data, lang="nl") if p.startswith("voertuig ")]
    assert len(english) == len(dutch) == 1, (english, dutch)
    assert ", outbound, stop " in english[0] and "P17 gets in" in english[0]
    assert ", heenrit, stop " in dutch[0] and "P17 stapt in" in dutch[0]
    assert "outbound" not in dutch[0]
