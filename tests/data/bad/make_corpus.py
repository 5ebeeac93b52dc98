"""Write the bad-input corpus: one file per defect, named after it, and ``expected.toml``.

Run ``python tests/data/bad/make_corpus.py`` after changing a case; the files are committed.
``expected.toml`` maps each file to the command that reads it and the words its one-line error
must hold (the file, and the row/column or key).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).parent
P_HEAD = "id,name,village,seats,max_ride_min,wheelchair,travels_with,phone,address,language\n"
P_GOOD = "P1,Ann,Wamel,1,60,nee,,,,\n"
F_HEAD = (
    "id,kind,seats,wheelchair_places,base_village,available_from,available_until,"
    "cost_per_km,driver,max_duty_min\n"
)
F_GOOD = "V1,volunteer_car,3,0,Tiel,17:00,23:00,0.23,Bert,\n"
SCEN = """participants = "../good/participants.csv"
fleet = "../good/fleet.csv"

[event]
name = {name}
venue = "Bibliotheek Tiel"
date = {date}
start = {start}
end = "21:30"
arrive_before_min = {arrive}
{options}"""

#: Bad values of one cell in the second data row: (file kind, column): (value, label) ...
#: Each becomes the file ``<column>-<label>.csv`` whose error names row 3 and the column.
BAD_CELLS: dict[tuple[str, str], tuple[tuple[str, str], ...]] = {
    ("participants", "seats"): (
        ("0", "zero"),
        ("9", "nine"),
        ("1e15", "1e15"),
        ("-1", "negative"),
        ("1.5", "fraction"),
        ("abc", "text"),
        ("nan", "nan"),
        ("inf", "inf"),
        ("1000000", "million"),
    ),
    ("participants", "max_ride_min"): (
        ("0", "zero"),
        ("601", "over-ten-hours"),
        ("1e15", "1e15"),
        ("-5", "negative"),
        ("nan", "nan"),
        ("inf", "inf"),
        ("2.5", "fraction"),
        ("lang", "text"),
    ),
    ("participants", "wheelchair"): (
        ("misschien", "maybe"),
        ("2", "two"),
        ("yes please", "phrase"),
    ),
    ("fleet", "seats"): (
        ("61", "61"),
        ("1e15", "1e15"),
        ("-1", "negative"),
        ("2.5", "fraction"),
        ("", "empty"),
    ),
    ("fleet", "wheelchair_places"): (("11", "eleven"), ("-2", "negative")),
    ("fleet", "cost_per_km"): (
        ("1e300", "1e300"),
        ("-1", "negative"),
        ("11", "eleven"),
        ("nan", "nan"),
        ("gratis", "text"),
    ),
    ("fleet", "max_duty_min"): (("0", "zero"), ("1441", "over-a-day"), ("1.5", "fraction")),
    ("fleet", "available_from"): (
        ("25:00", "hour-25"),
        ("19:30:15", "with-seconds"),
        ("soon", "text"),
        ("7pm", "am-pm"),
    ),
}


cases: dict[str, dict[str, object]] = {}


def add(folder: str, name: str, data: bytes | str, command: str, *words: str) -> None:
    path = HERE / folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    cases[f"{folder}/{name}"] = {"command": command, "words": [name, *words]}


def participant_row(**cells: str) -> str:
    base = dict(zip(P_HEAD.strip().split(","), P_GOOD.strip().split(","), strict=True))
    base["id"] = "P2"
    base.update(cells)
    return P_HEAD + P_GOOD + ",".join(base.values()) + "\n"


def fleet_row(**cells: str) -> str:
    base = dict(zip(F_HEAD.strip().split(","), F_GOOD.strip().split(","), strict=True))
    base["id"] = "V2"
    base.update(cells)
    return F_HEAD + F_GOOD + ",".join(base.values()) + "\n"


def bad_cells(command: str, row: Callable[..., str]) -> None:
    """Add the :data:`BAD_CELLS` files of ``command``, each built by ``row``."""
    for (kind, field), values in BAD_CELLS.items():
        if kind != command:
            continue
        for value, label in values:
            name = f"{field.replace('_', '-')}-{label}.csv"
            add(command, name, row(**{field: value}), command, "row 3", f"'{field}'")


def scenario(
    name: str = '"Taalcafé"',
    date: str = "2026-12-10",
    start: str = '"19:30"',
    arrive: str = "10",
    options: str = "",
) -> str:
    return SCEN.format(name=name, date=date, start=start, arrive=arrive, options=options)


def main() -> None:
    good = HERE / "good"
    good.mkdir(exist_ok=True)
    (good / "participants.csv").write_text(P_HEAD + P_GOOD, encoding="utf-8")
    (good / "fleet.csv").write_text(F_HEAD + F_GOOD, encoding="utf-8")
    p = "participants"
    # ids
    add(p, "id-with-pipe.csv", participant_row(id="P|2"), "participants", "row 3", "'id'")
    add(p, "id-256-chars.csv", participant_row(id="P" * 256), "participants", "row 3", "'id'")
    add(p, "id-65-chars.csv", participant_row(id="Q" * 65), "participants", "row 3", "'id'")
    add(p, "id-with-slash.csv", participant_row(id="../P2"), "participants", "row 3", "'id'")
    add(p, "id-with-backslash.csv", participant_row(id="P\\2"), "participants", "row 3", "'id'")
    add(p, "id-starting-with-dot.csv", participant_row(id=".P2"), "participants", "row 3")
    add(
        p,
        "id-differs-only-in-case.csv",
        P_HEAD + "ab1,Ann,Wamel,1,60,nee,,,,\nAB1,Bob,Wamel,1,60,nee,,,,\n",
        "participants",
        "row 3",
        "'id'",
        "case",
    )
    add(p, "id-duplicate.csv", P_HEAD + P_GOOD + P_GOOD, "participants", "row 3", "'id'")
    add(p, "id-empty.csv", participant_row(id=""), "participants", "row 3", "'id'")
    # control characters in every text field
    for column in ("name", "address", "phone", "language", "id", "village", "travels_with"):
        for label, char in (
            ("bell", "\x07"),
            ("escape", "\x1b"),
            ("nul", "\x00"),
            ("backspace", "\x08"),
            ("vertical-tab", "\x0b"),
        ):
            if char == "\x00" and column not in ("name", "address"):
                continue
            add(
                p,
                f"control-{label}-in-{column.replace('_', '-')}.csv",
                participant_row(**{column: f"X{char}Y"}),
                "participants",
                "row 3",
                f"'{column}'",
            )
    # markup in free text
    for label, text in (
        ("script-tag", "<script>alert(1)</script>"),
        ("css-url", "url(http://evil.example/x.png)"),
        ("css-url-spaced", "URL ( http://evil.example )"),
        ("img-tag", "<img src=x onerror=alert(1)>"),
        ("javascript-link", "javascript:alert(1)"),
        ("closing-tag", "Ann</td>"),
    ):
        add(
            p,
            f"markup-{label}-in-name.csv",
            participant_row(name=text),
            "participants",
            "row 3",
            "'name'",
        )
        add(
            p,
            f"markup-{label}-in-address.csv",
            participant_row(address=text),
            "participants",
            "row 3",
            "'address'",
        )
    # numbers
    bad_cells("participants", participant_row)
    add(
        p,
        "travels-with-self.csv",
        participant_row(travels_with="P2"),
        "participants",
        "row 3",
        "'travels_with'",
    )
    add(
        p,
        "travels-with-unknown.csv",
        participant_row(travels_with="P9"),
        "participants",
        "row 3",
        "'travels_with'",
    )
    add(
        p,
        "village-unknown.csv",
        participant_row(village="Atlantis"),
        "participants",
        "row 3",
        "'village'",
    )
    # encodings and layout
    add(
        p,
        "latin-1-unknown-village.csv",
        participant_row(village="Caféville").encode("latin-1"),
        "participants",
        "row 3",
        "'village'",
    )
    add(
        p,
        "cr-only-mac-csv-bad-seats.csv",
        participant_row(seats="x").replace("\n", "\r"),
        "participants",
        "row 3",
        "'seats'",
    )
    add(p, "empty-file.csv", "", "participants", "empty")
    add(p, "header-only.csv", P_HEAD, "participants", "no participants")
    add(p, "missing-id-column.csv", "name,village\nAnn,Wamel\n", "participants", "'id'")
    add(p, "column-twice.csv", "id,name,naam,village\nP1,Ann,Ann,Wamel\n", "participants", "'naam'")
    add(
        p,
        "value-beyond-header.csv",
        P_HEAD + P_GOOD + "P2,Bob,Wamel,1,60,nee,,,,,extra\n",
        "participants",
        "row 3",
    )
    add(
        p,
        "swapped-lat-lon.csv",
        "id,name,lat,lon\nP1,Ann,5.43,51.88\n",
        "participants",
        "row 2",
        "swapped",
    )
    add(
        p,
        "lat-out-of-range.csv",
        "id,name,lat,lon\nP1,Ann,999,5.4\n",
        "participants",
        "row 2",
        "'lat'",
    )
    add(p, "lat-nan.csv", "id,name,lat,lon\nP1,Ann,nan,5.4\n", "participants", "row 2", "'lat'")
    add(
        p,
        "lat-without-lon.csv",
        "id,name,lat,lon\nP1,Ann,51.88,\n",
        "participants",
        "row 2",
        "'lon'",
    )
    add(
        p,
        "outside-region-paris.csv",
        "id,name,lat,lon\nP1,Ann,48.85,2.35\n",
        "participants",
        "row 2",
        "outside",
    )
    # fleet
    f = "fleet"
    bad_cells("fleet", fleet_row)
    add(
        f,
        "window-reversed.csv",
        fleet_row(available_from="22:00", available_until="18:00"),
        "fleet",
        "row 3",
        "'available_until'",
    )
    add(f, "kind-unknown.csv", fleet_row(kind="helicopter"), "fleet", "row 3", "'kind'")
    add(f, "id-with-pipe.csv", fleet_row(id="V|2"), "fleet", "row 3", "'id'")
    add(f, "id-differs-only-in-case.csv", fleet_row(id="v1"), "fleet", "row 3", "'id'")
    add(
        f,
        "control-escape-in-driver.csv",
        fleet_row(driver="B\x1b[31mert"),
        "fleet",
        "row 3",
        "'driver'",
    )
    add(f, "markup-css-url-in-driver.csv", fleet_row(driver="url(x)"), "fleet", "row 3", "'driver'")
    add(
        f, "no-places.csv", fleet_row(seats="0", wheelchair_places="0"), "fleet", "row 3", "'seats'"
    )
    # scenario TOML
    s = "scenario"
    for value, label in (
        ("0", "zero"),
        ("-5", "negative"),
        ("1e300", "1e300"),
        ("nan", "nan"),
        ("inf", "inf"),
        ('"fast"', "text"),
        ("0.5", "below-floor"),
        ("3601", "above-ceiling"),
    ):
        add(
            s,
            f"options-time-limit-{label}.toml",
            scenario(options=f"\n[options]\ntime_limit = {value}\n"),
            "scenario",
            "'options.time_limit'",
        )
    for value, label in (
        ("1.5", "fraction"),
        ("-1", "negative"),
        ('"x"', "text"),
        ("1e300", "huge"),
    ):
        add(
            s,
            f"options-seed-{label}.toml",
            scenario(options=f"\n[options]\nseed = {value}\n"),
            "scenario",
            "'options.seed'",
        )
    for key in ("walk_limit_min", "bike_limit_min", "max_detour_min", "early_arrival_min"):
        add(
            s,
            f"options-{key.replace('_', '-')}-negative.toml",
            scenario(options=f"\n[options]\n{key} = -1\n"),
            "scenario",
            f"'options.{key}'",
        )
    add(s, "options-not-a-table.toml", 'options = "fast"\n' + scenario(), "scenario", "'options'")
    for value, label in (("100000", "100000"), ("-1", "negative"), ("1.5", "fraction")):
        add(
            s,
            f"arrive-before-min-{label}.toml",
            scenario(arrive=value),
            "scenario",
            "'event.arrive_before_min'",
        )
    for value, label in (
        ("0001-01-01", "year-1"),
        ("3000-01-01", "year-3000"),
        ('"tomorrow"', "text"),
        ("2026-12-10T19:30:00", "datetime"),
    ):
        add(s, f"date-{label}.toml", scenario(date=value), "scenario", "'event.date'")
    for value, label in (
        ("19:30:15", "toml-time-with-seconds"),
        ('"19:30:15"', "with-seconds"),
        ('"25:00"', "hour-25"),
        ('"half acht"', "text"),
        ("1930", "number"),
    ):
        add(s, f"start-{label}.toml", scenario(start=value), "scenario", "'event.start'")
    add(s, "start-after-end.toml", scenario(start='"22:00"'), "scenario", "'event.end'")
    add(
        s,
        "name-control-character.toml",
        scenario(name='"Taal\\u0007café"'),
        "scenario",
        "'event.name'",
    )
    add(
        s,
        "name-css-url.toml",
        scenario(name='"url(http://evil.example)"'),
        "scenario",
        "'event.name'",
    )
    add(
        s, "name-script-tag.toml", scenario(name='"<script>x</script>"'), "scenario", "'event.name'"
    )
    add(s, "name-empty.toml", scenario(name='""'), "scenario", "'event.name'")
    add(s, "name-not-text.toml", scenario(name="42"), "scenario", "'event.name'")
    add(s, "not-toml.toml", "this is not toml = = =\n", "scenario", "TOML")
    add(
        s,
        "missing-event-table.toml",
        'participants = "../good/participants.csv"\nfleet = "../good/fleet.csv"\n',
        "scenario",
        "'event'",
    )
    add(
        s,
        "participants-file-missing.toml",
        scenario().replace("../good/participants.csv", "nowhere.csv"),
        "scenario",
        "'participants'",
    )
    add(
        s,
        "venue-unknown.toml",
        scenario().replace("Bibliotheek Tiel", "Atlantis"),
        "scenario",
        "'event.venue'",
    )
    add(s, "binary.toml", bytes(range(256)) * 4, "scenario")
    other_file_types()
    (HERE / "expected.json").write_text(
        json.dumps(cases, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(len(cases), "cases")


def other_file_types() -> None:
    """Matrix points, event candidates, benchmark instances, GTFS zips, OSM files, devices."""
    import io
    import zipfile

    binary = bytes(range(256)) * 8
    pts = "id,village\nCaf\u00e9,Tiel\nb,Wamel\n"
    add(
        "points",
        "latin-1-unknown-village.csv",
        "id,village\nb,Caf\u00e9ville\n".encode("latin-1"),
        "points",
        "row 2",
        "'village'",
    )
    add(
        "points",
        "utf-16-unknown-village.csv",
        "id,village\nb,Atlantis\n".encode("utf-16"),
        "points",
        "row 2",
        "'village'",
    )
    add("points", "binary.csv", binary, "points", "binary")
    add(
        "points", "unclosed-quote.csv", 'id,village\n"a,Tiel\nb,Wamel\n', "points", "row 2", "quote"
    )
    add(
        "points",
        "cr-only-unknown-village.csv",
        pts.replace("Tiel", "Atlantis").replace("\n", "\r"),
        "points",
        "row 2",
        "'village'",
    )
    add("points", "xlsx-saved-as-csv.csv", b"PK\x03\x04" + binary, "points", "zip")
    add(
        "candidates",
        "latin-1-unknown-venue.toml",
        'participants = "x.csv"\n[[venues]]\nvenue = "Caf\u00e9"\n'.encode("latin-1"),
        "candidates",
        "venues[1].venue",
    )
    add(
        "candidates",
        "utf-16-unknown-venue.toml",
        'participants = "x.csv"\n[[venues]]\nvenue = "Atlantis"\n'.encode("utf-16"),
        "candidates",
        "venues[1].venue",
    )
    add("candidates", "binary.toml", binary, "candidates", "binary")
    add(
        "bench",
        "lilim-negative-capacity.txt",
        "2 -10 1\n0 0 0 0 0 100 0 0 0\n",
        "pdptw",
        "row 1",
        "'Q'",
    )
    add(
        "bench",
        "lilim-fractional-node-index.txt",
        "2 10 1\n0 0 0 0 0 100 0 0 0\n1 1 1 1 0 100 0 0 2.5\n2 2 2 -1 0 100 0 1 0\n",
        "pdptw",
        "row 3",
        "'delivery'",
    )
    add(
        "bench",
        "lilim-billion-vehicles.txt",
        "1000000000 10 1\n0 0 0 0 0 100 0 0 0\n",
        "pdptw",
        "row 1",
        "'K'",
    )
    add("bench", "binary.txt", binary, "pdptw", "binary")
    add("bench", "cordeau-negative-capacity.txt", "1 1 480 -3 30\n", "darp", "row 1", "'Q'")
    feed = {
        "agency.txt": "agency_id,agency_name,agency_url,agency_timezone\nA,A,http://a,"
        "Europe/Amsterdam\n",
        "stops.txt": "stop_id,stop_name,stop_lat,stop_lon\nS,S,51.9,5.4\n",
        "routes.txt": "route_id,agency_id,route_short_name,route_type\nR,A,1,3\n",
        "trips.txt": "route_id,service_id,trip_id\nR,W,T1\n",
        "stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
        + "T1,08:00:00,08:00:00,S,1\n" * 20,
        "calendar.txt": "service_id,monday,tuesday,wednesday,thursday,friday,saturday,"
        "sunday,start_date,end_date\nW,1,1,1,1,1,0,0,20260101,20271231\n",
    }

    def zipped(files: dict[str, bytes | str]) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, data in files.items():
                archive.writestr(name, data)
        return buffer.getvalue()

    good = zipped(dict(feed))
    damaged = bytearray(good)
    start = good.index(b"stop_times.txt") + len("stop_times.txt") + 4
    damaged[start : start + 12] = bytes(b ^ 0xA5 for b in damaged[start : start + 12])
    add("gtfs", "corrupt-deflate.zip", bytes(damaged), "gtfs", "damaged")
    add("gtfs", "binary-trips-txt.zip", zipped({**feed, "trips.txt": binary}), "gtfs", "trips.txt")
    add("gtfs", "not-a-zip.zip", binary, "gtfs", "zip")
    add(
        "osm",
        "no-ways.osm",
        '<?xml version="1.0"?>\n<osm version="0.6"><node id="1" lat="51.9" lon="5.4"/></osm>\n',
        "osm",
        "no-ways.osm",
    )
    add("osm", "binary.osm", binary, "osm", "binary.osm")


if __name__ == "__main__":
    main()
