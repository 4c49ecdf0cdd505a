"""Queries over the project's articles: one catalogue per build, then filters, sorts,
groups and related articles over it.

The catalogue (:func:`catalogue`) is made once per build from the collector's
:class:`~.collector.Article` records, the derived taxonomies and series, and the
summaries; every listing (``article-list``, related articles, archives, sidebars)
filters that, so nothing that is the same for every page is computed per page.
Entries are small, frozen and picklable: listings keep what they show on the
environment and compare it across builds to know which pages to rewrite.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import posixpath
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

from sphinx.application import Sphinx

from . import state
from .collector import Derived, articles, derived
from .features.rewrite import content_root
from .features.summary import summary_of
from .zola.sections import natural_key
from .zola.taxonomy import instant, tag_key

SORTS = ("date", "updated", "title", "series")
DRAFT_MODES = ("include", "exclude", "only")


@dataclasses.dataclass(frozen=True)
class Entry:
    """What a listing can show of one article."""

    docname: str
    title: str
    date: str | None = None
    updated: str | None = None
    draft: bool = False
    #: per declared taxonomy, the article's terms as ``(shown name, page slug)``
    terms: Mapping[str, tuple[tuple[str, str], ...]] = dataclasses.field(default_factory=dict)
    summary: str | None = None

    @property
    def tags(self) -> tuple[tuple[str, str], ...]:
        return self.terms.get("tags", ())

    @property
    def year(self) -> int | None:
        moment = instant(self.date)
        return None if moment is None else moment.year


@dataclasses.dataclass(frozen=True)
class Query:
    """What an ``article-list`` asks for (None: no filter on that)."""

    taxonomy: str = "tags"
    term: str | None = None
    series: str | None = None
    #: folder of a section, relative to the content root ("" = the whole site)
    section: str | None = None
    year: int | None = None
    drafts: str = "include"
    sort: str = "date"
    reverse: bool = False
    limit: int | None = None


class Catalogue(NamedTuple):
    """Every listable article of this build, newest first, and the derived data."""

    entries: tuple[Entry, ...]
    by_docname: Mapping[str, Entry]
    derived: Derived
    #: the folders (relative to the content root) that hold an ``_index`` document
    sections: frozenset[str]
    root: str


def is_section_page(docname: str) -> bool:
    return posixpath.basename(docname) == "_index"


def _sort_instant(value: str | None) -> dt.datetime:
    moment = instant(value)
    return moment if moment is not None else dt.datetime.min.replace(tzinfo=dt.UTC)


def catalogue(app: Sphinx) -> Catalogue | None:
    """The build's catalogue, made once per set of derived data (a new read makes a new
    one); None before the collector has derived anything."""
    current = derived(app.env)
    if current is None:
        return None
    memo = state.build_memo(app.builder)
    found = memo.get("topofmind_catalogue")
    if found is None or found.derived is not current:
        found = _make_catalogue(app, current)
        memo["topofmind_catalogue"] = found
    return found


def _make_catalogue(app: Sphinx, current: Derived) -> Catalogue:
    env = app.env
    with_drafts = app.config.topofmind_drafts
    shown_terms: dict[str, dict[str, tuple[str, str]]] = {
        name: {tag.key: (tag.name, tag.slug) for tag in taxonomy.tags}
        for name, taxonomy in current.taxonomies.items()
    }
    made = []
    for record in articles(env).values():
        if not record.has_front_matter or is_section_page(record.docname):
            continue
        if record.docname not in env.found_docs or (record.draft and not with_drafts):
            continue
        terms = {
            name: tuple(
                shown_terms[name][key]
                for term in values
                if isinstance(term, str) and (key := tag_key(term)) in shown_terms[name]
            )
            for name, values in record.taxonomies.items()
            if name in shown_terms
        }
        made.append(
            Entry(
                docname=record.docname,
                title=record.title,
                date=record.date,
                updated=record.updated,
                draft=record.draft,
                terms={name: found for name, found in terms.items() if found},
                summary=summary_of(env, record.docname, record.description),
            )
        )
    root = content_root(app).strip("/")
    sections = frozenset(
        _relative(posixpath.dirname(docname), root)
        for docname in env.found_docs
        if is_section_page(docname)
    )
    ordered = tuple(sort_entries(made, "date"))
    return Catalogue(
        entries=ordered,
        by_docname={entry.docname: entry for entry in ordered},
        derived=current,
        sections=frozenset(s for s in sections if s is not None),
        root=root,
    )


def _relative(folder: str, root: str) -> str | None:
    """A docname's folder relative to the content root; None outside it."""
    if not root:
        return folder
    if folder == root:
        return ""
    if folder.startswith(root + "/"):
        return folder[len(root) + 1 :]
    return None


# --- filters -------------------------------------------------------------------------


def with_term(found: Catalogue, taxonomy: str, term: str) -> frozenset[str] | None:
    """The articles holding *term* (any spelling) in *taxonomy*; None: no such term."""
    declared = found.derived.taxonomies.get(taxonomy)
    tag = declared.for_tag(term) if declared is not None else None
    return None if tag is None else frozenset(tag.docnames)


def in_section(found: Catalogue, docname: str, section: str) -> bool:
    """Under the section's folder (its subsections' pages too)."""
    folder = _relative(posixpath.dirname(docname), found.root)
    if folder is None:
        return False
    return not section or folder == section or folder.startswith(section + "/")


def series_order(found: Catalogue, series: str) -> dict[str, int]:
    """0-based place of each document in the series."""
    order = found.derived.orders.get(series)
    if order is None:
        return {}
    members = [entry.docname for entry in order.entries if entry.docname is not None]
    return {docname: place for place, docname in enumerate(members)}


def select(found: Catalogue, query: Query, exclude: str | None = None) -> tuple[Entry, ...]:
    """The entries *query* asks for, in its order, at most ``limit`` of them."""
    chosen: Iterable[Entry] = found.entries
    if exclude is not None:
        chosen = (e for e in chosen if e.docname != exclude)
    if query.term is not None:
        holding = with_term(found, query.taxonomy, query.term) or frozenset()
        chosen = (e for e in chosen if e.docname in holding)
    places: dict[str, int] = {}
    if query.series is not None:
        places = series_order(found, query.series)
        chosen = (e for e in chosen if e.docname in places)
    if query.section is not None:
        section = query.section
        chosen = (e for e in chosen if in_section(found, e.docname, section))
    if query.year is not None:
        chosen = (e for e in chosen if e.year == query.year)
    if query.drafts == "exclude":
        chosen = (e for e in chosen if not e.draft)
    elif query.drafts == "only":
        chosen = (e for e in chosen if e.draft)
    ordered = sort_entries(list(chosen), query.sort, places)
    if query.reverse:
        ordered.reverse()
    if query.limit is not None:
        ordered = ordered[: query.limit]
    return tuple(ordered)


# --- sorts and groups ----------------------------------------------------------------


def sort_entries(
    entries: Sequence[Entry], sort: str, places: Mapping[str, int] | None = None
) -> list[Entry]:
    """``date``: newest first (undated last); ``updated``: the newer of date and updated
    (Zola's ``update_date``); ``title``: natural order; ``series``: the series' order.
    Ties: by docname."""
    ordered = sorted(entries, key=lambda e: e.docname)
    if sort == "date":
        ordered.sort(key=lambda e: (e.date is not None, _sort_instant(e.date)), reverse=True)
    elif sort == "updated":
        ordered.sort(key=lambda e: _newest(e), reverse=True)
    elif sort == "title":
        ordered.sort(key=lambda e: natural_key(e.title))
    elif sort == "series":
        where = places or {}
        ordered.sort(key=lambda e: where.get(e.docname, len(where)))
    return ordered


def _newest(entry: Entry) -> tuple[bool, dt.datetime]:
    moments = [m for m in (instant(entry.date), instant(entry.updated)) if m is not None]
    if not moments:
        return (False, _sort_instant(None))
    return (True, max(moments))


def group_by_year(entries: Iterable[Entry]) -> list[tuple[int | None, list[Entry]]]:
    """``[(year, entries)]`` in the entries' order of first appearance (None: undated)."""
    groups: dict[int | None, list[Entry]] = {}
    for entry in entries:
        groups.setdefault(entry.year, []).append(entry)
    return list(groups.items())


def related(found: Catalogue, docname: str, count: int) -> tuple[Entry, ...]:
    """The *count* other published articles sharing the most tags with *docname*, ties
    newest first (then by docname); none share no tag.  Drafts are never related."""
    own = found.by_docname.get(docname)
    if own is None or count < 1:
        return ()
    tags = found.derived.taxonomies.get("tags")
    if tags is None:
        return ()
    shared: dict[str, int] = defaultdict(int)
    for name, _slug in own.tags:
        tag = tags.for_tag(name)
        for other in tag.docnames if tag is not None else ():
            shared[other] += 1
    candidates = [
        found.by_docname[other]
        for other in shared
        if other != docname and other in found.by_docname and not found.by_docname[other].draft
    ]
    ordered = sort_entries(candidates, "date")
    ordered.sort(key=lambda e: shared[e.docname], reverse=True)
    return tuple(ordered[:count])
