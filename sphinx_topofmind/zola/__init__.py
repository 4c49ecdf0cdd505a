"""The Zola site format: a site's ``config.toml`` and its Tera shortcode templates.

This subpackage is pure: it never imports sphinx, docutils or myst_parser
(``tests/test_zola_pure.py`` checks it), so it can be read, tested and reused
without a Sphinx build.  Problems are returned as
:class:`~sphinx_topofmind.zola.diagnostics.Diagnostic` values; the Sphinx wiring turns
them into located warnings.

- :mod:`.site_config` reads ``config.toml`` and finds a site's parts.
- :mod:`.tera` renders Tera templates (a site's shortcodes) with Jinja2.
"""
