"""``make demo``: the main job on the embedded default, offline.

Writes the region overview map and plans the example scenario, with every output, under
``--out`` (default ``maps/``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from planner.cli.main import app

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "scenarios" / "taalcafe-tiel" / "scenario.toml"


def main(argv: list[str] | None = None) -> int:
    """Run the demo; returns the process exit code."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("maps"))
    args = parser.parse_args(argv)
    from planner.network import load_network
    from planner.output.region_map import write_region_map
    from planner.region import load_region

    region = load_region()
    network = load_network(region)
    region_map = write_region_map(region, args.out / "region.html", network_kind=network.kind)
    print(f"Regiokaart: {region_map}")
    try:
        app(["plan", str(EXAMPLE), "--out", str(args.out / "taalcafe-tiel")], prog_name="planner")
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
