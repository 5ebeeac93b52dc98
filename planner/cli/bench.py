"""``planner bench``: solve one benchmark instance (Cordeau DARP or Li & Lim PDPTW) and write JSON."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from planner.cli.checks import check_out_file
from planner.cli.main import app, command
from planner.cli.options import Language
from planner.i18n import translations
from planner.solve.bench_io import bench_result, read_cordeau, read_lilim, write_bench_result
from planner.solve.check import check_solution
from planner.solve.engine import solve
from planner.solve.params import SolveParams
from planner.solve.problem import PDProblem

bench_app = typer.Typer(
    help="Run the route engine on benchmark instances (DARP, PDPTW).", no_args_is_help=True
)
app.add_typer(bench_app, name="bench")
console = Console()

TimeLimit = Annotated[
    float, typer.Option("--time-limit", min=0.01, help="Wall-clock seconds for the solver.")
]
Seed = Annotated[int, typer.Option(help="Random seed (request order, ALNS).")]
Out = Annotated[Path, typer.Option(help="Result JSON to write.")]
Params = Annotated[
    Path | None,
    typer.Option("--params", help="TOML file with solver parameters (missing keys keep defaults)."),
]
Lang = Annotated[Language, typer.Option(help="Language of the summary.")]
Instance = Annotated[Path, typer.Argument(help="Instance file.")]


#: The benchmark commands: name, instance reader, whether vehicles count, help text.
_BENCHMARKS: tuple[tuple[str, Callable[[Path], PDProblem], bool, str], ...] = (
    (
        "darp",
        read_cordeau,
        False,
        "Solve a Cordeau DARP instance (a/b or pr format); routes run from node 0 to the end depot.",
    ),
    (
        "pdptw",
        read_lilim,
        True,
        "Solve a Li & Lim PDPTW instance; fewest vehicles first, then distance.",
    ),
)


def _benchmark_command(
    read: Callable[[Path], PDProblem], with_vehicles: bool
) -> Callable[..., None]:
    def benchmark(
        file: Instance,
        out: Out,
        time_limit: TimeLimit = 10.0,
        seed: Seed = 0,
        params: Params = None,
        lang: Lang = "nl",
    ) -> None:
        problem = read(file)
        check_out_file(out)  # before the solve, not after it
        solve_params = SolveParams.from_file(params) if params else SolveParams()
        solution = solve(problem, time_limit_s=time_limit, seed=seed, params=solve_params)
        result = bench_result(problem, solution, with_vehicles=with_vehicles)
        write_bench_result(out, result)
        violations = check_solution(problem, solution)
        line = translations(lang, organiser=True).t(
            "{name}: distance {cost}, {routes} routes, {unserved} unserved, {seconds} s, "
            "check: {violations} violations -> {out}",
            name=problem.name,
            cost=f"{result['cost']:.2f}",
            routes=len(solution.routes),
            unserved=len(solution.unserved),
            seconds=f"{solution.stats.runtime_s:.1f}",
            violations=len(violations),
            out=out,
        )
        console.print(line, highlight=False, soft_wrap=True)

    return benchmark


for _name, _read, _with_vehicles, _help in _BENCHMARKS:
    command(bench_app, _name, help=_help)(_benchmark_command(_read, _with_vehicles))
