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
exclude_patterns = ["_build", "README.md"]
