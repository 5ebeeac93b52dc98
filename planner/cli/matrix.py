"""``planner matrix``: a travel-time or distance matrix between points."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path
from typing import Annotated, Literal

import numpy as np
import typer
from rich.console import Console

from planner import settings
from planner._io import csv_text, write_text
from planner.cli.checks import check_out_file
from planner.cli.main import app, command
from planner.cli.options import CacheDir, parse_clock, parse_date
from planner.i18n import APPROXIMATE_NETWORK, DEFAULT_LANGUAGE, translations
from planner.network.points import read_points

err = Console(stderr=True)


@command(app, "matrix")
def matrix(
    points: Annotated[Path, typer.Option(help="CSV with columns id,lat,lon (or id,village).")],
    out: Annotated[Path, typer.Option(help="Square CSV to write: ids as header and first column.")],
    mode: Annotated[
        Literal["car", "bike", "ebike", "walk"], typer.Option(help="Travel mode.")
    ] = "car",
    metric: Annotated[
        Literal["time", "distance"], typer.Option(help="time = seconds, distance = metres.")
    ] = "time",
    graph: Annotated[
        Path | None,
        typer.Option(
            help="Use this osmnx GraphML instead of the region network ('length' for distance)."
        ),
    ] = None,
    on: Annotated[
        str | None, typer.Option("--date", help="Travel date YYYY-MM-DD (ferry seasons).")
    ] = None,
    at: Annotated[
        str | None, typer.Option("--time", help="Travel time HH:MM (ferry hours).")
    ] = None,
    cache_dir: CacheDir = None,
) -> None:
    """Write the matrix; an unreachable pair is an empty cell."""
    check_out_file(out)  # before any work: a wrong --out must not cost the matrix
    when = _when(on, at)
    if graph is not None:
        from planner.network.graphml import cached_graphml

        pts = read_points(points)
        g = cached_graphml(graph, mode, cache_dir or settings.cache_dir)
        values = g.matrix([(p.lat, p.lon) for p in pts], metric)
        corner = "id"
    else:
        from planner.network import load_network
        from planner.region import load_region

        region = load_region()
        pts = read_points(points, region)
        net = load_network(region, cache_dir=cache_dir)
        values = net.matrix([(p.lat, p.lon) for p in pts], mode, metric=metric, when=when)
        corner = "id" if net.kind == "osm" else "approximate"
        if net.kind != "osm":
            note = translations(DEFAULT_LANGUAGE, organiser=True).t(APPROXIMATE_NETWORK)
            err.print(f"[yellow]{note}[/]")
    write_text(out, matrix_csv([p.id for p in pts], values, corner))


def _when(on: str | None, at: str | None) -> datetime | None:
    if on is None and at is None:
        return None
    day = parse_date(on) if on else date.today()
    moment = parse_clock(at, "--time") if at else time(12, 0)
    return datetime.combine(day, moment)


def matrix_csv(ids: list[str], values: np.ndarray, corner: str = "id") -> str:
    """Square CSV text: header of ids, id in the first column, one decimal, inf as empty."""
    text = np.char.mod("%.1f", values)
    text[~np.isfinite(values)] = ""
    rows = ([pid, *row.tolist()] for pid, row in zip(ids, text, strict=True))
    return csv_text([corner, *ids], rows)
