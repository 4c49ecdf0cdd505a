"""The checkers and pruners of the ``topofmind_*`` values (:data:`.config.OPTIONS`).

A checker takes a value and returns why it cannot be used (None: it can); a
pruner takes a valid value and returns it without its bad parts, with one
message per part dropped.  No Sphinx here: config.py registers and applies them.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any

SERIES_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
SHORTCODE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
MOJIBAKE_MODES = ("fix", "warn", "off")


def is_series(value: Any) -> str | None:
    if not isinstance(value, dict) or not value:
        return "must be a non-empty dict of series name -> options dict"
    for name, options in value.items():
        if not isinstance(name, str) or not SERIES_NAME.match(name):
            return f"series name {name!r} must be lower-case letters, digits and hyphens"
        if not isinstance(options, dict):
            return f"options of series {name!r} must be a dict"
        unknown = set(options) - {"title", "nav_file"}
        if unknown:
            return f"series {name!r} has unknown options {sorted(unknown)}"
        for key in ("title", "nav_file"):
            if key in options and not isinstance(options[key], str):
                return f"option {key!r} of series {name!r} must be a string"
    return None


def is_str_list(value: Any) -> str | None:
    if isinstance(value, list | tuple) and all(isinstance(item, str) for item in value):
        return None
    return "must be a list of folder names"


def is_relative_path(value: Any) -> str | None:
    if not isinstance(value, str):
        return "must be a string"
    if not _stays_inside(value):
        return "must be a relative path that stays inside its folder"
    return None


def _stays_inside(path: str) -> bool:
    """Relative (no root, no drive such as ``C:``), no ``..``, no NUL."""
    posix = path.replace("\\", "/")
    return not (
        PurePosixPath(posix).is_absolute()
        or PureWindowsPath(path).drive
        or PureWindowsPath(path).root
        or ".." in posix.split("/")
        or "\0" in path
    )


#: Output names Sphinx's HTML builders use for their own pages and folders
#: (``dirhtml`` writes ``genindex/index.html``): tag pages there would replace them.
SPHINX_OUTPUT_NAMES = frozenset({"genindex", "search", "py-modindex"})


def is_tags_path(value: Any, pages: str = "tag pages") -> str | None:
    problem = is_relative_path(value)
    if problem is not None:
        return problem
    parts = value.replace("\\", "/").strip("/").split("/")
    if parts == [""]:
        return "must not be empty"
    if any(part in ("", ".") for part in parts):
        return f"must be a folder of its own, not {value!r}"
    if parts[0].startswith("_") or parts[0].lower() in SPHINX_OUTPUT_NAMES:
        return f"must not put the {pages} among Sphinx's own pages and folders ({parts[0]!r})"
    return None


def is_archive_path(value: Any) -> str | None:
    return is_tags_path(value, "archive pages")


TAXONOMY_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
TAXONOMY_KEYS = frozenset({"name", "feed", "paginate_by"})


def is_taxonomies(value: Any) -> str | None:
    if isinstance(value, list | tuple) and all(isinstance(item, str | dict) for item in value):
        return None
    return (
        "must be a list of taxonomy names or {'name': ..., 'feed': ..., 'paginate_by': ...} dicts"
    )


def _taxonomy_problem(item: Any) -> str | None:
    """Why one ``topofmind_taxonomies`` entry cannot be used (None: it can)."""
    name = item if isinstance(item, str) else item.get("name")
    if not isinstance(name, str):
        return f"taxonomy {item!r} needs a string 'name'"
    if not TAXONOMY_NAME.match(name) or name.lower() in SPHINX_OUTPUT_NAMES:
        # the name is the folder of its pages in the output
        return (
            f"taxonomy name {name!r} must be letters, digits, '-' and '_' (not starting with "
            "'-' or '_') and not one of Sphinx's own pages"
        )
    if isinstance(item, dict):
        unknown = set(item) - TAXONOMY_KEYS
        if unknown:
            return f"taxonomy {name!r} has unknown keys {sorted(unknown)}"
        if not isinstance(item.get("feed", False), bool):
            return f"'feed' of taxonomy {name!r} must be True or False"
        paginate_by = item.get("paginate_by")
        if paginate_by is not None and (
            not isinstance(paginate_by, int) or isinstance(paginate_by, bool) or paginate_by < 1
        ):
            return f"'paginate_by' of taxonomy {name!r} must be a whole number >= 1"
    return None


def prune_taxonomies(value: Any) -> tuple[Any, list[str]]:
    """A bad entry, or a second one of the same name, is dropped; the others are kept."""
    kept: list[Any] = []
    problems: list[str] = []
    seen: set[str] = set()
    for item in value:
        problem = _taxonomy_problem(item)
        name = item if isinstance(item, str) else item.get("name")
        if problem is None and name in seen:
            problem = f"taxonomy {name!r} is declared twice"
        if problem is not None:
            problems.append(f"{problem}; dropped")
            continue
        seen.add(name)
        kept.append(item)
    return kept, problems


def prune_series(value: Any) -> tuple[Any, list[str]]:
    """A ``nav_file`` outside the content root is dropped: the series keeps its default one."""
    problems = []
    pruned = {}
    for name, options in value.items():
        nav_file = options.get("nav_file")
        if nav_file is not None and not _stays_inside(nav_file):
            problems.append(
                f"nav_file {nav_file!r} of series {name!r} must be a relative path that stays "
                f"inside the content root; using the default '{name}/nav.yaml'"
            )
            options = {key: option for key, option in options.items() if key != "nav_file"}
        pruned[name] = options
    return pruned, problems


def prune_static_path(value: Any) -> tuple[Any, list[str]]:
    """A folder outside the configuration directory is dropped, the others are kept."""
    kept = [folder for folder in value if _stays_inside(folder)]
    problems = [
        f"folder {folder!r} must be a relative path that stays inside the configuration "
        "directory; dropped"
        for folder in value
        if not _stays_inside(folder)
    ]
    return kept, problems


def is_mode(value: Any) -> str | None:
    return None if value in MOJIBAKE_MODES else f"must be one of {', '.join(MOJIBAKE_MODES)}"


def is_shortcodes(value: Any) -> str | None:
    if not isinstance(value, dict):
        return "must be a dict of shortcode name -> directive name, dict or callable"
    for name, target in value.items():
        if not isinstance(name, str) or not SHORTCODE_NAME.match(name):
            return f"shortcode name {name!r} is not an identifier"
        if isinstance(target, str) or callable(target):
            continue
        if isinstance(target, dict) and isinstance(target.get("callable"), str):
            if set(target) != {"callable"} or ":" not in target["callable"]:
                return f"shortcode {name!r}: 'callable' must be the only key, as 'module:function'"
            continue
        if isinstance(target, dict) and isinstance(target.get("directive"), str):
            unknown = set(target) - {"directive", "argument", "options"}
            if unknown:
                return f"shortcode {name!r} has unknown keys {sorted(unknown)}"
            continue
        return (
            f"shortcode {name!r} must map to a directive name, a dict with 'directive' or "
            "'callable', or a callable"
        )
    return None


def is_str(value: Any) -> str | None:
    return None if isinstance(value, str) else "must be a string"


def is_bool(value: Any) -> str | None:
    return None if isinstance(value, bool) else "must be True or False"


def is_url(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, str) and re.match(r"^https?://", value):
        return None
    return "must be an http(s) URL or empty"


# --- feeds (sphinx_topofmind/features/feeds/) ---------------------------------------

FEED_KINDS = ("site", "tags", "series", "taxonomies")
FEED_CONTENT_MODES = ("summary", "full")
#: the placeholders each feed path may (and, for tags and series, must) hold
FEED_PATH_FIELDS = {
    "site": (),
    "tags": ("tags_path", "slug"),
    "series": ("series",),
    "taxonomies": ("taxonomy", "slug"),
}


def check_feeds(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list | tuple) and all(item in FEED_KINDS for item in value):
        return None
    return f"must be None or a list of {', '.join(repr(k) for k in FEED_KINDS)}"


def check_limit(value: Any) -> str | None:
    if value is None or (isinstance(value, int) and not isinstance(value, bool) and value >= 1):
        return None
    return "must be a whole number >= 1, or None for no limit"


def check_count(value: Any) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return None
    return "must be a whole number >= 0"


def check_positive(value: Any) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return None
    return "must be a whole number >= 1"


def check_content(value: Any) -> str | None:
    modes = FEED_CONTENT_MODES
    return None if value in modes else f"must be one of {', '.join(modes)}"


def check_paths(value: Any) -> str | None:
    if not isinstance(value, dict):
        return "must be a dict of feed kind -> file path pattern"
    for kind, pattern in value.items():
        if kind not in FEED_KINDS:
            return f"has an unknown feed kind {kind!r}"
        if not isinstance(pattern, str) or not pattern.strip():
            return f"path of the {kind!r} feeds must be a non-empty string"
        dummy = {name: "x" for name in FEED_PATH_FIELDS[kind]}
        try:
            path = pattern.format(**dummy)
        except (KeyError, IndexError, ValueError):
            allowed = ", ".join("{" + f + "}" for f in FEED_PATH_FIELDS[kind]) or "no placeholder"
            return f"path {pattern!r} of the {kind!r} feeds may only use {allowed}"
        parts = path.replace("\\", "/").split("/")
        if path.startswith(("/", "\\")) or ".." in parts or path.endswith("/"):
            return f"path {pattern!r} must be a relative file path that stays inside the output"
        needed = {"tags": ("slug",), "series": ("series",), "taxonomies": ("taxonomy", "slug")}
        for field in needed.get(kind, ()):
            if "{" + field + "}" not in pattern:
                return f"path {pattern!r} of the {kind!r} feeds must hold {{{field}}}"
    return None
