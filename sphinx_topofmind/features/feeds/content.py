"""The full-content capture (``topofmind_feed_content = "full"``).

Each article's rendered body is captured on ``html-page-context`` (in whichever
process writes the page, so ``-j`` works), its links made absolute, and kept in
a small per-builder cache under the doctree dir, so pages that an incremental
build does not rewrite keep their content in the feeds.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from sphinx.application import Sphinx

from ...collector import articles
from .options import page_url, wanted
from .summaries import is_feed_article
from .xmltext import SURROGATE

_CACHE_DIR = "topofmind-feeds"


def _cache_dir(app: Sphinx) -> Path:
    return Path(app.doctreedir) / _CACHE_DIR / app.builder.name


def _cache_file(app: Sphinx, docname: str) -> Path:
    return _cache_dir(app) / (docname + ".html")


def absolutize(body: str, url: str) -> str:
    """The body HTML with every link, image and source URL made absolute against *url*.

    Sphinx's heading permalinks (``¶``), the page's ``h1`` and the article header
    (dates and tags, which the entry carries itself) are dropped."""
    from lxml import html as lxml_html

    root = lxml_html.fragment_fromstring(body, create_parent="div")
    dropped = root.xpath(f".//a[{_has_class('headerlink')}]")
    # the entry has its own title, dates and categories: the page's h1 and header go
    dropped += root.xpath(f".//div[{_has_class('topofmind-article-header')}]")
    dropped += root.xpath(".//h1")[:1]
    for element in dropped:
        element.drop_tree()  # keeps the tail text
    root.make_links_absolute(url, resolve_base_href=False)
    for element in root.iter():
        srcset = element.get("srcset") if isinstance(element.tag, str) else None
        if srcset:
            element.set("srcset", _absolute_srcset(srcset, url))
    text = root.text or ""
    return text + "".join(lxml_html.tostring(child, encoding="unicode") for child in root)


def _has_class(name: str) -> str:
    return f'contains(concat(" ", normalize-space(@class), " "), " {name} ")'


def _absolute_srcset(value: str, url: str) -> str:
    items = []
    for item in value.split(","):
        parts = item.strip().split(None, 1)
        if parts:
            parts[0] = urljoin(url, parts[0])
            items.append(" ".join(parts))
    return ", ".join(items)


def capture_page(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """``html-page-context``: capture the page's body, in a build that writes feeds."""
    if wanted(app):
        capture_body(app, pagename, context)


def capture_body(app: Sphinx, pagename: str, context: dict[str, Any]) -> None:
    if app.config.topofmind_feed_content != "full" or "body" not in context:
        return
    if not is_feed_article(app, articles(app.env).get(pagename)):
        return
    # lxml cuts a text short at a lone surrogate: those are replaced first, and kept to be
    # reported with the rest of the entry (controls stay: render_feed takes them out of
    # what is left once the title and header are dropped)
    body = context["body"]
    removed = list(dict.fromkeys(SURROGATE.findall(body)))
    if removed:
        body = SURROGATE.sub("\ufffd", body)
    cached = {"body": absolutize(body, page_url(app, pagename)), "removed": removed}
    path = _cache_file(app, pagename)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(cached), encoding="utf-8")


def full_content(app: Sphinx, docname: str) -> tuple[str, tuple[str, ...]] | None:
    """The captured body and the characters taken out of it (``None``: not captured)."""
    try:
        cached = json.loads(_cache_file(app, docname).read_text(encoding="utf-8"))
        return str(cached["body"]), tuple(str(ch) for ch in cached["removed"])
    except (OSError, ValueError, KeyError, TypeError):
        return None  # not written yet, or by an older version: the entry has no content
