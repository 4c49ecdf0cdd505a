"""Zola's sections: which pages each ``_index.md`` holds and in which order.

Pure: works on content-root-relative POSIX paths and the few front-matter
values that matter, the way Zola's ``Library::populate_sections`` and
``sort_pages`` do:

- a folder with ``_index.md`` is a section; its pages are the Markdown files
  of the folder and the ``index.md`` of its page-bundle subfolders (a folder
  with ``index.md`` and no ``_index.md``);
- a page in a folder without a section is an *orphan page*: in no section;
- a ``transparent`` section passes its pages on to its parent's list too;
- ``sort_by``: ``date`` and ``update_date`` newest first, ``title`` and
  ``slug`` in natural order (numbers by value, letters without case or
  accents), ``title_bytes`` byte order, ``weight`` lightest first; ties go by
  permalink; a page lacking the key is left out of the list (Zola's
  ``ignored_pages``: still built, listed nowhere); ``none`` keeps the file
  order (Zola's own order is then unspecified);
- subsections by their ``weight`` (default 0), then path;
- a page with ``render = false`` is in no section (Zola skips it there).
"""

from __future__ import annotations

import dataclasses
import posixpath
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from .diagnostics import Diagnostic, Subtype
from .records import CompactRecord

SORT_KEYS = ("none", "date", "update_date", "title", "title_bytes", "weight", "slug")


@dataclasses.dataclass(frozen=True)
class PageInfo(CompactRecord):
    """What sorting needs of one page (``path``: ``a/b.md`` or ``a/bundle/index.md``)."""

    path: str
    title: str | None = None
    date: str | None = None  # ISO 8601, as :func:`.frontmatter.iso` gives it
    updated: str | None = None
    weight: int | None = None
    slug: str | None = None
    #: ``render = false``: Zola puts the page in no section (its data still counts)
    render: bool = True


@dataclasses.dataclass(frozen=True)
class SectionInfo(CompactRecord):
    """A section's ``_index.md`` keys (``path``: ``a/_index.md``)."""

    path: str
    title: str | None = None
    sort_by: str = "none"
    transparent: bool = False
    paginate_by: int | None = None
    weight: int = 0
    draft: bool = False
    render: bool = True


class SectionContent(NamedTuple):
    """What a section holds: its listed pages (sorted), the pages left out of the list for
    lacking the sort key, and its subsections (by weight)."""

    pages: tuple[str, ...] = ()
    ignored: tuple[str, ...] = ()
    subsections: tuple[str, ...] = ()
    #: own pages (not passed up from transparent subsections): the section's toctree
    own_pages: tuple[str, ...] = ()


def folder_of(path: str) -> str:
    return posixpath.dirname(path)


def is_section_file(path: str) -> bool:
    return posixpath.basename(path) == "_index.md"


def page_slug(page: PageInfo) -> str:
    """The page's last URL part: its ``slug``, else its file (or bundle folder) name."""
    if page.slug:
        return page.slug
    name = posixpath.basename(page.path)
    if name == "index.md" and "/" in page.path:
        return posixpath.basename(folder_of(page.path))
    return posixpath.splitext(name)[0]


def permalink(page: PageInfo) -> str:
    """The page's URL path as far as the ordering of ties needs it."""
    folder = folder_of(page.path)
    if posixpath.basename(page.path) == "index.md":
        folder = folder_of(folder)
    return "/" + posixpath.join(folder, page_slug(page)) + "/" if folder else f"/{page_slug(page)}/"


_DIGITS = re.compile(r"(\d+)")


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """Natural, case- and accent-blind order (as Zola's ``natural_lexical_cmp``):
    ``Part 2`` before ``Part 10``, ``Édith`` with the e's."""
    plain = "".join(
        c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
    ).lower()
    parts: list[tuple[int, int | str]] = []
    for index, piece in enumerate(_DIGITS.split(plain)):
        if not piece:
            continue
        parts.append((0, int(piece)) if index % 2 else (1, piece))
    return tuple(parts)


def _has_key(page: PageInfo, sort_by: str) -> bool:
    if sort_by == "date":
        return page.date is not None
    if sort_by == "update_date":
        return page.date is not None or page.updated is not None
    if sort_by in ("title", "title_bytes"):
        return page.title is not None
    if sort_by == "weight":
        return page.weight is not None
    return True


def _newest(page: PageInfo) -> str:
    return max(value for value in (page.date, page.updated) if value is not None)


def sort_pages(
    pages: Iterable[PageInfo], sort_by: str
) -> tuple[tuple[PageInfo, ...], tuple[PageInfo, ...]]:
    """``(listed, ignored)``: the pages in the section's order, and those lacking the key."""
    given = list(pages)
    if sort_by not in SORT_KEYS or sort_by == "none":
        return tuple(sorted(given, key=lambda p: p.path)), ()
    listed = [p for p in given if _has_key(p, sort_by)]
    ignored = tuple(sorted((p for p in given if not _has_key(p, sort_by)), key=lambda p: p.path))
    # ties by permalink, ascending: sort by it first, then (stable) by the key
    listed.sort(key=permalink)
    if sort_by == "date":
        listed.sort(key=lambda p: _date_key(p.date or ""), reverse=True)
    elif sort_by == "update_date":
        listed.sort(key=lambda p: _date_key(_newest(p)), reverse=True)
    elif sort_by == "title":
        listed.sort(key=lambda p: natural_key(p.title or ""))
    elif sort_by == "title_bytes":
        listed.sort(key=lambda p: (p.title or "").encode("utf-8"))
    elif sort_by == "weight":
        listed.sort(key=lambda p: p.weight or 0)
    elif sort_by == "slug":
        listed.sort(key=lambda p: natural_key(page_slug(p)))
    return tuple(listed), ignored


def _date_key(value: str) -> str:
    """A date alone is midnight: comparable with date-times as text."""
    return value if "T" in value else value + "T00:00:00"


def page_files(paths: Iterable[str]) -> list[str]:
    """The pages among content files: Markdown files that are not ``_index.md``."""
    return [p for p in paths if p.endswith(".md") and not is_section_file(p)]


def owning_folder(path: str, sections: Mapping[str, SectionInfo]) -> str | None:
    """The section file a page belongs to (``a/b.md`` -> ``a/_index.md``), or None for an
    orphan page.  A bundle ``a/x/index.md`` belongs to ``a/_index.md`` (``a/x`` has no
    section of its own; a folder with both makes ``index.md`` a plain page of it)."""
    folder = folder_of(path)
    own = posixpath.join(folder, "_index.md") if folder else "_index.md"
    if own in sections:
        return own
    if posixpath.basename(path) == "index.md" and folder:
        parent = folder_of(folder)
        candidate = posixpath.join(parent, "_index.md") if parent else "_index.md"
        if candidate in sections:
            return candidate
    return None


def parent_section(section: str, sections: Mapping[str, SectionInfo]) -> str | None:
    folder = folder_of(section)
    while folder:
        folder = folder_of(folder)
        candidate = posixpath.join(folder, "_index.md") if folder else "_index.md"
        if candidate in sections:
            return candidate
    return None


def build_sections(
    pages: Mapping[str, PageInfo], sections: Mapping[str, SectionInfo]
) -> dict[str, SectionContent]:
    """Every section's pages, ignored pages and subsections (see the module doc)."""
    held: dict[str, list[PageInfo]] = {s: [] for s in sections}
    own: dict[str, list[PageInfo]] = {s: [] for s in sections}
    for path in sorted(pages):
        if not pages[path].render:
            continue  # as Zola: an unrendered page is in no section's list
        section = owning_folder(path, sections)
        if section is not None:
            own[section].append(pages[path])
        while section is not None:
            held[section].append(pages[path])
            if not sections[section].transparent:
                break
            section = parent_section(section, sections)
    children: dict[str, list[str]] = {s: [] for s in sections}
    for section in sorted(sections):
        parent = parent_section(section, sections) if section != "_index.md" else None
        if parent is not None:
            children[parent].append(section)
    result = {}
    for section, info in sections.items():
        listed, ignored = sort_pages(held[section], info.sort_by)
        order = {page.path: place for place, page in enumerate(listed)}
        own_listed = [p.path for p in own[section] if p.path in order]
        own_listed.sort(key=lambda path: order[path])
        result[section] = SectionContent(
            pages=tuple(page.path for page in listed),
            ignored=tuple(page.path for page in ignored),
            subsections=tuple(sorted(children[section], key=lambda s: (sections[s].weight, s))),
            own_pages=tuple(own_listed),
        )
    return result


def orphan_pages(pages: Iterable[str], sections: Mapping[str, SectionInfo]) -> list[str]:
    """Pages in no section (Zola builds them; no list shows them)."""
    return sorted(p for p in pages if owning_folder(p, sections) is None)


def in_draft_section(path: str, sections: Mapping[str, SectionInfo]) -> bool:
    """Whether a file lies under a draft section (Zola skips it without ``--drafts``)."""
    folder = folder_of(path)
    while True:
        candidate = posixpath.join(folder, "_index.md") if folder else "_index.md"
        if candidate in sections and sections[candidate].draft:
            return True
        if not folder:
            return False
        folder = folder_of(folder)


def paginate(items: tuple[str, ...], per_page: int | None) -> list[tuple[str, ...]]:
    """The pages of a paginated listing (one page, possibly empty, when not paginated)."""
    if not per_page or per_page < 1:
        return [items]
    chunks = [items[i : i + per_page] for i in range(0, len(items), per_page)]
    return chunks or [()]


def section_info(
    path: str, title: str | None, weight: int | None, draft: bool, other: Mapping[str, object]
) -> SectionInfo:
    """A :class:`SectionInfo` from parsed front matter (bad values fall back to Zola's
    defaults; the front matter reader reports the keys it knows)."""
    sort_by = other.get("sort_by", "none")
    paginate_by = other.get("paginate_by")
    return SectionInfo(
        path=path,
        title=title,
        sort_by=sort_by if isinstance(sort_by, str) and sort_by in SORT_KEYS else "none",
        transparent=other.get("transparent") is True,
        paginate_by=paginate_by
        if isinstance(paginate_by, int) and not isinstance(paginate_by, bool) and paginate_by > 0
        else None,
        weight=weight if weight is not None else 0,
        draft=draft,
        render=other.get("render") is not False,
    )


def section_problems(
    other: Mapping[str, object], key_lines: Mapping[str, int], first_line: int
) -> list[Diagnostic]:
    """What Zola would refuse in a section's ``sort_by``, ``paginate_by`` and
    ``transparent``; here each falls back to Zola's default (located at its key)."""
    problems = []

    def at(key: str) -> int:
        return key_lines.get(key, first_line)

    if "sort_by" in other:
        value = other["sort_by"]
        if not isinstance(value, str) or value not in SORT_KEYS:
            problems.append(
                Diagnostic(
                    Subtype.frontmatter,
                    f"sort_by = {value!r} is not one of {', '.join(SORT_KEYS)}; "
                    "the pages keep the file order ('none')",
                    at("sort_by"),
                )
            )
    if "paginate_by" in other:
        value = other["paginate_by"]
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            problems.append(
                Diagnostic(
                    Subtype.frontmatter,
                    f"paginate_by = {value!r} is not a positive whole number; "
                    "the section is not paginated",
                    at("paginate_by"),
                )
            )
    # (``render`` is checked with the URLs, for pages and sections alike)
    if "transparent" in other and not isinstance(other["transparent"], bool):
        problems.append(
            Diagnostic(
                Subtype.frontmatter,
                f"transparent = {other['transparent']!r} is not true or false; ignored",
                at("transparent"),
            )
        )
    return problems
