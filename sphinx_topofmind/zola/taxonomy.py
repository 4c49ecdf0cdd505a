"""Zola tags: tag identity, display names and safe, distinct page slugs.

Identity
    Two tags are the same tag when their :func:`tag_key` is equal: invisible
    format characters (:data:`INVISIBLE`: zero-width space and joiners, word
    joiner, BOM, soft hyphen, bidi controls) removed, NFC normalisation,
    surrounding whitespace stripped, ``casefold()`` (then NFC again, because
    case folding can produce decomposed text).  A tag is shown with its most
    used spelling (without invisible characters); ties go to the spelling
    that sorts first.  A tag that held invisible characters is reported.

Order
    A tag's articles are listed newest first by the instant of their date
    (:func:`instant`): a date without a time is midnight UTC and a datetime
    without an offset is taken as UTC (the feeds use the same rule).

Slugs
    :func:`base_slug` depends only on the key, so a tag's page does not move
    when its display spelling changes.  ``+`` and ``#`` become the words
    ``plus`` and ``sharp`` (``C++``, ``C#`` and ``C`` must not share a page);
    Unicode letters, marks and digits are kept (``café``, ``日本語``);
    everything else becomes ``-`` (runs collapsed, ends trimmed).  The result
    is always a safe file name inside the tags folder: only letters, marks,
    digits and ``-``, never empty, never ``index`` (the tags index page) or a
    Windows device name (``con``, ``nul``, ...; these get a ``-tag`` suffix),
    at most :data:`MAX_SLUG_CHARS` characters and :data:`MAX_SLUG_BYTES`
    UTF-8 bytes (longer slugs are cut and get an 8-hex hash of the key).  A
    tag with no letters or digits (``!!!``) gets ``tag-<8 hex of sha1(key)>``.

Collisions
    Different keys can share a base slug (``../x`` and ``x``).  Rule: a key
    that *is* its own base slug (``x``, ``python``, ``café``) always keeps it;
    every other key of a colliding group gets ``<base>-<6 hex of sha1(key)>``.
    So a canonical tag's page never moves, and a hashed slug depends only on
    its own key, never on which or how many other tags exist.  Each resolved
    group is reported once in :attr:`Taxonomy.collisions`.  (If a hashed slug
    happened to equal another tag's slug, longer hashes are used.)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from .diagnostics import Diagnostic, Subtype
from .frontmatter import parse_date
from .records import CompactRecord
from .site_config import Taxonomy as TaxonomySpec

__all__ = [
    "MAX_SLUG_BYTES",
    "MAX_SLUG_CHARS",
    "Tag",
    "TaggedArticle",
    "Taxonomy",
    "TaxonomySpec",
    "base_slug",
    "build_taxonomy",
    "instant",
    "invisible_in",
    "page_count",
    "paged_slug",
    "tag_key",
    "taxonomy_specs",
    "term_noun",
]

MAX_SLUG_CHARS = 80
"""Longest slug, in characters."""

MAX_SLUG_BYTES = 200
"""Longest slug in UTF-8 bytes: ``slug + ".html"`` must fit the common
255-byte file name limit even for 4-byte characters."""

# Words for symbols that distinguish real tags (C++ / C# / C).
_SYMBOL_WORDS = {"+": " plus ", "#": " sharp "}

# The tags folder's own index page, and names Windows refuses as file names
# (also with an extension, so "con.html" is unusable too).
_RESERVED = frozenset(
    ["index", "con", "prn", "aux", "nul"]
    + [f"{dev}{n}" for dev in ("com", "lpt") for n in "0123456789¹²³"]
)

_DASHES = re.compile(r"-{2,}")

INVISIBLE = frozenset(
    "\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff"
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
"""Format characters that do not show: a tag holding them would get its own,
visually identical page, so tag identity and display names leave them out."""

_INVISIBLE_RE = re.compile("[" + "".join(sorted(INVISIBLE)) + "]")


def invisible_in(tag: str) -> list[str]:
    """The invisible characters in *tag*, in order of first appearance."""
    return list(dict.fromkeys(_INVISIBLE_RE.findall(tag)))


def _visible(tag: str) -> str:
    """*tag* without invisible characters, NFC, stripped."""
    return unicodedata.normalize("NFC", _INVISIBLE_RE.sub("", tag)).strip()


def tag_key(tag: str) -> str:
    """Identity key of a tag: invisible characters removed, NFC, stripped,
    casefolded (and NFC again)."""
    return unicodedata.normalize("NFC", _visible(tag).casefold())


def instant(value: str | None) -> dt.datetime | None:
    """A front-matter date as an aware datetime: a plain date is midnight UTC, a
    datetime without an offset is UTC.  ``None`` for no date or one that does not parse."""
    parsed = parse_date(value) if value else None
    if parsed is None:
        return None
    if not isinstance(parsed, dt.datetime):
        return dt.datetime(parsed.year, parsed.month, parsed.day, tzinfo=dt.UTC)
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=dt.UTC)


def _hex(key: str, n: int) -> str:
    return hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()[:n]


def _fits(slug: str) -> bool:
    return (
        len(slug) <= MAX_SLUG_CHARS and len(slug.encode("utf-8", "surrogatepass")) <= MAX_SLUG_BYTES
    )


def _truncate(slug: str, room: int) -> str:
    """Cut *slug* so that *room* more characters/bytes still fit the limits."""
    while slug and not (
        len(slug) + room <= MAX_SLUG_CHARS
        and len(slug.encode("utf-8", "surrogatepass")) + room <= MAX_SLUG_BYTES
    ):
        slug = slug[:-1]
    return slug.rstrip("-")


def _with_suffix(base: str, suffix: str) -> str:
    """``base-suffix``, cutting *base* so the result stays within the limits."""
    return f"{_truncate(base, len(suffix) + 1)}-{suffix}".lstrip("-")


def base_slug(tag: str) -> str:
    """Slug of *tag* before collision handling; always a safe file name."""
    key = tag_key(tag)
    text = "".join(_SYMBOL_WORDS.get(ch, ch) for ch in key)
    # Keep letters, marks (needed by many scripts) and digits; the rest is a separator.
    kept = "".join(ch if unicodedata.category(ch)[0] in "LMN" else "-" for ch in text)
    slug = _DASHES.sub("-", unicodedata.normalize("NFC", kept)).strip("-")
    if not slug:
        return f"tag-{_hex(key, 8)}"
    if not _fits(slug):
        slug = _with_suffix(slug, _hex(key, 8))
    if slug in _RESERVED:
        slug = f"{slug}-tag"
    return slug


class TaggedArticle(NamedTuple):
    """What the taxonomy needs to know about one article."""

    docname: str
    title: str
    date: str | None
    """ISO date or datetime string, sorted by :func:`instant`; ``None`` = undated."""
    description: str | None
    tags: tuple[str, ...]
    """The tags as written in the front matter."""
    line: int = 1
    """1-based line of the ``tags`` entry in the source file, for diagnostics."""


@dataclass(frozen=True)
class Tag(CompactRecord):
    """One tag and its page."""

    key: str
    name: str
    slug: str
    docnames: tuple[str, ...]
    """Newest first: the date's instant descending, undated last, then title, then docname."""


@dataclass(frozen=True)
class Taxonomy:
    """All tags of a project."""

    tags: tuple[Tag, ...]
    """Sorted by casefolded name, then key."""
    collisions: tuple[str, ...] = ()
    """One human-readable message per resolved slug collision."""
    diagnostics: tuple[tuple[str, Diagnostic], ...] = ()
    """``(docname, diagnostic)`` for dropped tags and resolved collisions."""
    name: str = "tags"
    """The taxonomy's name (``tags``, ``categories``, ...)."""
    _index: dict[str, Tag] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {t.key: t for t in self.tags})

    @property
    def terms(self) -> tuple[Tag, ...]:
        """The terms (a taxonomy other than ``tags`` has terms, not tags)."""
        return self.tags

    def for_tag(self, tag: str) -> Tag | None:
        """The tag that *tag* (any spelling) belongs to, if any."""
        return self._index.get(tag_key(tag))


def _resolve_slugs(keys: Iterable[str]) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Final slug per key, and the collision groups (base -> keys) that were resolved."""
    groups: dict[str, list[str]] = defaultdict(list)
    for key in sorted(set(keys)):
        groups[base_slug(key)].append(key)
    collided = {base: ks for base, ks in groups.items() if len(ks) > 1}
    for n in (6, 12, 40):
        slugs: dict[str, str] = {}
        for base, ks in groups.items():
            for key in ks:
                # A key that already is its slug keeps it; the others are hashed.
                keep = len(ks) == 1 or key == base
                slugs[key] = base if keep else _with_suffix(base, _hex(key, n))
        if len(set(slugs.values())) == len(slugs):
            return slugs, collided
    # Practically unreachable (needs a tag spelled like another's 40-hex slug):
    # number the duplicates in key order, still deterministic.
    seen: set[str] = set()
    for key in sorted(slugs):
        slug, i = slugs[key], 2
        while slug in seen:
            slug, i = _with_suffix(slugs[key], str(i)), i + 1
        slugs[key] = slug
        seen.add(slug)
    return slugs, collided


_NEVER = dt.datetime.min.replace(tzinfo=dt.UTC)


def _order(articles: Iterable[TaggedArticle]) -> list[TaggedArticle]:
    """Newest first (by instant, not by the date's text: offsets differ), undated
    last; ties by title, then docname."""
    ordered = list(articles)
    moments = {a.docname: instant(a.date) for a in ordered}
    ordered.sort(key=lambda a: (a.title.casefold(), a.title, a.docname))
    ordered.sort(key=lambda a: moments[a.docname] or _NEVER, reverse=True)  # stable, keeps ties
    ordered.sort(key=lambda a: moments[a.docname] is None)
    return ordered


def term_noun(taxonomy: str) -> str:
    """What messages call one term: ``tag`` for ``tags``, ``categories term`` otherwise."""
    return "tag" if taxonomy == "tags" else f"{taxonomy} term"


def build_taxonomy(articles: Iterable[TaggedArticle], name: str = "tags") -> Taxonomy:
    """Group *articles* by term (``TaggedArticle.tags`` holds the terms of taxonomy
    *name*), choose names and slugs, report problems."""
    noun = term_noun(name)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    members: dict[str, dict[str, TaggedArticle]] = defaultdict(dict)
    first_doc: dict[str, str] = {}
    diagnostics: list[tuple[str, Diagnostic]] = []

    for article in articles:
        for tag in article.tags:
            if not isinstance(tag, str):  # defensive: front matter parsers vary
                diagnostics.append(
                    (
                        article.docname,
                        Diagnostic(
                            Subtype.tags, f"{noun} {tag!r} is not a string; ignored", article.line
                        ),
                    )
                )
                continue
            key = tag_key(tag)
            hidden = invisible_in(tag)
            if hidden and key:
                shown = ", ".join(f"U+{ord(ch):04X}" for ch in hidden)
                diagnostics.append(
                    (
                        article.docname,
                        Diagnostic(
                            Subtype.tags,
                            f"{noun} {tag!r} holds invisible characters ({shown}); they are "
                            f"ignored: it is the {noun} {_visible(tag)!r}",
                            article.line,
                        ),
                    )
                )
            if not key:
                diagnostics.append(
                    (
                        article.docname,
                        Diagnostic(Subtype.tags, f"empty {noun} {tag!r} ignored", article.line),
                    )
                )
                continue
            spellings[key][_visible(tag)] += 1
            # Same tag twice in one article (any case): listed once.
            members[key].setdefault(article.docname, article)
            first_doc.setdefault(key, article.docname)

    names = {
        key: min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        for key, counts in spellings.items()
    }
    slugs, collided = _resolve_slugs(names)

    collisions: list[str] = []
    for base in sorted(collided):
        keys = sorted(collided[base], key=lambda k: (names[k].casefold(), k))
        quoted = ", ".join(repr(names[k]) for k in keys[:-1]) + f" and {names[keys[-1]]!r}"
        outcome = ", ".join(f"{names[k]!r} -> {slugs[k]!r}" for k in keys)
        message = f"{noun}s {quoted} all slug to {base!r}; resolved as {outcome}"
        if len(keys) == 2:
            message = message.replace(" all slug", " both slug")
        collisions.append(message)
        docname = min(first_doc[k] for k in keys)
        diagnostics.append((docname, Diagnostic(Subtype.tags, message, 1)))

    tags = [
        Tag(
            key=key,
            name=names[key],
            slug=slugs[key],
            docnames=tuple(a.docname for a in _order(members[key].values())),
        )
        for key in names
    ]
    tags.sort(key=lambda t: (t.name.casefold(), t.key))
    return Taxonomy(
        tags=tuple(tags), collisions=tuple(collisions), diagnostics=tuple(diagnostics), name=name
    )


def taxonomy_specs(value: Iterable[str | dict[str, object]]) -> tuple[TaxonomySpec, ...]:
    """The declared taxonomies of a (validated) ``topofmind_taxonomies`` value: a name
    or a ``{name, feed, paginate_by}`` dict each; the first of a name wins.  Without an
    explicit ``feed``, ``tags`` has feeds (as before taxonomies were declared) and the
    others have none (Zola's default)."""
    specs: dict[str, TaxonomySpec] = {}
    for item in value:
        entry = {"name": item} if isinstance(item, str) else dict(item)
        name = str(entry["name"])
        feed = entry.get("feed")
        paginate_by = entry.get("paginate_by")
        specs.setdefault(
            name,
            TaxonomySpec(
                name=name,
                feed=name == "tags" if feed is None else bool(feed),
                paginate_by=paginate_by if isinstance(paginate_by, int) else None,
                raw=entry,
            ),
        )
    return tuple(specs.values())


def page_count(articles: int, paginate_by: int | None) -> int:
    """How many pages a term of *articles* articles has (at least one)."""
    if not paginate_by:
        return 1
    return max(1, -(-articles // paginate_by))


def paged_slug(slug: str, number: int) -> str:
    """The page name, under the taxonomy's folder, of page *number* of a term: the
    first page is the term's own, the others go to Zola's ``<slug>/page/<n>``."""
    return slug if number <= 1 else f"{slug}/page/{number}"
