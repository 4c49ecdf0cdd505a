"""Compact forms of what is pickled with the environment (issue 17: env size).

:class:`CompactSlugs` stands in for MyST's ``env.metadata[doc]["myst_slugs"]``
(``{slug: (line, id, heading text)}``): it pickles as one string that leaves out
every slug (and id) that the heading text gives back, and every heading text that the
page's ``env.tocs`` entry (pickled anyway) gives back, and unpacks on first use.
:func:`digest` is a short fingerprint for derived views that are kept on the env
only to tell, on the next build, which pages show something else.
"""

from __future__ import annotations

import hashlib
import io
import pickle
import sys
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from docutils import nodes
from sphinx.util.nodes import clean_astext

from .zola.slugs import zola_anchor

#: MyST's slug entry: the heading's line, its id, its text
SlugEntry = tuple[Any, str, str]

_ENTRY = "\x1e"
_FIELD = "\x1f"
#: a slug field saying which function of the text gives the slug back
_ZOLA = ""
_GITHUB = "\x00"
#: an id field saying the id is the slug
_SAME = ""
#: a text field starting so: the rest is the index of the page's table of contents
#: entry (in ``env.tocs``) whose text it is
_FROM_TOC = "\x02"


def _toc_texts(toc: nodes.Node | None) -> list[str]:
    """The texts of the entries of a page's ``env.tocs`` tree (its title, then its
    sections), in order."""
    if toc is None:
        return []
    return [_clean_text(reference) for reference in toc.findall(nodes.reference)]


def _has_image_or_raw(node: nodes.Node) -> bool:
    return isinstance(node, nodes.image | nodes.raw)


def _clean_text(node: nodes.Element) -> str:
    """``clean_astext``, without its copy of the node when there is nothing to clean."""
    if next(node.findall(_has_image_or_raw), None) is None:
        return node.astext()
    return clean_astext(node)


def _github_slugify(text: str) -> str:
    # MyST's own slugs, imported where a page is read or its slugs unpacked: a
    # build that reads nothing never needs them (issue 17: start-up time)
    from myst_parser.slugs import github_slugify

    return github_slugify(text)


def _slug_field(slug: str, text: str, zola: str) -> str:
    if zola == slug:
        return _ZOLA
    if _github_slugify(text) == slug:
        return _GITHUB
    return slug


class CompactSlugs(Mapping[str, SlugEntry]):
    """A read-only ``myst_slugs`` table that pickles small (see the module docstring)."""

    __slots__ = ("_packed", "_table", "_toc")

    def __init__(self, packed: str, toc: nodes.Node | None = None) -> None:
        self._packed = packed
        self._toc = toc
        self._table: dict[str, SlugEntry] | None = None

    @classmethod
    def pack(
        cls, table: Mapping[str, SlugEntry], toc: nodes.Node | None = None
    ) -> Mapping[str, SlugEntry]:
        """The compact table, or ``table`` itself when it cannot be packed exactly;
        ``toc``: the page's ``env.tocs`` entry (the same object, so it pickles once)."""
        toc_texts = _toc_texts(toc)
        # each heading's Zola slug, computed once for packing and for the check below
        zola_slugs: dict[str, str] = {}

        def zola_slug(text: str) -> str:
            found = zola_slugs.get(text)
            if found is None:
                found = zola_slugs[text] = zola_anchor(text)
            return found

        toc_index: dict[str, int] = {}
        for index, toc_text in enumerate(toc_texts):
            toc_index.setdefault(toc_text, index)
        parts: list[str] = []
        for slug, entry in table.items():
            line, ident, text = entry
            if not (isinstance(line, int) or line is None):
                return table
            fields = (
                "" if line is None else str(line),
                f"{_FROM_TOC}{toc_index[text]}" if text in toc_index else text,
                _slug_field(slug, text, zola_slug(text)),
                _SAME if ident == slug else ident,
            )
            if (
                any(_ENTRY in f or _FIELD in f for f in fields)
                or ident == ""
                or slug
                in (
                    _ZOLA,
                    _GITHUB,
                )
                or text.startswith(_FROM_TOC)
            ):
                return table
            if fields[1:] == (f"{_FROM_TOC}{len(parts)}", _ZOLA, _SAME):
                # the usual Zola heading: the n-th entry of the toc, its Zola slug the id
                parts.append(fields[0])
            else:
                parts.append(_FIELD.join(fields))
        packed = _ENTRY.join(parts)
        uses_toc = any(_FIELD not in part or _FIELD + _FROM_TOC in part for part in parts)
        compact = cls(packed, toc if uses_toc else None)
        unpacked = _unpack(packed, toc_texts if uses_toc else [], zola_slug)
        if unpacked != dict(table):
            return table
        # kept for this build (Sphinx repr()s every event's arguments, the page's
        # metadata among them); only the packed string is pickled
        compact._table = unpacked
        return compact

    def table(self) -> dict[str, SlugEntry]:
        if self._table is None:
            self._table = _unpack(self._packed, _toc_texts(self._toc), zola_anchor)
        return self._table

    def __getitem__(self, key: str) -> SlugEntry:
        return self.table()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.table())

    def __len__(self) -> int:
        return len(self.table())

    def __repr__(self) -> str:
        return f"CompactSlugs({self.table()!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        if self._toc is None:
            return (CompactSlugs, (self._packed,))
        return (CompactSlugs, (self._packed, self._toc))


def _unpack(
    packed: str, toc_texts: list[str], zola_slug: Callable[[str], str]
) -> dict[str, SlugEntry]:
    """The ``myst_slugs`` table a packed string stands for."""
    table: dict[str, SlugEntry] = {}
    for position, part in enumerate(packed.split(_ENTRY) if packed else ()):
        if _FIELD in part:
            line, text, slug, ident = part.split(_FIELD)
        else:
            line, text, slug, ident = part, f"{_FROM_TOC}{position}", _ZOLA, _SAME
        if text.startswith(_FROM_TOC):
            text = toc_texts[int(text[1:])]
        if slug == _ZOLA:
            slug = zola_slug(text)
        elif slug == _GITHUB:
            slug = _github_slugify(text)
        table[slug] = (int(line) if line else None, ident or slug, text)
    return table


def digest(value: object) -> bytes:
    """An 8-byte fingerprint of a picklable value .

    Equal values give equal digests when their order is deterministic (no sets of
    strings: their order changes between processes, which would only cost rewrites).
    """
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=4)
    pickler.fast = True  # no memo: equal values pickle alike whether or not they share objects
    pickler.dump(value)
    return hashlib.blake2b(buffer.getvalue(), digest_size=8).digest()


def shared(value: str | None) -> str | None:
    """One object for equal strings that several records keep (a title, a date), so the
    environment pickles it once (pickle writes an object it has seen as a reference)."""
    return sys.intern(value) if value is not None else None
