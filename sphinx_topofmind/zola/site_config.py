"""A Zola site's ``config.toml``, read into a typed value, and the site's parts on disk.

Reading never raises: invalid TOML or a key of the wrong type becomes a
:class:`~sphinx_topofmind.zola.diagnostics.Diagnostic` (subtype ``config``) at its
line in ``config.toml``, and the key keeps Zola's default.  Keys this module
does not model stay available in :attr:`SiteConfig.raw`.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from .diagnostics import Diagnostic, Subtype

__all__ = [
    "MarkdownOptions",
    "SiteConfig",
    "SiteLayout",
    "Taxonomy",
    "find_site",
    "parse_site_config",
    "read_site_config",
]

# tomllib's messages end "(at line N, column M)"; "at end of document" has no line
_TOML_LINE = re.compile(r"\(at line (\d+), column \d+\)")


@dataclasses.dataclass(frozen=True)
class Taxonomy:
    """One ``taxonomies = [{ name = ..., ... }]`` entry."""

    name: str
    feed: bool = False
    paginate_by: int | None = None
    paginate_path: str = "page"
    render: bool = True
    lang: str | None = None
    #: the entry as written, for keys not modelled here
    raw: Mapping[str, Any] = dataclasses.field(default_factory=dict, compare=False)


@dataclasses.dataclass(frozen=True)
class MarkdownOptions:
    """The ``[markdown]`` table (Zola's defaults where a key is absent)."""

    smart_punctuation: bool = False
    #: ``[markdown.highlighting] enabled`` (new Zola) or ``highlight_code`` (older Zola)
    highlight_code: bool = False
    highlight_theme: str | None = None
    #: only newer Zola versions know this key; ``None`` when the site does not set it
    error_on_missing_language: bool | None = None
    render_emoji: bool = False
    external_links_target_blank: bool = False
    external_links_no_follow: bool = False
    external_links_no_referrer: bool = False
    bottom_footnotes: bool = False
    definition_list: bool = False
    lazy_async_image: bool = False
    #: the ``[markdown.highlighting]`` table as written (empty when absent)
    highlighting: Mapping[str, Any] = dataclasses.field(default_factory=dict, compare=False)
    raw: Mapping[str, Any] = dataclasses.field(default_factory=dict, compare=False)


@dataclasses.dataclass(frozen=True)
class SiteConfig:
    """The parts of a Zola ``config.toml`` the extension uses, typed, plus the whole table."""

    base_url: str = ""
    title: str | None = None
    description: str | None = None
    author: str | None = None
    default_language: str = "en"
    languages: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    taxonomies: tuple[Taxonomy, ...] = ()
    generate_feeds: bool = False
    feed_filenames: tuple[str, ...] = ("atom.xml",)
    markdown: MarkdownOptions = MarkdownOptions()
    extra: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    raw: Mapping[str, Any] = dataclasses.field(default_factory=dict, compare=False)

    def taxonomy(self, name: str) -> Taxonomy | None:
        """The taxonomy called ``name`` (first one, as Zola), or ``None``."""
        return next((t for t in self.taxonomies if t.name == name), None)

    def template_view(self) -> dict[str, Any]:
        """The ``config`` variable a Zola template sees: the table, with defaults filled in."""
        view = dict(self.raw)
        view.update(
            base_url=self.base_url,
            title=self.title,
            description=self.description,
            author=self.author,
            default_language=self.default_language,
            languages=dict(self.languages),
            generate_feeds=self.generate_feeds,
            feed_filenames=list(self.feed_filenames),
            taxonomies=[dict(t.raw) for t in self.taxonomies],
            extra=dict(self.extra),
        )
        view["markdown"] = dict(self.markdown.raw)
        return view


class SiteLayout(NamedTuple):
    """Where a Zola site's parts are; each is ``None`` when the site lacks it."""

    root: Path
    config_toml: Path | None
    content: Path | None
    static: Path | None
    templates: Path | None
    shortcodes: Path | None


def find_site(root: str | Path) -> SiteLayout:
    """The parts of the Zola site at ``root`` (``config.toml``, ``content/`` ...)."""
    base = Path(root)

    def directory(*parts: str) -> Path | None:
        path = base.joinpath(*parts)
        return path if path.is_dir() else None

    config = base / "config.toml"
    return SiteLayout(
        root=base,
        config_toml=config if config.is_file() else None,
        content=directory("content"),
        static=directory("static"),
        templates=directory("templates"),
        shortcodes=directory("templates", "shortcodes"),
    )


def read_site_config(path: str | Path) -> tuple[SiteConfig, list[Diagnostic]]:
    """Read ``config.toml`` at ``path``; an unreadable file gives defaults and one diagnostic."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return SiteConfig(), [Diagnostic(Subtype.config, f"cannot read {path}: {exc}", 1)]
    return parse_site_config(text)


def parse_site_config(text: str) -> tuple[SiteConfig, list[Diagnostic]]:
    """Parse the text of a ``config.toml``; problems are diagnostics, never exceptions."""
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = _TOML_LINE.search(message)
        line = int(match.group(1)) if match else max(1, text.count("\n") + 1)
        return SiteConfig(), [Diagnostic(Subtype.config, f"invalid config.toml: {message}", line)]
    reader = _Reader(text)
    config = SiteConfig(
        base_url=reader.get(table, "base_url", str, "", required=True),
        title=reader.get(table, "title", str, None),
        description=reader.get(table, "description", str, None),
        author=reader.get(table, "author", str, None),
        default_language=reader.get(table, "default_language", str, "en"),
        languages=reader.get(table, "languages", dict, {}),
        taxonomies=_taxonomies(reader, table),
        # Zola 0.19 renamed generate_feed/feed_filename to generate_feeds/feed_filenames
        generate_feeds=reader.get(
            table, "generate_feeds", bool, reader.get(table, "generate_feed", bool, False)
        ),
        feed_filenames=_feed_filenames(reader, table),
        markdown=_markdown(reader, table),
        extra=reader.get(table, "extra", dict, {}),
        raw=table,
    )
    return config, reader.diagnostics


class _Reader:
    """Typed look-ups that record a located diagnostic instead of failing."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.diagnostics: list[Diagnostic] = []

    def line_of(self, key: str, table: str | None = None) -> int:
        """Best-effort line of ``key = ...`` (inside ``[table]`` when given); 1 if not found."""
        start = 0
        if table:
            header = re.compile(rf"^\s*\[\s*{re.escape(table)}\s*\]\s*(#.*)?$")
            start = next((i + 1 for i, line in enumerate(self.lines) if header.match(line)), 0)
        pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
        for index in range(start, len(self.lines)):
            if pattern.match(self.lines[index]):
                return index + 1
        # keys of inline tables (``taxonomies = [{ name = "tags", feed = 1 }]``)
        inline = re.compile(rf"[{{,]\s*{re.escape(key)}\s*=")
        for index in range(start, len(self.lines)):
            if inline.search(self.lines[index]):
                return index + 1
        return 1

    def problem(self, message: str, key: str, table: str | None = None) -> None:
        self.diagnostics.append(Diagnostic(Subtype.config, message, self.line_of(key, table)))

    def get(
        self,
        mapping: Mapping[str, Any],
        key: str,
        kind: type,
        default: Any,
        *,
        table: str | None = None,
        required: bool = False,
    ) -> Any:
        if key not in mapping:
            if required:
                self.problem(f"config.toml has no {key!r} (Zola requires it)", key, table)
            return default
        value = mapping[key]
        # bool is an int in Python; TOML keeps them apart, and so do we
        wrong = not isinstance(value, kind) or (kind is int and isinstance(value, bool))
        if wrong:
            where = f"[{table}] " if table else ""
            self.problem(
                f"config.toml {where}{key!r} should be {_KIND_NAMES.get(kind, kind.__name__)}, "
                f"got {value!r}; using {default!r}",
                key,
                table,
            )
            return default
        return value


_KIND_NAMES = {str: "a string", bool: "true or false", int: "an integer", dict: "a table"}


def _taxonomies(reader: _Reader, table: Mapping[str, Any]) -> tuple[Taxonomy, ...]:
    entries = reader.get(table, "taxonomies", list, [])
    result = []
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            reader.problem(f"taxonomy {entry!r} needs a string 'name'; ignored", "taxonomies")
            continue
        where = "taxonomies"
        result.append(
            Taxonomy(
                name=entry["name"],
                feed=reader.get(entry, "feed", bool, False, table=where),
                paginate_by=reader.get(entry, "paginate_by", int, None, table=where),
                paginate_path=reader.get(entry, "paginate_path", str, "page", table=where),
                render=reader.get(entry, "render", bool, True, table=where),
                lang=reader.get(entry, "lang", str, None, table=where),
                raw=entry,
            )
        )
    return tuple(result)


def _feed_filenames(reader: _Reader, table: Mapping[str, Any]) -> tuple[str, ...]:
    if "feed_filenames" in table:
        names = reader.get(table, "feed_filenames", list, ["atom.xml"])
        if all(isinstance(name, str) for name in names):
            return tuple(names)
        reader.problem("config.toml 'feed_filenames' should list strings", "feed_filenames")
        return ("atom.xml",)
    return (reader.get(table, "feed_filename", str, "atom.xml"),)


def _markdown(reader: _Reader, table: Mapping[str, Any]) -> MarkdownOptions:
    md = reader.get(table, "markdown", dict, {})
    name = "markdown"
    highlighting = reader.get(md, "highlighting", dict, {}, table=name)
    sub = "markdown.highlighting"
    if highlighting:
        highlight = reader.get(highlighting, "enabled", bool, True, table=sub)
        theme = reader.get(highlighting, "theme", str, None, table=sub)
        missing = reader.get(highlighting, "error_on_missing_language", bool, None, table=sub)
    else:
        # before [markdown.highlighting], the switch was highlight_code (in [markdown] or top level)
        legacy = reader.get(table, "highlight_code", bool, False)
        highlight = reader.get(md, "highlight_code", bool, legacy, table=name)
        theme = reader.get(md, "highlight_theme", str, None, table=name)
        missing = None
    if "error_on_missing_language" in md:
        missing = reader.get(md, "error_on_missing_language", bool, None, table=name)

    def flag(key: str) -> bool:
        return bool(reader.get(md, key, bool, False, table=name))

    return MarkdownOptions(
        smart_punctuation=flag("smart_punctuation"),
        highlight_code=highlight,
        highlight_theme=theme,
        error_on_missing_language=missing,
        render_emoji=flag("render_emoji"),
        external_links_target_blank=flag("external_links_target_blank"),
        external_links_no_follow=flag("external_links_no_follow"),
        external_links_no_referrer=flag("external_links_no_referrer"),
        bottom_footnotes=flag("bottom_footnotes"),
        definition_list=flag("definition_list"),
        lazy_async_image=flag("lazy_async_image"),
        highlighting=highlighting,
        raw=md,
    )
