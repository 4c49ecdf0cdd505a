"""Zola sections in Sphinx: each ``_index.md`` holds its pages in the section's order
and lists them (title, date, summary), paginated by ``paginate_by``.

- The structure (which pages, which order) comes from :mod:`..zola.sections`,
  fed with the front matter of every content file read from disk (cached by
  modification time and size): a section's toctree is written when the section
  is read, so it cannot wait for its pages to be read.  The toctree text holds
  the order, so a changed date or weight re-reads the section
  (:func:`.rewrite.sections_to_reread` compares it).
- Pages no toctree holds (Zola's orphan pages, pages lacking the sort key) are
  Sphinx orphans: no "not in any toctree" warning.
- A draft section (and everything under it) is not built unless
  ``topofmind_drafts``.
- The listing: a :class:`section_listing` placeholder at the end of the section
  page, filled on ``doctree-resolved`` from the template
  ``topofmind/section-list.html`` for HTML builders (a project overrides it in
  its ``templates_path``) and as a plain list elsewhere.  Further pages of a
  paginated section are generated at ``<section>/page/N`` from
  ``topofmind/section-page.html``.
- ``render = false`` on a section: the section stays a document here (its
  pages keep their toctree parent, previous/next links and listings); removing
  its written page is the URLs feature's business, as for pages.
"""

from __future__ import annotations

import html
import json
import posixpath
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from .. import state
from ..collector import articles
from ..compact import digest, shared
from ..i18n import _, format_date
from ..nodes import _everywhere, _skip
from ..report import warn_diagnostic
from ..zola.frontmatter import iso, parse_date, parse_front_matter
from ..zola.sections import (
    PageInfo,
    SectionContent,
    SectionInfo,
    build_sections,
    in_draft_section,
    is_section_file,
    owning_folder,
    paginate,
    parent_section,
    section_info,
    section_problems,
)
from . import summary
from .drafts import drafts, leave_out
from .rewrite import MARKDOWN_SUFFIXES, _nav_ordered, current_rewrite, document_store
from .taxonomy import html_builder
from .urls import redirect_page
from .zola_site import site

LIST_TEMPLATE = "topofmind/section-list.html"
#: the home section's file
HOME = "_index.md"
PAGE_TEMPLATE = "topofmind/section-page.html"


class section_listing(nodes.General, nodes.Element):
    """Where a section page lists its pages; filled on ``doctree-resolved``."""


# --- the structure, from the files ------------------------------------------------


def _root(config: Any) -> str:
    return str(config.topofmind_content_root).replace("\\", "/").strip("/")


def content_files(env: BuildEnvironment, docnames: Any = None) -> dict[str, str]:
    """Content-root-relative ``.md`` path -> docname, for the found documents."""
    root = _root(env.config)
    found: dict[str, str] = {}
    for docname in sorted(env.found_docs if docnames is None else docnames):
        path = str(env.doc2path(docname, base=False)).replace("\\", "/")
        if Path(path).suffix.lower() not in MARKDOWN_SUFFIXES:
            continue
        rel = posixpath.relpath(path, root) if root else path
        if rel.startswith("../"):
            continue
        found[posixpath.splitext(rel)[0] + ".md"] = docname
    return found


def _read_info(env: BuildEnvironment, rel: str, docname: str) -> PageInfo | SectionInfo:
    """The file's front matter as sorting needs it, cached by mtime and size."""
    path = Path(env.doc2path(docname))
    cache: dict[str, Any] = state.get(env, "section_matter", dict)
    try:
        stat = path.stat()
        key = digest((stat.st_mtime_ns, stat.st_size, rel))  # small to pickle
    except OSError:
        key = None
    cached = cache.get(docname)
    if key is not None and cached is not None and cached[0] == key:
        info: PageInfo | SectionInfo = cached[1]
        return info
    try:
        text = path.read_text(encoding="utf-8-sig", errors="replace")
    except OSError:
        text = ""
    matter, _problems = parse_front_matter(text)  # reported when the page is read
    title = shared(" ".join(matter.title.split())) if matter and matter.title else None
    if is_section_file(rel):
        info = section_info(
            rel,
            title,
            matter.weight if matter else None,
            matter.draft if matter else False,
            matter.other if matter else {},
        )
    else:
        info = PageInfo(
            path=rel,
            title=title,
            date=shared(iso(matter.date)) if matter else None,
            updated=iso(matter.updated) if matter else None,
            weight=matter.weight if matter else None,
            slug=matter.slug if matter else None,
            render=matter.other.get("render") is not False if matter else True,
        )
    cache[docname] = (key, info)
    return info


class Structure:
    """Every section's content, with docnames."""

    def __init__(self, env: BuildEnvironment, docnames: Any = None) -> None:
        self.files = content_files(env, docnames)
        self.pages: dict[str, PageInfo] = {}
        self.sections: dict[str, SectionInfo] = {}
        for rel, docname in self.files.items():
            info = _read_info(env, rel, docname)
            if isinstance(info, SectionInfo):
                self.sections[rel] = info
            else:
                self.pages[rel] = info
        #: Zola always has a home section; without ``_index.md`` it is empty and no
        #: document: its pages and subsections go to the root document's toctree
        self.virtual_home = bool(self.sections) and HOME not in self.sections
        if self.virtual_home:
            self.sections[HOME] = SectionInfo(HOME)
        self.content: dict[str, SectionContent] = build_sections(self.pages, self.sections)
        self.section_of_doc = {self.files[rel]: rel for rel in self.sections if rel in self.files}

    def doc(self, rel: str) -> str:
        return self.files[rel]

    def toctree_home(self, section: str) -> str:
        """Where a section's own pages go in a toctree: up past transparent sections."""
        current = section
        while self.sections[current].transparent:
            parent = parent_section(current, self.sections)
            if parent is None:
                break
            current = parent
        return current

    def toctree_pages(self, section: str) -> list[str]:
        """Pages in this section's toctree, in its order: its listed pages whose own
        section passes them up to here (transparent sections pass them on)."""
        return [
            rel
            for rel in self.content[section].pages
            if (owner := owning_folder(rel, self.sections)) is not None
            and self.toctree_home(owner) == section
        ]

    def in_toctrees(self) -> set[str]:
        held: set[str] = set()
        for section in self.sections:
            held.update(self.doc(rel) for rel in self.toctree_pages(section))
            held.update(self.doc(rel) for rel in self.content[section].subsections)
        return held & set(self.files.values())


# One Structure per environment and set of documents: the files do not change during a
# build, and every section's toctree, the orphans and every listing need the same one.
# Weakly keyed (each build loads its own environment), never pickled.
_STRUCTURES: weakref.WeakKeyDictionary[BuildEnvironment, dict[frozenset[str], Structure]] = (
    weakref.WeakKeyDictionary()
)


def structure(env: BuildEnvironment, docnames: Any = None) -> Structure:
    """The site's sections for ``docnames`` (default: the found documents), built once."""
    key = frozenset(env.found_docs if docnames is None else docnames)
    memo = _STRUCTURES.setdefault(env, {})
    if key not in memo:
        memo.clear()  # the set of documents moved on: the older one is not asked again
        memo[key] = Structure(env, docnames)
    return memo[key]


def section_entries(env: BuildEnvironment, docname: str, nav_first: list[str]) -> list[str]:
    """The section's toctree entries (docnames): the nav file's first, then its pages in
    the section's order, then its subsections by weight."""
    found = structure(env)
    rel = found.section_of_doc.get(docname)
    if rel is None:
        return list(nav_first)
    pages = [found.doc(p) for p in found.toctree_pages(rel)]
    nav = [d for d in nav_first if d in pages]
    ordered = nav + [d for d in pages if d not in nav]
    ordered += [found.doc(s) for s in found.content[rel].subsections]
    if found.virtual_home and docname == env.config.root_doc:
        # the first top-level section stands in for the missing home section
        ordered += [found.doc(p) for p in found.toctree_pages(HOME)]
        ordered += [found.doc(s) for s in found.content[HOME].subsections if s != rel]
    return [d for d in dict.fromkeys(ordered) if d != docname]


def listed_docnames(env: BuildEnvironment, found: Structure, section_doc: str) -> list[str]:
    """What the section page lists: its pages (with transparent subsections' ones), the
    ones a nav file orders first in the nav's order."""
    rel = found.section_of_doc[section_doc]
    pages = [found.doc(p) for p in found.content[rel].pages]
    folder = section_doc.rsplit("/", 1)[0] + "/" if "/" in section_doc else ""
    nav = [d for d in _nav_ordered(env, section_doc, folder) if d in pages]
    return nav + [d for d in pages if d not in nav]


# --- drafts and orphans ------------------------------------------------------------


def exclude_draft_sections(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Everything under a draft section leaves the build, as drafts do."""
    if app.config.topofmind_drafts:
        return []
    # a draft section's own page has already left found_docs (drafts.exclude_drafts)
    found = structure(env, env.found_docs | drafts(env))
    if not any(info.draft for info in found.sections.values()):
        return []
    inside = [doc for rel, doc in found.files.items() if in_draft_section(rel, found.sections)]
    leave_out(env, inside, added, changed, removed)
    return []


def mark_orphans(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Pages no section toctree holds are orphans (Zola's orphan pages, pages without
    the sort key); a page that gets a section again loses the mark we gave it."""
    if not app.config.topofmind_section_toctree:
        return []
    found = structure(env)
    held = found.in_toctrees()
    marked: set[str] = set(state.peek(env, "section_orphans") or ())
    now = set()
    for rel, docname in found.files.items():
        if docname not in env.all_docs or docname == app.config.root_doc:
            continue
        metadata = env.metadata.setdefault(docname, {})
        if docname not in held and not is_section_file(rel):
            if "orphan" not in metadata or docname in marked:
                metadata["orphan"] = True
                now.add(docname)
        elif docname in marked:
            metadata.pop("orphan", None)
    state.put(env, "section_orphans", now)
    return _changed_listings(app, env, found)


# --- the listing -------------------------------------------------------------------


def check_section_keys(app: Sphinx, doctree: nodes.document) -> None:
    """A section's ``sort_by``, ``paginate_by`` and ``transparent`` that Zola would
    refuse: warned at the key's line (the section then uses Zola's default)."""
    docname = app.env.docname
    if posixpath.basename(docname) != "_index":
        return
    rewrite = current_rewrite(app.env)
    matter = rewrite.front_matter if rewrite is not None else None
    if matter is None:
        return
    for problem in section_problems(matter.other, matter.key_lines, matter.first_line):
        warn_diagnostic(problem, docname)


def add_listing(app: Sphinx, doctree: nodes.document) -> None:
    """A placeholder at the end of every section page (after its own content)."""
    if not app.config.topofmind_section_toctree:
        return
    if document_store(app.env).get("topofmind_section_toctree") is None:
        return
    target: nodes.Element = doctree
    sections = [n for n in doctree.children if isinstance(n, nodes.section)]
    if sections:
        target = sections[-1]
    target += section_listing()


def _entries(
    app: Sphinx, found: Structure, section_doc: str
) -> list[tuple[str, str, str | None, str | None]]:
    records = articles(app.env)
    shown = []
    for docname in listed_docnames(app.env, found, section_doc):
        record = records.get(docname)
        title = record.title if record is not None else str(app.env.titles.get(docname, docname))
        if record is None and docname in app.env.titles:
            title = app.env.titles[docname].astext()
        shown.append(
            (
                docname,
                title,
                record.date if record else None,
                summary.summary_of(app.env, docname, record.description if record else None),
            )
        )
    return shown


def _listing_view(app: Sphinx, found: Structure) -> dict[str, Any]:
    return {
        docname: (
            tuple(_entries(app, found, docname)),
            found.sections[rel].paginate_by,
        )
        for docname, rel in found.section_of_doc.items()
        if docname in app.env.all_docs
    }


def _changed_listings(app: Sphinx, env: BuildEnvironment, found: Structure) -> list[str]:
    """Section pages whose listing changed (a listed page retitled, redated, resummarised)."""
    old: dict[str, bytes] | None = state.peek(env, "section_listings")
    # a digest per page: only compared with the next build's (issue 17: env size)
    new = {docname: digest(view) for docname, view in _listing_view(app, found).items()}
    state.put(env, "section_listings", new)
    if old is None:
        return []
    return sorted(d for d, view in new.items() if old.get(d) != view)


def _context_items(
    app: Sphinx, entries: list[tuple[str, str, str | None, str | None]], uri: Any
) -> list[dict[str, str]]:
    items = []
    for docname, title, date, text in entries:
        value = parse_date(date) if date else None
        items.append(
            {
                "docname": docname,
                "title": title,
                "uri": uri(docname),
                "date": date if value is not None else "",
                "date_formatted": format_date(value, app.config.language) if value else "",
                "summary": text or "",
            }
        )
    return items


def _plain_list(items: list[dict[str, str]]) -> nodes.bullet_list:
    result = nodes.bullet_list(classes=["topofmind-section-list"])
    for item in items:
        entry = nodes.list_item()
        para = nodes.paragraph()
        para += nodes.reference("", item["title"], internal=True, refuri=item["uri"])
        if item["date_formatted"]:
            para += nodes.Text(f" — {item['date_formatted']}")
        entry += para
        if item["summary"]:
            entry += nodes.paragraph("", item["summary"])
        result += entry
    return result


def page_links(section_doc: str, number: int, count: int, uri: Any) -> dict[str, str]:
    """Previous/next links between the pages of a paginated listing (page 1 = the section)."""

    def target(n: int) -> str:
        return uri(section_doc if n == 1 else paginated_pagename(section_doc, n))

    return {
        "previous_uri": target(number - 1) if number > 1 else "",
        "next_uri": target(number + 1) if number < count else "",
        "previous_label": _("Previous page"),
        "next_label": _("Next page"),
        "page_label": _("Page %d of %d") % (number, count) if count > 1 else "",
    }


def paginated_pagename(section_doc: str, number: int) -> str:
    """Zola's ``<section>/page/N/`` for the section page ``<section>/_index``."""
    folder = section_doc.rsplit("/", 1)[0] if "/" in section_doc else ""
    return posixpath.join(folder, "page", str(number)) if folder else f"page/{number}"


def resolve_listings(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    placeholders = list(doctree.findall(section_listing))
    if not placeholders:
        return
    found = structure(app.env)
    section_doc = docname
    rel = found.section_of_doc.get(section_doc)
    if rel is None:
        for node in placeholders:
            node.replace_self([])
        return
    entries = _entries(app, found, section_doc)
    # only html and dirhtml write the further pages; elsewhere the list is whole
    per_page = found.sections[rel].paginate_by if writes_pages(app) else None
    chunks = paginate(tuple(e[0] for e in entries), per_page)
    first = set(chunks[0])
    entries = [e for e in entries if e[0] in first]

    def uri(target: str) -> str:
        return app.builder.get_relative_uri(docname, target)

    items = _context_items(app, entries, uri)
    for node in placeholders:
        new: nodes.Node
        if app.builder.format == "html" and hasattr(app.builder, "templates"):
            links = page_links(section_doc, 1, len(chunks), _generated_uri(app, docname))
            markup = app.builder.templates.render(LIST_TEMPLATE, {"pages": items, **links})
            new = nodes.raw("", markup, format="html")
        else:
            new = _plain_list(items)
        # the listed pages' words belong to them, not to the section page (a page kept out
        # with in_search_index = false must not be found through its section either)
        new["classes"].append("no-search")
        node.replace_self(new)


def _generated_uri(app: Sphinx, frompage: str) -> Any:
    builder = app.builder

    def uri(target: str) -> str:
        if builder.name == "singlehtml":
            return f"#document-{target}"
        return builder.get_relative_uri(frompage, target)

    return uri


def writes_pages(app: Sphinx) -> bool:
    return app.builder.format == "html" and app.builder.name in ("html", "dirhtml")


def collect_pages(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    """Pages 2.. of paginated sections."""
    if not writes_pages(app):
        return
    found = structure(app.env)
    wanted: set[str] = set()
    for section_doc, rel in found.section_of_doc.items():
        per_page = found.sections[rel].paginate_by
        if per_page and section_doc in app.env.all_docs:
            listed = tuple(entry[0] for entry in _entries(app, found, section_doc))
            count = len(paginate(listed, per_page))
            wanted.update(paginated_pagename(section_doc, n) for n in range(2, count + 1))
    _remove_stale_pages(app, wanted)
    for section_doc, rel in found.section_of_doc.items():
        info = found.sections[rel]
        if not info.paginate_by or section_doc not in app.env.all_docs:
            continue
        entries = _entries(app, found, section_doc)
        chunks = paginate(tuple(e[0] for e in entries), info.paginate_by)
        for number in range(2, len(chunks) + 1):
            pagename = paginated_pagename(section_doc, number)
            uri = _generated_uri(app, pagename)
            shown = set(chunks[number - 1])
            items = _context_items(app, [e for e in entries if e[0] in shown], uri)
            title = (
                str(app.env.titles[section_doc].astext()) if section_doc in app.env.titles else rel
            )
            links = page_links(section_doc, number, len(chunks), uri)
            heading = title
            yield (
                pagename,
                {
                    "title": html.escape(heading),
                    "heading": heading,
                    "section_uri": uri(section_doc),
                    "pages": items,
                    "list_template": LIST_TEMPLATE,
                    **links,
                },
                PAGE_TEMPLATE,
            )


#: marks the ``/`` page this module writes (so a later build may replace it, never another)
HOME_MARK = "<!-- sphinx-topofmind: home redirect -->"


def _remove_stale_pages(app: Sphinx, wanted: set[str]) -> None:
    """Delete listing pages a previous build wrote and this one does not (fewer pages,
    no ``paginate_by`` any more), never a file outside the output dir."""
    builder = html_builder(app)
    # the environment is saved before pages are written: the list lives beside it
    manifest = Path(app.doctreedir) / f"topofmind-listing-pages-{builder.name}.json"
    try:
        previous = set(json.loads(manifest.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        previous = set()
    outdir = Path(app.outdir).resolve()
    for pagename in sorted(p for p in previous - wanted if isinstance(p, str)):
        stale = Path(builder.get_outfilename(pagename))
        if stale.is_file() and stale.resolve().is_relative_to(outdir):
            stale.unlink()
    try:
        manifest.parent.mkdir(parents=True, exist_ok=True)
        manifest.write_text(json.dumps(sorted(wanted)), encoding="utf-8")
    except OSError:
        pass  # the next build then leaves stale pages, as without this list


def write_home_redirect(app: Sphinx, exception: Exception | None) -> None:
    """``/`` leads to the root document of a site without a home section (its first
    top-level section stands in): a redirect page at ``index.html``, from the same
    template as every redirect (``features/urls.py``).  A site with
    ``content/_index.md`` has its ``/`` from there.  Never over a page of the project."""
    layout = site(app)
    if exception is not None or not writes_pages(app) or layout is None:
        return  # only a whole Zola site promises its home at /
    if layout.content is not None and (layout.content / "_index.md").is_file():
        return  # the home section itself is served at / (features/urls.py)
    builder = html_builder(app)
    target = Path(builder.get_outfilename(app.config.root_doc))
    home = Path(app.outdir) / "index.html"
    if target == home or not target.is_file():
        return
    if home.exists():
        try:
            if HOME_MARK not in home.read_text(encoding="utf-8", errors="replace"):
                return  # a page of the project's own
        except OSError:
            return
    href = builder.get_target_uri(app.config.root_doc) or "./"
    if builder.name == "dirhtml" and not href.endswith("/") and not href.endswith(".html"):
        href += "/"
    # the mark lets a later build replace this page, and never another
    home.write_text(f"{redirect_page(app, href, href)}\n{HOME_MARK}\n", encoding="utf-8")


def setup(app: Sphinx) -> None:
    app.add_node(section_listing, override=False, **_everywhere((_skip, None), (_skip, None)))
    summary.setup(app)
    # after drafts.exclude_drafts (500), before rewrite.sections_to_reread (800)
    app.connect("env-get-outdated", exclude_draft_sections, priority=600)
    app.connect("env-updated", mark_orphans)
    app.connect("doctree-read", check_section_keys)
    app.connect("doctree-read", add_listing)
    app.connect("doctree-resolved", resolve_listings)
    app.connect("html-collect-pages", collect_pages)
    app.connect("build-finished", write_home_redirect)
