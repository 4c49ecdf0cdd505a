"""Reading time in the article header (``topofmind_reading_time``), from Zola's word
count (:mod:`..zola.words`).

The words are counted from the Markdown as written (after the front matter, before
any rewriting), as Zola counts ``page.raw_content``: when the source is read where
the header shows the reading time (each document's count kept in a record), and
otherwise from the source file when a listing shows reading times
(``article-list``'s ``:show: reading_time``, :func:`words_of`).  The header label
goes through the locale machinery like the other header labels.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.transforms import SphinxTransform

from .. import state
from ..i18n import _
from ..zola.frontmatter import split_front_matter
from ..zola.words import reading_minutes, word_count
from .frontmatter import header_for
from .rewrite import document_store, is_markdown

#: the per-document key of the count while the document is read, and the records' key
CURRENT = "topofmind_word_count"
KEY = "word_counts"
#: this build's counts of documents their header did not count (``state.current``)
FROM_FILES = "word_counts_from_files"


def reading_time_label(words: int | None) -> str:
    """``5 min read`` (translated); empty for no words."""
    if not words:
        return ""
    return _("%d min read") % reading_minutes(words)


def body_words(text: str) -> int | None:
    """Zola's word count of a source text: the words after its front matter (None
    without front matter: not an article)."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    split = split_front_matter(text)
    if split is None or split.last_line is None:
        return None
    # what follows the closing line (as "\n".join(lines[last_line:]), without the copy)
    start = 0
    for _line in range(split.last_line):
        start = text.find("\n", start) + 1
        if not start:
            start = len(text)
            break
    return word_count(text[start:])


def count_words(app: Sphinx, docname: str, source: list[str]) -> None:
    """Before the rewrite (priority 500) changes the text: Zola counts the raw Markdown.

    Only where the header shows the reading time: counting is most of the cost of this
    feature (about 1 % of a fresh build), and a listing that shows reading times asks
    :func:`words_of`, which counts the listed articles' files."""
    if not app.config.topofmind_reading_time or not is_markdown(app.env, docname):
        return
    words = body_words(source[0])
    if words is not None:
        document_store(app.env)[CURRENT] = words


def words_of(env: BuildEnvironment, docname: str) -> int | None:
    """A document's word count: its record when its header counted it, else counted
    from its source file, once for each version of the file."""
    records: dict[str, int] = state.get(env, KEY, dict)
    counted = records.get(docname)
    if counted is not None or not is_markdown(env, docname):
        return counted
    path = Path(env.doc2path(docname))
    try:
        stat = path.stat()
    except OSError:
        return None
    memo: dict[tuple[str, int, int], int | None] = state.current(env).setdefault(FROM_FILES, {})
    key = (docname, stat.st_mtime_ns, stat.st_size)
    if key not in memo:
        encoding = env.settings.get("input_encoding", "utf-8-sig")
        try:
            memo[key] = body_words(path.read_text(encoding=encoding, errors="replace"))
        except (OSError, LookupError):
            memo[key] = None
    return memo[key]


class WordCountCollector(state.RecordCollector):
    """``{docname: words}`` of every document with front matter."""

    key = KEY

    def process_doc(self, app: Sphinx, doctree: nodes.document) -> None:
        words = document_store(app.env).get(CURRENT)
        if words is not None:
            self.records(app.env)[app.env.docname] = words


class InsertReadingTime(SphinxTransform):
    """``5 min read`` at the end of the header's date line (after the header is made)."""

    default_priority = 211

    def apply(self, **kwargs: Any) -> None:
        if not self.config.topofmind_reading_time:
            return
        label = reading_time_label(document_store(self.env).get(CURRENT))
        if not label or self.env.docname.rsplit("/", 1)[-1] == "_index":
            return
        header_for(self.document, self.env.docname)["reading_time"] = label


def setup(app: Sphinx) -> None:
    app.connect("source-read", count_words, priority=400)
    app.add_env_collector(WordCountCollector)
    app.add_transform(InsertReadingTime)
