"""Zola sections in Sphinx: each ``_index.md`` holds its pages in the section's order
(the section page's listing of them is in :mod:`.section_listings`).

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
- A section's ``sort_by``, ``paginate_by`` and ``transparent`` that Zola would
  refuse are warned about.
- ``render = false`` on a section: the section stays a document here (its
  pages keep their toctree parent, previous/next links and listings); removing
  its written page is the URLs feature's business, as for pages.
"""

from __future__ import annotations

import posixpath
import weakref
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from .. import state
from ..compact import digest, shared
from ..report import warn_diagnostic
from ..zola.frontmatter import iso, parse_front_matter
from ..zola.sections import (
    PageInfo,
    SectionContent,
    SectionInfo,
    build_sections,
    in_draft_section,
    is_section_file,
    owning_folder,
    parent_section,
    section_info,
    section_problems,
)
from . import summary
from .drafts import drafts, drop_unrefreshed, leave_out, refreshed, unchanged_since_read
from .rewrite import MARKDOWN_SUFFIXES, current_rewrite, root_of, under_root

#: the home section's file
HOME = "_index.md"


# --- the structure, from the files ------------------------------------------------


def content_files(env: BuildEnvironment, docnames: Any = None) -> dict[str, str]:
    """Content-root-relative ``.md`` path -> docname, for the found documents."""
    root = root_of(env.config)
    found: dict[str, str] = {}
    for docname in sorted(env.found_docs if docnames is None else docnames):
        path = str(env.doc2path(docname, base=False)).replace("\\", "/")
        if posixpath.splitext(path)[1].lower() not in MARKDOWN_SUFFIXES:
            continue
        rel = under_root(path, root)
        if rel is None:
            continue
        found[posixpath.splitext(rel)[0] + ".md"] = docname
    return found


def _read_info(env: BuildEnvironment, rel: str, docname: str) -> PageInfo | SectionInfo:
    """The file's front matter as sorting needs it, cached by mtime and size."""
    cache: dict[str, Any] = state.get(env, "section_matter", dict)
    cached = cache.get(docname)
    if cached is not None and unchanged_since_read(env, docname):
        unchanged: PageInfo | SectionInfo = cached[1]
        return unchanged
    path = Path(env.doc2path(docname))
    try:
        stat = path.stat()
        key = digest((stat.st_mtime_ns, stat.st_size, rel))  # small to pickle
    except OSError:
        key = None
    refreshed(env, docname)
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
    previous = state.peek(env, "section_orphans")
    if previous is not None and state.read_nothing(env):
        return []  # the sections and their toctrees are as last time
    found = structure(env)
    held = found.in_toctrees()
    marked: set[str] = set(previous or ())
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
    return []


# --- the section's own keys ---------------------------------------------------------


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


def _forget_unrefreshed_matter(app: Sphinx, env: BuildEnvironment) -> list[str]:
    cache: dict[str, Any] | None = state.peek(env, "section_matter")
    if cache:
        drop_unrefreshed(env, cache)
    return []


def setup(app: Sphinx) -> None:
    # the summaries the listings show (features/section_listings.py); collected here so
    # their doctree-read handler keeps its place before check_section_keys
    summary.setup(app)
    # after drafts.exclude_drafts (500), before rewrite.sections_to_reread (800)
    app.connect("env-get-outdated", exclude_draft_sections, priority=600)
    app.connect("env-updated", mark_orphans)
    # last: what was looked at this build is known
    app.connect("env-updated", _forget_unrefreshed_matter, priority=900)
    app.connect("doctree-read", check_section_keys)
