"""Detect and repair mojibake: UTF-8 text that was decoded with the wrong codec.

Articles sometimes reach us after a trip through a Mac (UTF-8 bytes read as
Mac Roman) or a Windows tool (read as cp1252 / Latin-1), so ``résumé`` shows
up as ``r√©sum√©`` and ``🦄`` as ``\\uf8ffü¶Ñ``.

The repair works line by line, in two stages:

1. :func:`ftfy.fix_text`, restricted to *encoding* repair: quotes, ligatures,
   character width, HTML entities, line breaks, control characters and Unicode
   normalisation are left alone, because clean text must come back unchanged.
2. A Mac Roman fallback for what ftfy misses.  ftfy 6.3 does not consider U+F8FF
   (the Apple logo, Mac Roman byte 0xF0 and the lead byte of every 4-byte
   UTF-8 sequence, i.e. most emoji), so emoji mojibake survives stage 1.  We
   take each run of characters from the Mac Roman high half (bytes 0x80-0xFF),
   re-encode it as Mac Roman and, greedily from the left, replace the longest
   sub-run whose strict UTF-8 decode is plausible (see :func:`_plausible`), in
   time linear in the run (see :func:`_fix_run`).

Lines are split on ``\\n``, ``\\r\\n`` and ``\\r`` only; a repair never
changes the number of lines or the line endings, so line numbers of later
diagnostics stay valid.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any, NamedTuple

__all__ = ["Repair", "repair_text"]


@functools.cache
def _ftfy() -> tuple[Any, Any]:
    """ftfy and its configuration, imported on the first non-ASCII line: it takes a
    few hundredths of a second to import, on every build, and ASCII sites never need it."""
    import ftfy

    # Only encoding repair; everything that would "improve" clean text is off.
    config = ftfy.TextFixerConfig(
        unescape_html=False,
        remove_terminal_escapes=False,
        fix_encoding=True,
        restore_byte_a0=True,
        replace_lossy_sequences=True,
        decode_inconsistent_utf8=True,
        fix_c1_controls=True,
        fix_latin_ligatures=False,
        fix_character_width=False,
        uncurl_quotes=False,
        fix_line_breaks=False,
        fix_surrogates=False,
        remove_control_chars=False,
        normalization=None,
        explain=False,
    )
    return ftfy.fix_text, config


# The characters that Mac Roman bytes 0x80-0xFF decode to (U+F8FF included).
_MAC_HIGH = bytes(range(0x80, 0x100)).decode("mac_roman")
_MAC_RUN = re.compile("[" + re.escape(_MAC_HIGH) + "]{2,}")

# Line terminators we split on; the content part is what gets repaired.
_LINE = re.compile(r"([^\r\n]*)(\r\n|\r|\n|\Z)")

# Characters str.splitlines() treats as line boundaries; a repair that adds
# one would shift docutils' line numbering, so such repairs are refused.
_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")

# Bound on repeated passes (double-encoded text needs more than one).
_MAX_PASSES = 4


class Repair(NamedTuple):
    """One damaged line and its repair."""

    line: int
    """1-based line number in the original text."""
    original: str
    """The damaged line, without its line ending."""
    repaired: str
    """The repaired line, without its line ending."""


def _plausible(decoded: str) -> bool:
    """Whether a Mac Roman -> UTF-8 re-decode looks like real text.

    Two adjacent high-half characters in *clean* text can form valid UTF-8 by
    accident (``«Ç`` -> U+01C2, ``“É`` -> U+0483), so 2-byte results are only
    trusted in Latin-1 Supplement / Latin Extended-A (lead bytes ¬ √ ƒ ≈,
    which rarely precede an accented letter in real text) or when they form a
    word of at least two letters (Cyrillic, Greek, ...); a single other 2-byte
    character is left to ftfy.  Results with a 3- or 4-byte sequence (emoji,
    CJK, typographic punctuation) need two or three unlikely neighbours and
    are accepted when printable.
    """
    wide = False
    for ch in decoded:
        cp = ord(ch)
        if ch == "\u200d":  # zero width joiner, used in emoji sequences
            continue
        cat = unicodedata.category(ch)
        if cat[0] == "C" or cat in ("Zl", "Zp"):
            return False
        if cp >= 0x800:
            wide = True
    # A lone combining mark or variation selector is not something a writer typed.
    if unicodedata.category(decoded[0]).startswith("M"):
        return False
    if wide or all(0xA0 <= ord(ch) <= 0x17F for ch in decoded):
        return True
    # Other 2-byte scripts (Cyrillic, Greek, Hebrew, Arabic): a word of two or
    # more letters needs four or more unlikely neighbours; ftfy leaves these.
    return len(decoded) >= 2 and all(unicodedata.category(ch)[0] in "LM" for ch in decoded)


def _fix_run(run: str) -> str:
    """Repair the decodable sub-runs of a run of Mac Roman high-half characters.

    Greedy from the left, longest plausible sub-run first; UTF-8 is
    self-synchronising, so a stray real character before the damage (a curly
    quote, say) fails to decode and is kept as it is.

    Linear in the run: decoding from a byte either fails at once or follows the
    one parse of UTF-8 sequences from there, and the longest plausible prefix of a
    stretch of decoded characters is found from three facts about its suffixes
    (is there a wide character, how long do Latin letters and letters last), not by
    trying every sub-run (2,000 dashes took 14.5 s that way).
    """
    data = run.encode("mac_roman")  # one byte per character of the run
    out: list[str] = []
    i, n = 0, len(data)
    while i < n:
        chars, ends = _decode_stretch(data, i)
        if not chars:
            out.append(run[i])
            i += 1
            continue
        longest = _longest_plausible(chars)
        start = i
        k = 0
        while k < len(chars):
            last = longest[k]
            if last < 0:
                # no plausible sub-run starts here: keep the character's bytes as they were
                out.append(run[start : ends[k]])
                start = ends[k]
                k += 1
            else:
                out.append("".join(chars[k : last + 1]))
                start = ends[last]
                k = last + 1
        i = start
    return "".join(out)


def _decode_stretch(data: bytes, i: int) -> tuple[list[str], list[int]]:
    """The characters that decode strictly from ``data[i:]``, one UTF-8 sequence at a
    time, up to the first invalid sequence or the first character no plausible sub-run
    may hold (see :func:`_plausible`); and the offset after each."""
    chars: list[str] = []
    ends: list[int] = []
    n = len(data)
    while i < n:
        lead = data[i]
        size = 2 if 0xC2 <= lead <= 0xDF else 3 if 0xE0 <= lead <= 0xEF else 4
        if lead < 0xC2 or lead > 0xF4 or i + size > n:
            break
        try:
            char = data[i : i + size].decode("utf-8")
        except UnicodeDecodeError:
            break
        if _forbidden(char):
            break
        chars.append(char)
        i += size
        ends.append(i)
    return chars, ends


def _forbidden(ch: str) -> bool:
    """A character that makes every sub-run holding it implausible."""
    if ch == "\u200d":  # zero width joiner, used in emoji sequences
        return False
    cat = unicodedata.category(ch)
    return cat[0] == "C" or cat in ("Zl", "Zp")


def _longest_plausible(chars: list[str]) -> list[int]:
    """For each start ``k``, the last index ``e`` of the longest ``chars[k:e+1]`` that
    :func:`_plausible` accepts, or -1; none of ``chars`` is :func:`_forbidden`."""
    n = len(chars)
    # scanning from the right: the last wide character at or after k; where the run of
    # Latin-1 Supplement / Extended-A characters and the run of letters from k end
    last_wide = -1
    latin_end = letters_end = n
    longest = [-1] * n
    for k in range(n - 1, -1, -1):
        ch = chars[k]
        cp = ord(ch)
        if cp >= 0x800 and ch != "\u200d":
            last_wide = max(last_wide, k)
        if not 0xA0 <= cp <= 0x17F:
            latin_end = k
        if unicodedata.category(ch)[0] not in "LM":
            letters_end = k
        if unicodedata.category(ch).startswith("M"):
            continue  # a sub-run may not start with a combining mark
        if last_wide >= k:
            longest[k] = n - 1  # every longer sub-run holds the wide character too
        elif latin_end > k or letters_end > k + 1:
            longest[k] = max(latin_end, letters_end) - 1
    return longest


def _mac_roman_fallback(line: str) -> str:
    """Apply :func:`_fix_run` to every high-half run of length >= 2."""
    return _MAC_RUN.sub(lambda m: _fix_run(m.group(0)), line)


def _breaks(s: str) -> int:
    return sum(ch in _BREAKS for ch in s)


def _repair_line(line: str) -> str:
    """Repair one line (no line ending); return it unchanged when clean."""
    if line.isascii():
        return line  # ASCII cannot be mojibake of this kind; skip the work.
    current = line
    fix_text, config = _ftfy()
    for _ in range(_MAX_PASSES):
        fixed = fix_text(_mac_roman_fallback(current), config)
        if fixed == current:
            break
        current = fixed
    # Never let a repair introduce a line boundary (keeps line numbers valid).
    if _breaks(current) != _breaks(line):
        return line
    return current


def _split(text: str) -> list[tuple[str, str]]:
    """Split into ``(content, ending)`` pairs; joining them gives ``text`` back."""
    parts: list[tuple[str, str]] = []
    for m in _LINE.finditer(text):
        content, ending = m.group(1), m.group(2)
        # The empty match at the end; a final unterminated line is kept.
        if not content and not ending and m.start() == len(text):
            break
        parts.append((content, ending))
    return parts


def _process(text: str) -> tuple[str, list[Repair]]:
    out: list[str] = []
    repairs: list[Repair] = []
    for lineno, (content, ending) in enumerate(_split(text), start=1):
        fixed = _repair_line(content)
        if fixed != content:
            repairs.append(Repair(line=lineno, original=content, repaired=fixed))
        out.append(fixed + ending)
    return "".join(out), repairs


def repair_text(text: str) -> tuple[str, list[Repair]]:
    """Repair *text*; return it with the same lines and line endings, plus the repairs."""
    if text.isascii():
        return text, []  # every line is ASCII, which is never damaged (_repair_line)
    return _process(text)
