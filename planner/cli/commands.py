"""Imports every command module so that each registers itself on the app."""

from planner.cli import (  # noqa: F401
    bench,
    data,
    matrix,
    plan,
    transit,
)
