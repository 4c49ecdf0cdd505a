"""Wire every feature into Sphinx: one ``register`` call per concern."""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx

from . import (
    collector,
    config,
    drafts,
    feeds,
    header,
    i18n,
    images,
    nav,
    nodes,
    shortcode_wiring,
    site_links,
    source,
    tags,
)


def setup_extension(app: Sphinx) -> None:
    # Zola articles are Markdown; sphinx-design gives the header and tag pages their look
    app.setup_extension("myst_parser")
    app.setup_extension("sphinx_design")
    config.register(app)
    i18n.register(app)
    app.connect("config-inited", _myst_defaults)
    nodes.register(app)
    app.connect("source-read", source.on_source_read)
    # late: after every handler that makes links (the series nav among them)
    app.connect("doctree-resolved", source.single_page_anchors, priority=900)
    shortcode_wiring.register(app)
    images.register(app)
    site_links.register(app)
    header.register(app)
    nav.register(app)
    collector.register(app)
    drafts.register(app)
    tags.register(app)
    feeds.register(app)
    app.add_css_file("topofmind.css")
    app.connect("builder-inited", _add_static)


def _lone_article_root(app: Sphinx) -> None:
    """A folder holding a single Zola article and no ``index``: that article is the root.

    Lets an article dropped alone into a new project build as it is.
    """
    if "root_doc" in app.config._raw_config or "master_doc" in app.config._raw_config:
        return
    srcdir = Path(app.srcdir)
    sources = [p for p in srcdir.iterdir() if p.is_file() and p.suffix.lower() in (".md", ".rst")]
    if any(p.stem == app.config.root_doc for p in sources):
        return
    if len(sources) == 1 and sources[0].suffix.lower() == ".md":
        app.config.root_doc = sources[0].stem


def _myst_defaults(app: Sphinx, cfg: object) -> None:
    _lone_article_root(app)
    """``@/page.md#anchor`` needs heading anchors; turn them on unless the project chose."""
    if "myst_heading_anchors" not in app.config._raw_config:
        app.config.myst_heading_anchors = 6
    if "myst_heading_slug_func" not in app.config._raw_config:
        app.config.myst_heading_slug_func = "sphinx_topofmind.slugs.zola_anchor"


def _add_static(app: Sphinx) -> None:
    if app.builder.format == "html":
        # a new list: appending could change a default shared by other builds in this process
        static = str(Path(__file__).parent / "static")
        app.config.html_static_path = [*app.config.html_static_path, static]
