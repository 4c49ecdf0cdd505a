"""Zola's URLs keep working: sections at their folder URL, the routes redirect pages
are made from, ``render`` and ``in_search_index``.

- Under ``dirhtml`` a section ``x/_index.md`` is written to ``x/index.html`` and linked
  as ``x/`` (a small builder subclass maps the name), the home section to ``/``.
- Each document's :class:`Route` (its Zola URL from its path, ``slug`` and ``path``,
  its ``aliases``, a section's ``redirect_to``) is collected while reading;
  :mod:`.redirects` writes the redirect pages from them.
- ``render = false``: the page is read (its data counts) but its output is removed
  (by :mod:`.redirects`); ``render = false`` and ``in_search_index = false`` keep it
  out of the search index (Sphinx's ``nosearch`` metadata).
"""

from __future__ import annotations

import dataclasses
import posixpath
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders import dirhtml
from sphinx.environment import BuildEnvironment

from .. import state
from ..report import warn
from ..zola.diagnostics import Subtype
from ..zola.records import CompactRecord
from ..zola.urls import (
    SLUGIFY_STRATEGIES,
    check_site_path,
    page_url,
    section_url,
)
from .rewrite import content_root, current_rewrite, is_markdown, under_root
from .zola_site import site_config


@dataclasses.dataclass(frozen=True)
class Route(CompactRecord):
    """Where Zola serves one document, and its redirect keys (small: pickled in the env)."""

    docname: str
    #: Zola's URL path (``/blog/post/``); None outside the content root
    zola_url: str | None
    #: the URL comes from ``slug`` or ``path``: redirected even outside a Zola site
    explicit: bool = False
    #: (alias, line of the ``aliases`` key)
    aliases: tuple[tuple[str, int], ...] = ()
    redirect_to: str | None = None
    redirect_line: int = 1
    #: line of ``path`` or ``slug`` (where a refused Zola URL redirect is reported)
    url_line: int = 1
    render: bool = True
    in_search_index: bool = True


def routes(env: BuildEnvironment) -> dict[str, Route]:
    return state.get(env, "routes", dict)


def section_index(docname: str) -> str | None:
    """``x/_index`` -> ``x/index`` (``_index`` -> ``index``): the name Sphinx's directory
    builder serves at the folder URL; None for other documents."""
    if docname == "_index":
        return "index"
    if docname.endswith("/_index"):
        return docname[: -len("_index")] + "index"
    return None


# The class keeps Sphinx's class name: sphinx-sitemap tells directory URLs by it.
class DirectoryHTMLBuilder(dirhtml.DirectoryHTMLBuilder):
    """``dirhtml`` that serves a Zola section ``x/_index.md`` at ``x/`` as Zola does.

    Only the names change (link targets and output files); everything else is Sphinx's
    own builder.  A folder holding both ``_index.md`` and ``index.md`` keeps Sphinx's
    names (Zola refuses such a folder)."""

    name = "dirhtml"

    def _served_as(self, name: str) -> str:
        index = section_index(name)
        env = getattr(self, "env", None)
        if index is None or env is None or name not in env.found_docs:
            return name
        if index in env.found_docs:
            return name
        return index

    def _written_as(self, name: str) -> str:
        """Where a page's file goes: where it is served, except for a Zola section at the
        generated archive's folder (Zola's ``content/archive/_index.md``, whose
        ``archive.html`` template lists the site by year). Links to it lead to the folder,
        where the generated archive is written; the section keeps its Sphinx name."""
        served = self._served_as(name)
        if served != name and served == _archive_index(self):
            return name
        return served

    def get_target_uri(self, docname: str, typ: str | None = None) -> str:
        return super().get_target_uri(self._served_as(docname), typ)

    def get_output_path(self, page_name: str, /) -> Path:
        return super().get_output_path(self._written_as(page_name))

    def get_outfilename(self, pagename: str) -> Any:
        return super().get_outfilename(self._written_as(pagename))


def _archive_index(builder: dirhtml.DirectoryHTMLBuilder) -> str | None:
    """The generated archive index's page name, when this build has an archive."""
    from .archives import archive, root_of  # archives imports modules that import this one

    if not archive(builder.env).years:
        return None
    return posixpath.join(root_of(builder.config), "index")


def section_sitemap_link(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """sphinx-sitemap lists a page by its name (``x/_index/``, a redirect here): the
    link it has just queued for a section served at its folder becomes ``x/``."""
    builder = app.builder
    links = getattr(app, "sitemap_links", None)
    if not isinstance(builder, DirectoryHTMLBuilder) or links is None:
        return
    served = builder.get_target_uri(pagename)
    natural = f"{pagename}/"
    if served == natural:
        return
    queued = []
    while True:
        try:
            queued.append(links.get_nowait())
        except Exception:  # noqa: BLE001 - queue.Empty, from a managed queue too
            break
    for item in queued:
        if isinstance(item, tuple) and item and item[0] == natural:
            item = (served, *item[1:])
        links.put(item)


# --- reading ---------------------------------------------------------------------


def _slugify_options(app: Sphinx) -> tuple[str, bool]:
    conf = site_config(app)
    table = conf.raw.get("slugify", {}) if conf is not None else {}
    if not isinstance(table, dict):
        return "on", False
    strategy = table.get("paths", "on")
    keep = table.get("paths_keep_dates", False)
    return (
        strategy if strategy in SLUGIFY_STRATEGIES else "on",
        keep if isinstance(keep, bool) else False,
    )


def _content_path(app: Sphinx, docname: str) -> str | None:
    """The document's path relative to the content root, or None outside it."""
    path = str(app.env.doc2path(docname, base=False)).replace("\\", "/")
    root = content_root(app)
    return under_root(path, root)


class RouteCollector(state.RecordCollector):
    key = "routes"

    def process_doc(self, app: Sphinx, doctree: nodes.document) -> None:
        env = app.env
        docname = env.docname
        if not is_markdown(env, docname):
            return
        rewrite = current_rewrite(env)
        matter = rewrite.front_matter if rewrite is not None else None
        other = dict(matter.other) if matter is not None else {}
        lines = dict(matter.key_lines) if matter is not None else {}
        first = matter.first_line if matter is not None else 1

        def line(key: str) -> int:
            return lines.get(key, first)

        def flag(key: str) -> bool:
            value = other.get(key, True)
            if isinstance(value, bool):
                return value
            warn(
                Subtype.frontmatter,
                f"front matter '{key}' must be true or false, not {type(value).__name__}; ignored",
                (docname, line(key)),
            )
            return True

        relative = _content_path(app, docname)
        is_section = section_index(docname) is not None
        slug = matter.slug if matter is not None and not is_section else None
        path = None
        if not is_section and "path" in other:
            if isinstance(other["path"], str) and other["path"].strip():
                path = other["path"]
                problem = check_site_path(path.strip())
                if problem is not None:
                    warn(
                        Subtype.redirect,
                        f"front matter 'path' {path[:80]!r} is refused ({problem}); "
                        "no redirect is written for it",
                        (docname, line("path")),
                    )
                    path = None
            else:
                warn(
                    Subtype.frontmatter,
                    "front matter 'path' must be a non-empty string; ignored",
                    (docname, line("path")),
                )
        if slug is not None and not slug.strip():
            slug = None
        zola_url = None
        if relative is not None:
            strategy, keep_dates = _slugify_options(app)
            zola_url = (
                section_url(relative)
                if is_section
                else page_url(
                    relative, slug=slug, path=path, strategy=strategy, keep_dates=keep_dates
                )
            )
        aliases = _aliases(docname, other.get("aliases"), line("aliases"))
        redirect_to = None
        if is_section and "redirect_to" in other:
            value = other["redirect_to"]
            if isinstance(value, str) and value.strip():
                redirect_to = value.strip()
            else:
                warn(
                    Subtype.redirect,
                    "front matter 'redirect_to' must be a non-empty string; ignored",
                    (docname, line("redirect_to")),
                )
        record = Route(
            docname=docname,
            zola_url=zola_url,
            explicit=bool(slug or path),
            aliases=aliases,
            redirect_to=redirect_to,
            redirect_line=line("redirect_to"),
            url_line=line("path") if path else line("slug") if slug else first,
            render=flag("render"),
            in_search_index=flag("in_search_index"),
        )
        if not record.render or not record.in_search_index:
            # Sphinx's own switch: the HTML builder feeds the page to the search index empty
            env.metadata[docname]["nosearch"] = True
        self.records(env)[docname] = record

    def get_updated_docs(self, app: Sphinx, env: BuildEnvironment) -> list[str]:
        """A section with ``in_search_index = false`` keeps its pages out of the search
        index too (as Zola does); returns the pages that joined or left such a section,
        so they are indexed again."""
        records = self.records(env)
        hidden = {
            docname
            for docname, record in records.items()
            if section_index(docname) is not None and not record.in_search_index
        }
        now = {
            docname
            for docname in env.found_docs
            if section_index(docname) is None and _section_of(docname) in hidden
        }
        before: set[str] = state.peek(env, "unsearched_by_section") or set()
        for docname in now:
            # set again each time: re-reading the page resets its metadata
            env.metadata[docname]["nosearch"] = True
        for docname in before - now:
            record = records.get(docname)
            if record is not None and record.render and record.in_search_index:
                env.metadata[docname].pop("nosearch", None)
        state.put(env, "unsearched_by_section", now)
        return sorted((now ^ before) & env.found_docs)


def _section_of(docname: str) -> str:
    """The section document a page belongs to: its folder's ``_index`` (a page bundle's
    ``x/index`` belongs to the folder above ``x``)."""
    folder = posixpath.dirname(docname)
    if posixpath.basename(docname) == "index":
        folder = posixpath.dirname(folder)
    return posixpath.join(folder, "_index") if folder else "_index"


def _aliases(docname: str, value: Any, line: int) -> tuple[tuple[str, int], ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        warn(
            Subtype.redirect,
            f"front matter 'aliases' must be a list of paths, not {type(value).__name__}; ignored",
            (docname, line),
        )
        return ()
    kept = []
    for alias in value:
        if not isinstance(alias, str):
            warn(
                Subtype.redirect,
                f"front matter 'aliases' holds a {type(alias).__name__}, not a path; ignored",
                (docname, line),
            )
            continue
        kept.append((alias, line))
    return tuple(kept)


def setup(app: Sphinx) -> None:
    app.add_builder(DirectoryHTMLBuilder, override=True)
    # after sphinx-sitemap's handler (default priority) has queued the page
    app.connect("html-page-context", section_sitemap_link, priority=800)
    app.add_env_collector(RouteCollector)
