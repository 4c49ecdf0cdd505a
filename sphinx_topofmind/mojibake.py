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
   re-encode sub-runs as Mac Roman and accept a strict UTF-8 decode when the
   result is plausible (see :func:`_plausible`).

Lines are split on ``\\n``, ``\\r\\n`` and ``\\r`` only; a repair never
changes the number of lines or the line endings, so line numbers of later
diagnostics stay valid.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import ftfy

__all__ = ["Repair", "repair_text"]

# Only encoding repair; everything that would "improve" clean text is off.
_FTFY_CONFIG = ftfy.TextFixerConfig(
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


@dataclass(frozen=True)
class Repair:
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

    Greedy from the left, longest sub-run first; UTF-8 is self-synchronising,
    so a stray real character before the damage (a curly quote, say) fails to
    decode and is kept as it is.
    """
    out: list[str] = []
    i, n = 0, len(run)
    while i < n:
        for j in range(n, i + 1, -1):
            try:
                decoded = run[i:j].encode("mac_roman").decode("utf-8")
            except UnicodeError:
                continue
            if _plausible(decoded):
                out.append(decoded)
                i = j
                break
        else:
            out.append(run[i])
            i += 1
    return "".join(out)


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
    for _ in range(_MAX_PASSES):
        fixed = ftfy.fix_text(_mac_roman_fallback(current), _FTFY_CONFIG)
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
    return _process(text)
