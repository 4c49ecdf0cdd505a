"""Rewrite a Zola article into the Markdown MyST expects, without shifting lines.

Pure: no Sphinx.  The rewrite keeps every line where it was, so warnings from
MyST, Sphinx and this extension all point at the line of the original file:

- the front matter lines are blanked and the title heading goes on line 1;
- a shortcode becomes the one-line role ``{topofmind-shortcode}`N``` (its
  other lines blanked), N indexing :attr:`Rewritten.calls`;
- ``@/path.md#anchor`` links become MyST's source-dir-absolute
  ``/content-root/path.md#anchor`` (a missing target keeps only the text).
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Callable, Collection

from .diagnostics import Diagnostic, Subtype
from .frontmatter import FrontMatter, parse_front_matter
from .mojibake import Repair, repair_text
from .shortcodes import Shortcode, find_protected_spans, find_shortcodes

ROLE = "topofmind-shortcode"

# ASCII punctuation: every one may be backslash-escaped in CommonMark, which
# makes the title literal text (no emphasis, links or raw HTML).
_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_ATX_H1 = re.compile(r"^ {0,3}#(?:[ \t]|$)", re.MULTILINE)

_LINK_TEXT = r"(?:[^\[\]\n]|\[[^\[\]\n]*\])*"
_INLINE_LINK = re.compile(
    r"(?P<bang>!?)\[(?P<text>" + _LINK_TEXT + r")\]"
    r"\(\s*(?P<lt><?)@/(?P<path>[^)\s#>?]*)(?P<anchor>#[^)\s>]*)?>?"
    r"(?P<title>\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)"
)
_REFERENCE_DEFINITION = re.compile(
    r"^(?P<prefix> {0,3}\[[^\]\n]+\]:[ \t]*)(?P<url><?@/(?P<path>[^\s#>]*)(?P<anchor>#[^\s>]*)?>?)",
    re.MULTILINE,
)


@dataclasses.dataclass(frozen=True)
class ShortcodeCall:
    """What one role placeholder stands for."""

    shortcode: Shortcode
    #: Text to show verbatim instead of running the shortcode (Zola's
    #: ``{{/* ... */}}`` escape, or an unknown shortcode).
    literal: str | None = None


@dataclasses.dataclass(frozen=True)
class Rewritten:
    text: str
    front_matter: FrontMatter | None
    calls: tuple[ShortcodeCall, ...]
    diagnostics: tuple[Diagnostic, ...]
    repairs: tuple[Repair, ...]
    #: Content-root-relative paths of the ``@/`` links, for dependency tracking.
    links: tuple[str, ...]


def escape_markdown(text: str) -> str:
    """One line of literal text: whitespace folded, punctuation escaped."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", " ".join(text.split()))


def _blank_lines(text: str, first: int, last: int, replacement: str) -> str:
    lines = text.split("\n")
    for index in range(first - 1, min(last, len(lines))):
        lines[index] = ""
    lines[first - 1] = replacement
    return "\n".join(lines)


def _outside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return all(end <= span_start or start >= span_end for span_start, span_end in spans)


def _in_spans(spans: list[tuple[int, int]], starts: list[int], offset: int) -> bool:
    """*offset* lies in one of the sorted, disjoint *spans* (binary search)."""
    k = bisect.bisect_right(starts, offset) - 1
    return k >= 0 and offset < spans[k][1]


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def rewrite_source(
    text: str,
    *,
    known_shortcodes: Collection[str],
    resolve_link: Callable[[str], str | None],
    mojibake: str = "fix",
    fallback_title: str | None = None,
) -> Rewritten:
    """Rewrite one article.

    ``resolve_link`` maps a content-root-relative path (``section/page.md``)
    to the MyST path to link to (``/content/section/page.md``), or None when
    no such page exists.  ``fallback_title`` is used when the front matter
    has no usable title and the body has no level-1 heading of its own.
    """
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    diagnostics: list[Diagnostic] = []

    repairs: list[Repair] = []
    if mojibake != "off":
        repaired, repairs = repair_text(text)
        if mojibake == "fix":
            text = repaired

    matter, problems = parse_front_matter(text)
    diagnostics.extend(problems)
    if matter is None and not text.strip() and fallback_title:
        # an empty article: a title costs no line, as there is nothing to shift
        text = f"# {escape_markdown(fallback_title)}" + text
    if matter is not None:
        title = matter.title if matter.title and matter.title.strip() else None
        body = "\n".join(text.split("\n")[matter.last_line :])
        if title is None and fallback_title and not _has_h1(body):
            title = fallback_title
        heading = f"# {escape_markdown(title)}" if title else ""
        text = _blank_lines(text, matter.first_line, matter.last_line, heading)

    protected = find_protected_spans(text)
    protected_starts = [start for start, _ in protected]
    shortcodes, problems = find_shortcodes(text)
    diagnostics.extend(problems)

    # (start, end, replacement), applied back to front so offsets stay valid
    edits: list[tuple[int, int, str]] = []
    calls: list[ShortcodeCall] = []
    for shortcode in shortcodes:
        if shortcode.literal is not None and _in_spans(
            protected, protected_starts, shortcode.start
        ):
            # Zola's escape inside code: the code shows the call itself
            edits.append((shortcode.start, shortcode.end, shortcode.literal))
            continue
        if shortcode.literal is not None:
            call = ShortcodeCall(shortcode, literal=shortcode.literal)
        elif shortcode.name in known_shortcodes:
            call = ShortcodeCall(shortcode)
        else:
            diagnostics.append(
                Diagnostic(
                    Subtype.shortcode,
                    f"unknown shortcode '{shortcode.name}' (map it in topofmind_shortcodes); "
                    "shown as text",
                    shortcode.line,
                )
            )
            call = ShortcodeCall(shortcode, literal=shortcode.text)
        newlines = "\n" * shortcode.text.count("\n")
        edits.append((shortcode.start, shortcode.end, f"{{{ROLE}}}`{len(calls)}`{newlines}"))
        calls.append(call)

    # malformed shortcodes stay visible as text, and only as text (never as markup)
    # (the scanner marks just the malformed part, never inside code or another call)
    for problem in problems:
        if problem.offset is None or problem.end is None:
            continue
        end = problem.end
        edits.append((problem.offset, end, f"{{{ROLE}}}`{len(calls)}`"))
        shown = text[problem.offset : end]
        calls.append(ShortcodeCall(_as_text(shown, problem.offset, problem.line), literal=shown))

    links: list[str] = []
    claimed = protected + [(start, end) for start, end, _ in edits]
    edits.extend(_link_edits(text, claimed, resolve_link, links, diagnostics))
    text = _apply(text, edits)
    # a body shortcode's body is Markdown of the article too: its @/ links count
    calls = [_with_body_links(call, resolve_link, links, diagnostics) for call in calls]

    return Rewritten(
        text=text,
        front_matter=matter,
        calls=tuple(calls),
        diagnostics=tuple(sorted(diagnostics, key=lambda d: d.line)),
        repairs=tuple(repairs),
        links=tuple(links),
    )


Edit = tuple[int, int, str]


def _as_text(text: str, offset: int, line: int) -> Shortcode:
    """A stand-in call for text that only has to be shown."""
    return Shortcode(
        name="",
        args={},
        body=None,
        start=offset,
        end=offset + len(text),
        line=line,
        end_line=line,
        body_line=None,
        text=text,
        literal=text,
    )


def _apply(text: str, edits: list[Edit]) -> str:
    # one join, not a copy of the text per edit: linear in the number of edits
    pieces: list[str] = []
    last = 0
    for start, end, replacement in sorted(edits):
        # an edit never removes a line break: every later line keeps its number
        missing = text.count("\n", start, end) - replacement.count("\n")
        pieces += (text[last:start], replacement, "\n" * max(0, missing))
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def _link_edits(
    text: str,
    claimed: list[tuple[int, int]],
    resolve_link: Callable[[str], str | None],
    links: list[str],
    diagnostics: list[Diagnostic],
    first_line: int = 1,
) -> list[Edit]:
    """Edits turning ``@/`` links (inline and reference definitions) into MyST paths."""
    edits: list[Edit] = []

    def target(path: str, anchor: str | None) -> str | None:
        links.append(path)
        resolved = resolve_link(path)
        return None if resolved is None else resolved + (anchor or "")

    def missing(path: str, offset: int) -> None:
        diagnostics.append(_missing_link(path, first_line - 1 + _line_of(text, offset)))

    for match in _INLINE_LINK.finditer(text):
        if not _outside(claimed, match.start(), match.end()):
            continue
        url = target(match.group("path"), match.group("anchor"))
        if url is None:
            missing(match.group("path"), match.start())
            # keep the words, drop the link: a dead link is worse than none
            replacement = match.group("text") if not match.group("bang") else ""
        else:
            replacement = (
                f"{match.group('bang')}[{match.group('text')}]"
                f"({match.group('lt')}{url}{'>' if match.group('lt') else ''}"
                f"{match.group('title') or ''})"
            )
        edits.append((match.start(), match.end(), replacement))
    for match in _REFERENCE_DEFINITION.finditer(text):
        if not _outside(claimed, match.start(), match.end()):
            continue
        url = target(match.group("path"), match.group("anchor"))
        if url is None:
            missing(match.group("path"), match.start())
            edits.append((match.start(), match.end("url"), ""))
        else:
            # only the URL changes: the rest of the line may hold other links
            edits.append((match.start("url"), match.end("url"), f"<{url}>"))
    return edits


def _with_body_links(
    call: ShortcodeCall,
    resolve_link: Callable[[str], str | None],
    links: list[str],
    diagnostics: list[Diagnostic],
) -> ShortcodeCall:
    body = call.shortcode.body
    if call.literal is not None or not body or "@/" not in body:
        return call
    first_line = call.shortcode.body_line or call.shortcode.line
    edits = _link_edits(
        body, find_protected_spans(body), resolve_link, links, diagnostics, first_line
    )
    shortcode = dataclasses.replace(call.shortcode, body=_apply(body, edits))
    return dataclasses.replace(call, shortcode=shortcode)


def _has_h1(body: str) -> bool:
    """A level-1 ATX heading outside code (a ``# comment`` in a fence is not one)."""
    for match in _ATX_H1.finditer(body):
        if _outside(find_protected_spans(body), match.start(), match.end()):
            return True
    return False


def _missing_link(path: str, line: int) -> Diagnostic:
    return Diagnostic(
        Subtype.link,
        f"internal link '@/{path}' points to no page of this project; shown as plain text",
        line,
    )
