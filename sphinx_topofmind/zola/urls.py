"""Zola's URLs: where a page or section is served, and where a redirect page may go.

Pure: no Sphinx.  Paths are POSIX, relative to the content root (``blog/post.md``);
URL paths start and end with ``/`` as Zola's ``page.path`` does (``/blog/post/``).
"""

from __future__ import annotations

import posixpath
import re
import unicodedata

from .slugs import zola_anchor

#: a file name starting with a date: Zola takes the date and slugs the rest
_DATED = re.compile(
    r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"
    r"(T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d))?"
    r"(\s?[_-](?P<slug>.+))?$"
)

#: what Zola's ``slugify.paths = "safe"`` strips (forbidden in NTFS file names)
_UNSAFE = set('<>:"/\\|?*')

SLUGIFY_STRATEGIES = ("on", "safe", "off")


def slugify_path(text: str, strategy: str = "on") -> str:
    """Zola's ``slugify_paths``: ``on`` (the default) makes an ASCII slug, ``safe`` only
    drops characters unsafe in file names, ``off`` keeps the text."""
    if strategy == "off":
        return text
    if strategy == "safe":
        return "".join(c for c in text.rstrip(" .") if c not in _UNSAFE)
    return zola_anchor(text)


def section_url(rel_path: str) -> str:
    """``blog/_index.md`` -> ``/blog/``; the home section ``_index.md`` -> ``/``.
    Zola does not slugify section folders."""
    folder = posixpath.dirname(rel_path)
    return f"/{folder}/" if folder else "/"


def page_url(
    rel_path: str,
    *,
    slug: str | None = None,
    path: str | None = None,
    strategy: str = "on",
    keep_dates: bool = False,
) -> str:
    """A page's URL path as Zola makes it: ``path`` wins, else the folders and the slug
    (the ``slug`` key, else the file name, less a leading date; a page bundle's
    ``index.md`` takes its folder's name)."""
    if path is not None and path.strip():
        value = path.strip()
        value = value if value.startswith("/") else f"/{value}"
        return value if value.endswith("/") else f"{value}/"
    folder, name = posixpath.split(rel_path)
    stem = posixpath.splitext(name)[0]
    if stem == "index":
        folder, stem = posixpath.split(folder)
        if not stem:  # content/index.md: the home page
            return "/"
    if slug is not None and slug.strip():
        chosen = slug
    else:
        dated = _DATED.match(stem)
        chosen = dated.group("slug") if dated and dated.group("slug") and not keep_dates else stem
    base = slugify_path(chosen, strategy)
    return f"/{folder}/{base}/" if folder else f"/{base}/"


def url_file(url_path: str) -> str:
    """The output file serving a URL path: ``/a/b/`` -> ``a/b/index.html``; a path whose
    last part ends in ``.html`` is that file (as Zola writes aliases)."""
    parts = [part for part in url_path.split("/") if part]
    if parts and parts[-1].lower().endswith(".html") and not url_path.endswith("/"):
        return "/".join(parts)
    return "/".join([*parts, "index.html"])


def check_site_path(value: str) -> str | None:
    """Why ``value`` cannot be a site path for a redirect page (None: it can).

    A site path stays inside the site: no scheme or host (``https://``, ``//host``), no
    ``..`` part, no backslash, query, fragment or control character.  A leading ``/``
    is fine: Zola's aliases are site paths (``/old/url/``)."""
    if not value.strip():
        return "it is empty"
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", value) or value.startswith("//"):
        return "it is a URL, not a path of this site"
    if any(unicodedata.category(c)[0] == "C" for c in value):
        return "it holds a control character"
    if "\\" in value:
        return "it holds a backslash"
    if "?" in value or "#" in value:
        return "it holds a query or a fragment"
    if any(c in _UNSAFE for c in value.replace("/", "")):
        return "it holds a character not allowed in a file name"
    parts = value.split("/")
    if any(part in ("..", ".") for part in parts):
        return "it holds a '..' or '.' part"
    return None


def is_external(url: str) -> bool:
    """An ``http(s)`` URL (the only schemes a ``redirect_to`` may leave the site for)."""
    return re.match(r"^https?://[^/\s]", url, re.IGNORECASE) is not None
