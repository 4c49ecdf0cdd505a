"""A page's summary as Zola has it, for listings, feeds and ``og:description``.

Zola's ``page.summary`` is the content before ``<!-- more -->``; where a page
has no marker, the listings here fall back to the description, then to the
first paragraph (so every listed page says something about itself).
"""

from __future__ import annotations

import re

#: Zola's summary marker (``<!-- more -->``, spaces optional)
MORE_MARKER = re.compile(r"<!--\s*more\s*-->")


def has_more_marker(text: str) -> bool:
    return MORE_MARKER.search(text) is not None


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    flat = " ".join(text.split())
    return flat or None


def pick_summary(
    before_more: str | None, description: str | None, first_paragraph: str | None
) -> str | None:
    """The text before ``<!-- more -->``, else the description, else the first paragraph
    (each with its whitespace folded; an empty one does not count)."""
    for candidate in (before_more, description, first_paragraph):
        cleaned = _clean(candidate)
        if cleaned is not None:
            return cleaned
    return None
