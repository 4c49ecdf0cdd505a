"""Sidebar templates a project adds to ``html_sidebars``: recent articles, a tag cloud,
the page's series and the archive's years (docs/sidebars.md).

What they show is computed once per build (:func:`sidebar_data`, a build memo);
each page gets only its own part, lazily: the templates call the functions this
module puts into the page's context (``topofmind_recent()``, ...), so a theme that
shows none of them costs nothing per page.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from .. import state
from ..collector import derived
from ..i18n import _, articles_count, format_date
from ..zola.frontmatter import parse_date
from .archives import archive, archive_root, index_clash, writes_archive, year_pagename
from .series import shown_entries
from .taxonomy import _page_uri, builds_tag_pages, html_builder, term_pagename

#: what the project's templates name to show our sidebars
SIDEBAR_PREFIX = "topofmind/sidebar-"

#: the tag cloud's sizes: ``topofmind-cloud-1`` (fewest articles) .. ``-5`` (most)
CLOUD_SIZES = 5


@dataclasses.dataclass(frozen=True)
class CloudTag:
    name: str
    slug: str
    count: int
    size: int


@dataclasses.dataclass(frozen=True)
class SidebarData:
    """The per-build part: the same on every page."""

    #: (docname, title, ISO date) of the newest articles
    recent: tuple[tuple[str, str, str], ...]
    tags: tuple[CloudTag, ...]
    #: (year, article count), newest first
    years: tuple[tuple[int, int], ...]
    #: docname -> the series it is a member of
    series_of: dict[str, tuple[str, ...]]


def cloud_size(count: int, smallest: int, largest: int) -> int:
    """1..CLOUD_SIZES, linear in the article count between the smallest and largest."""
    if largest <= smallest:
        return (CLOUD_SIZES + 1) // 2
    return 1 + round((CLOUD_SIZES - 1) * (count - smallest) / (largest - smallest))


def sidebar_data(app: Sphinx) -> SidebarData:
    memo = state.build_memo(app.builder)
    if "sidebars" not in memo:
        found = archive(app.env)
        recent = tuple(
            (a.docname, a.title, a.date) for a in found.newest(app.config.topofmind_sidebar_recent)
        )
        current = derived(app.env)
        taxonomy = current.taxonomies.get("tags") if current is not None else None
        counts = [len(tag.docnames) for tag in (taxonomy.tags if taxonomy else ())]
        tags = tuple(
            CloudTag(
                tag.name, tag.slug, len(tag.docnames), cloud_size(len(tag.docnames), *_ends(counts))
            )
            for tag in (taxonomy.tags if taxonomy else ())
        )
        series_of: dict[str, list[str]] = {}
        for name, order in (current.orders if current is not None else {}).items():
            for entry in order.entries:
                if entry.docname is not None and name not in series_of.get(entry.docname, []):
                    series_of.setdefault(entry.docname, []).append(name)
        memo["sidebars"] = SidebarData(
            recent=recent,
            tags=tags,
            years=tuple((year.year, len(year.articles)) for year in found.years),
            series_of={doc: tuple(names) for doc, names in series_of.items()},
        )
    data: SidebarData = memo["sidebars"]
    return data


def _ends(counts: list[int]) -> tuple[int, int]:
    return (min(counts), max(counts)) if counts else (0, 0)


def _doc_uri(app: Sphinx, pagename: str, docname: str) -> str:
    builder = app.builder
    if docname == pagename:
        return "#"  # the page itself (a relative URI of itself is empty)
    if builder.name == "singlehtml":
        # every document lives in the root page
        root = app.config.root_doc
        page = "" if pagename == root else _page_uri(app, pagename, root)
        return f"{page}#document-{docname}"
    return builder.get_relative_uri(pagename, docname)


def _generated_uri(app: Sphinx, pagename: str, target: str) -> str:
    return "#" if target == pagename else _page_uri(app, pagename, target)


def _entry_uri(app: Sphinx, pagename: str, docname: str | None, anchor: str | None) -> str:
    if docname is None:
        return ""  # a nav entry that names no document: plain text
    uri = _doc_uri(app, pagename, docname)
    return f"{uri}#{anchor}" if anchor else uri


def page_functions(app: Sphinx, pagename: str) -> dict[str, Callable[[], Any]]:
    """The context functions the sidebar templates call, for one page."""
    language = app.config.language
    # singlehtml's one page holds every document: none of them is "the current" one
    current_doc = None if app.builder.name == "singlehtml" else pagename

    def recent() -> list[dict[str, Any]]:
        result = []
        for docname, title, date in sidebar_data(app).recent:
            value = parse_date(date)
            result.append(
                {
                    "title": title,
                    "uri": _doc_uri(app, pagename, docname),
                    "date": date,
                    "date_formatted": format_date(value, language) if value else "",
                    "current": docname == current_doc,
                }
            )
        return result

    def tag_cloud() -> list[dict[str, Any]]:
        if not builds_tag_pages(app.builder):
            return []
        return [
            {
                "name": tag.name,
                "uri": _generated_uri(app, pagename, term_pagename(app, "tags", tag.slug)),
                "count": tag.count,
                "count_label": articles_count(tag.count),
                "size_class": f"topofmind-cloud-{tag.size}",
                "current": pagename == term_pagename(app, "tags", tag.slug),
            }
            for tag in sidebar_data(app).tags
        ]

    def page_series() -> list[dict[str, Any]]:
        current = derived(app.env)
        if current is None or current_doc is None:
            return []
        result = []
        for name in sidebar_data(app).series_of.get(current_doc, ()):
            options = app.config.topofmind_series.get(name, {})
            result.append(
                {
                    "name": name,
                    "title": options.get("title", name),
                    "label": _("%s series") % options.get("title", name),
                    "entries": [
                        {
                            "title": entry.name,
                            "uri": _entry_uri(app, pagename, entry.docname, entry.anchor),
                            "current": entry.docname == current_doc,
                        }
                        for entry in shown_entries(app.builder, name, current.orders[name])
                    ],
                }
            )
        return result

    def archive_years() -> list[dict[str, Any]]:
        if not writes_archive(app):
            return []
        root = archive_root(app)
        return [
            {
                "year": year,
                "uri": _generated_uri(app, pagename, year_pagename(root, year)),
                "count": count,
                "count_label": articles_count(count),
                "current": pagename == year_pagename(root, year),
            }
            for year, count in sidebar_data(app).years
        ]

    def archive_index_uri() -> str:
        if not writes_archive(app) or index_clash(app):
            return ""
        return _page_uri(app, pagename, f"{archive_root(app)}/index")

    return {
        "topofmind_recent": recent,
        "topofmind_tag_cloud": tag_cloud,
        "topofmind_page_series": page_series,
        "topofmind_archive_years": archive_years,
        "topofmind_archive_index_uri": archive_index_uri,
    }


#: the labels of the sidebar blocks, translated
def labels() -> dict[str, str]:
    return {
        "recent": _("Recent articles"),
        "tags": _("Tags"),
        "archive": _("Archive"),
        "all_archive": _("All years"),
    }


def _shown_everywhere(app: Sphinx, env: Any) -> tuple[Any, ...]:
    """What the sidebars show on every page (page-specific parts aside)."""
    found = archive(env)
    current = derived(env)
    taxonomy = current.taxonomies.get("tags") if current is not None else None
    return (
        tuple(
            (a.docname, a.title, a.date) for a in found.newest(app.config.topofmind_sidebar_recent)
        ),
        tuple((t.name, t.slug, len(t.docnames)) for t in (taxonomy.tags if taxonomy else ())),
        tuple((year.year, len(year.articles)) for year in found.years),
    )


def _members(order: Any) -> set[str]:
    if order is None:
        return set()
    return {entry.docname for entry in order.entries if entry.docname is not None}


def _series_shown(env: Any) -> dict[str, Any]:
    current = derived(env)
    return dict(current.orders) if current is not None else {}


def uses_sidebars(app: Sphinx) -> bool:
    """Whether the project shows our sidebars: named in ``html_sidebars``, or included
    by one of its own templates (a ``layout.html`` override, as sphinx-rtd-theme needs)."""
    names = [
        name
        for value in (app.config.html_sidebars or {}).values()
        for name in ([value] if isinstance(value, str) else value)
    ]
    if any(SIDEBAR_PREFIX in str(name) for name in names):
        return True
    for folder in app.config.templates_path:
        root = Path(app.confdir, folder)
        for template in root.rglob("*.html") if root.is_dir() else ():
            try:
                if SIDEBAR_PREFIX in template.read_text(encoding="utf-8", errors="replace"):
                    return True
            except OSError:
                continue
    return False


def rewrite_on_change(app: Sphinx, env: Any) -> list[str]:
    """Every page shows the sidebars: when what they show changes (a new article, a
    retitled one, a tag's count), every page is written again, so an incremental build
    gives the clean build's pages; a changed series rewrites its members only.  Only
    where the project shows the sidebars."""
    view = state.peek(env, "sidebar_view")
    old: tuple[Any, ...] | None = view[0] if view else None
    old_series: dict[str, Any] = view[1] if view else {}
    new, new_series = _shown_everywhere(app, env), _series_shown(env)
    state.put(env, "sidebar_view", (new, new_series))
    if old is None or app.builder.format != "html" or not uses_sidebars(app):
        return []
    if old != new:
        # the generated pages show them too: every tag and archive page is written again
        state.put(env, "changed_term_pages", None)
        state.put(env, "archive_changed", True)
        return sorted(env.found_docs & env.all_docs.keys())
    members: set[str] = set()
    for name in sorted(set(old_series) | set(new_series)):
        before, after = old_series.get(name), new_series.get(name)
        if before != after:
            members |= _members(before) | _members(after)
    return sorted(members & env.found_docs & env.all_docs.keys())


def add_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if app.builder.format != "html":
        return
    html_builder(app)  # the helpers above assume an HTML builder
    context.update(page_functions(app, pagename))
    context["topofmind_sidebar_labels"] = labels()


def setup(app: Sphinx) -> None:
    app.connect("html-page-context", add_context)
    # after the archive (600), which it reads
    app.connect("env-get-updated", rewrite_on_change, priority=700)
