"""Atom feeds: the whole site, each tag and each series.

Feeds are written for the ``html`` and ``dirhtml`` builders only, at the end
of every build, from small records kept in the environment (the collector's
:class:`~.collector.Article` records plus one summary per document collected
here), so a new or changed article shows up in the feeds of an incremental
build without re-reading anything else.

Every URL in a feed is absolute, made from ``topofmind_base_url`` (which
defaults to ``html_baseurl``) and the builder's own target URIs.  With
``topofmind_feed_content = "full"`` each article's rendered body is captured
on ``html-page-context`` (in whichever process writes the page, so ``-j``
works), its links made absolute, and kept in a small per-builder cache under
the doctree dir, so pages that an incremental build does not rewrite keep
their content in the feeds.

Pages that have a feed advertise it with ``<link rel="alternate"
type="application/atom+xml">`` in their head (``metatags``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import posixpath
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import quote, urljoin

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.util.logging import getLogger

from ... import state
from ...collector import Article, articles, derived
from ...config import Option, add_options, reset_invalid
from ...nodes import article_header, series_nav, series_nav_placeholder
from ...zola.diagnostics import WARNING_TYPE, Subtype
from ...zola.taxonomy import instant

logger = getLogger(__name__)

#: the builders that get feeds (epub and singlehtml have no per-article URLs)
FEED_BUILDERS = ("html", "dirhtml")
FEED_KINDS = ("site", "tags", "series")
CONTENT_MODES = ("summary", "full")
DEFAULT_PATHS = {
    "site": "atom.xml",
    "tags": "{tags_path}/{slug}.xml",
    "series": "feeds/{series}.xml",
}
#: the placeholders each path may (and, for tags and series, must) hold
_PATH_FIELDS = {"site": (), "tags": ("tags_path", "slug"), "series": ("series",)}
ATOM_TYPE = "application/atom+xml"
#: a summary taken from the article's first paragraph is cut to about this many characters
SUMMARY_CHARS = 600
#: most categories (tags) one feed entry carries: an article with thousands of tags
#: appears in thousands of tag feeds, and each copy of the entry must stay small
MAX_ENTRY_CATEGORIES = 50
_CACHE_DIR = "topofmind-feeds"


# --- configuration ---------------------------------------------------------------


def _check_feeds(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list | tuple) and all(item in FEED_KINDS for item in value):
        return None
    return f"must be None or a list of {', '.join(repr(k) for k in FEED_KINDS)}"


def _check_limit(value: Any) -> str | None:
    if value is None or (isinstance(value, int) and not isinstance(value, bool) and value >= 1):
        return None
    return "must be a whole number >= 1, or None for no limit"


def _check_content(value: Any) -> str | None:
    return None if value in CONTENT_MODES else f"must be one of {', '.join(CONTENT_MODES)}"


def _check_paths(value: Any) -> str | None:
    if not isinstance(value, dict):
        return "must be a dict of feed kind -> file path pattern"
    for kind, pattern in value.items():
        if kind not in FEED_KINDS:
            return f"has an unknown feed kind {kind!r}"
        if not isinstance(pattern, str) or not pattern.strip():
            return f"path of the {kind!r} feeds must be a non-empty string"
        dummy = {name: "x" for name in _PATH_FIELDS[kind]}
        try:
            path = pattern.format(**dummy)
        except (KeyError, IndexError, ValueError):
            allowed = ", ".join("{" + f + "}" for f in _PATH_FIELDS[kind]) or "no placeholder"
            return f"path {pattern!r} of the {kind!r} feeds may only use {allowed}"
        parts = path.replace("\\", "/").split("/")
        if path.startswith(("/", "\\")) or ".." in parts or path.endswith("/"):
            return f"path {pattern!r} must be a relative file path that stays inside the output"
        needed = {"tags": "slug", "series": "series"}.get(kind)
        if needed and "{" + needed + "}" not in pattern:
            return f"path {pattern!r} of the {kind!r} feeds must hold {{{needed}}}"
    return None


OPTIONS: tuple[Option, ...] = (
    Option(
        "feeds",
        None,
        "html",
        _check_feeds,
        "Which Atom feeds to write: a list of ``site``, ``tags``, ``series``. None: all "
        "of them when a base URL is known, none (silently) otherwise.",
    ),
    Option("feed_limit", 20, "", _check_limit, "Most entries per feed (None: no limit)."),
    Option(
        "feed_content",
        "summary",
        "html",
        _check_content,
        "``summary``: the description or first paragraph; ``full``: the whole article too.",
    ),
    Option(
        "feed_paths",
        {},
        "html",
        _check_paths,
        "Feed file paths in the output, per kind: ``site`` (default ``atom.xml``), ``tags`` "
        "(``{tags_path}/{slug}.xml``), ``series`` (``feeds/{series}.xml``).",
    ),
)


def validate(app: Sphinx, config: Config) -> None:
    """Warn about and reset invalid feed values (as :func:`.config.validate` does)."""
    reset_invalid(config, OPTIONS)


def base_url(app: Sphinx) -> str:
    return (app.config.topofmind_base_url or "").strip()


def wanted(app: Sphinx) -> tuple[str, ...]:
    """The feed kinds this build writes (none without a base URL or in other builders)."""
    builder = getattr(app, "builder", None)
    if builder is None or builder.name not in FEED_BUILDERS or builder.format != "html":
        return ()
    if not base_url(app):
        return ()
    kinds = app.config.topofmind_feeds
    return FEED_KINDS if kinds is None else tuple(k for k in FEED_KINDS if k in kinds)


def _check_base_url(app: Sphinx) -> None:
    """One warning when feeds were asked for but no absolute URL can be made."""
    builder = app.builder
    if builder.name not in FEED_BUILDERS or builder.format != "html":
        return
    if app.config.topofmind_feeds and not base_url(app):
        logger.warning(
            "topofmind_feeds asks for Atom feeds, but neither topofmind_base_url nor "
            "html_baseurl is set: feeds need absolute URLs, so none are written",
            type=WARNING_TYPE,
            subtype=Subtype.config.value,
        )


def feed_path(app: Sphinx, kind: str, **fields: str) -> str:
    """The feed's file path in the output, ``/``-separated."""
    pattern = {**DEFAULT_PATHS, **app.config.topofmind_feed_paths}[kind]
    if kind == "tags":
        fields.setdefault("tags_path", app.config.topofmind_tags_path.replace("\\", "/").strip("/"))
    path = pattern.format(**fields).replace("\\", "/")
    return posixpath.normpath(path).lstrip("/")


# --- URLs --------------------------------------------------------------------------


def absolute(app: Sphinx, path: str) -> str:
    """An output path or target URI (already quoted, or not) made absolute."""
    # quote() encodes controls, but cannot encode a lone surrogate (no UTF-8 for it)
    path = xml_safe(path)[0] if _NOT_XML.search(path) else path
    return base_url(app).rstrip("/") + "/" + quote(path, safe="/#%:@!$&'()*+,;=~?")


def page_url(app: Sphinx, pagename: str) -> str:
    return absolute(app, app.builder.get_target_uri(pagename))


def feed_url(app: Sphinx, kind: str, **fields: str) -> str:
    return absolute(app, feed_path(app, kind, **fields))


# --- summaries: one small record per document --------------------------------------


def summaries(env: BuildEnvironment) -> dict[str, str]:
    return state.get(env, "feed_summaries", dict)


_SKIPPED = (
    article_header,
    series_nav,
    series_nav_placeholder,
    nodes.Admonition,
    nodes.topic,
    nodes.sidebar,
    nodes.table,
    nodes.footnote,
    nodes.citation,
    nodes.system_message,
)


def first_paragraph(doctree: nodes.Node) -> str | None:
    """The text of the first paragraph that has any (not the header, a nav or an admonition)."""
    for para in doctree.findall(nodes.paragraph):
        parent = para.parent
        skipped = False
        while parent is not None:
            if isinstance(parent, _SKIPPED):
                skipped = True
                break
            parent = parent.parent
        if skipped:
            continue
        text = " ".join(para.astext().split())
        if text:
            if len(text) > SUMMARY_CHARS:
                text = text[:SUMMARY_CHARS].rsplit(" ", 1)[0] + " …"
            return text
    return None


class FeedSummaryCollector(state.RecordCollector):
    """``{docname: first paragraph}`` for the feeds' summaries."""

    key = "feed_summaries"

    def process_doc(self, app: Sphinx, doctree: nodes.document) -> None:
        text = first_paragraph(doctree)
        if text:
            summaries(app.env)[app.env.docname] = text


# --- which articles go in a feed ---------------------------------------------------


#: a front-matter date as an aware datetime (the tag pages sort by the same rule)
_moment = instant


def is_feed_article(app: Sphinx, record: Article | None) -> bool:
    """A dated page with front matter; not a section (``_index``), not a draft.

    Zola's feeds hold pages only, and need their dates."""
    if record is None or not record.has_front_matter or _moment(record.date) is None:
        return False
    if record.draft and not app.config.topofmind_drafts:
        return False
    if posixpath.basename(record.docname) == "_index":
        return False
    return record.docname in app.env.all_docs


def newest_first(app: Sphinx, docnames: Iterable[str]) -> list[Article]:
    records = articles(app.env)
    chosen = [records[d] for d in dict.fromkeys(docnames) if is_feed_article(app, records.get(d))]
    chosen.sort(key=lambda r: (r.title, r.docname))
    chosen.sort(key=lambda r: _moment(r.date), reverse=True)  # type: ignore[arg-type,return-value]
    limit = app.config.topofmind_feed_limit
    return chosen if limit is None else chosen[:limit]


# --- text XML can hold --------------------------------------------------------------

#: what XML 1.0 cannot hold: C0 controls but tab, newline and carriage return, lone
#: surrogates (no UTF-8 exists for them), U+FFFE and U+FFFF
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _replacement(match: re.Match[str]) -> str:
    # a lone surrogate stood for a character that got lost: mark the place; controls go
    return "\ufffd" if "\ud800" <= match.group() <= "\udfff" else ""


def xml_safe(text: str) -> tuple[str, list[str]]:
    """*text* as XML can hold it, and the characters taken out (first appearance order).

    Controls (bell, escape, form feed, NUL, ...) are dropped; a lone surrogate
    becomes U+FFFD."""
    found = _NOT_XML.findall(text)
    if not found:
        return text, []
    return _NOT_XML.sub(_replacement, text), list(dict.fromkeys(found))


def _codepoints(chars: Iterable[str]) -> str:
    return ", ".join(f"U+{ord(ch):04X}" for ch in chars)


# --- full content ------------------------------------------------------------------


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


def _capture_body(app: Sphinx, pagename: str, context: dict[str, Any]) -> None:
    if app.config.topofmind_feed_content != "full" or "body" not in context:
        return
    if not is_feed_article(app, articles(app.env).get(pagename)):
        return
    # lxml cuts a text short at a lone surrogate: those are replaced first, and kept to be
    # reported with the rest of the entry (controls stay: render_feed takes them out of
    # what is left once the title and header are dropped)
    body = context["body"]
    removed = list(dict.fromkeys(_SURROGATE.findall(body)))
    if removed:
        body = _SURROGATE.sub("\ufffd", body)
    cached = {"body": absolutize(body, page_url(app, pagename)), "removed": removed}
    path = _cache_file(app, pagename)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(cached), encoding="utf-8")


def _full_content(app: Sphinx, docname: str) -> tuple[str, tuple[str, ...]] | None:
    """The captured body and the characters taken out of it (``None``: not captured)."""
    try:
        cached = json.loads(_cache_file(app, docname).read_text(encoding="utf-8"))
        return str(cached["body"]), tuple(str(ch) for ch in cached["removed"])
    except (OSError, ValueError, KeyError, TypeError):
        return None  # not written yet, or by an older version: the entry has no content


# --- the feeds ---------------------------------------------------------------------


def _site_title(app: Sphinx) -> str:
    return app.config.html_title or app.config.project or "Site"


def _series_title(app: Sphinx, series: str) -> str:
    return app.config.topofmind_series.get(series, {}).get("title") or series


def _series_docnames(app: Sphinx, series: str) -> list[str]:
    """Every page of the series: its ordered entries and the pages showing its nav."""
    state = derived(app.env)
    order = state.orders.get(series) if state is not None else None
    found = [e.docname for e in order.entries if e.docname] if order is not None else []
    found += [
        r.docname for r in articles(app.env).values() if any(m.series == series for m in r.mentions)
    ]
    return [d for d in dict.fromkeys(found) if d in app.env.all_docs]


def _series_home(app: Sphinx, series: str) -> str | None:
    """The series' own page: the section showing its nav, else its first entry."""
    pages = _series_docnames(app, series)
    sections = [d for d in pages if posixpath.basename(d) == "_index"]
    return sections[0] if sections else (pages[0] if pages else None)


def entry_categories(names: Iterable[str]) -> tuple[str, ...]:
    """The distinct category names of an entry, at most :data:`MAX_ENTRY_CATEGORIES`."""
    found: dict[str, None] = {}
    for name in names:
        if len(found) >= MAX_ENTRY_CATEGORIES:
            break
        found.setdefault(name)
    return tuple(found)


def _category_names(app: Sphinx, record: Article) -> Iterable[str]:
    state = derived(app.env)
    for tag in record.tags:
        if not isinstance(tag, str) or not tag.strip():
            continue
        found = state.taxonomy.for_tag(tag) if state is not None else None
        yield found.name if found is not None else tag


def _entry_summary(app: Sphinx, record: Article) -> str | None:
    if record.description and record.description.strip():
        return " ".join(record.description.split())
    return summaries(app.env).get(record.docname)


@dataclasses.dataclass(frozen=True)
class EntryData:
    """One feed entry, as plain data (made once per article and build)."""

    docname: str
    url: str
    title: str
    published: dt.datetime
    updated: dt.datetime
    summary: str | None = None
    #: the rendered article (HTML), with ``topofmind_feed_content = "full"``
    content: str | None = None
    categories: tuple[str, ...] = ()
    #: characters already taken out of the content when it was captured
    removed: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class FeedData:
    """One feed, as plain data."""

    self_url: str
    title: str
    alternate: str
    updated: dt.datetime
    entries: tuple[EntryData, ...] = ()
    subtitle: str | None = None
    author: str | None = None
    language: str | None = None
    #: the article answering for the feed's own title (the first of a tag's articles)
    owner: str | None = None


#: the parts of a feed that text can lose characters from, in the order warnings name them
_FIELDS = ("title", "summary", "content", "tags", "feed title", "URL", "author", "language")

#: ``(docname or None for the configuration, field, characters taken out)``
Report = Callable[[str | None, str, list[str]], None]


def entry_data(app: Sphinx, record: Article) -> EntryData:
    published = _moment(record.date)
    updated = _moment(record.updated) or published
    assert published is not None and updated is not None  # is_feed_article checked the date
    content = removed = None
    full = app.config.topofmind_feed_content == "full"
    if full and (captured := _full_content(app, record.docname)) is not None:
        content, removed = captured
    return EntryData(
        docname=record.docname,
        url=page_url(app, record.docname),
        title=record.title,
        published=published,
        updated=updated,
        summary=_entry_summary(app, record),
        content=content,
        categories=entry_categories(_category_names(app, record)),
        removed=removed or (),
    )


def render_feed(feed: FeedData, report: Report | None = None) -> bytes:
    """The Atom XML of *feed*.

    This is the one place text reaches feedgen: every string passes
    :func:`xml_safe` here (feedgen's lxml refuses controls and lone
    surrogates), and what was taken out goes to *report*."""
    from feedgen.feed import FeedGenerator

    from ... import __version__

    def clean(text: str, docname: str | None, field: str) -> str:
        safe, removed = xml_safe(text)
        if removed and report is not None:
            report(docname, field, removed)
        return safe

    owner = feed.owner
    fg = FeedGenerator()
    fg.id(clean(feed.self_url, owner, "URL"))
    # Atom needs a title: one with nothing left (only controls) becomes the URL
    fg.title(clean(feed.title, owner, "feed title") or clean(feed.self_url, owner, "URL"))
    if feed.subtitle:
        fg.subtitle(clean(feed.subtitle, owner, "feed title"))
    fg.link(href=clean(feed.alternate, owner, "URL"), rel="alternate", type="text/html")
    fg.link(href=clean(feed.self_url, owner, "URL"), rel="self", type=ATOM_TYPE)
    if feed.author:
        fg.author({"name": clean(feed.author, None, "author")})
    if feed.language:
        fg.language(clean(feed.language, None, "language"))
    fg.generator("sphinx-topofmind", version=__version__)
    for data in feed.entries:
        doc = data.docname
        entry = fg.add_entry(order="append")
        url = clean(data.url, doc, "URL")
        entry.id(url)
        entry.title(clean(data.title, doc, "title") or url)
        entry.link(href=url, rel="alternate", type="text/html")
        entry.published(data.published)
        entry.updated(data.updated)
        if data.summary:
            entry.summary(clean(data.summary, doc, "summary"))
        if data.content is not None:
            entry.content(clean(data.content, doc, "content"), type="html")
            if data.removed and report is not None:
                report(doc, "content", list(data.removed))
        terms = [term for name in data.categories if (term := clean(name, doc, "tags"))]
        if terms:
            # all at once: feedgen rebuilds its whole category list on every call
            entry.category([{"term": term, "label": term} for term in terms])
    fg.updated(feed.updated)
    data_bytes: bytes = fg.atom_str(pretty=True)
    return data_bytes


def build_feed(
    app: Sphinx,
    *,
    title: str,
    self_url: str,
    alternate: str,
    entries: list[Article],
    subtitle: str | None = None,
    owner: str | None = None,
    made: dict[str, EntryData] | None = None,
) -> FeedData:
    """The feed's data; *made* holds the entries already made this build (an article
    with many tags is in many feeds: its entry is made once)."""
    made = {} if made is None else made
    datas = []
    for record in entries:
        if record.docname not in made:
            made[record.docname] = entry_data(app, record)
        datas.append(made[record.docname])
    newest = max((d.updated for d in datas), default=None)
    return FeedData(
        self_url=self_url,
        title=title,
        alternate=alternate,
        updated=newest or _site_updated(app),
        entries=tuple(datas),
        subtitle=subtitle,
        author=app.config.author or None,
        language=app.config.language or None,
        owner=owner,
    )


def _site_updated(app: Sphinx) -> dt.datetime:
    """The newest date of the whole site (an empty feed still needs an ``updated``)."""
    moments = [
        _moment(r.updated) or _moment(r.date)
        for r in articles(app.env).values()
        if is_feed_article(app, r)
    ]
    found = [m for m in moments if m is not None]
    return max(found) if found else dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def planned_feeds(app: Sphinx) -> list[tuple[str, dict[str, Any]]]:
    """``(output path, build_feed keywords)`` for every feed of this build."""
    kinds = wanted(app)
    if not kinds:
        return []
    from ..taxonomy import tag_pagename

    site_title = _site_title(app)
    plans: list[tuple[str, dict[str, Any]]] = []
    if "site" in kinds:
        plans.append(
            (
                feed_path(app, "site"),
                {
                    "title": site_title,
                    "self_url": feed_url(app, "site"),
                    "alternate": page_url(app, app.config.root_doc),
                    "entries": newest_first(app, articles(app.env)),
                },
            )
        )
    state = derived(app.env)
    if "tags" in kinds and state is not None:
        for tag in state.taxonomy.tags:
            plans.append(
                (
                    feed_path(app, "tags", slug=tag.slug),
                    {
                        "title": f"{site_title}: {tag.name}",
                        "subtitle": f"Articles tagged {tag.name}",
                        "self_url": feed_url(app, "tags", slug=tag.slug),
                        "alternate": page_url(app, tag_pagename(app, tag.slug)),
                        "entries": newest_first(app, tag.docnames),
                        "owner": tag.docnames[0] if tag.docnames else None,
                    },
                )
            )
    if "series" in kinds:
        for series in app.config.topofmind_series:
            home = _series_home(app, series)
            if home is None:
                continue
            plans.append(
                (
                    feed_path(app, "series", series=series),
                    {
                        "title": f"{site_title}: {_series_title(app, series)}",
                        "self_url": feed_url(app, "series", series=series),
                        "alternate": page_url(app, home),
                        "entries": newest_first(app, _series_docnames(app, series)),
                    },
                )
            )
    return plans


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
    # the feeds of tags nobody uses any more (as tags.py removes their pages)
    if "tags" in wanted(app):
        for slug in state.peek(app.env, "stale_tag_slugs") or ():
            stale = (outdir / feed_path(app, "tags", slug=slug)).resolve()
            if feed_path(app, "tags", slug=slug) not in planned and stale.is_relative_to(outdir):
                stale.unlink(missing_ok=True)
    for path, keywords in plans:
        if path in written:
            logger.warning(
                f"two feeds would be written to {path!r}; only the first is (check "
                "topofmind_feed_paths)",
                type=WARNING_TYPE,
                subtype=Subtype.config.value,
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
        fields = [field for field in _FIELDS if field in named]
        message = (
            f"characters that XML cannot hold ({_codepoints(chars)}) are left out of the "
            f"Atom feeds ({', '.join(fields)})"
        )
        location: Any
        if docname is None:
            location = str(Path(app.confdir) / "conf.py")
        else:
            location = (docname, _line_of(app, docname, chars))
        logger.warning(message, type=WARNING_TYPE, subtype=Subtype.feed.value, location=location)


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


# --- <link rel="alternate"> in the pages ---------------------------------------------


def _feeds_by_page(app: Sphinx) -> dict[str, list[tuple[str, str]]]:
    """Page name -> its own tag and series feeds; computed once per build."""
    state = derived(app.env)
    cached = getattr(app, "_topofmind_feeds_by_page", None)
    if cached is not None and cached[0] is state and cached[1] == app.builder.name:
        return cached[2]
    from ..taxonomy import tag_pagename

    kinds = wanted(app)
    site_title = _site_title(app)
    found: dict[str, list[tuple[str, str]]] = {}
    if "tags" in kinds and state is not None:
        for tag in state.taxonomy.tags:
            found.setdefault(tag_pagename(app, tag.slug), []).append(
                (f"{site_title}: {tag.name}", feed_url(app, "tags", slug=tag.slug))
            )
    if "series" in kinds:
        for series in app.config.topofmind_series:
            link = (
                f"{site_title}: {_series_title(app, series)}",
                feed_url(app, "series", series=series),
            )
            for docname in _series_docnames(app, series):
                found.setdefault(docname, []).append(link)
    # the state is kept referenced, so an identity check cannot be fooled by a reused id
    app._topofmind_feeds_by_page = (state, app.builder.name, found)  # type: ignore[attr-defined]
    return found


def page_feeds(app: Sphinx, pagename: str) -> list[tuple[str, str]]:
    """``(title, absolute URL)`` of the feeds a page advertises."""
    kinds = wanted(app)
    if not kinds:
        return []
    found: list[tuple[str, str]] = []
    if "site" in kinds:
        found.append((_site_title(app), feed_url(app, "site")))
    return found + _feeds_by_page(app).get(pagename, [])


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
    )


def add_feed_links(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if not wanted(app):
        return
    links = "".join(
        f'\n<link rel="alternate" type="{ATOM_TYPE}" title="{_escape(title)}" href="{_escape(url)}" />'
        for title, url in page_feeds(app, pagename)
    )
    if links:
        context["metatags"] = (context.get("metatags") or "") + links
    _capture_body(app, pagename, context)


def register(app: Sphinx) -> None:
    add_options(app, OPTIONS)
    # after config.validate (priority 100), which fills topofmind_base_url from html_baseurl
    app.connect("config-inited", validate, priority=150)
    app.connect("builder-inited", _check_base_url)
    app.add_env_collector(FeedSummaryCollector)
    app.connect("html-page-context", add_feed_links)
    app.connect("build-finished", write_feeds)
