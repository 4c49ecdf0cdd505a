"""The environment collector: one small :class:`Article` record per document.

Records hold the front matter's typed data and the series the page shows;
never doctrees.  After each read, :meth:`TopOfMindCollector.get_updated_docs`
recomputes the derived cross-document data (series order, tag slugs) and
returns exactly the documents whose rendered output changes because of it,
the way Sphinx's own toctree collector handles section numbers.
"""

from __future__ import annotations

import dataclasses
import posixpath
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from . import state
from .compact import digest, shared
from .features.drafts import drafts
from .features.rewrite import content_root, current_rewrite, parsed_nav_file, under_root
from .features.summary import page_summary, summary_of
from .nodes import series_nav_placeholder, tag_reference, tags_index_placeholder
from .pending import pending
from .report import warn_diagnostic, warn_in_file
from .zola.diagnostics import Diagnostic, Subtype
from .zola.frontmatter import iso
from .zola.records import CompactRecord
from .zola.series import Member, SeriesOrder, order_series
from .zola.taxonomy import (
    TaggedArticle,
    Taxonomy,
    build_taxonomy,
    page_count,
    paged_slug,
    tag_key,
    taxonomy_specs,
)


@dataclasses.dataclass(frozen=True)
class SeriesMention(CompactRecord):
    """A nav this page shows: which series, the number it declares, where."""

    series: str
    declared: int | None
    line: int
    #: entries shown around the current one (None: the whole series)
    window: int | None = None


@dataclasses.dataclass(frozen=True)
class Article(CompactRecord):
    """What one document contributes to series and taxonomies (small: pickled in the env)."""

    docname: str
    title: str
    description: str | None = None
    date: str | None = None
    updated: str | None = None
    draft: bool = False
    weight: int | None = None
    slug: str | None = None
    taxonomies: Mapping[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)
    has_front_matter: bool = False
    #: line of the ``tags`` key, where tag problems are reported
    tags_line: int = 1
    # (the fields below are mostly at their defaults: left out of the pickled record)
    extra: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    mentions: tuple[SeriesMention, ...] = ()
    shows_tags_index: bool = False
    #: line of each other taxonomy's key (``taxonomies.<name>``), where its problems are
    #: reported (``tags``: :attr:`tags_line`)
    taxonomy_lines: Mapping[str, int] = dataclasses.field(default_factory=dict)

    @property
    def tags(self) -> tuple[str, ...]:
        return self.taxonomies.get("tags", ())

    def taxonomy_line(self, name: str) -> int:
        return self.tags_line if name == "tags" else self.taxonomy_lines.get(name, 1)


@dataclasses.dataclass(frozen=True)
class Derived:
    """Cross-document data computed once per build from all records."""

    orders: Mapping[str, SeriesOrder]
    nav_digests: Mapping[str, str]
    taxonomy: Taxonomy
    #: series and tag problems of each page, reported when the page is written
    doc_diagnostics: Mapping[str, tuple[Diagnostic, ...]] = dataclasses.field(default_factory=dict)
    #: what the tag listings show of each tagged article, as the tagged docnames and
    #: their 8-byte digests, concatenated: a change rewrites them (:func:`listing_digests`)
    listings: tuple[tuple[str, ...], bytes] = ((), b"")
    #: every declared taxonomy by name (``taxonomy`` is the ``tags`` one)
    taxonomies: Mapping[str, Taxonomy] = dataclasses.field(default_factory=dict)
    #: articles per term page, of the taxonomies that paginate
    paginate_by: Mapping[str, int] = dataclasses.field(default_factory=dict)


def articles(env: BuildEnvironment) -> dict[str, Article]:
    return state.get(env, "articles", dict)


def derived(env: BuildEnvironment) -> Derived | None:
    value: Derived | None = state.peek(env, "derived")
    return value


def _tags_line(matter: Any) -> int:
    if matter is None:
        return 1
    lines = matter.key_lines
    return lines.get("taxonomies.tags") or lines.get("taxonomies") or matter.first_line


def _taxonomy_lines(matter: Any) -> dict[str, int]:
    if matter is None:
        return {}
    lines = matter.key_lines
    return {
        name: lines.get(f"taxonomies.{name}") or lines.get("taxonomies") or matter.first_line
        for name in matter.taxonomies
        if name != "tags"  # the record's tags_line
    }


class TopOfMindCollector(state.RecordCollector):
    key = "articles"

    def process_doc(self, app: Sphinx, doctree: nodes.document) -> None:
        env = app.env
        docname = env.docname
        rewrite = current_rewrite(env)
        matter = rewrite.front_matter if rewrite is not None else None
        mentions = tuple(
            SeriesMention(node["series"], node["selected"], node["line"], node.get("window"))
            for node in doctree.findall(series_nav_placeholder)
        )
        shows_index = any(True for _ in doctree.findall(tags_index_placeholder))
        if matter is None and not mentions and not shows_index:
            return
        if matter is not None and not app.config.topofmind_section_toctree:
            # no section holds the article: it is reached through navs, tags and feeds
            env.metadata[docname].setdefault("orphan", True)
        if matter is not None and (description := page_summary(env, doctree, matter.description)):
            # what search engines read as the page's summary: the summary of listings and
            # feeds (features/summary.py); sphinxext-opengraph gets it from og_description
            doctree.insert(0, nodes.meta(name="description", content=description))
        title = env.titles[docname].astext() if docname in env.titles else docname
        if matter is not None and matter.title:
            title = " ".join(matter.title.split())
        title = shared(title) or title
        articles(env)[docname] = Article(
            docname=docname,
            title=title,
            description=matter.description if matter else None,
            date=shared(iso(matter.date)) if matter else None,
            updated=iso(matter.updated) if matter else None,
            draft=matter.draft if matter else False,
            weight=matter.weight if matter else None,
            slug=matter.slug if matter else None,
            taxonomies=dict(matter.taxonomies) if matter else {},
            extra=dict(matter.extra) if matter else {},
            has_front_matter=matter is not None,
            mentions=mentions,
            shows_tags_index=shows_index,
            tags_line=_tags_line(matter),
            taxonomy_lines=_taxonomy_lines(matter),
        )

    def get_updated_docs(self, app: Sphinx, env: BuildEnvironment) -> list[str]:
        """Recompute series and tags; return the pages whose rendering they change."""
        old = derived(env)
        if old is not None and state.read_nothing(env) and nav_digests(app, env) == old.nav_digests:
            # derived from the records, the configuration and the nav files alone: the
            # last build's stands, and no term or page changed
            state.put(env, "stale_terms", {})
            state.put(env, "stale_tag_slugs", set())
            state.put(env, "changed_term_pages", {name: set() for name in old.taxonomies})
            return []
        new = compute_derived(app, env, report_nav_files=old)
        state.put(env, "derived", new)
        stale = stale_terms(old, new)
        state.put(env, "stale_terms", stale)
        state.put(env, "stale_tag_slugs", stale.get("tags", set()))
        state.put(env, "changed_term_pages", None if old is None else changed_term_pages(old, new))
        if old is None:
            return []
        records = articles(env)
        changed_series = {
            name
            for name in set(old.orders) | set(new.orders)
            if old.orders.get(name) != new.orders.get(name)
            or old.nav_digests.get(name) != new.nav_digests.get(name)
        }
        # a term's link in an article header changes with its slug or shown spelling
        changed_keys: dict[str, set[str]] = {}
        for name in set(old.taxonomies) | set(new.taxonomies):
            before = old.taxonomies.get(name)
            after = new.taxonomies.get(name)
            old_tags = {t.key: (t.slug, t.name) for t in (before.tags if before else ())}
            new_tags = {t.key: (t.slug, t.name) for t in (after.tags if after else ())}
            changed_keys[name] = {
                k for k in old_tags.keys() | new_tags.keys() if old_tags.get(k) != new_tags.get(k)
            }
        listings_changed = old.listings != new.listings or _terms(old) != _terms(new)
        places = {
            name: changed_places(old.orders.get(name), new.orders.get(name))
            for name in changed_series
        }
        # an entry's page advertises its series (the series feed), nav shown or not
        joined_or_left = {
            docname
            for name in changed_series
            for docname in _members(old.orders.get(name)) ^ _members(new.orders.get(name))
        }
        changed = joined_or_left | {
            record.docname
            for record in records.values()
            if any(
                mention.series in changed_series
                and shows_change(
                    mention, record.docname, new.orders.get(mention.series), places[mention.series]
                )
                for mention in record.mentions
            )
            or any(
                tag_key(term) in changed_keys.get(name, ())
                for name, terms in record.taxonomies.items()
                for term in terms
                if isinstance(term, str)
            )
            or (record.shows_tags_index and listings_changed)
        }
        return sorted(changed & env.all_docs.keys())


def _members(order: SeriesOrder | None) -> set[str]:
    if order is None:
        return set()
    return {entry.docname for entry in order.entries if entry.docname is not None}


def changed_places(old: SeriesOrder | None, new: SeriesOrder | None) -> set[int] | None:
    """0-based places of a series whose shown entry changed (a retitle, a renamed nav
    entry); None when the members or their order changed, which moves everything."""
    if old is None or new is None:
        return None
    if [entry.docname for entry in old.entries] != [entry.docname for entry in new.entries]:
        return None
    return {place for place, (a, b) in enumerate(zip(old.entries, new.entries)) if a != b}


def shows_change(
    mention: SeriesMention, docname: str, order: SeriesOrder | None, places: set[int] | None
) -> bool:
    """Whether a page's nav shows one of the changed places: a windowed nav shows only
    its window and its previous/next links, so a retitle far away leaves it alone."""
    if places is None or order is None or mention.window is None:
        return True
    position = order.position(docname)
    if position is None:
        return True  # no current entry: the whole list is shown
    shown = set(range(position - 1 - mention.window, position + mention.window))
    for neighbour in order.neighbours(docname):
        if neighbour is not None:
            shown.add(order.entries.index(neighbour))
    return bool(shown & places)


#: stands for a taxonomy's index page in :func:`changed_term_pages`
TAGS_INDEX = ""


def _terms(derived_: Derived) -> dict[str, tuple[Any, ...]]:
    return {name: taxonomy.tags for name, taxonomy in derived_.taxonomies.items()}


def listing_digests(derived_: Derived) -> dict[str, bytes]:
    """``{docname: digest of what the tag listings show of it}``."""
    docnames, digests = derived_.listings
    return {d: digests[8 * i : 8 * i + 8] for i, d in enumerate(docnames)}


def changed_term_pages(old: Derived, new: Derived) -> dict[str, set[str]]:
    """Per taxonomy, the keys of the terms whose generated page changes (``TAGS_INDEX``:
    the taxonomy's index page)."""
    old_listing = listing_digests(old)
    new_listing = listing_digests(new)
    result: dict[str, set[str]] = {}
    for name, taxonomy in new.taxonomies.items():
        previous = old.taxonomies.get(name)
        old_tags = {tag.key: tag for tag in (previous.tags if previous else ())}
        changed = set()
        for tag in taxonomy.tags:
            before = old_tags.get(tag.key)
            if before != tag or any(old_listing.get(d) != new_listing.get(d) for d in tag.docnames):
                changed.add(tag.key)
        if previous is None or previous.tags != taxonomy.tags:
            changed.add(TAGS_INDEX)
        result[name] = changed
    return result


def changed_tag_pages(old: Derived, new: Derived) -> set[str]:
    """Keys of the tags whose generated page changes (``TAGS_INDEX``: the index page)."""
    return changed_term_pages(old, new).get("tags", set())


#: stands for a whole taxonomy that is no longer declared in :func:`stale_terms`
WHOLE_TAXONOMY = ""


def _term_pages(taxonomy: Taxonomy | None, paginate_by: int | None) -> set[str]:
    return {
        paged_slug(tag.slug, number)
        for tag in (taxonomy.tags if taxonomy is not None else ())
        for number in range(1, page_count(len(tag.docnames), paginate_by) + 1)
    }


def stale_terms(old: Derived | None, new: Derived) -> dict[str, set[str]]:
    """Per taxonomy, the slugs of the terms nobody uses any more (their pages and feeds
    go); a taxonomy no longer declared also holds ``WHOLE_TAXONOMY`` (its index goes)."""
    if old is None:
        return {}
    result: dict[str, set[str]] = {}
    for name, taxonomy in old.taxonomies.items():
        after = new.taxonomies.get(name)
        # every page of every term (a term's further pages are "<slug>/page/<n>")
        slugs = _term_pages(taxonomy, old.paginate_by.get(name)) - _term_pages(
            after, new.paginate_by.get(name)
        )
        if after is None:
            slugs.add(WHOLE_TAXONOMY)
        if slugs:
            result[name] = slugs
    return result


def nav_file_path(app: Sphinx, series: str) -> str:
    """Content-root-relative path of a series' nav file."""
    options = app.config.topofmind_series.get(series, {})
    return options.get("nav_file") or posixpath.join(series, "nav.yaml")


def nav_file(app: Sphinx, series: str) -> Path:
    root = content_root(app)
    nav_rel = nav_file_path(app, series)
    return app.srcdir / root / nav_rel if root else app.srcdir / nav_rel


def nav_digests(app: Sphinx, env: BuildEnvironment) -> dict[str, str]:
    """The digest of every series' nav file that can be read."""
    found = {}
    for series in app.config.topofmind_series:
        path = nav_file(app, series)
        parsed = parsed_nav_file(env, path) if path.is_file() else None
        if parsed is not None:
            found[series] = parsed[0]
    return found


def compute_derived(
    app: Sphinx, env: BuildEnvironment, report_nav_files: Derived | None
) -> Derived:
    """Series orders and the taxonomy from every record; nav file problems are
    reported when the file is new or changed (not on every no-change rebuild)."""
    records = articles(env)
    with_drafts = app.config.topofmind_drafts
    published = {d: r for d, r in records.items() if with_drafts or not r.draft}
    target_to_docname: dict[str, str] = {}
    root = content_root(app)
    for docname in env.found_docs:
        rel = under_root(str(env.doc2path(docname, base=False)).replace("\\", "/"), root)
        if rel is not None:
            target_to_docname[rel] = docname
    orders: dict[str, SeriesOrder] = {}
    digests: dict[str, str] = {}
    for series in app.config.topofmind_series:
        members = [
            Member(
                docname=record.docname,
                title=record.title,
                declared=mention.declared,
                date=record.date,
                line=mention.line,
                draft=record.draft and not with_drafts,
            )
            for record in published.values()
            for mention in record.mentions
            if mention.series == series
        ]
        nav_abs = nav_file(app, series)
        entries = None
        problems: list[Any] = []
        parsed = parsed_nav_file(env, nav_abs) if nav_abs.is_file() else None
        if parsed is not None:
            digests[series] = parsed[0]
            entries, problems = list(parsed[1]), list(parsed[2])
            if not entries and problems:
                # an unreadable nav file: fall back to the declared positions
                entries = None
        order = order_series(series, members, entries, target_to_docname, drafts=drafts(env))
        orders[series] = order
        fresh = report_nav_files is None or report_nav_files.nav_digests.get(series) != digests.get(
            series
        )
        if series in digests and fresh:
            for problem in problems:
                warn_in_file(problem, nav_abs)
            for item in order.diagnostics:
                if item.docname is None:
                    warn_in_file(item.diagnostic, nav_abs)
    specs = taxonomy_specs(app.config.topofmind_taxonomies)
    taxonomies = {
        spec.name: build_taxonomy(
            (
                TaggedArticle(
                    docname=record.docname,
                    title=record.title,
                    date=record.date,
                    description=record.description,
                    tags=record.taxonomies.get(spec.name, ()),
                    line=record.taxonomy_line(spec.name),
                )
                for record in published.values()
                if record.has_front_matter
            ),
            spec.name,
        )
        for spec in specs
    }
    taxonomy = taxonomies.get("tags") or Taxonomy(tags=())
    tagged = sorted(
        {d for found in taxonomies.values() for tag in found.tags for d in tag.docnames}
    )
    listings = (
        tuple(tagged),
        b"".join(
            digest((published[d].title, published[d].date, published[d].description))
            for d in tagged
        ),
    )
    by_doc: dict[str, list[Diagnostic]] = {}
    for order in orders.values():
        for item in order.diagnostics:
            if item.docname is not None:
                by_doc.setdefault(item.docname, []).append(item.diagnostic)
    for found in taxonomies.values():
        for page, diagnostic in found.diagnostics:
            by_doc.setdefault(page, []).append(diagnostic)
    for page, diagnostic in undeclared_taxonomies(published, [spec.name for spec in specs]):
        by_doc.setdefault(page, []).append(diagnostic)
    return Derived(
        orders=orders,
        nav_digests=digests,
        taxonomy=taxonomy,
        doc_diagnostics={page: tuple(found) for page, found in by_doc.items()},
        listings=listings,
        taxonomies=taxonomies,
        paginate_by={spec.name: spec.paginate_by for spec in specs if spec.paginate_by},
    )


def undeclared_taxonomies(
    records: Mapping[str, Article], declared: list[str]
) -> list[tuple[str, Diagnostic]]:
    """A front matter using a taxonomy the site does not declare (Zola refuses to build)."""
    known = ", ".join(repr(name) for name in declared) or "none"
    found = []
    for record in records.values():
        for name in record.taxonomies:
            if name not in declared:
                message = (
                    f"taxonomy {name!r} is not declared (declared: {known}); its terms are "
                    "ignored (declare it in the Zola site's config.toml or in "
                    "topofmind_taxonomies)"
                )
                line = record.taxonomy_line(name)
                found.append((record.docname, Diagnostic(Subtype.tags, message, line)))
    return found


def report_doc_diagnostics(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Series and tag warnings about a page, given when the page is written (so a
    rebuild that leaves the page alone stays quiet, as Sphinx's own warnings do).

    Single-document builders (latex, man, texinfo, singlehtml) resolve every page
    inside the root document: the pages are found from the nodes they left behind.
    """
    current = derived(app.env)
    if current is None or not current.doc_diagnostics:
        return
    pages = {docname}
    for kind in (series_nav_placeholder, tag_reference):
        pages.update(
            n["topofmind_docname"] for n in pending(doctree, kind) if "topofmind_docname" in n
        )
    # every page inlined there, also one without a nav or a term link
    for inlined in pending(doctree, addnodes.start_of_file):
        pages.add(inlined["docname"])
    for page in sorted(pages):
        for diagnostic in current.doc_diagnostics.get(page, ()):
            warn_diagnostic(diagnostic, page)


#: a page's toctree relations as its theme shows them: the parents, previous and
#: next pages, each with its title
RelationView = tuple[tuple[tuple[str, str], ...], tuple[str, str] | None, tuple[str, str] | None]


def relation_views(env: BuildEnvironment) -> dict[str, RelationView]:
    """What every page shows of its toctree neighbours (``<link rel>``, the theme's
    relation bar and breadcrumbs), as the HTML builder computes it."""
    relations = env.collect_relations()
    titles: dict[str, tuple[str, str]] = {}

    def titled(docname: str) -> tuple[str, str]:
        if docname not in titles:
            title = env.titles.get(docname)
            titles[docname] = (docname, "" if title is None else str(title))
        return titles[docname]

    views: dict[str, RelationView] = {}
    for docname, (parent, previous, following) in relations.items():
        parents = []
        seen = {docname}
        while parent is not None and parent not in seen:  # a toctree cycle must end
            seen.add(parent)
            parents.append(titled(parent))
            parent = relations.get(parent, [None])[0]
        views[docname] = (
            tuple(parents),
            None if previous is None else titled(previous),
            None if following is None else titled(following),
        )
    return views


def changed_relations(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Pages whose toctree neighbours (or their titles) changed without the page being
    read: a reordered nav file reorders the section toctree, a new or retitled page
    changes its neighbours' previous/next links.  Sphinx rewrites only the pages it
    read (and their toctree parents), so these are returned for rewriting."""
    if app.builder.format != "html":
        return []
    # kept as a digest per page: only compared with the next build's
    old: dict[str, bytes] | None = state.peek(env, "relations")
    if old is not None and state.read_nothing(env):
        return []  # toctrees and titles change only when a page is read or removed
    new = {docname: digest(view) for docname, view in relation_views(env).items()}
    state.put(env, "relations", new)
    if old is None:
        return []
    return sorted(
        docname
        for docname in env.found_docs
        if docname in env.all_docs and old.get(docname) != new.get(docname)
    )


def og_description(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """The article's summary as the page metadata's ``og:description`` (what
    sphinxext-opengraph reads), unless the page sets its own.  Recomputed from the
    records rather than kept in ``env.metadata``, where it would repeat them."""
    meta = context.get("meta")
    record = articles(app.env).get(pagename)
    if meta is None or record is None or not record.has_front_matter or "og:description" in meta:
        return
    if description := summary_of(app.env, pagename, record.description):
        context["meta"] = {**meta, "og:description": description}


def setup(app: Sphinx) -> None:
    app.add_env_collector(TopOfMindCollector)
    # before sphinxext-opengraph (priority 500) reads the page metadata
    app.connect("html-page-context", og_description, priority=300)
    app.connect("env-updated", changed_relations)
    # before the placeholders that name their pages are replaced
    app.connect("doctree-resolved", report_doc_diagnostics, priority=300)
