"""Any osmnx GraphML file as a :class:`StreetGraph`, cached by the file's content."""

from __future__ import annotations

import tempfile
from pathlib import Path

from planner.errors import NetworkError
from planner.network import _manytomany
from planner.network.cache import file_sha256
from planner.network.graph import Metric, StreetGraph


def cached_graphml(path: Path, mode: str, cache_dir: Path) -> StreetGraph:
    """Load ``path`` (converted once, then read from ``cache_dir/graphml/<sha256>``).

    The conversion and the contraction hierarchies for time and distance are stored, so that
    later matrices on the same file skip the slow GraphML parsing.
    """
    path = Path(path)
    if not path.is_file():
        raise NetworkError(f"{path}: GraphML file not found")
    folder = Path(cache_dir) / "graphml" / f"{file_sha256(path)}-{mode}"
    try:
        graph = StreetGraph.from_npz(folder / "graph.npz")
        for metric in ("time", "distance"):
            graph.set_hierarchy(
                metric, _manytomany.ContractionHierarchy.from_npz(folder / f"ch-{metric}.npz")
            )
        return graph
    except (OSError, ValueError, KeyError):
        pass  # absent or broken: rebuild below
    from planner.network.osm import graph_from_graphml

    graph = graph_from_graphml(path, mode)
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        graph.to_npz(Path(tmp) / "graph.npz")
        metrics: tuple[Metric, ...] = ("time", "distance")
        for metric in metrics:
            graph.hierarchy(metric).to_npz(Path(tmp) / f"ch-{metric}.npz")
        for f in Path(tmp).iterdir():
            f.replace(folder / f.name)
    return graph
