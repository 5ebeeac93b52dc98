"""Shared fixtures. Real reference data lives in ../shared beside the repository (never copied)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"

# No test may reach the real PDOK geocoder: tests that geocode start tests/pdok_stub.py.
os.environ.setdefault("PLANNER_GEOCODER_URL", "off")


@pytest.fixture(scope="session")
def repo_dir() -> Path:
    return REPO


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.fail(f"../shared is missing: expected it at {SHARED}")
    return SHARED
