"""Find and parse Zola front matter: TOML between ``+++`` lines, YAML between ``---``.

Pure: no Sphinx.  Problems never raise; they come back as
:class:`~sphinx_topofmind.zola.diagnostics.Diagnostic` values located by the line of
the original file, so the caller can warn and still render the body.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
import reprlib
import tomllib
from collections.abc import Mapping
from typing import Any, Literal, NamedTuple

import yaml

from .diagnostics import Diagnostic, Subtype

DELIMITERS: dict[str, Literal["toml", "yaml"]] = {"+++": "toml", "---": "yaml"}

#: Keys Zola gives a meaning to; everything else is kept in ``FrontMatter.other``.
KNOWN_KEYS = frozenset(
    {"title", "description", "date", "updated", "draft", "weight", "slug", "taxonomies", "extra"}
)

_TOML_ERROR_LINE = re.compile(r"\(at line (\d+), column \d+\)")
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")

DateValue = dt.date | dt.datetime

# libyaml's loader when PyYAML was built with it: the same safe subset, much faster
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclasses.dataclass(frozen=True)
class FrontMatter:
    """Typed front matter of one article.  Lines are 1-based lines of the file."""

    format: Literal["toml", "yaml"]
    first_line: int
    last_line: int
    title: str | None = None
    description: str | None = None
    date: DateValue | None = None
    updated: DateValue | None = None
    draft: bool = False
    weight: int | None = None
    slug: str | None = None
    taxonomies: Mapping[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)
    extra: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    other: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    #: Line of each top-level key, to locate later warnings (tags, dates).
    key_lines: Mapping[str, int] = dataclasses.field(default_factory=dict)

    @property
    def tags(self) -> tuple[str, ...]:
        return self.taxonomies.get("tags", ())


class Split(NamedTuple):
    """Where the front matter block sits in the text."""

    format: Literal["toml", "yaml"]
    first_line: int  # line of the opening delimiter
    last_line: int | None  # line of the closing delimiter; None = never closed
    raw: str  # the text between the delimiters


def _lines(text: str) -> list[str]:
    return text.split("\n")


def declares_draft(text: str) -> bool:
    """Whether the article is a draft: the parsed ``draft`` key, the one decision used
    everywhere (a quicker look at the lines disagreed with the parser)."""
    matter, _ = parse_front_matter(text)
    return matter is not None and matter.draft


def split_front_matter(text: str) -> Split | None:
    """Locate a front matter block at the very start of ``text`` (after a BOM)."""
    text = text.removeprefix("\ufeff")
    lines = _lines(text.replace("\r\n", "\n"))
    if not lines:
        return None
    fmt = DELIMITERS.get(lines[0].rstrip())
    if fmt is None:
        return None
    delimiter = lines[0].rstrip()
    for index in range(1, len(lines)):
        if lines[index].rstrip() == delimiter:
            return Split(fmt, 1, index + 1, "\n".join(lines[1:index]))
    return Split(fmt, 1, None, "\n".join(lines[1:]))


def _key_lines(raw: str, fmt: str, offset: int) -> dict[str, int]:
    """Line of every key: ``key`` at the top level, ``table.key`` inside a TOML
    ``[table]`` or under a YAML mapping key, and ``table`` for the header itself."""
    found: dict[str, int] = {}
    table = ""
    toml_line = re.compile(r"^\s*(?:\[\s*([A-Za-z0-9_.\"'-]+)\s*\]|([A-Za-z0-9_\"'-]+)\s*=)")
    yaml_line = re.compile(r"^(\s*)([A-Za-z0-9_-]+)\s*:")
    for number, line in enumerate(raw.split("\n"), start=offset + 1):
        if fmt == "toml":
            match = toml_line.match(line)
            if not match:
                continue
            if match.group(1):
                table = match.group(1).strip("\"'")
                found.setdefault(table, number)
            else:
                key = match.group(2).strip("\"'")
                found.setdefault(f"{table}.{key}" if table else key, number)
        else:
            match = yaml_line.match(line)
            if not match:
                continue
            if not match.group(1):
                table = match.group(2)
                found.setdefault(table, number)
            else:
                found.setdefault(f"{table}.{match.group(2)}", number)
    return found


def parse_date(value: object) -> DateValue | None:
    """Zola dates: a TOML/YAML date or datetime, or an ISO 8601 / RFC 3339 string."""
    if isinstance(value, dt.datetime | dt.date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        if _DATE_ONLY.match(text):
            return dt.date.fromisoformat(text)
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return None


def _load(raw: str, fmt: str, first_line: int) -> tuple[Any, Diagnostic | None]:
    """Parse the raw block; on failure a diagnostic at the error's line."""
    try:
        if fmt == "toml":
            return tomllib.loads(raw), None
        try:
            return yaml.load(raw, Loader=_YAML_LOADER), None
        except RecursionError:
            raise
        except Exception:  # noqa: BLE001 - reparsed below for PyYAML's better-located error
            return yaml.load(raw, Loader=yaml.SafeLoader), None
    except tomllib.TOMLDecodeError as error:
        match = _TOML_ERROR_LINE.search(str(error))
        if match:
            line = first_line + int(match.group(1))
        elif "end of document" in str(error):
            # the error is on the block's last line
            line = first_line + max(1, raw.count("\n") + 1)
        else:
            line = first_line
        message = _TOML_ERROR_LINE.sub("", str(error)).strip()
        return None, Diagnostic(Subtype.frontmatter, f"invalid TOML front matter: {message}", line)
    except yaml.reader.ReaderError as error:
        # a character YAML does not allow (a NUL byte...): locate it by offset
        line = first_line + raw.count("\n", 0, max(0, error.position)) + 1
        return None, Diagnostic(
            Subtype.frontmatter, f"invalid YAML front matter: {error.reason}", line
        )
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = first_line + mark.line + 1 if mark is not None else first_line
        problem = getattr(error, "problem", None) or str(error).split("\n")[0]
        return None, Diagnostic(Subtype.frontmatter, f"invalid YAML front matter: {problem}", line)
    except RecursionError:
        return None, Diagnostic(
            Subtype.frontmatter,
            f"invalid {fmt.upper()} front matter: nested too deeply",
            first_line + _deepest_line(raw),
        )
    except (ValueError, TypeError, OverflowError) as error:
        # YAML values its constructor rejects (2024-13-45)
        line = first_line + _failing_yaml_scalar_line(raw) if fmt == "yaml" else first_line
        return None, Diagnostic(
            Subtype.frontmatter,
            f"invalid {fmt.upper()} front matter: {type(error).__name__}: {str(error)[:80]}",
            line,
        )


def _deepest_line(raw: str, limit: int = 100) -> int:
    """1-based line (within the block) where bracket nesting first passes ``limit``."""
    depth, line = 0, 1
    for char in raw:
        if char == "\n":
            line += 1
        elif char in "[{":
            depth += 1
            if depth > limit:
                return line
        elif char in "]}":
            depth = max(0, depth - 1)
    return 1


def _failing_yaml_scalar_line(raw: str) -> int:
    """1-based line (within the block) of the first scalar YAML cannot construct."""
    try:
        root = yaml.compose(raw, Loader=yaml.SafeLoader)
    except Exception:  # noqa: BLE001 - the caller already has the error to report
        return 0
    pending = [root] if root is not None else []
    while pending:
        node = pending.pop(0)
        if isinstance(node, yaml.ScalarNode):
            try:
                yaml.SafeLoader("").construct_object(node, deep=True)
            except Exception:  # noqa: BLE001 - any failure marks the scalar to report
                return node.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode):
            pending.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                pending.extend((key, value))
    return 0


def _clamp(line: int, last: int) -> int:
    return max(1, min(line, last))


def parse_front_matter(text: str) -> tuple[FrontMatter | None, list[Diagnostic]]:
    """Parse the front matter at the start of ``text``.

    Returns ``(None, [])`` when the text has none.  An unclosed block or
    invalid data gives a :class:`FrontMatter` with only the location filled
    (so the caller still hides the delimiters) and a diagnostic.
    """
    split = split_front_matter(text)
    if split is None:
        return None, []
    matter, problems = _parse_split(split)
    return matter, list(problems)


def forget_parsed() -> None:
    """Drop the parsed blocks (once the pages are read: the memory is the write's)."""
    _parse_split.cache_clear()


# The same block is parsed up to three times per build (the draft check and the
# sections' order before reading, the page's own read): the result depends on the block
# alone, so it is parsed once.  Callers never change the parsed values.
@functools.lru_cache(maxsize=8192)
def _parse_split(split: Split) -> tuple[FrontMatter, tuple[Diagnostic, ...]]:
    delimiter = "+++" if split.format == "toml" else "---"
    if split.last_line is None:
        return FrontMatter(split.format, 1, 1), (
            Diagnostic(
                Subtype.frontmatter,
                f"front matter opened with '{delimiter}' at line 1 is never closed",
                1,
            ),
        )
    empty = FrontMatter(split.format, split.first_line, split.last_line)
    data, problem = _load(split.raw, split.format, split.first_line)
    if problem is not None:
        fixed = dataclasses.replace(problem, line=_clamp(problem.line, split.last_line))
        return empty, (fixed,)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return empty, (
            Diagnostic(
                Subtype.frontmatter,
                f"front matter must be a table of keys, not {type(data).__name__}",
                split.first_line,
            ),
        )
    surrogates = _replace_surrogates(data)
    key_lines = _key_lines(split.raw, split.format, split.first_line)
    reader = _Reader(data, key_lines, split.first_line, split.last_line)
    matter = FrontMatter(
        format=split.format,
        first_line=split.first_line,
        last_line=split.last_line,
        title=reader.string("title"),
        description=reader.string("description"),
        date=reader.date("date"),
        updated=reader.date("updated"),
        draft=reader.boolean("draft"),
        weight=reader.integer("weight"),
        slug=reader.string("slug"),
        taxonomies=reader.taxonomies(),
        extra=reader.table("extra"),
        other={key: value for key, value in data.items() if key not in KNOWN_KEYS},
        key_lines=key_lines,
    )
    if surrogates:
        located = _surrogate_diagnostics(split, surrogates)
        return matter, tuple(sorted(located + reader.diagnostics, key=lambda d: d.line))
    return matter, tuple(reader.diagnostics)


#: a UTF-16 half: YAML's ``"\\ud800"`` escape gives one, and no UTF-8 writer takes it
_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_surrogates(value: str) -> tuple[str, bool]:
    """A surrogate pair becomes its character (as in JSON), a lone half becomes U+FFFD;
    and whether there was a lone half."""
    halves = value.encode("utf-16-le", "surrogatepass")
    try:
        return halves.decode("utf-16-le"), False
    except UnicodeDecodeError:
        return halves.decode("utf-16-le", "replace"), True


def _replace_surrogates(data: dict[str, Any]) -> dict[str, str]:
    """Repair, in place, every string of the parsed data (keys too, at any depth); return
    each string that held a lone surrogate with its repair.  Containers are walked once
    each and without recursion: YAML aliases share them (a billion laughs), even in a cycle."""
    repaired: dict[str, tuple[str, bool]] = {}

    def fixed(value: object) -> object:
        if not isinstance(value, str) or not _SURROGATE.search(value):
            return value
        if value not in repaired:
            repaired[value] = _without_surrogates(value)
        return repaired[value][0]

    seen: set[int] = set()
    pending: list[object] = [data]
    while pending:
        container = pending.pop()
        if id(container) in seen:
            continue
        seen.add(id(container))
        children: Any = ()
        if isinstance(container, list):
            container[:] = [fixed(item) for item in container]
            children = container
        elif isinstance(container, dict):
            items = [(fixed(key), fixed(item)) for key, item in container.items()]
            container.clear()
            container.update(items)
            children = container.values()
        elif isinstance(container, set):
            members = [fixed(item) for item in container]
            container.clear()
            container.update(members)
        pending.extend(child for child in children if isinstance(child, list | dict | set))
    return {original: text for original, (text, lone) in repaired.items() if lone}


def _surrogate_diagnostics(split: Split, lone: dict[str, str]) -> list[Diagnostic]:
    """A warning for each YAML scalar that held a lone surrogate, at its line, found
    again in the composed nodes (TOML refuses such escapes; should a string come
    from elsewhere, it is reported at the block's first line)."""
    located: list[tuple[int, str]] = []
    if split.format == "yaml":
        try:
            root = yaml.compose(split.raw, Loader=yaml.SafeLoader)
        except Exception:  # noqa: BLE001 - it loaded once; unlocated strings still warn
            root = None
        seen: set[int] = set()
        pending = [root] if root is not None else []
        while pending:
            node = pending.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            if isinstance(node, yaml.ScalarNode) and node.value in lone:
                located.append((split.first_line + node.start_mark.line + 1, node.value))
            elif isinstance(node, yaml.SequenceNode):
                pending.extend(node.value)
            elif isinstance(node, yaml.MappingNode):
                for key, value in node.value:
                    pending.extend((key, value))
    found = {value for _, value in located}
    located += [(split.first_line, value) for value in lone if value not in found]
    return [
        Diagnostic(
            Subtype.frontmatter,
            f"front matter string {_short(value)} holds a lone surrogate (half of a "
            f"UTF-16 pair, no character); read as {_short(lone[value])}",
            line,
        )
        for line, value in sorted(located)
    ]


class _Reader:
    """Typed access to the parsed mapping; wrong types warn and are ignored."""

    def __init__(self, data: dict[str, Any], key_lines: dict[str, int], first: int, last: int):
        self.data = data
        self.key_lines = key_lines
        self.first = first
        self.last = last
        self.diagnostics: list[Diagnostic] = []

    def line(self, key: str) -> int:
        return _clamp(self.key_lines.get(key, self.first), self.last)

    def warn(self, key: str, message: str) -> None:
        self.diagnostics.append(Diagnostic(Subtype.frontmatter, message, self.line(key)))

    def wrong_type(self, key: str, expected: str) -> None:
        value = self.data[key]
        self.warn(
            key, f"front matter '{key}' must be {expected}, not {type(value).__name__}; ignored"
        )

    def string(self, key: str) -> str | None:
        if key not in self.data or self.data[key] is None:
            return None
        value = self.data[key]
        if isinstance(value, str):
            return value
        self.wrong_type(key, "a string")
        return None

    def boolean(self, key: str) -> bool:
        value = self.data.get(key, False)
        if isinstance(value, bool):
            return value
        self.wrong_type(key, "true or false")
        return False

    def integer(self, key: str) -> int | None:
        if key not in self.data:
            return None
        value = self.data[key]
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        self.wrong_type(key, "an integer")
        return None

    def date(self, key: str) -> DateValue | None:
        if key not in self.data or self.data[key] is None:
            return None
        parsed = parse_date(self.data[key])
        if parsed is None:
            self.warn(
                key,
                f"front matter '{key}' is not a date (expected YYYY-MM-DD or an RFC 3339 "
                f"datetime): {_short(self.data[key])}; ignored",
            )
        return parsed

    def table(self, key: str) -> dict[str, Any]:
        value = self.data.get(key, {})
        if isinstance(value, dict):
            return value
        self.wrong_type(key, "a table")
        return {}

    def taxonomies(self) -> dict[str, tuple[str, ...]]:
        result: dict[str, tuple[str, ...]] = {}
        for name, values in self.table("taxonomies").items():
            qualified = f"taxonomies.{name}"
            line_key = qualified if qualified in self.key_lines else "taxonomies"
            if isinstance(values, str):
                # a common slip: tags = "a" instead of ["a"]; keep the tag
                self.diagnostics.append(
                    Diagnostic(
                        Subtype.frontmatter,
                        f"taxonomy '{name}' must be a list of strings, not a string; "
                        f"read as [{values[:60]!r}]",
                        self.line(line_key),
                    )
                )
                values = [values]
            if not isinstance(values, list):
                self.diagnostics.append(
                    Diagnostic(
                        Subtype.frontmatter,
                        f"taxonomy '{name}' must be a list of strings, not "
                        f"{type(values).__name__}; ignored",
                        self.line(line_key),
                    )
                )
                continue
            kept = []
            for value in values:
                if isinstance(value, str):
                    kept.append(value)
                else:
                    self.diagnostics.append(
                        Diagnostic(
                            Subtype.frontmatter,
                            f"taxonomy '{name}' holds a {type(value).__name__}, "
                            f"not a string: {_short(value)}; ignored",
                            self.line(line_key),
                        )
                    )
            result[str(name)] = tuple(kept)
        return result


_REPR = reprlib.Repr()  # keyword arguments only from Python 3.12
_REPR.maxstring, _REPR.maxother, _REPR.maxlist, _REPR.maxdict, _REPR.maxlevel = 60, 60, 4, 4, 2


def _short(value: object) -> str:
    """A bounded repr: a YAML alias bomb must not be expanded into a warning."""
    return _REPR.repr(value)


def iso(value: DateValue | None) -> str | None:
    """ISO 8601 text of a date, as used in ``<time datetime>`` and for sorting."""
    return None if value is None else value.isoformat()
