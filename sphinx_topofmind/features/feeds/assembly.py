"""From the collected records to feeds as plain data: which feeds a build has, which
articles each holds and in what order, and each entry's fields and categories."""

from __future__ import annotations

import datetime as dt
import posixpath
from collections.abc import Iterable
from typing import Any

from sphinx.application import Sphinx

from ...collector import Article, articles, derived
from ...zola.taxonomy import Taxonomy, taxonomy_specs
from .content import full_content
from .options import feed_path, feed_url, page_url, wanted
from .render import EntryData, FeedData
from .summaries import entry_summary, is_feed_article
from .summaries import moment as _moment

#: most categories (tags) one feed entry carries: an article with thousands of tags
#: appears in thousands of tag feeds, and each copy of the entry must stay small
MAX_ENTRY_CATEGORIES = 50


def newest_first(app: Sphinx, docnames: Iterable[str]) -> list[Article]:
    records = articles(app.env)
    chosen = [records[d] for d in dict.fromkeys(docnames) if is_feed_article(app, records.get(d))]
    chosen.sort(key=lambda r: (r.title, r.docname))
    chosen.sort(key=lambda r: _moment(r.date), reverse=True)  # type: ignore[arg-type,return-value]
    limit = app.config.topofmind_feed_limit
    return chosen if limit is None else chosen[:limit]


def title_of_site(app: Sphinx) -> str:
    return app.config.html_title or app.config.project or "Site"


def title_of_series(app: Sphinx, series: str) -> str:
    return app.config.topofmind_series.get(series, {}).get("title") or series


def pages_of_series(app: Sphinx, series: str) -> list[str]:
    """Every page of the series: its ordered entries and the pages showing its nav."""
    state = derived(app.env)
    order = state.orders.get(series) if state is not None else None
    found = [e.docname for e in order.entries if e.docname] if order is not None else []
    found += [
        r.docname for r in articles(app.env).values() if any(m.series == series for m in r.mentions)
    ]
    return [d for d in dict.fromkeys(found) if d in app.env.all_docs]


def _series_home(app: Sphinx, series: str) -> str | None:
    """The series' own page: the section showing its nav, else its first entry."""
    pages = pages_of_series(app, series)
    sections = [d for d in pages if posixpath.basename(d) == "_index"]
    return sections[0] if sections else (pages[0] if pages else None)


def entry_categories(names: Iterable[str]) -> tuple[str, ...]:
    """The distinct category names of an entry, at most :data:`MAX_ENTRY_CATEGORIES`."""
    found: dict[str, None] = {}
    for name in names:
        if len(found) >= MAX_ENTRY_CATEGORIES:
            break
        found.setdefault(name)
    return tuple(found)


def taxonomy_feeds(app: Sphinx) -> list[tuple[str, str, Taxonomy]]:
    """``(feed kind, name, taxonomy)`` of each taxonomy whose terms have feeds this build:
    tags (kind ``tags``) and the others (kind ``taxonomies``) that set ``feed``."""
    kinds = wanted(app)
    state = derived(app.env)
    if state is None:
        return []
    found = []
    for spec in taxonomy_specs(app.config.topofmind_taxonomies):
        kind = "tags" if spec.name == "tags" else "taxonomies"
        taxonomy = state.taxonomies.get(spec.name)
        if spec.feed and kind in kinds and taxonomy is not None:
            found.append((kind, spec.name, taxonomy))
    return found


def term_feed_path(app: Sphinx, kind: str, name: str, slug: str) -> str:
    if kind == "tags":
        return feed_path(app, kind, slug=slug)
    return feed_path(app, kind, taxonomy=name, slug=slug)


def term_feed_url(app: Sphinx, kind: str, name: str, slug: str) -> str:
    if kind == "tags":
        return feed_url(app, kind, slug=slug)
    return feed_url(app, kind, taxonomy=name, slug=slug)


def term_feed_title(app: Sphinx, name: str, term: str) -> tuple[str, str]:
    """A term feed's title and subtitle."""
    site_title = title_of_site(app)
    if name == "tags":
        return f"{site_title}: {term}", f"Articles tagged {term}"
    return f"{site_title}: {term}", f"Articles in {name} {term}"


def _category_names(app: Sphinx, record: Article) -> Iterable[str]:
    state = derived(app.env)
    if state is not None and "tags" not in state.taxonomies:
        return  # tags are not declared: they are no categories either
    for tag in record.tags:
        if not isinstance(tag, str) or not tag.strip():
            continue
        found = state.taxonomy.for_tag(tag) if state is not None else None
        yield found.name if found is not None else tag


def entry_data(app: Sphinx, record: Article) -> EntryData:
    published = _moment(record.date)
    updated = _moment(record.updated) or published
    assert published is not None and updated is not None  # is_feed_article checked the date
    content = removed = None
    full = app.config.topofmind_feed_content == "full"
    if full and (captured := full_content(app, record.docname)) is not None:
        content, removed = captured
    return EntryData(
        docname=record.docname,
        url=page_url(app, record.docname),
        title=record.title,
        published=published,
        updated=updated,
        summary=entry_summary(app, record),
        content=content,
        categories=entry_categories(_category_names(app, record)),
        removed=removed or (),
    )


def build_feed(
    app: Sphinx,
    *,
    title: str,
    self_url: str,
    alternate: str,
    entries: list[Article],
    subtitle: str | None = None,
    owner: str | None = None,
    made: dict[str, EntryData] | None = None,
) -> FeedData:
    """The feed's data; *made* holds the entries already made this build (an article
    with many tags is in many feeds: its entry is made once)."""
    made = {} if made is None else made
    datas = []
    for record in entries:
        if record.docname not in made:
            made[record.docname] = entry_data(app, record)
        datas.append(made[record.docname])
    newest = max((d.updated for d in datas), default=None)
    return FeedData(
        self_url=self_url,
        title=title,
        alternate=alternate,
        updated=newest or _site_updated(app),
        entries=tuple(datas),
        subtitle=subtitle,
        author=app.config.author or None,
        language=app.config.language or None,
        owner=owner,
    )


def _site_updated(app: Sphinx) -> dt.datetime:
    """The newest date of the whole site (an empty feed still needs an ``updated``)."""
    moments = [
        _moment(r.updated) or _moment(r.date)
        for r in articles(app.env).values()
        if is_feed_article(app, r)
    ]
    found = [m for m in moments if m is not None]
    return max(found) if found else dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def planned_feeds(app: Sphinx) -> list[tuple[str, dict[str, Any]]]:
    """``(output path, build_feed keywords)`` for every feed of this build."""
    kinds = wanted(app)
    if not kinds:
        return []
    from ..taxonomy import term_pagename

    site_title = title_of_site(app)
    plans: list[tuple[str, dict[str, Any]]] = []
    if "site" in kinds:
        plans.append(
            (
                feed_path(app, "site"),
                {
                    "title": site_title,
                    "self_url": feed_url(app, "site"),
                    "alternate": page_url(app, app.config.root_doc),
                    "entries": newest_first(app, articles(app.env)),
                },
            )
        )
    for kind, name, taxonomy in taxonomy_feeds(app):
        for tag in taxonomy.tags:
            title, subtitle = term_feed_title(app, name, tag.name)
            plans.append(
                (
                    term_feed_path(app, kind, name, tag.slug),
                    {
                        "title": title,
                        "subtitle": subtitle,
                        "self_url": term_feed_url(app, kind, name, tag.slug),
                        "alternate": page_url(app, term_pagename(app, name, tag.slug)),
                        "entries": newest_first(app, tag.docnames),
                        "owner": tag.docnames[0] if tag.docnames else None,
                    },
                )
            )
    if "series" in kinds:
        for series in app.config.topofmind_series:
            home = _series_home(app, series)
            if home is None:
                continue
            plans.append(
                (
                    feed_path(app, "series", series=series),
                    {
                        "title": f"{site_title}: {title_of_series(app, series)}",
                        "self_url": feed_url(app, "series", series=series),
                        "alternate": page_url(app, home),
                        "entries": newest_first(app, pages_of_series(app, series)),
                    },
                )
            )
    return plans
