"""``<link rel="alternate" type="application/atom+xml">`` in the head (``metatags``)
of every page that has a feed: the site feed everywhere, a tag's feed on its tag
page, a series' feed on the pages of the series."""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from ...collector import derived
from ...state import build_memo
from .assembly import (
    pages_of_series,
    taxonomy_feeds,
    term_feed_title,
    term_feed_url,
    title_of_series,
    title_of_site,
)
from .options import ATOM_TYPE, feed_url, wanted


def _feeds_by_page(app: Sphinx) -> dict[str, list[tuple[str, str]]]:
    """Page name -> its own tag and series feeds; computed once per build."""
    state = derived(app.env)
    memo = build_memo(app.builder)
    cached = memo.get("feeds_by_page")
    if cached is not None and cached[0] is state:
        return cached[1]
    from ..taxonomy import term_pagename

    kinds = wanted(app)
    site_title = title_of_site(app)
    found: dict[str, list[tuple[str, str]]] = {}
    for kind, name, taxonomy in taxonomy_feeds(app):
        for tag in taxonomy.tags:
            found.setdefault(term_pagename(app, name, tag.slug), []).append(
                (term_feed_title(app, name, tag.name)[0], term_feed_url(app, kind, name, tag.slug))
            )
    if "series" in kinds:
        for series in app.config.topofmind_series:
            link = (
                f"{site_title}: {title_of_series(app, series)}",
                feed_url(app, "series", series=series),
            )
            for docname in pages_of_series(app, series):
                found.setdefault(docname, []).append(link)
    # the state is kept referenced, so an identity check cannot be fooled by a reused id
    memo["feeds_by_page"] = (state, found)
    return found


def page_feeds(app: Sphinx, pagename: str) -> list[tuple[str, str]]:
    """``(title, absolute URL)`` of the feeds a page advertises."""
    kinds = wanted(app)
    if not kinds:
        return []
    found: list[tuple[str, str]] = []
    if "site" in kinds:
        found.append((title_of_site(app), feed_url(app, "site")))
    return found + _feeds_by_page(app).get(pagename, [])


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
    )


def add_feed_links(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if not wanted(app):
        return
    links = "".join(
        f'\n<link rel="alternate" type="{ATOM_TYPE}" title="{_escape(title)}" href="{_escape(url)}" />'
        for title, url in page_feeds(app, pagename)
    )
    if links:
        context["metatags"] = (context.get("metatags") or "") + links
