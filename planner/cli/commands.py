"""Imports every command module so that each registers itself on the app."""

from planner.cli import data, matrix, plan  # noqa: F401
from planner.cli import transit  # noqa: F401
from planner.cli import bench  # noqa: F401
