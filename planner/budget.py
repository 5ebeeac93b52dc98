"""The time budget of one command: a monotonic deadline that every stage takes its share from.

``planner plan --time-limit S`` starts one :class:`Deadline` of ``S`` seconds when the command's
function starts; loading, candidates, solving and writing all come out of it. The solver gets
what is left minus :func:`write_reserve_s`, the estimated time to write the outputs.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from planner.settings import (
    MIN_SOLVE_S,
    WRITE_RESERVE_BASE_S,
    WRITE_RESERVE_PER_PARTICIPANT_S,
)

__all__ = ["BOUND_FACTOR", "Deadline", "bound_s", "floor_s", "write_reserve_s"]

#: The promise of ``--time-limit``: the command's wall time is at most this factor times the
#: limit, plus the start-up (interpreter and imports until the command's function starts).
BOUND_FACTOR = 1.1


@dataclass(frozen=True)
class Deadline:
    """Hold a budget of ``seconds`` (wall-clock seconds) counted from ``started``.

    ``started`` is a :func:`time.monotonic` reading, in seconds.
    """

    seconds: float
    started: float

    @classmethod
    def start(cls, seconds: float) -> Deadline:
        """Return a deadline of ``seconds`` seconds from now."""
        return cls(seconds=float(seconds), started=time.monotonic())

    def elapsed(self) -> float:
        """Return the seconds used since the start."""
        return time.monotonic() - self.started

    def left(self) -> float:
        """Return the seconds left (negative once the deadline has passed)."""
        return self.seconds - self.elapsed()


def write_reserve_s(participants: int) -> float:
    """Return the seconds kept back from the solver for writing the outputs of a plan.

    Estimated from the number of participants (see the constants in :mod:`planner.settings`).
    """
    return WRITE_RESERVE_BASE_S + WRITE_RESERVE_PER_PARTICIPANT_S * participants


def floor_s(fixed_s: float, participants: int) -> float:
    """Return the smallest time limit, seconds, within which a plan fits.

    ``fixed_s`` is what the stages before solving took; the solver needs at least
    :data:`planner.settings.MIN_SOLVE_S`, and writing :func:`write_reserve_s`.
    """
    return fixed_s + MIN_SOLVE_S + write_reserve_s(participants)


def bound_s(time_limit_s: float, startup_s: float) -> float:
    """Return the longest wall time, seconds, of a command with ``time_limit_s`` at or above its floor.

    ``startup_s`` is the start-up: from the interpreter's start until the command's function
    starts (imports, argument parsing).
    """
    return BOUND_FACTOR * time_limit_s + startup_s
