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

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Collection, Iterable, Iterator
from typing import NamedTuple

from .diagnostics import Diagnostic, Subtype
from .frontmatter import FrontMatter, parse_front_matter
from .mojibake import Repair, repair_text
from .shortcodes import Shortcode, find_protected_spans, scan

ROLE = "topofmind-shortcode"

# ASCII punctuation: every one may be backslash-escaped in CommonMark, which
# makes the title literal text (no emphasis, links or raw HTML).
_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_ATX_H1 = re.compile(r"^ {0,3}#(?:[ \t]|$)", re.MULTILINE)

# ``@/path#anchor``, or in angle brackets, where spaces are allowed
_DESTINATION = (
    r"(?:<@/(?P<apath>[^<>\n#?]*)(?P<aanchor>#[^<>\n]*)?>"
    r"|@/(?P<path>[^()\s#<>?]*)(?P<anchor>#[^()\s<>]*)?)"
)
# what may follow a link text's closing bracket: '](@/x.md "title")'; a line
# break is fine anywhere, a blank line (the end of the paragraph) is not
_SPACE = r"[ \t]*(?:\n[ \t]*)?"
_LINK_TAIL = re.compile(
    r"\]\(" + _SPACE + _DESTINATION + r"(?P<title>" + _SPACE + r"(?<=\s)"
    r"(?:\"(?:[^\"\n]|\n(?![ \t]*\n))*\"|'(?:[^'\n]|\n(?![ \t]*\n))*'))?" + _SPACE + r"\)"
)
# what the link scanner stops at: an escape, a bracket, a blank line
_LINK_SYNTAX = re.compile(r"\\[!-/:-@\[-`{-~]|[\[\]]|\n[ \t]*(?=\n|$)")
_BLANK_LINE = re.compile(r"\n[ \t]*(?=\n|$)")
_REFERENCE_DEFINITION = re.compile(
    r"^(?P<prefix> {0,3}\[[^\]\n]+\]:[ \t]*)(?P<url>" + _DESTINATION + r")(?=[ \t\n]|$)",
    re.MULTILINE,
)


class _Spans:
    """Sorted ``[start, end)`` spans, merged, asked about overlaps in O(log n)."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        merged: list[list[int]] = []
        for start, end in sorted(spans):
            if merged and start < merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self.starts = [start for start, _ in merged]
        self.ends = [end for _, end in merged]

    def overlapping(self, start: int, end: int) -> range:
        """Indexes of the spans that share a character with ``[start, end)``."""
        return range(bisect_right(self.ends, start), bisect_left(self.starts, end))

    def outside(self, start: int, end: int) -> bool:
        return not self.overlapping(start, end)


class _Lines:
    """Offset -> 1-based line number, by bisection (no recount per lookup)."""

    def __init__(self, text: str) -> None:
        self.breaks = [m.start() for m in re.finditer("\n", text)]

    def __call__(self, offset: int) -> int:
        return bisect_left(self.breaks, offset) + 1


class ShortcodeCall(NamedTuple):
    """What one role placeholder stands for."""

    shortcode: Shortcode
    #: Text to show verbatim instead of running the shortcode (Zola's
    #: ``{{/* ... */}}`` escape, or an unknown shortcode).
    literal: str | None = None


class Rewritten(NamedTuple):
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

    if "{{" in text or "{%" in text or "@/" in text:
        protected, shortcodes, problems = scan(text)
    else:
        # no shortcode, escape or '@/' link: the code spans would be asked about nothing
        protected, shortcodes, problems = [], [], []
    in_code = _Spans(protected)
    diagnostics.extend(problems)

    # (start, end, replacement), applied back to front so offsets stay valid
    edits: list[tuple[int, int, str]] = []
    calls: list[ShortcodeCall] = []
    for shortcode in shortcodes:
        if shortcode.literal is not None and not in_code.outside(shortcode.start, shortcode.end):
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
    edited = [(start, end) for start, end, _ in edits]
    edits.extend(_link_edits(text, protected, edited, resolve_link, links, diagnostics))
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
    """The text with every edit made, in one pass (edits never overlap)."""
    pieces: list[str] = []
    pos = 0
    for start, end, replacement in sorted(edits):
        # an edit never removes a line break: every later line keeps its number
        missing = text.count("\n", start, end) - replacement.count("\n")
        pieces += (text[pos:start], replacement, "\n" * max(0, missing))
        pos = end
    pieces.append(text[pos:])
    return "".join(pieces)


def _inline_links(text: str, spans: _Spans) -> Iterator[tuple[int, int, int, re.Match[str]]]:
    """``(link start, text start, text end, tail match)`` of every ``[text](@/…)``.

    One pass with a stack of open brackets, as CommonMark pairs them: the text
    may span lines, nest brackets and hold code spans; ``spans`` (code, comments,
    shortcodes) are skipped whole, so a bracket inside them counts for nothing.
    """
    openers: list[int] = []
    # Only a tail holding '@/' is yielded: the scan starts at the paragraph of the first
    # '@/' (a blank line outside the spans leaves no open bracket behind: the state is
    # the one a scan from the start would have there) and stops past the last.
    first, last = text.find("@/"), text.rfind("@/")
    if first < 0:
        return
    pos = _paragraph_start(text, first, spans)
    while (found := _LINK_SYNTAX.search(text, pos)) is not None:
        at = found.start()
        if at > last:
            return  # a later ']' has no '@/' after it
        inside = spans.overlapping(at, at + 1)
        if inside:
            pos = spans.ends[inside[0]]
            continue
        pos = found.end()
        char = text[at]
        if char == "[":
            openers.append(at)
        elif char == "]" and openers:
            opener = openers.pop()
            tail = _LINK_TAIL.match(text, at)
            if tail is None or not spans.outside(at, tail.end()):
                continue
            bang = opener > 0 and text[opener - 1] == "!"
            yield opener - bang, opener + 1, at, tail
            pos = tail.end()
            if not bang:
                openers.clear()  # no link inside a link (CommonMark)
        elif char == "\n":
            openers.clear()  # a blank line ends the paragraph


def _paragraph_start(text: str, offset: int, spans: _Spans) -> int:
    """Where the last blank line outside ``spans`` before ``offset`` starts (0: none)."""
    start = 0
    # no end position for the search: it would make '$' match there
    for blank in _BLANK_LINE.finditer(text):
        if blank.start() >= offset:
            break
        if spans.outside(blank.start(), blank.start() + 1):
            start = blank.start()
    return start


def _link_edits(
    text: str,
    protected: list[tuple[int, int]],
    edited: list[tuple[int, int]],
    resolve_link: Callable[[str], str | None],
    links: list[str],
    diagnostics: list[Diagnostic],
    first_line: int = 1,
) -> list[Edit]:
    """Edits turning ``@/`` links (inline and reference definitions) into MyST paths.

    ``protected`` is code and comments, ``edited`` the spans other edits replace
    (shortcodes).  Only the brackets and the destination of a link are edited,
    never its text: it may hold code spans, shortcodes and line breaks.
    """
    edits: list[Edit] = []
    if "@/" not in text:
        return edits  # every link and definition rewritten here holds '@/'
    spans = _Spans(protected + edited)
    own_edits = _Spans(edited)
    line_of = _Lines(text)

    def target(match: re.Match[str], start: int) -> str | None:
        """The destination to write (None: no such page, warned)."""
        path = match.group("path")
        if path is None:
            path = match.group("apath")
        links.append(path)
        resolved = resolve_link(path)
        if resolved is None:
            diagnostics.append(_missing_link(path, first_line - 1 + line_of(start)))
            return None
        url = resolved + (match.group("anchor") or match.group("aanchor") or "")
        # a destination with a space only holds together in angle brackets
        angle = match.group("apath") is not None or " " in url
        return f"<{url}>" if angle else url

    for start, text_start, text_end, tail in _inline_links(text, spans):
        url = target(tail, start)
        closing = (text_end, tail.end())  # '](destination "title")'
        if url is not None:
            edits.append((*closing, f"]({url}{tail.group('title') or ''})"))
        elif text_start - start == 2 and own_edits.outside(text_start, text_end):
            edits.append((start, tail.end(), ""))  # an image of nothing: nothing
        else:
            # keep the words, drop the link: a dead link is worse than none
            edits.append((start, text_start, ""))
            edits.append((*closing, ""))
    # a definition is one line, holding its '@/': none starts before the first's line
    for match in _REFERENCE_DEFINITION.finditer(text, text.rfind("\n", 0, text.find("@/")) + 1):
        if not spans.outside(match.start(), match.end()):
            continue
        url = target(match, match.start())
        if url is None:
            edits.append((match.start(), match.end("url"), ""))
        else:
            # only the URL changes: the rest of the line may hold other links
            edits.append((*match.span("url"), url if url.startswith("<") else f"<{url}>"))
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
        body, find_protected_spans(body), [], resolve_link, links, diagnostics, first_line
    )
    shortcode = call.shortcode._replace(body=_apply(body, edits))
    return call._replace(shortcode=shortcode)


def _has_h1(body: str) -> bool:
    """A level-1 ATX heading outside code (a ``# comment`` in a fence is not one)."""
    in_code = _Spans(find_protected_spans(body))  # once: a long script has many '#' lines
    return any(in_code.outside(m.start(), m.end()) for m in _ATX_H1.finditer(body))


def _missing_link(path: str, line: int) -> Diagnostic:
    return Diagnostic(
        Subtype.link,
        f"internal link '@/{path}' points to no page of this project; shown as plain text",
        line,
    )
