"""Typed, validated ``topofmind_*`` configuration values.

Each value is registered with Sphinx from :data:`OPTIONS`; on
``config-inited`` every value is checked and a bad one is warned about
(``topofmind.config``) and reset to its default, so a typo in ``conf.py``
never crashes a build.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util.logging import getLogger

from .warnings_ import WARNING_TYPE, Subtype

logger = getLogger(__name__)

SERIES_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
SHORTCODE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
MOJIBAKE_MODES = ("fix", "warn", "off")


def _is_series(value: Any) -> str | None:
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


def _is_str_list(value: Any) -> str | None:
    if isinstance(value, list | tuple) and all(isinstance(item, str) for item in value):
        return None
    return "must be a list of folder names"


def _is_relative_path(value: Any) -> str | None:
    if not isinstance(value, str):
        return "must be a string"
    parts = value.replace("\\", "/").split("/")
    if value.startswith(("/", "\\")) or ".." in parts:
        return "must be a relative path that stays inside its folder"
    return None


def _is_tags_path(value: Any) -> str | None:
    problem = _is_relative_path(value)
    if problem is None and not value.strip("/"):
        return "must not be empty"
    return problem


def _is_mode(value: Any) -> str | None:
    return None if value in MOJIBAKE_MODES else f"must be one of {', '.join(MOJIBAKE_MODES)}"


def _is_shortcodes(value: Any) -> str | None:
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


def _is_bool(value: Any) -> str | None:
    return None if isinstance(value, bool) else "must be True or False"


def _is_url(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, str) and re.match(r"^https?://", value):
        return None
    return "must be an http(s) URL or empty"


@dataclasses.dataclass(frozen=True)
class Option:
    name: str
    default: Any
    rebuild: str
    check: Callable[[Any], str | None]
    doc: str


OPTIONS: tuple[Option, ...] = (
    Option(
        "series",
        {"top-of-mind": {"title": "Top of Mind"}},
        "env",
        _is_series,
        "Series name -> options (``title``, ``nav_file``). Each series S gets the "
        "directive ``S-nav`` and the Zola shortcode ``S_nav``.",
    ),
    Option(
        "content_root",
        "",
        "env",
        _is_relative_path,
        "Folder, relative to the source dir, that Zola ``@/`` links and nav files are "
        "relative to (Zola's ``content/``). Empty: the source dir.",
    ),
    Option(
        "static_path",
        [],
        "env",
        _is_str_list,
        "Folders, relative to the conf dir, where site-absolute paths such as "
        "``/images/x.png`` are looked up (Zola's ``static/``).",
    ),
    Option(
        "tags_path",
        "tags",
        "env",
        _is_tags_path,
        "Where the generated tag pages go in the output.",
    ),
    Option(
        "mojibake",
        "fix",
        "env",
        _is_mode,
        "``fix`` repairs damaged UTF-8 silently (``-v`` lists the repairs), ``warn`` only "
        "reports it, ``off`` does nothing.",
    ),
    Option(
        "shortcodes",
        {},
        "env",
        _is_shortcodes,
        "The project's own Zola shortcodes: name -> directive name, "
        "``{'directive': ..., 'argument': ..., 'options': {...}}``, "
        "``{'callable': 'module:function'}`` (cacheable) or a callable.",
    ),
    Option(
        "drafts",
        False,
        "env",
        _is_bool,
        "Build articles with ``draft = true`` (Zola's ``--drafts``).",
    ),
    Option(
        "section_toctree",
        True,
        "env",
        _is_bool,
        "A Zola section page (``_index.md``) holds its folder's pages in a hidden toctree, "
        "as Zola's sections do. ``False``: no such toctree, and articles with front matter "
        "are orphans (no 'not in any toctree' warning); cheaper for sites of thousands of "
        "pages, whose sidebars would otherwise list every section.",
    ),
    Option(
        "base_url",
        "",
        "env",
        _is_url,
        "The site's public URL (Zola's ``base_url``). Empty: ``html_baseurl``.",
    ),
)


def register(app: Sphinx) -> None:
    """Add every option as ``topofmind_<name>``."""
    add_options(app, OPTIONS)
    app.connect("config-inited", validate, priority=100)


def add_options(app: Sphinx, options: tuple[Option, ...]) -> None:
    for option in options:
        app.add_config_value(
            f"topofmind_{option.name}",
            option.default,
            option.rebuild,  # type: ignore[arg-type]
            description=option.doc,
        )


def validate(app: Sphinx, config: Config) -> None:
    """Warn about and reset invalid values, so the rest of the code can trust them."""
    reset_invalid(config, OPTIONS)
    if not config.topofmind_base_url:
        config.topofmind_base_url = getattr(config, "html_baseurl", "") or ""


def reset_invalid(config: Config, options: tuple[Option, ...]) -> None:
    """Each invalid value is warned about (``topofmind.config``) and set to its default."""
    for option in options:
        key = f"topofmind_{option.name}"
        problem = option.check(getattr(config, key))
        if problem is not None:
            logger.warning(
                "%s %s; using the default %r",
                key,
                problem,
                option.default,
                type=WARNING_TYPE,
                subtype=Subtype.config.value,
            )
            setattr(config, key, option.default)


def shortcode_name(series: str) -> str:
    """``top-of-mind`` -> ``top_of_mind_nav`` (Zola shortcode names cannot hold hyphens)."""
    return series.replace("-", "_") + "_nav"


def directive_name(series: str) -> str:
    return f"{series}-nav"
