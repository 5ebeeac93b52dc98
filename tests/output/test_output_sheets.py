"""Driver sheets: every own rider named with phone, nobody else's data, printable, approximate."""

from __future__ import annotations

import html

from fixture_plan import NAMES, PHONES

from planner.output.offline import external_resources

RIDERS = {"V1": {"p01", "p02", "p03"}, "V2": {"p04", "p05"}}


def _sheets(result) -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in result[1]["drivers"]}


def test_one_sheet_per_vehicle_in_use(outputs) -> None:
    out, files = outputs
    assert [p.name for p in files["drivers"]] == ["V1.html", "V2.html"]
    assert all(p.parent == out / "drivers" for p in files["drivers"])


def test_each_sheet_names_its_riders_and_no_one_else(outputs) -> None:
    for vehicle, page in _sheets(outputs).items():
        for pid, name in NAMES.items():
            mine = pid in RIDERS[vehicle]
            assert (name in html.unescape(page)) is mine, f"{vehicle}: {name}"
            assert (PHONES[pid] in page) is mine, f"{vehicle}: phone of {pid}"


def test_sheet_lists_stops_in_order_with_times_addresses_and_needs(outputs, plan) -> None:
    page = _sheets(outputs)["V1"]
    outbound, back = page.split('class="trip trip-return"')
    times = [s.time for s in plan.vehicles[0].trips[0].stops]
    positions = [outbound.index(f'<td class="time">{t}</td>') for t in times]
    assert positions == sorted(positions)
    assert "Dorpsstraat 4, Ophemert" in outbound and "Heesseltsestraat 8, Heesselt" in outbound
    assert outbound.count('<span class="needs">rolstoel</span>') == 2  # in and out: p01
    assert "21:46" in back and "Terugrit" in back
    assert "Jan de Vries" in page and "06 0000 0901" in page  # the driver's own details
    assert "4 zitplaatsen, 1 rolstoelplaats(en)" in page
    assert "@page { size: A4" in page and 'lang="nl"' in page
    assert page.count('class="route route-') == 2  # outbound and return on the small map
    assert "benaderd" not in page


def test_sheets_are_self_contained(outputs, approximate_outputs) -> None:
    for result in (outputs, approximate_outputs):
        for page in _sheets(result).values():
            assert external_resources(page) == []
            assert "<script" not in page


def test_approximate_sheet_in_english_carries_a_note(approximate_outputs) -> None:
    page = _sheets(approximate_outputs)["V2"]
    assert 'class="note approximate"' in page and "approximate" in page
    assert "Route sheet V2" in page and "Outbound trip" in page and 'lang="en"' in page
    assert "Thursday 12 March 2026" in page

