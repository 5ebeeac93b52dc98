"""``make demo``: the main job on the embedded default, offline.

Writes the region overview map and plans the example scenario, with every output, under
``--out`` (default ``maps/``), through the public API.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from planner.settings import data_dir

EXAMPLE = data_dir() / "scenarios" / "taalcafe-tiel" / "scenario.toml"


def main(argv: list[str] | None = None) -> int:
    """Run the demo; returns the process exit code."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("maps"))
    args = parser.parse_args(argv)
    import planner
    from planner.cli.plan import print_summary
    from planner.output.region_map import write_region_map

    region = planner.load_region()
    network = planner.load_network(region)
    region_map = write_region_map(region, args.out / "region.html", network_kind=network.kind)
    print(f"Regiokaart: {region_map}")
    scenario = planner.load_scenario(EXAMPLE, region=region)
    plan = planner.plan(scenario, region=region, network=network)
    out = args.out / "taalcafe-tiel"
    planner.write_outputs(plan, out, region=region, network=network)
    print_summary(plan)
    print(f"Plan: {out / 'overview.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
