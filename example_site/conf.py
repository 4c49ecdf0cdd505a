"""Sphinx configuration for the sphinx-topofmind example project.

This example site is a small Zola-style blog: the articles under
``content/`` are written exactly as Zola expects them (TOML front matter,
``@/`` internal links, ``{{ top_of_mind_nav(...) }}`` shortcodes, site-absolute
``/images/...`` paths served from ``static/``), and the ``sphinx_topofmind``
extension renders them unchanged with Sphinx and MyST Markdown.
"""

project = "Example Zola blog"
author = "sphinx-topofmind contributors"
copyright = "2026, sphinx-topofmind contributors"
version = release = "1.0"
extensions = ["sphinx_topofmind"]
topofmind_static_path = ["static"]
topofmind_content_root = "content"
html_title = "Example Zola blog"
# each article ends with the three articles sharing the most tags with it
topofmind_related_articles = 3
# "N min read" in each article header, counted as Zola counts it
topofmind_reading_time = True
# Zola's base_url: absolute links for the Atom feeds (atom.xml, tags/*.xml, feeds/*.xml)
html_baseurl = "https://blog.example.org/"
# README.md describes this directory; it is not a page of the site.
exclude_patterns = ["_build", "_templates", "README.md"]
templates_path = ["_templates"]  # layout.html: the blocks in sphinx_rtd_theme's menu

# The blog's sidebar blocks, after each theme's own (docs/sidebars.md). The browser test
# builds this site in five themes with -D html_theme=..., so the list follows the theme.
TOPOFMIND_SIDEBARS = [
    "topofmind/sidebar-recent.html",
    "topofmind/sidebar-series.html",
    "topofmind/sidebar-tagcloud.html",
    "topofmind/sidebar-archives.html",
]
THEME_SIDEBARS = {
    "alabaster": (["about.html", "navigation.html", "relations.html", "searchbox.html"], []),
    "furo": (
        [
            "sidebar/brand.html",
            "sidebar/search.html",
            "sidebar/scroll-start.html",
            "sidebar/navigation.html",
        ],
        ["sidebar/scroll-end.html"],
    ),
    "pydata_sphinx_theme": (["sidebar-nav-bs.html"], []),
    "sphinx_book_theme": (
        ["navbar-logo.html", "search-button-field.html", "sbt-sidebar-nav.html"],
        [],
    ),
}


def _sidebars(app):
    # on builder-inited: the theme is final then (sphinx.testing swaps alabaster for basic)
    config = app.config
    if "html_sidebars" not in config.overrides and config.html_theme in THEME_SIDEBARS:
        before, after = THEME_SIDEBARS[config.html_theme]
        config.html_sidebars = {"**": before + TOPOFMIND_SIDEBARS + after}


def setup(app):
    app.connect("builder-inited", _sidebars)
