"""The feed options as a build reads them: which feeds, in which file, at which URL.

The ``topofmind_feed*`` values themselves are defined, registered and
validated with every other value in :data:`sphinx_topofmind.config.OPTIONS`;
by the time anything here runs they hold valid values.
"""

from __future__ import annotations

import posixpath
from urllib.parse import quote

from sphinx.application import Sphinx

from ...config import conf_location
from ...config_checks import FEED_KINDS
from ...report import warn
from ...zola.diagnostics import Subtype
from .xmltext import NOT_XML, xml_safe

#: the builders that get feeds (epub and singlehtml have no per-article URLs)
FEED_BUILDERS = ("html", "dirhtml")
DEFAULT_PATHS = {
    "site": "atom.xml",
    "tags": "{tags_path}/{slug}.xml",
    "series": "feeds/{series}.xml",
    "taxonomies": "{taxonomy}/{slug}.xml",
}
ATOM_TYPE = "application/atom+xml"


def base_url(app: Sphinx) -> str:
    return (app.config.topofmind_base_url or "").strip()


def wanted(app: Sphinx) -> tuple[str, ...]:
    """The feed kinds this build writes (none without a base URL or in other builders)."""
    builder = getattr(app, "builder", None)
    if builder is None or builder.name not in FEED_BUILDERS or builder.format != "html":
        return ()
    if not base_url(app):
        return ()
    kinds = app.config.topofmind_feeds
    return FEED_KINDS if kinds is None else tuple(k for k in FEED_KINDS if k in kinds)


def check_base_url(app: Sphinx) -> None:
    """One warning when feeds were asked for but no absolute URL can be made."""
    builder = app.builder
    if builder.name not in FEED_BUILDERS or builder.format != "html":
        return
    if app.config.topofmind_feeds and not base_url(app):
        warn(
            Subtype.config,
            "topofmind_feeds asks for Atom feeds, but neither topofmind_base_url nor "
            "html_baseurl is set: feeds need absolute URLs, so none are written",
            conf_location(app.config, "topofmind_feeds"),
        )


def feed_path(app: Sphinx, kind: str, **fields: str) -> str:
    """The feed's file path in the output, ``/``-separated."""
    pattern = {**DEFAULT_PATHS, **app.config.topofmind_feed_paths}[kind]
    if kind == "tags":
        fields.setdefault("tags_path", app.config.topofmind_tags_path.replace("\\", "/").strip("/"))
    path = pattern.format(**fields).replace("\\", "/")
    return posixpath.normpath(path).lstrip("/")


# --- URLs --------------------------------------------------------------------------


def absolute(app: Sphinx, path: str) -> str:
    """An output path or target URI (already quoted, or not) made absolute."""
    # quote() encodes controls, but cannot encode a lone surrogate (no UTF-8 for it)
    path = xml_safe(path)[0] if NOT_XML.search(path) else path
    return base_url(app).rstrip("/") + "/" + quote(path, safe="/#%:@!$&'()*+,;=~?")


def page_url(app: Sphinx, pagename: str) -> str:
    return absolute(app, app.builder.get_target_uri(pagename))


def feed_url(app: Sphinx, kind: str, **fields: str) -> str:
    return absolute(app, feed_path(app, kind, **fields))
