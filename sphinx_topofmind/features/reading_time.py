"""Reading time in the article header (``topofmind_reading_time``), from Zola's word
count (:mod:`..zola.words`).

The words are counted when the source is read, from the Markdown as written (after
the front matter, before any rewriting), as Zola counts ``page.raw_content``; each
document's count is kept in a record, which listings show too
(``article-list``'s ``:show: reading_time``).  The header label goes through the
locale machinery like the other header labels.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
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


def reading_time_label(words: int | None) -> str:
    """``5 min read`` (translated); empty for no words."""
    if not words:
        return ""
    return _("%d min read") % reading_minutes(words)


def count_words(app: Sphinx, docname: str, source: list[str]) -> None:
    """Before the rewrite (priority 500) changes the text: Zola counts the raw Markdown."""
    if not is_markdown(app.env, docname):
        return
    text = source[0].removeprefix("\ufeff").replace("\r\n", "\n")
    split = split_front_matter(text)
    if split is None or split.last_line is None:
        return  # no front matter: not an article
    # what follows the closing line (as "\n".join(lines[last_line:]), without the copy)
    start = 0
    for _line in range(split.last_line):
        start = text.find("\n", start) + 1
        if not start:
            start = len(text)
            break
    body = text[start:]
    document_store(app.env)[CURRENT] = word_count(body)


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
