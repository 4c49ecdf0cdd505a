"""The Zola site format, pure: everything that reads a Zola site's sources.

This subpackage never imports sphinx, docutils or myst_parser
(``tests/test_zola_pure.py`` checks it), so it can be read, tested and reused
without a Sphinx build.  Problems are returned as
:class:`~sphinx_topofmind.zola.diagnostics.Diagnostic` values; the Sphinx side
(:mod:`sphinx_topofmind.features`, through :mod:`sphinx_topofmind.report`) turns
them into located warnings.

- :mod:`.frontmatter`: TOML ``+++`` / YAML ``---`` front matter, typed; draft-ness.
- :mod:`.shortcodes`: Zola's shortcode grammar (``content.pest``).
- :mod:`.rewrite`: a Zola article rewritten for MyST, every line kept in place.
- :mod:`.mojibake`: UTF-8 read as Mac Roman / Latin-1, repaired.
- :mod:`.series` and :mod:`.site_series`: nav files, series order, a site's series.
- :mod:`.taxonomy` and :mod:`.slugs`: tag identity and page slugs; heading anchors.
- :mod:`.site_config`: ``config.toml`` and a site's parts on disk.
- :mod:`.tera`: Tera templates (a site's shortcodes) rendered with Jinja2.
- :mod:`.diagnostics`: the warning subtypes and the :class:`Diagnostic` record.
"""
