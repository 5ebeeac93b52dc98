"""``planner data``: fetch street networks and GTFS feeds, and show what is loaded."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from planner import settings
from planner.cli.main import app, command
from planner.errors import NetworkError, UnknownPlaceError
from planner.i18n import APPROXIMATE_NETWORK, DEFAULT_LANGUAGE, translations

data_app = typer.Typer(
    help="Data: fetch street networks and show what is loaded.", no_args_is_help=True
)
app.add_typer(data_app, name="data")
console = Console()

REGIONS = ("rivierenland",)


def _region_or_error(name: str):
    from planner.region import load_region

    if name not in REGIONS:
        raise UnknownPlaceError(f"unknown region '{name}'; available: {', '.join(REGIONS)}")
    return load_region()


@command(data_app, "fetch")
def fetch(
    region: Annotated[str, typer.Option(help="Region to fetch.")] = "rivierenland",
    osm_file: Annotated[
        Path | None,
        typer.Option(
            "--osm-file",
            help="Build from a local .osm, .osm.bz2 or .osm.pbf file instead of Overpass.",
        ),
    ] = None,
    gtfs: Annotated[
        str | None,
        typer.Option(
            "--gtfs", help="URL or path of a GTFS feed to filter to the region and cache."
        ),
    ] = None,
    overpass_url: Annotated[
        str | None, typer.Option(help="Overpass API endpoint (default: settings.overpass_url).")
    ] = None,
    cache_dir: Annotated[Path | None, typer.Option(help="Cache folder.")] = None,
    force: Annotated[bool, typer.Option(help="Rebuild even if an intact cache exists.")] = False,
) -> None:
    """Download (or read) the drive, bike and walk networks and cache them on disk."""
    from planner.network import build_osm_network

    reg = _region_or_error(region)
    if overpass_url:
        settings.overpass_url = overpass_url
    if gtfs:
        _fetch_gtfs(gtfs, reg, cache_dir)
        if osm_file is None and overpass_url is None:
            return
    tr = translations(DEFAULT_LANGUAGE, organiser=True)
    if osm_file is None:
        net = _download_network(reg, cache_dir, force)
    else:
        with console.status(tr.t("Building the street network (this can take minutes)...")):
            try:
                net = build_osm_network(reg, osm_file=osm_file, cache_dir=cache_dir, force=force)
            except NetworkError as exc:  # name the file when the message does not
                if str(osm_file) in str(exc):
                    raise
                raise NetworkError(f"--osm-file {osm_file}: {exc}") from None
    for mode, g in net.graphs.items():
        console.print(
            tr.t(
                "{mode}: {nodes} nodes, {edges} links",
                mode=mode,
                nodes=tr.thousands(g.n_nodes),
                edges=tr.thousands(len(g.tails)),
            )
        )
    console.print(tr.t("Saved: {description}", description=net.description))


def _download_network(reg, cache_dir: Path | None, force: bool):
    """Download from Overpass with a size estimate first and a progress bar per tile."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from planner.network import build_osm_network
    from planner.network.osm import MB_PER_KM2, area_km2, download_area, tiles

    area = download_area(reg)
    km2 = area_km2(area)
    tr = translations(DEFAULT_LANGUAGE, organiser=True)
    console.print(
        tr.t(
            "Download area: {km2} km², {parts} parts, an estimated {mb} MB from {url}",
            km2=tr.thousands(round(km2)),
            parts=len(tiles(area)),
            mb=tr.thousands(round(km2 * MB_PER_KM2)),
            url=settings.overpass_url,
        )
    )
    with Progress(
        TextColumn(tr.t("Downloading the street network")),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
    ) as bar:
        task = bar.add_task("download", total=None)
        net = build_osm_network(
            reg,
            cache_dir=cache_dir,
            force=force,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    return net


def _fetch_gtfs(source: str, reg, cache_dir: Path | None) -> None:
    from planner.transit.fetch import fetch_feed

    tr = translations(DEFAULT_LANGUAGE, organiser=True)
    with console.status(tr.t("Filtering the GTFS timetable to the region...")):
        path = fetch_feed(source, reg.bbox, cache_dir or settings.cache_dir)
    console.print(tr.t("Timetable saved: {path}", path=path))


def collect_info(cache_dir: Path | None = None) -> dict:
    """Return what is loaded: counts of the data pack, its sources, and the network kind."""
    from planner.network import load_network
    from planner.region import load_region

    reg = load_region()
    net = load_network(reg, cache_dir=cache_dir)
    kinds = [c.kind for c in reg.crossings]
    return {
        "region": reg.name,
        "villages": len(reg.villages),
        "municipalities": len(reg.municipalities),
        "stations": len(reg.stations),
        "venues": len(reg.venues),
        "crossings": {"bridges": kinds.count("bridge"), "ferries": kinds.count("ferry")},
        "network": net.kind,
        "network_description": net.description,
        "data_dir": str(reg.root),
        "sources": str(reg.root.parent / "SOURCES.md"),
    }


@command(data_app, "info")
def info(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    cache_dir: Annotated[Path | None, typer.Option(help="Cache folder.")] = None,
) -> None:
    """Show what is loaded: villages, municipalities, stations, crossings, network kind."""
    facts = collect_info(cache_dir)
    if as_json:
        typer.echo(json.dumps(facts, ensure_ascii=False, indent=2))
        return
    tr = translations(DEFAULT_LANGUAGE, organiser=True)
    table = Table(title=tr.t("Region {name}", name=facts["region"]), show_header=False)
    for label, key in [
        (tr.t("Villages"), "villages"),
        (tr.t("Municipalities"), "municipalities"),
        (tr.t("Stations"), "stations"),
        (tr.t("Venues"), "venues"),
    ]:
        table.add_row(label, str(facts[key]))
    table.add_row(
        tr.t("Bridges / ferries"),
        f"{facts['crossings']['bridges']} / {facts['crossings']['ferries']}",
    )
    table.add_row(tr.t("Network"), facts["network_description"])
    table.add_row(tr.t("Sources"), facts["sources"])
    console.print(table)
    if facts["network"] == "approximate":
        fetch = tr.t("Fetch the real network with 'planner data fetch'.")
        console.print(f"[yellow]{tr.t(APPROXIMATE_NETWORK)} {fetch}[/]")
