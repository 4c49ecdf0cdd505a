"""Heading anchors as Zola makes them, so ``@/page.md#anchor`` links written for Zola resolve.

Zola slugifies headings with the ``slug`` crate: transliterate to ASCII,
lower-case, every run of other characters becomes one ``-``, trimmed.
"""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def zola_anchor(text: str) -> str:
    """``You Don’t Kiss on a First Date`` -> ``you-don-t-kiss-on-a-first-date``."""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = decomposed.encode("ascii", "ignore").decode("ascii")
    # characters with no ASCII form (curly quotes, CJK) still separate words, as in Zola
    if len(ascii_text) < len("".join(c for c in decomposed if not unicodedata.combining(c))):
        ascii_text = "".join(
            c if c.isascii() else "-" for c in decomposed if not unicodedata.combining(c)
        )
    return _NON_ALNUM.sub("-", ascii_text.lower()).strip("-")
