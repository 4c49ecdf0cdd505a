"""The ``article-list`` directive: the project's articles, filtered, sorted, limited
and paginated, with what the author chooses to show of each.

- Read time: the directive checks its options (a bad one is a located
  ``topofmind.listing`` warning and is ignored) and leaves an
  :class:`article_list_placeholder`; the collector keeps each page's
  :class:`ListSpec` records.
- After reading (``get_updated_docs``): every list's entries are selected from the
  build's catalogue (:mod:`..article_query`, made once per build) and kept on the
  environment; a page whose lists show something else than last build (a listed
  article retitled, redated, retagged, resummarised, added or removed) is rewritten.
- ``doctree-resolved``: the placeholder becomes the list, from the template
  ``topofmind/article-list.html`` in HTML builders and a plain list elsewhere.
  With ``:paginate: N`` (default ``topofmind_paginate_by``), html and dirhtml show
  the first N and write ``<docname>/page/2``, ... from
  ``topofmind/article-list-page.html``.
"""

from __future__ import annotations

import dataclasses
import html
import posixpath
from collections.abc import Iterator
from typing import Any, ClassVar, NamedTuple

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util.docutils import SphinxDirective

from .. import state
from ..article_query import Catalogue, Entry, Query, catalogue, select
from ..compact import digest
from ..i18n import _, format_date
from ..nodes import _everywhere, _skip
from ..pending import made, pending, track
from ..report import warn
from ..zola.diagnostics import Subtype
from ..zola.frontmatter import parse_date
from ..zola.taxonomy import page_count
from ..zola.words import reading_minutes
from .article_list_options import DEFAULT_SHOW, OPTIONS, parse_options
from .generated_pages import remove_stale_pages, source_outfiles
from .reading_time import reading_time_label, words_of
from .section_listings import pager, plain_list, uri_from, writes_pages
from .taxonomy import TAG_CLASSES, builds_tag_pages, html_builder, term_pagename

LIST_TEMPLATE = "topofmind/article-list.html"
PAGE_TEMPLATE = "topofmind/article-list-page.html"
#: the state keys: each page's lists, and what each list shows
SPECS = "article_lists"
VIEWS = "article_list_views"


class article_list_placeholder(nodes.General, nodes.Element):
    """Where an ``article-list`` goes; ``node['index']`` is its place among the page's
    lists (its :class:`ListSpec`), filled on ``doctree-resolved``."""


@dataclasses.dataclass(frozen=True)
class ListSpec:
    """One ``article-list`` of a page, as written."""

    query: Query
    show: tuple[str, ...] = DEFAULT_SHOW
    paginate: int | None = None
    line: int = 1


class ListView(NamedTuple):
    """What one list shows: all its entries (every page of it) and its problems."""

    entries: tuple[Entry, ...]
    problems: tuple[str, ...] = ()


# --- the directive -------------------------------------------------------------------


class ArticleListDirective(SphinxDirective):
    """``{article-list}``: the project's articles, newest first."""

    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {name: directives.unchanged for name in OPTIONS}

    def run(self) -> list[nodes.Node]:
        query, show, per_page, problems = parse_options(self.options, self.config)
        for problem in problems:
            warn(Subtype.listing, f"article-list: {problem}", (self.env.docname, self.lineno))
        spec = ListSpec(query=query, show=show, paginate=per_page, line=self.lineno)
        # single-document builders (latex, singlehtml) resolve it inside the root document
        node = article_list_placeholder("", spec=dataclasses.asdict(spec))
        node["topofmind_docname"] = self.env.docname
        return [node]


def _spec(node: nodes.Element) -> ListSpec:
    data = dict(node["spec"])
    return ListSpec(**{**data, "query": Query(**data["query"]), "show": tuple(data["show"])})


# --- after reading: what each list shows ------------------------------------------------


def _problems(found: Catalogue, spec: ListSpec, declared: list[str]) -> tuple[str, ...]:
    query = spec.query
    problems = []
    if query.term is not None:
        taxonomy = found.derived.taxonomies.get(query.taxonomy)
        if taxonomy is None:
            names = ", ".join(repr(n) for n in declared) or "none"
            problems.append(f"taxonomy {query.taxonomy!r} is not declared (declared: {names})")
        elif taxonomy.for_tag(query.term) is None:
            noun = "the tag" if query.taxonomy == "tags" else f"the {query.taxonomy} term"
            problems.append(f"no article has {noun} {query.term!r}")
    if query.section and query.section not in found.sections:
        problems.append(f"no section {query.section!r} (no {query.section}/_index.md)")
    return tuple(f"article-list: {p}" for p in problems)


def compute_views(app: Sphinx, env: BuildEnvironment) -> dict[str, tuple[ListView, ...]]:
    specs: dict[str, tuple[ListSpec, ...]] = state.get(env, SPECS, dict)
    if not specs:
        return {}  # no list anywhere: the catalogue is not made for nothing
    found = catalogue(app)
    if found is None:
        return {}
    declared = list(found.derived.taxonomies)
    return {
        docname: tuple(
            ListView(select(found, spec.query, exclude=docname), _problems(found, spec, declared))
            for spec in page_specs
        )
        for docname, page_specs in specs.items()
        if docname in env.all_docs
    }


class ArticleListCollector(state.RecordCollector):
    """``{docname: (ListSpec, ...)}``: the page's lists in order."""

    key = SPECS

    def process_doc(self, app: Sphinx, doctree: nodes.document) -> None:
        found = []
        paginated = False
        for index, node in enumerate(doctree.findall(article_list_placeholder)):
            spec = _spec(node)
            if spec.paginate is not None and paginated:
                warn(
                    Subtype.listing,
                    "article-list: only the first paginated list of a page gets further "
                    "pages; this one is shown whole",
                    (app.env.docname, spec.line),
                )
                spec = dataclasses.replace(spec, paginate=None)
                node["spec"] = dataclasses.asdict(spec)
            paginated = paginated or spec.paginate is not None
            node["index"] = index
            found.append(spec)
        if found:
            self.records(app.env)[app.env.docname] = tuple(found)

    def get_updated_docs(self, app: Sphinx, env: BuildEnvironment) -> list[str]:
        # the views are this build's; the environment keeps a digest of what each page
        # shows of them
        old: dict[str, bytes] | None = state.peek(env, VIEWS)
        new = compute_views(app, env)
        state.current(env)[VIEWS] = new
        specs = self.records(env)
        digests = {
            docname: digest(shown(specs[docname], views, env)) for docname, views in new.items()
        }
        state.put(env, VIEWS, digests)
        if old is None:
            return []
        return sorted(
            docname
            for docname in new
            if digests[docname] != old.get(docname, digest(shown(specs[docname], (), env)))
        )


def shown(
    specs: tuple[ListSpec, ...], views: tuple[ListView, ...], env: BuildEnvironment
) -> tuple[Any, ...]:
    """What a page's lists show of their entries: a change to anything else (a summary
    where summaries are not shown) leaves the page as it is."""
    if len(specs) != len(views):
        return ()
    return tuple(
        (
            view.problems,
            tuple(
                (
                    entry.docname,
                    entry.title,
                    entry.date if "date" in spec.show else None,
                    entry.updated if "updated" in spec.show else None,
                    entry.tags if "tags" in spec.show else None,
                    entry.summary if "summary" in spec.show else None,
                    reading_minutes(words_of(env, entry.docname) or 0)
                    if "reading_time" in spec.show
                    else None,
                )
                for entry in view.entries
            ),
        )
        for spec, view in zip(specs, views)
    )


# --- rendering -----------------------------------------------------------------------


def paged_pagename(docname: str, number: int) -> str:
    """``<docname>/page/N`` (Zola's ``page/N``); page 1 is the page itself."""
    return docname if number == 1 else f"{docname}/page/{number}"


def _term_uri(app: Sphinx, frompage: str, taxonomy: str, slug: str) -> str:
    if not builds_tag_pages(app.builder):
        return ""
    target = term_pagename(app, taxonomy, slug)
    builder = html_builder(app)
    if builder.name == "singlehtml":
        start = posixpath.dirname(app.config.root_doc) or "."
        return posixpath.relpath(target + builder.out_suffix, start)
    return builder.get_relative_uri(frompage, target)


def _formatted(app: Sphinx, value: str | None) -> tuple[str, str]:
    parsed = parse_date(value) if value else None
    if parsed is None:
        return "", ""
    return str(value), format_date(parsed, app.config.language)


def _items(
    app: Sphinx, entries: tuple[Entry, ...], frompage: str, show: tuple[str, ...]
) -> list[dict[str, Any]]:
    """What the template shows of each entry: plain text and URIs (escaped there)."""
    uri = uri_from(app, frompage)
    items = []
    for entry in entries:
        date, date_formatted = _formatted(app, entry.date)
        updated, updated_formatted = _formatted(app, entry.updated)
        items.append(
            {
                "docname": entry.docname,
                "title": entry.title,
                "uri": uri(entry.docname),
                "date": date if "date" in show else "",
                "date_formatted": date_formatted if "date" in show else "",
                "updated": updated if "updated" in show else "",
                "updated_formatted": updated_formatted if "updated" in show else "",
                "tags": [
                    {"name": name, "uri": _term_uri(app, frompage, "tags", slug)}
                    for name, slug in entry.tags
                ]
                if "tags" in show
                else [],
                "summary": (entry.summary or "") if "summary" in show else "",
                "reading_time": reading_time_label(words_of(app.env, entry.docname))
                if "reading_time" in show
                else "",
                "draft": entry.draft,
            }
        )
    return items


def _page_links(
    docname: str, number: int, count: int, frompage: str, app: Sphinx
) -> dict[str, Any]:
    uri = uri_from(app, frompage)
    return pager(number, count, lambda n: uri(paged_pagename(docname, n)))


def _context(
    app: Sphinx, docname: str, spec: ListSpec, view: ListView, number: int, frompage: str
) -> dict[str, Any]:
    per_page = spec.paginate if writes_pages(app) else None
    count = page_count(len(view.entries), per_page)
    shown = view.entries
    if per_page:
        shown = shown[(number - 1) * per_page : number * per_page]
    return {
        "articles": _items(app, shown, frompage, spec.show),
        "show": list(spec.show),
        "tag_class": " ".join(TAG_CLASSES),
        "updated_label": _("Updated"),
        **_page_links(docname, number, count, frompage, app),
    }


def resolve_lists(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Fill the placeholders (before tag links resolve, at priority 500)."""
    placeholders = pending(doctree, article_list_placeholder)
    if not placeholders:
        return
    views: dict[str, tuple[ListView, ...]] = state.current(app.env).get(VIEWS) or {}
    for node in placeholders:
        # singlehtml inlines other pages: each list is its own page's
        owner = owner_of(node, docname)
        spec = _spec(node)
        page_views = views.get(owner, ())
        index = node.get("index", 0)
        view = page_views[index] if index < len(page_views) else ListView(())
        for problem in view.problems:
            warn(Subtype.listing, problem, (owner, spec.line))
        new: nodes.Node
        if app.builder.format == "html" and hasattr(app.builder, "templates"):
            context = _context(app, owner, spec, view, 1, docname)
            markup = app.builder.templates.render(LIST_TEMPLATE, context)
            new = nodes.raw("", markup, format="html")
        else:
            new = plain_list(
                _items(app, view.entries, docname, spec.show), "topofmind-article-list"
            )
        # the listed articles' words belong to them, not to this page's search entry
        new["classes"].append("no-search")
        node.replace_self(new)
        made(doctree, new)


def owner_of(node: nodes.Element, docname: str) -> str:
    """The page a placeholder was written in (it may be resolved inside another)."""
    return str(node.get("topofmind_docname", docname))


# --- further pages --------------------------------------------------------------------


def collect_pages(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    """Pages 2.. of paginated lists (html and dirhtml)."""
    if not writes_pages(app):
        return
    specs: dict[str, tuple[ListSpec, ...]] = state.get(app.env, SPECS, dict)
    views: dict[str, tuple[ListView, ...]] = state.current(app.env).get(VIEWS) or {}
    pages: list[tuple[str, ListSpec, ListView, int, int]] = []
    for docname in sorted(specs):
        if docname not in app.env.all_docs:
            continue
        for spec, view in zip(specs[docname], views.get(docname, ())):
            if spec.paginate is None:
                continue
            count = page_count(len(view.entries), spec.paginate)
            pages.extend((docname, spec, view, n, count) for n in range(2, count + 1))
    remove_stale_pages(
        app, "topofmind-article-list-pages", {paged_pagename(p[0], p[3]) for p in pages}
    )
    builder = html_builder(app)
    taken = source_outfiles(app)
    for docname, spec, view, number, count in pages:
        pagename = paged_pagename(docname, number)
        if (owner := taken.get(str(builder.get_outfilename(pagename)))) is not None:
            warn(
                Subtype.listing,
                f"article-list: page {number} of this list ('{pagename}') would replace the "
                f"page '{owner}'; it is not written",
                (docname, spec.line),
            )
            continue
        title = app.env.titles[docname].astext() if docname in app.env.titles else docname
        context = _context(app, docname, spec, view, number, pagename)
        yield (
            pagename,
            {
                **context,
                "title": html.escape(title),
                "heading": title,
                "list_uri": uri_from(app, pagename)(docname),
                "number": number,
                "count": count,
                "list_template": LIST_TEMPLATE,
            },
            PAGE_TEMPLATE,
        )


def setup(app: Sphinx) -> None:
    app.add_node(
        article_list_placeholder, override=False, **_everywhere((_skip, None), (_skip, None))
    )
    track(article_list_placeholder)
    app.add_directive("article-list", ArticleListDirective)
    # after the main collector (its get_updated_docs derives the taxonomies and series)
    app.add_env_collector(ArticleListCollector)
    app.connect("doctree-resolved", resolve_lists, priority=400)
    app.connect("html-collect-pages", collect_pages)
