"""Shared fixtures: real Sphinx builds of small source trees, and the Hypothesis profiles."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

pytest_plugins = ("sphinx.testing.fixtures",)

# A modest default keeps the README's test command quick; HYPOTHESIS_PROFILE=long digs deeper.
settings.register_profile("default", max_examples=100, deadline=None)
settings.register_profile("long", max_examples=5000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "corpus" / "zerotohero-web"
SEED = SHARED / "seed" / "the-dream-job.as-received.md"


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"the real Zola corpus is not beside the checkout (looked in {CORPUS})")
    return CORPUS


@pytest.fixture
def seed() -> Path:
    if not SEED.is_file():
        pytest.skip(f"the seed article is not beside the checkout (looked in {SEED})")
    return SEED
