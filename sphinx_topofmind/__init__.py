"""Render Zola blog articles, unchanged, in any Sphinx project."""

from __future__ import annotations

__version__ = "0.1.0"

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # importing the package (say, its pure zola subpackage) loads no Sphinx
    from sphinx.application import Sphinx


def setup(app: Sphinx) -> dict[str, Any]:
    """Sphinx entry point: ``extensions = ["sphinx_topofmind"]``."""
    from .extension import setup_extension

    setup_extension(app)
    return {
        "version": __version__,
        # bump when Article or the derived state change shape: old pickles are dropped
        "env_version": 4,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
