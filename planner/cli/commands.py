"""Imports every command module so that each registers itself on the app."""

from planner.cli import (  # noqa: F401
    access,
    bench,
    check,
    data,
    event,
    matrix,
    plan,
    transit,
    web,
)
