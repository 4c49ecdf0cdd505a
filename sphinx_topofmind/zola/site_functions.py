"""Zola's template functions over a site on disk: ``get_url``, ``get_page``, ``get_section``,
``get_taxonomy_url``, ``get_image_metadata``, ``resize_image``; and the ``page`` a
shortcode sees.

Pure: every answer comes from the file named (its front matter, its image header),
never from another document's parse, so a shortcode renders the same in any read
order.  Problems raise :class:`~.tera.TeraError`, which the renderer turns into one
diagnostic naming the template line.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import struct
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .frontmatter import FrontMatter, parse_front_matter
from .slugs import zola_anchor
from .tera import TeraError

__all__ = ["SiteFunctions", "image_size", "page_view", "url_path"]

_DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ][0-9:]+)?[_-]")
#: Zola's reading speed for ``reading_time``
WORDS_PER_MINUTE = 200


def url_path(relative_path: str, matter: FrontMatter | None) -> str:
    """Zola's URL path of a content file: ``top-of-mind/a.md`` -> ``/top-of-mind/a/``.

    A section (``_index.md``) is its folder; a page bundle (``x/index.md``) is its
    folder's name; a page is its ``slug`` or its slugified file name without a
    date prefix; a ``path`` key in the front matter wins.
    """
    explicit = matter.other.get("path") if matter is not None else None
    if isinstance(explicit, str) and explicit.strip("/"):
        return "/" + explicit.strip("/") + "/"
    parts = [part for part in relative_path.replace("\\", "/").split("/") if part]
    name = parts.pop() if parts else "_index.md"
    stem = name.rsplit(".", 1)[0]
    if stem == "_index":
        return "/" + "".join(f"{part}/" for part in parts)
    if stem == "index" and parts:
        stem = parts.pop()
    slug = matter.slug if matter is not None and matter.slug else None
    if slug is None:
        slug = zola_anchor(_DATE_PREFIX.sub("", stem)) or stem
    return "/" + "".join(f"{part}/" for part in parts) + f"{slug}/"


def _date(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def page_view(
    relative_path: str, matter: FrontMatter | None, base_url: str, body: str = ""
) -> dict[str, Any]:
    """The ``page`` (or ``section``) variable of a content file, from its front matter."""
    path = url_path(relative_path, matter)
    words = len(body.split())
    view: dict[str, Any] = {
        "relative_path": relative_path,
        "path": path,
        "permalink": base_url.rstrip("/") + path,
        "slug": path.rstrip("/").rsplit("/", 1)[-1],
        "components": [part for part in path.split("/") if part],
        "word_count": words,
        "reading_time": math.ceil(words / WORDS_PER_MINUTE),
        "title": None,
        "description": None,
        "date": None,
        "updated": None,
        "draft": False,
        "extra": {},
        "taxonomies": {},
    }
    if matter is not None:
        view.update(
            title=matter.title,
            description=matter.description,
            date=_date(matter.date),
            updated=_date(matter.updated),
            draft=matter.draft,
            weight=matter.weight,
            extra=dict(matter.extra),
            taxonomies={key: list(values) for key, values in matter.taxonomies.items()},
        )
    return view


# ---------------------------------------------------------------------------
# image headers (no imaging library: the size is in the first bytes)


def image_size(data: bytes) -> tuple[int, int, str] | None:
    """``(width, height, format)`` of a PNG, GIF, JPEG, WebP or SVG, or None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return width, height, "png"
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return width, height, "gif"
    if data.startswith(b"\xff\xd8"):
        return _jpeg_size(data)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return _webp_size(data)
    return _svg_size(data)


def _jpeg_size(data: bytes) -> tuple[int, int, str] | None:
    index = 2
    while index + 9 < len(data):
        if data[index] != 0xFF:
            return None
        marker = data[index + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            index += 2
            continue
        (length,) = struct.unpack(">H", data[index + 2 : index + 4])
        # start-of-frame markers hold the size (not DHT C4, JPG C8, DAC CC)
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[index + 5 : index + 9])
            return width, height, "jpg"
        index += 2 + length
    return None


def _webp_size(data: bytes) -> tuple[int, int, str] | None:
    chunk = data[12:16]
    if chunk == b"VP8X" and len(data) >= 30:
        width = 1 + int.from_bytes(data[24:27], "little")
        height = 1 + int.from_bytes(data[27:30], "little")
        return width, height, "webp"
    if chunk == b"VP8 " and len(data) >= 30:
        width, height = struct.unpack("<HH", data[26:30])
        return width & 0x3FFF, height & 0x3FFF, "webp"
    if chunk == b"VP8L" and len(data) >= 25:
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1, "webp"
    return None


_SVG_TAG = re.compile(rb"<svg\b[^>]*>", re.IGNORECASE)
_SVG_ATTR = re.compile(rb"""\b(width|height|viewBox)\s*=\s*["']([^"']*)["']""", re.IGNORECASE)


def _svg_size(data: bytes) -> tuple[int, int, str] | None:
    tag = _SVG_TAG.search(data[:4096])
    if tag is None:
        return None
    attrs = {k.decode().lower(): v.decode() for k, v in _SVG_ATTR.findall(tag.group())}

    def number(text: str | None) -> int | None:
        found = re.match(r"\s*([0-9.]+)\s*(px)?\s*$", text or "")
        return round(float(found.group(1))) if found else None

    width, height = number(attrs.get("width")), number(attrs.get("height"))
    box = (attrs.get("viewbox") or "").replace(",", " ").split()
    if (width is None or height is None) and len(box) == 4:
        try:
            width, height = width or round(float(box[2])), height or round(float(box[3]))
        except ValueError:
            return None
    if width is None or height is None:
        return None
    return width, height, "svg"


# ---------------------------------------------------------------------------
# the functions


class SiteFunctions:
    """Zola's functions for one site; ``resolve`` is Zola's file search (the renderer's
    :meth:`~.tera.TeraRenderer.resolve_data_path`), ``read`` notes every file used."""

    def __init__(
        self,
        content_dir: Path,
        base_url: str,
        resolve: Callable[[str], Path],
        taxonomies: Callable[[], set[str]],
        read: Callable[[Path], None] = lambda path: None,
    ) -> None:
        self.content_dir = content_dir
        self.base_url = base_url.rstrip("/")
        self.resolve = resolve
        self.taxonomies = taxonomies
        self.read = read

    def functions(self) -> dict[str, Callable[..., Any]]:
        return {
            "get_url": self.get_url,
            "get_page": self.get_page,
            "get_section": self.get_section,
            "get_taxonomy_url": self.get_taxonomy_url,
            "get_image_metadata": self.get_image_metadata,
            "resize_image": self.resize_image,
        }

    def _content_file(self, function: str, path: str) -> tuple[str, Path]:
        relative = path.removeprefix("@/").lstrip("/")
        file = (self.content_dir / relative).resolve()
        if not file.is_relative_to(self.content_dir.resolve()) or not file.is_file():
            raise TeraError(f"function `{function}`: no content file {path!r}")
        self.read(file)
        return relative, file

    def _view(self, function: str, path: str) -> dict[str, Any]:
        relative, file = self._content_file(function, path)
        text = file.read_text(encoding="utf-8-sig", errors="replace")
        matter, _problems = parse_front_matter(text)  # its own read reports them
        body = "\n".join(text.split("\n")[matter.last_line :]) if matter else text
        return page_view(relative, matter, self.base_url, body)

    def get_page(self, path: str | None = None, **_: Any) -> dict[str, Any]:
        if not path:
            raise TeraError("function `get_page` needs `path`")
        return self._view("get_page", path)

    def get_section(self, path: str | None = None, **_: Any) -> dict[str, Any]:
        if not path:
            raise TeraError("function `get_section` needs `path`")
        return self._view("get_section", path)

    def get_url(self, path: str | None = None, trailing_slash: bool = False, **_: Any) -> str:
        if path is None:
            raise TeraError("function `get_url` needs `path`")
        if path.startswith("@/"):
            target, _sep, anchor = path.partition("#")
            url = self._view("get_url", target)["permalink"]
            return url + (f"#{anchor}" if anchor else "")
        if re.match(r"^[a-z][a-z0-9+.-]*://", path, re.IGNORECASE):
            return path
        url = f"{self.base_url}/{path.lstrip('/')}"
        return url + "/" if trailing_slash and not url.endswith("/") else url

    def get_taxonomy_url(self, kind: str | None = None, name: str | None = None, **_: Any) -> str:
        if not kind or name is None:
            raise TeraError("function `get_taxonomy_url` needs `kind` and `name`")
        if kind not in self.taxonomies():
            raise TeraError(f"function `get_taxonomy_url`: no taxonomy {kind!r} in config.toml")
        return f"{self.base_url}/{kind}/{zola_anchor(str(name))}/"

    def _image(self, function: str, path: str | None) -> tuple[Path, tuple[int, int, str]]:
        if not path:
            raise TeraError(f"function `{function}` needs `path`")
        try:
            file = self.resolve(path)
        except TeraError as error:
            raise TeraError(f"function `{function}`: image {path!r} not found") from error
        self.read(file)
        with file.open("rb") as handle:
            size = image_size(handle.read(65536))
        if size is None:
            raise TeraError(f"function `{function}`: {path!r} is no image it can read")
        return file, size

    def get_image_metadata(self, path: str | None = None, **_: Any) -> dict[str, Any]:
        _file, (width, height, fmt) = self._image("get_image_metadata", path)
        mime = {"jpg": "image/jpeg", "svg": "image/svg+xml"}.get(fmt, f"image/{fmt}")
        return {"width": width, "height": height, "format": fmt, "mime": mime}

    def resize_image(self, path: str | None = None, **_: Any) -> dict[str, Any]:
        """The image as it is (no resizing): its URL and its own size."""
        _file, (width, height, _fmt) = self._image("resize_image", path)
        assert path is not None
        served = path.removeprefix("@/").lstrip("/").removeprefix("static/")
        return {
            "url": f"{self.base_url}/{served}",
            "static_path": served,
            "width": width,
            "height": height,
            "orig_width": width,
            "orig_height": height,
        }
