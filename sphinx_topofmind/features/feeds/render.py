"""One feed as plain data (:class:`FeedData`, :class:`EntryData`) and its Atom XML,
rendered with feedgen: data in, bytes out (the data is made by :mod:`.assembly`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import NamedTuple

from .options import ATOM_TYPE
from .xmltext import xml_safe


class EntryData(NamedTuple):
    """One feed entry, as plain data (made once per article and build)."""

    docname: str
    url: str
    title: str
    published: dt.datetime
    updated: dt.datetime
    summary: str | None = None
    #: the rendered article (HTML), with ``topofmind_feed_content = "full"``
    content: str | None = None
    categories: tuple[str, ...] = ()
    #: characters already taken out of the content when it was captured
    removed: tuple[str, ...] = ()


class FeedData(NamedTuple):
    """One feed, as plain data."""

    self_url: str
    title: str
    alternate: str
    updated: dt.datetime
    entries: tuple[EntryData, ...] = ()
    subtitle: str | None = None
    author: str | None = None
    language: str | None = None
    #: the article answering for the feed's own title (the first of a tag's articles)
    owner: str | None = None


#: the parts of a feed that text can lose characters from, in the order warnings name them
FIELDS = ("title", "summary", "content", "tags", "feed title", "URL", "author", "language")

#: ``(docname or None for the configuration, field, characters taken out)``
Report = Callable[[str | None, str, list[str]], None]


def render_feed(feed: FeedData, report: Report | None = None) -> bytes:
    """The Atom XML of *feed*.

    This is the one place text reaches feedgen: every string passes
    :func:`xml_safe` here (feedgen's lxml refuses controls and lone
    surrogates), and what was taken out goes to *report*."""
    from feedgen.feed import FeedGenerator

    from ... import __version__

    def clean(text: str, docname: str | None, field: str) -> str:
        safe, removed = xml_safe(text)
        if removed and report is not None:
            report(docname, field, removed)
        return safe

    owner = feed.owner
    fg = FeedGenerator()
    fg.id(clean(feed.self_url, owner, "URL"))
    # Atom needs a title: one with nothing left (only controls) becomes the URL
    fg.title(clean(feed.title, owner, "feed title") or clean(feed.self_url, owner, "URL"))
    if feed.subtitle:
        fg.subtitle(clean(feed.subtitle, owner, "feed title"))
    fg.link(href=clean(feed.alternate, owner, "URL"), rel="alternate", type="text/html")
    fg.link(href=clean(feed.self_url, owner, "URL"), rel="self", type=ATOM_TYPE)
    if feed.author:
        fg.author({"name": clean(feed.author, None, "author")})
    if feed.language:
        fg.language(clean(feed.language, None, "language"))
    fg.generator("sphinx-topofmind", version=__version__)
    for data in feed.entries:
        doc = data.docname
        entry = fg.add_entry(order="append")
        url = clean(data.url, doc, "URL")
        entry.id(url)
        entry.title(clean(data.title, doc, "title") or url)
        entry.link(href=url, rel="alternate", type="text/html")
        entry.published(data.published)
        entry.updated(data.updated)
        if data.summary:
            entry.summary(clean(data.summary, doc, "summary"))
        if data.content is not None:
            entry.content(clean(data.content, doc, "content"), type="html")
            if data.removed and report is not None:
                report(doc, "content", list(data.removed))
        terms = [term for name in data.categories if (term := clean(name, doc, "tags"))]
        if terms:
            # all at once: feedgen rebuilds its whole category list on every call
            entry.category([{"term": term, "label": term} for term in terms])
    fg.updated(feed.updated)
    data_bytes: bytes = fg.atom_str(pretty=True)
    return data_bytes
