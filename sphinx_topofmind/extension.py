"""Wire every feature into Sphinx: one ``setup(app)`` call per feature, in build order."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from sphinx.application import Sphinx

from . import collector, config, i18n, nodes, pending, state
from .features import (
    archives,
    article_list,
    drafts,
    feeds,
    frontmatter,
    generated_pages,
    header_html,
    images,
    links,
    markdown_dialect,
    reading_time,
    redirects,
    related,
    rewrite,
    section_listings,
    sections,
    series,
    series_nav_html,
    shortcodes,
    sidebars,
    taxonomy,
    urls,
    zola_site,
)

#: in sphinx-design's static folder (since 0.5): the badge classes of the tags
DESIGN_STYLESHEET = "sphinx-design.min.css"


def setup_extension(app: Sphinx) -> None:
    # Zola articles are Markdown.  sphinx-design's stylesheet gives the tag badges their
    # look; the extension itself is not loaded (its transforms walk every doctree, for
    # directives Zola articles never use): a project that uses them lists it.
    app.setup_extension("myst_parser")
    config.setup(app)
    zola_site.setup(app)
    i18n.setup(app)
    app.connect("config-inited", _myst_defaults)
    nodes.setup(app)
    pending.setup(app)
    state.setup(app)
    rewrite.setup(app)
    shortcodes.setup(app)
    images.setup(app)
    markdown_dialect.setup(app)
    links.setup(app)
    frontmatter.setup(app)
    header_html.setup(app)
    series.setup(app)
    series_nav_html.setup(app)
    collector.setup(app)
    drafts.setup(app)
    sections.setup(app)
    section_listings.setup(app)
    taxonomy.setup(app)
    # after collector.setup: their get_updated_docs use the derived taxonomies and series
    article_list.setup(app)
    related.setup(app)
    reading_time.setup(app)
    archives.setup(app)
    sidebars.setup(app)
    feeds.setup(app)
    urls.setup(app)
    redirects.setup(app)
    generated_pages.setup(app)
    app.add_css_file("topofmind.css")
    app.connect("config-inited", _add_static)
    app.connect("config-inited", _badge_stylesheet)
    # after sphinx-design's builder-inited handler (default priority 500)
    app.connect("builder-inited", _dedupe_static, priority=900)


def _lone_article_root(app: Sphinx) -> None:
    """A folder holding a single Zola article and no ``index``: that article is the root.

    Lets an article dropped alone into a new project build as it is.
    """
    if config.project_sets(app.config, "root_doc") or config.project_sets(app.config, "master_doc"):
        return
    if zola_site.site(app) is not None:
        return  # a whole site: its home section is the root (features/zola_site.py)
    srcdir = Path(app.srcdir)
    sources = [p for p in srcdir.iterdir() if p.is_file() and p.suffix.lower() in (".md", ".rst")]
    if any(p.stem == app.config.root_doc for p in sources):
        return
    if len(sources) == 1 and sources[0].suffix.lower() == ".md":
        app.config.root_doc = sources[0].stem


def _myst_defaults(app: Sphinx, cfg: object) -> None:
    """``@/page.md#anchor`` needs heading anchors; turn them on unless the project chose
    (in ``conf.py`` or with ``-D``)."""
    _lone_article_root(app)
    if not config.project_sets(app.config, "myst_heading_anchors"):
        app.config.myst_heading_anchors = 6
    if not config.project_sets(app.config, "myst_heading_slug_func"):
        app.config.myst_heading_slug_func = "sphinx_topofmind.zola.slugs.zola_anchor"


def _badge_stylesheet(app: Sphinx, cfg: object) -> None:
    """sphinx-design's stylesheet, unless the project loads sphinx-design (which adds
    it itself, for HTML builders, at ``builder-inited``)."""
    if "sphinx_design" not in app.extensions:
        app.add_css_file(DESIGN_STYLESHEET)


def _static_dirs(app: Sphinx) -> list[str]:
    """Our static folder, and sphinx-design's stylesheet alone (a file is a valid
    ``html_static_path`` entry), found without importing sphinx-design; its whole
    folder where the project loads sphinx-design, which adds that folder itself."""
    design = importlib.util.find_spec("sphinx_design")
    assert design is not None and design.origin is not None  # a dependency
    folder = Path(design.origin).parent / "static"
    loaded = "sphinx_design" in app.extensions
    return [
        str(Path(__file__).parent / "static"),
        str(folder if loaded else folder / DESIGN_STYLESHEET),
    ]


def _add_static(app: Sphinx, cfg: object) -> None:
    """Static folders added when the configuration is read, not when the builder starts.

    Sphinx saves the configuration with the environment and compares the next
    build's, as it stands before ``builder-inited``, with it: a folder added at
    ``builder-inited`` (as sphinx-design does with its own) reports "The
    configuration has changed (html_static_path)" on every build.  Adding both
    here makes the compared values equal; :func:`_dedupe_static` drops the
    copy sphinx-design appends later.
    """
    wanted = [d for d in _static_dirs(app) if d not in app.config.html_static_path]
    # a new list: appending could change a default shared by other builds in this process
    app.config.html_static_path = [*app.config.html_static_path, *wanted]


def _dedupe_static(app: Sphinx) -> None:
    app.config.html_static_path = list(dict.fromkeys(app.config.html_static_path))
