"""``make demo``: the main job on the embedded default, offline.

Writes the region overview map and plans the example scenario, with every output, under
``--out`` (default ``maps/``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "scenarios" / "taalcafe-tiel" / "scenario.toml"


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
    result = planner.plan(scenario, region=region, network=network)
    out = args.out / "taalcafe-tiel"
    out.mkdir(parents=True, exist_ok=True)
    result.to_json(out / "plan.json")  # until write_outputs writes plan.json itself
    planner.write_outputs(result, out, region=region, network=network)
    print_summary(result)
    return 0

if __name__ == "__main__":
    sys.exit(main())
