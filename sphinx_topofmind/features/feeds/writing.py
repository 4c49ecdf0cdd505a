"""Writing the feeds at the end of a build: each planned feed rendered and written
(only when its bytes change), the feeds of tags nobody uses any more removed, and
one warning per article whose text lost characters XML cannot hold."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from ... import state
from ...collector import WHOLE_TAXONOMY
from ...config import conf_location
from ...report import warn
from ...zola.diagnostics import Subtype
from .assembly import build_feed, planned_feeds, term_feed_path
from .options import wanted
from .render import FIELDS, EntryData, render_feed
from .xmltext import codepoints


def write_feeds(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or not wanted(app):
        return
    outdir = Path(app.outdir).resolve()
    written: set[str] = set()
    made: dict[str, EntryData] = {}
    removed: dict[str | None, dict[str, dict[str, None]]] = {}

    def report(docname: str | None, field: str, chars: list[str]) -> None:
        found = removed.setdefault(docname, {})
        for char in chars:
            found.setdefault(char, {})[field] = None

    plans = planned_feeds(app)
    planned = {path for path, _ in plans}
    # the feeds of terms nobody uses any more (as taxonomy.py removes their pages)
    stale_terms: dict[str, set[str]] = state.peek(app.env, "stale_terms") or {}
    for name, slugs in stale_terms.items():
        kind = "tags" if name == "tags" else "taxonomies"
        if kind not in wanted(app):
            continue
        for slug in slugs - {WHOLE_TAXONOMY}:
            if "/" in slug:
                continue  # a further page of a term's listing: it has no feed of its own
            path = term_feed_path(app, kind, name, slug)
            stale = (outdir / path).resolve()
            if path not in planned and stale.is_relative_to(outdir):
                stale.unlink(missing_ok=True)
    for path, keywords in plans:
        if path in written:
            warn(
                Subtype.config,
                f"two feeds would be written to {path!r}; only the first is (check "
                "topofmind_feed_paths)",
                conf_location(app.config, "topofmind_feed_paths"),
            )
            continue
        target = (outdir / path).resolve()
        if not target.is_relative_to(outdir):
            continue
        written.add(path)
        data = render_feed(build_feed(app, made=made, **keywords), report)
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.is_file() or target.read_bytes() != data:
            target.write_bytes(data)
    _report_removed(app, removed)


def _report_removed(app: Sphinx, removed: dict[str | None, dict[str, dict[str, None]]]) -> None:
    """One warning per article (or for the configuration) whose text lost characters."""
    for docname in sorted(removed, key=lambda d: (d is not None, d or "")):
        chars = removed[docname]
        named = {field for found in chars.values() for field in found}
        fields = [field for field in FIELDS if field in named]
        message = (
            f"characters that XML cannot hold ({codepoints(chars)}) are left out of the "
            f"Atom feeds ({', '.join(fields)})"
        )
        location: Any
        if docname is None:
            location = str(Path(app.confdir) / "conf.py")
        else:
            location = (docname, _line_of(app, docname, chars))
        warn(Subtype.feed, message, location)


def _line_of(app: Sphinx, docname: str, chars: Iterable[str]) -> int:
    """The first line of the article's source holding one of *chars* (else 1: a lone
    surrogate, say, came from an escape in the front matter)."""
    try:
        text = Path(app.env.doc2path(docname)).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return 1
    wanted_chars = set(chars)
    for number, line in enumerate(text.split("\n"), start=1):
        if not wanted_chars.isdisjoint(line):
            return number
    return 1
