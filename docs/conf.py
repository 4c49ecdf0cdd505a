"""Sphinx configuration of the sphinx-topofmind documentation.

The documentation is built with the extension it documents: the pages are
ordinary MyST Markdown, and the small Zola blog under ``demo/`` is rendered by
sphinx-topofmind exactly as it would be in a real project.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).parent.resolve()
sys.path.insert(0, str(HERE / "_ext"))
sys.path.insert(0, str(HERE.parent))  # the package itself, when it is not installed

import sphinx_topofmind

project = "sphinx-topofmind"
author = "sphinx-topofmind contributors"
copyright = "2024, sphinx-topofmind contributors"
version = sphinx_topofmind.__version__
release = version

extensions = [
    "sphinx_topofmind",  # also sets up myst_parser
    "topofmind_docs",  # the generated reference tables (docs/_ext/)
]

exclude_patterns = ["_build"]

# definition lists (term / ": definition") on the option pages
myst_enable_extensions = ["deflist"]

# --- sphinx-topofmind, as a real project would configure it -------------------

# Two series: the default one, plus a second with its own nav file.
topofmind_series = {
    "top-of-mind": {"title": "Top of Mind"},
    "roadmap": {"title": "Roadmap", "nav_file": "demo/roadmap.yaml"},
}
# The demo blog's own body shortcode {% note() %}...{% end %} -> the note admonition.
# {% quote(author=...) %}...{% end %} -> a function of the local extension (by import path).
topofmind_shortcodes = {
    "note": "note",
    "quote": {"callable": "topofmind_docs:quote_shortcode"},
}
# Site-absolute image paths (/images/...) of the demo articles live here.
topofmind_static_path = ["_site_static"]
# These docs have a page called "tags" (tags.md); under dirhtml it is written to
# tags/index.html, so the generated tag pages go elsewhere.
topofmind_tags_path = "tagged"
# The docs quote damaged text on purpose (warnings.md): keep it damaged.
topofmind_mojibake = "off"

# --- HTML and other builders -------------------------------------------------

html_title = f"sphinx-topofmind {version}"
latex_documents = [
    ("index", "sphinx-topofmind.tex", "sphinx-topofmind", author, "manual"),
]
man_pages = [
    ("index", "sphinx-topofmind", "render Zola blog articles in Sphinx", [author], 7),
]
