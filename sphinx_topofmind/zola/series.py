"""Series: reading a Zola ``nav.yaml`` and ordering the members of a series.

Pure code (stdlib + PyYAML, no Sphinx): problems come back as
:class:`~sphinx_topofmind.zola.diagnostics.Diagnostic` values, which the Sphinx wiring
turns into located warnings.  The documented behaviour is
docs/series.md, "Who is in a series, and in what order".

Decisions worth knowing (the tests pin them):

* Nav file entries

  - ``url`` is a Zola internal link ``@/path.md`` with an optional ``#anchor``;
    a plain relative ``path.md`` is accepted too and is read relative to the
    content root as well.  ``.`` and ``..`` segments are normalised; a url that
    escapes the content root (``@/../x.md``, ``/abs.md``, backslashes), an
    external url (``https://…``) or one that does not name a ``.md`` file gets
    ``target=None`` and a warning; the entry is kept and shows as plain text.
  - An entry without a usable ``url`` is kept (``target=None``, plain text).
  - An entry without a usable ``name`` is kept with its url, as written, as the
    name; an entry with neither is dropped.  A name that is a non-string scalar
    (``name: 2024``) warns and is shown as written.
  - Items that are not mappings are dropped with a warning.
  - The same target listed twice: the first entry is kept, the later one is
    dropped with a warning at its line.
  - Invalid YAML gives one diagnostic at the line of the error and no entries.

* Ordering

  - With a nav file, a member's declared number is compared with its 1-based
    place in the *parsed* nav entries (before drafts are dropped), because the
    Zola shortcode counts ``loop.index`` over the file's list, drafts included.
    :meth:`SeriesOrder.position` is the place among the *shown* entries.
  - Nav entries pointing at a draft are dropped silently (Zola without
    ``--drafts`` has no such page).  Members with ``draft=True`` are never
    entries and never warn.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import yaml

from .diagnostics import Diagnostic, Subtype
from .records import CompactRecord

__all__ = [
    "DocDiagnostic",
    "Member",
    "NavEntry",
    "SeriesEntry",
    "SeriesOrder",
    "order_series",
    "parse_nav_file",
]

_STR_TAG = "tag:yaml.org,2002:str"
_NULL_TAG = "tag:yaml.org,2002:null"
# A url scheme ("https:", "mailto:", also a Windows drive "C:"): not a content file.
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


@dataclass(frozen=True)
class NavEntry(CompactRecord):
    """One ``{name, url}`` item of a nav file."""

    name: str
    """The name to show, as written."""
    target: str | None
    """Content-root-relative path of the linked file (``top-of-mind/catch-22.md``), None if unusable."""
    anchor: str | None
    """The ``#part`` of the url without ``#``, if any."""
    line: int
    """1-based line of the entry in the nav file."""


def _line_count(text: str) -> int:
    return max(1, len(text.splitlines()))


def _clamp(line: int, max_line: int) -> int:
    # YAML and str.splitlines() disagree on a few line breaks (\v, \f, ...) and
    # an error can sit after a trailing newline; keep lines inside the file.
    return min(max(1, line), max_line)


def _error_line(exc: BaseException, text: str) -> int:
    """The 1-based line a PyYAML error points at (1 if it does not say)."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    context = getattr(exc, "context_mark", None)
    if context is not None and "end of stream" in str(getattr(exc, "problem", "")):
        # an unclosed quote or bracket: where it opened, not the end of the file
        mark = context
    if mark is not None:
        return mark.line + 1
    position = getattr(exc, "position", None)  # ReaderError: a character offset
    if isinstance(position, int):
        return text.count("\n", 0, position) + 1
    return 1


def _error_message(exc: BaseException) -> str:
    problem = getattr(exc, "problem", None) or getattr(exc, "reason", None)
    return str(problem) if problem else type(exc).__name__


def _resolve_url(url: str) -> tuple[str | None, str | None, str | None]:
    """Split a nav url into (target, anchor, problem); problem is None if usable."""
    raw = url.strip()
    path, _, anchor_part = raw.partition("#")
    anchor = anchor_part or None
    if path.startswith("@/"):
        path = path[2:]
    elif path.startswith("@"):
        return None, anchor, f"url '{url}' is not a Zola internal link (expected '@/path.md')"
    elif path.startswith("//") or _SCHEME.match(path):
        return None, anchor, f"url '{url}' does not point to a file of the content root"
    if not path:
        return None, anchor, f"url '{url}' has no path"
    if "\\" in path or path.startswith("/"):
        return None, anchor, f"url '{url}' points outside the content root"
    segments: list[str] = []
    for segment in path.split("/"):
        if segment in ("", "."):
            continue
        if segment == "..":
            if not segments:
                return None, anchor, f"url '{url}' points outside the content root"
            segments.pop()
        else:
            segments.append(segment)
    if not segments:
        return None, anchor, f"url '{url}' has no path"
    target = "/".join(segments)
    if posixpath.splitext(target)[1] != ".md":
        return None, anchor, f"url '{url}' does not point to a Markdown (.md) file"
    return target, anchor, None


def _scalar_text(node: yaml.Node | None) -> tuple[str | None, bool]:
    """(text, is_string) of a scalar value node; (None, False) if absent, null or not a scalar."""
    if not isinstance(node, yaml.ScalarNode) or node.tag == _NULL_TAG:
        return None, False
    return node.value, node.tag == _STR_TAG


def _compose(text: str) -> yaml.Node | None:
    """The YAML node tree, from libyaml when PyYAML has it (ten times faster); a text
    libyaml refuses is composed again by PyYAML's own parser, whose messages the
    warnings quote.  Only printable ASCII text goes to libyaml: the two parsers differ
    on tabs, byte order marks and other characters (``tests/test_series.py``)."""
    if _C_LOADER is not None and _PLAIN_ASCII.fullmatch(text):
        try:
            return yaml.compose(text, Loader=_C_LOADER)
        except Exception:  # noqa: BLE001, S110 - the same text again, for the same message
            pass
    return yaml.compose(text, Loader=yaml.SafeLoader)


_C_LOADER = getattr(yaml, "CSafeLoader", None)
_PLAIN_ASCII = re.compile(r"[\n\x20-\x7e]*")


def parse_nav_file(text: str) -> tuple[list[NavEntry], list[Diagnostic]]:
    """Parse the text of a Zola ``nav.yaml``; never raises.

    Returns the usable entries in file order and the problems found (all
    :attr:`Subtype.nav_file`, lines within ``1..max(1, number of lines)``).
    """
    text = text.removeprefix("\ufeff")
    max_line = _line_count(text)
    diagnostics: list[Diagnostic] = []

    def warn(message: str, line: int) -> None:
        diagnostics.append(Diagnostic(Subtype.nav_file, message, _clamp(line, max_line)))

    try:
        root = _compose(text)
    except yaml.YAMLError as exc:
        warn(f"nav file is not valid YAML: {_error_message(exc)}", _error_line(exc, text))
        return [], diagnostics
    except Exception as exc:  # noqa: BLE001 - e.g. RecursionError on absurd nesting: still never raise
        warn(f"nav file cannot be read: {_error_message(exc)}", 1)
        return [], diagnostics

    if root is None:
        warn("nav file is empty (expected a list of {name, url} entries)", 1)
        return [], diagnostics
    if not isinstance(root, yaml.SequenceNode):
        warn("nav file is not a list of {name, url} entries", root.start_mark.line + 1)
        return [], diagnostics

    entries: list[NavEntry] = []
    seen: dict[str, int] = {}  # target -> line of the entry that listed it first
    for index, item in enumerate(root.value, start=1):
        line = _clamp(item.start_mark.line + 1, max_line)
        if not isinstance(item, yaml.MappingNode):
            warn(f"nav entry {index} is not a mapping with 'name' and 'url'; it is ignored", line)
            continue
        fields: dict[str, yaml.Node] = {}
        for key_node, value_node in item.value:
            key, _ = _scalar_text(key_node)
            if key in ("name", "url"):
                if key in fields:
                    warn(
                        f"nav entry {index} has '{key}' twice; the first one is used",
                        key_node.start_mark.line + 1,
                    )
                    continue
                fields[key] = value_node

        url_node = fields.get("url")
        url, url_is_str = _scalar_text(url_node)
        target: str | None = None
        anchor: str | None = None
        if url_node is None or url is None or (url_is_str and not url.strip()):
            url = None
        elif not url_is_str:
            warn(
                f"nav entry {index} has a 'url' that is not a string", url_node.start_mark.line + 1
            )
            url = None
        else:
            target, anchor, problem = _resolve_url(url)
            if problem is not None:
                warn(
                    f"nav entry {index}: {problem}; it is shown as plain text",
                    url_node.start_mark.line + 1,
                )

        name_node = fields.get("name")
        name, name_is_str = _scalar_text(name_node)
        if name is not None and not name.strip():
            name = None
        if name is not None and not name_is_str:
            assert name_node is not None  # a name was read from it
            warn(
                f"nav entry {index} has a 'name' that is not a string; it is shown as written",
                name_node.start_mark.line + 1,
            )
        if name is None:
            if url is None:
                warn(
                    f"nav entry {index} has neither a usable 'name' nor a 'url'; it is ignored",
                    line,
                )
                continue
            warn(f"nav entry {index} has no 'name'; its url is shown instead", line)
            name = url
        elif url is None:
            warn(f"nav entry '{name}' has no usable 'url'; it is shown as plain text", line)

        if target is not None:
            if target in seen:
                warn(
                    f"nav entry '{name}' lists '{target}' again (first listed at line {seen[target]});"
                    " it is ignored",
                    line,
                )
                continue
            seen[target] = line
        entries.append(NavEntry(name=name, target=target, anchor=anchor, line=line))
    return entries, diagnostics


class Member(NamedTuple):
    """What one document says about itself."""

    docname: str
    title: str
    declared: int | None
    """The ``selected=N`` it declared: None if none, 0 for a section page."""
    date: str | None
    """ISO date string; sorts lexicographically."""
    line: int
    """Line of its nav shortcode/directive, for warnings."""
    draft: bool = False
    """True if the document is a draft that is not being built."""


@dataclass(frozen=True)
class SeriesEntry(CompactRecord):
    """One entry of the rendered series nav."""

    name: str
    docname: str | None
    """None: plain text (a nav file entry that resolves to no document)."""
    anchor: str | None = None


class DocDiagnostic(NamedTuple):
    """A diagnostic and the document it belongs to (None: the nav file)."""

    docname: str | None
    diagnostic: Diagnostic


class SeriesOrder(NamedTuple):
    """The ordered entries of one series and the problems found ordering it."""

    entries: tuple[SeriesEntry, ...]
    diagnostics: tuple[DocDiagnostic, ...]

    def _index(self, docname: str) -> int | None:
        for i, entry in enumerate(self.entries):
            if entry.docname == docname:
                return i
        return None

    def position(self, docname: str) -> int | None:
        """1-based place of the document's entry among the shown entries, None if not in the series."""
        i = self._index(docname)
        return None if i is None else i + 1

    def neighbours(self, docname: str) -> tuple[SeriesEntry | None, SeriesEntry | None]:
        """Previous and next entries that link to a document (plain-text entries are skipped)."""
        i = self._index(docname)
        if i is None:
            return None, None
        prev = next((e for e in reversed(self.entries[:i]) if e.docname is not None), None)
        nxt = next((e for e in self.entries[i + 1 :] if e.docname is not None), None)
        return prev, nxt


def _sorted_diagnostics(diags: Iterable[DocDiagnostic]) -> tuple[DocDiagnostic, ...]:
    # Deterministic regardless of member iteration order; identical ones collapse.
    unique = set(diags)
    return tuple(
        sorted(
            unique,
            key=lambda d: (
                d.docname is not None,
                d.docname or "",
                d.diagnostic.line,
                d.diagnostic.message,
                d.diagnostic.subtype.value,
            ),
        )
    )


def _strip_md(target: str) -> str:
    return target.removesuffix(".md")


def order_series(
    name: str,
    members: Iterable[Member],
    nav_entries: Sequence[NavEntry] | None,
    target_to_docname: Mapping[str, str],
    *,
    drafts: Collection[str] = (),
) -> SeriesOrder:
    """Order series ``name`` (docs/series.md, "Who is in a series, and in what order").

    ``nav_entries`` is the parsed nav file, None if there is none.
    ``target_to_docname`` maps content-root-relative targets to docnames for
    every built document.  ``drafts`` holds targets or docnames of drafts that
    are not built: nav entries pointing at them are dropped without a warning.
    """
    # Members in a fixed order so that "first declaration wins" is deterministic.
    all_members = sorted(
        set(members),
        key=lambda m: (m.docname, m.line, m.declared or 0, m.title, m.date or "", m.draft),
    )
    draft_names = set(drafts) | {m.docname for m in all_members if m.draft}
    live = [m for m in all_members if not m.draft]
    diags: list[DocDiagnostic] = []

    if nav_entries is not None:
        entries: list[SeriesEntry] = []
        place: dict[str, int] = {}  # docname -> 1-based place in the nav file
        for p, nav in enumerate(nav_entries, start=1):
            docname = target_to_docname.get(nav.target) if nav.target is not None else None
            if docname is None and nav.target is not None:
                if nav.target in draft_names or _strip_md(nav.target) in draft_names:
                    continue  # a draft: Zola without --drafts has no such page
                diags.append(
                    DocDiagnostic(
                        None,
                        Diagnostic(
                            Subtype.nav_file,
                            f"nav entry '{nav.name}' points to '{nav.target}', "
                            "which is not a document of this project",
                            nav.line,
                        ),
                    )
                )
            if docname is not None:
                if docname in place:
                    # Two different targets naming one document (a.md, ./a.md is
                    # already normalised): one entry per document keeps position() unique.
                    diags.append(
                        DocDiagnostic(
                            None,
                            Diagnostic(
                                Subtype.nav_file,
                                f"nav entry '{nav.name}' lists '{docname}' again; it is ignored",
                                nav.line,
                            ),
                        )
                    )
                    continue
                place[docname] = p
            entries.append(SeriesEntry(nav.name, docname, nav.anchor))
        for m in live:
            if m.declared is None or m.declared < 1:
                continue  # 0 = section page, negative = already warned by the caller
            found = place.get(m.docname)
            if found is None:
                msg = (
                    f"'{m.docname}' declares position {m.declared} in series '{name}' "
                    "but its nav file does not list it"
                )
            elif found != m.declared:
                msg = (
                    f"'{m.docname}' declares position {m.declared} in series '{name}' "
                    f"but is entry {found} of its nav file"
                )
            else:
                continue
            diags.append(DocDiagnostic(m.docname, Diagnostic(Subtype.series, msg, m.line)))
        return SeriesOrder(tuple(entries), _sorted_diagnostics(diags))

    # No nav file: the declared numbers are the order.
    chosen: dict[str, Member] = {}
    for m in live:
        if m.declared is None or m.declared < 1:
            continue
        first = chosen.get(m.docname)
        if first is None:
            chosen[m.docname] = m
        elif first.declared != m.declared:
            # One document, two nav shortcodes with different numbers: first line wins.
            diags.append(
                DocDiagnostic(
                    m.docname,
                    Diagnostic(
                        Subtype.series,
                        f"'{m.docname}' declares position {m.declared} in series '{name}' "
                        f"but already declared position {first.declared} at line {first.line}",
                        m.line,
                    ),
                )
            )
    ordered = sorted(
        chosen.values(), key=lambda m: (m.declared, m.date is None, m.date or "", m.docname)
    )
    by_number: dict[int, list[Member]] = {}
    for m in ordered:
        by_number.setdefault(m.declared, []).append(m)  # type: ignore[arg-type]
    for number, tied in by_number.items():
        if len(tied) < 2:
            continue
        for m in tied:
            others = ", ".join(
                f"'{o.docname}'"
                for o in sorted(tied, key=lambda o: o.docname)
                if o.docname != m.docname
            )
            diags.append(
                DocDiagnostic(
                    m.docname,
                    Diagnostic(
                        Subtype.series,
                        f"position {number} of series '{name}' is also declared by {others}",
                        m.line,
                    ),
                )
            )
    entries_ = tuple(SeriesEntry(m.title, m.docname) for m in ordered)
    return SeriesOrder(entries_, _sorted_diagnostics(diags))
