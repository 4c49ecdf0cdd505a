"""Typed, validated ``topofmind_*`` configuration values.

Every feature's values (the feeds' too) are registered with Sphinx from
:data:`OPTIONS`; on ``config-inited`` every value is checked and a bad one is
warned about (``topofmind.config``) and reset to its default, so a typo in
``conf.py`` never crashes a build.
"""

from __future__ import annotations

import ast
import difflib
import hashlib
import inspect
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError

from .compat import conf_py_values

# the checkers under the names the OPTIONS table has always used
from .config_checks import check_content as _check_content
from .config_checks import check_count as _check_count
from .config_checks import check_feeds as _check_feeds
from .config_checks import check_limit as _check_limit
from .config_checks import check_paths as _check_paths
from .config_checks import check_positive as _check_positive
from .config_checks import is_archive_path as _is_archive_path
from .config_checks import is_bool as _is_bool
from .config_checks import is_mode as _is_mode
from .config_checks import is_relative_path as _is_relative_path
from .config_checks import is_series as _is_series
from .config_checks import is_shortcodes as _is_shortcodes
from .config_checks import is_str as _is_str
from .config_checks import is_str_list as _is_str_list
from .config_checks import is_tags_path as _is_tags_path
from .config_checks import is_taxonomies as _is_taxonomies
from .config_checks import is_url as _is_url
from .config_checks import prune_series as _prune_series
from .config_checks import prune_static_path as _prune_static_path
from .config_checks import prune_taxonomies as _prune_taxonomies
from .deprecation import RENAMED_CONFIG
from .deprecation import setup as setup_deprecation
from .report import warn
from .zola.diagnostics import Subtype


def project_values(config: Config) -> Mapping[str, Any]:
    """The values the project itself set: ``conf.py`` and overrides (``-D``, ``confoverrides``).

    "Did the project choose this value" has no public answer: ``Config.overrides``
    is public, the names set in ``conf.py`` come from :func:`.compat.conf_py_values`.
    """
    values = {**conf_py_values(config), **config.overrides}
    # a value set under its old name (deprecation.RENAMED_CONFIG) is a choice of the new one
    for old, (new, _) in RENAMED_CONFIG.items():
        if old in values:
            values.setdefault(new, values[old])
    return values


def project_sets(config: Config, name: str) -> bool:
    """Whether ``conf.py`` or an override sets ``name`` (a default is not a choice)."""
    return name in project_values(config)


class Option(NamedTuple):
    name: str
    default: Any
    rebuild: str
    check: Callable[[Any], str | None]
    doc: str
    #: for a valid value: the value without its bad parts, and one message per part dropped
    prune: Callable[[Any], tuple[Any, list[str]]] | None = None


OPTIONS: tuple[Option, ...] = (
    Option(
        "zola_site",
        "",
        "env",
        _is_str,
        "Path, relative to the conf dir, of a Zola site root: its ``content/``, ``static/``, "
        "``templates/shortcodes/`` and ``config.toml`` fill in the options ``conf.py`` "
        "leaves unset. Empty: no Zola site.",
    ),
    Option(
        "series",
        {"top-of-mind": {"title": "Top of Mind"}},
        "env",
        _is_series,
        "Series name -> options (``title``, ``nav_file``). Each series S gets the "
        "directive ``S-nav`` and the Zola shortcode ``S_nav``.",
        _prune_series,
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
        _prune_static_path,
    ),
    Option(
        "tags_path",
        "tags",
        "env",
        _is_tags_path,
        "Where the generated tag pages go in the output: a folder of their own, "
        "not the output root nor one of Sphinx's (``_static``, ``genindex``, ...).",
    ),
    Option(
        "archive_path",
        "archive",
        "env",
        _is_archive_path,
        "Where the generated archive pages go in the output (``<path>/index`` and one page "
        "per year, ``<path>/<year>``): a folder of their own, not the output root nor one of "
        "Sphinx's.",
    ),
    Option(
        "taxonomies",
        ["tags"],
        "env",
        _is_taxonomies,
        "The taxonomies articles may use: names, or dicts ``{'name': ..., 'feed': ..., "
        "'paginate_by': ...}``. Each gets an index page and a page per term under its name "
        "(``tags`` under ``topofmind_tags_path``). Default: the Zola site's ``config.toml`` "
        "taxonomies, else ``['tags']``.",
        _prune_taxonomies,
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
        "``{'callable': 'module:function'}`` or a callable.",
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
    Option(
        "smart_punctuation",
        False,
        "env",
        _is_bool,
        "Zola articles get smart punctuation (curly quotes, dashes, ellipses), as Zola's "
        "``[markdown] smart_punctuation``. Other pages keep Sphinx's ``smartquotes``.",
    ),
    Option(
        "error_on_missing_language",
        False,
        "env",
        _is_bool,
        "A code block of a Zola article in a language Pygments does not know gives a "
        "``topofmind.markdown`` warning (Zola's ``error_on_missing_language``); it is "
        "shown as plain text either way.",
    ),
    Option(
        "feeds",
        None,
        "html",
        _check_feeds,
        "Which Atom feeds to write: a list of ``site``, ``tags``, ``series``, ``taxonomies`` "
        "(the terms of the other taxonomies that set ``feed``). None: all of them when a "
        "base URL is known, none (silently) otherwise.",
    ),
    Option(
        "paginate_by",
        None,
        "env",
        _check_limit,
        "Most articles per generated listing page (archives, ``article-list`` output, and "
        "term pages of a taxonomy without its own ``paginate_by``); longer listings get "
        "``page/N`` pages with previous/next links. None: no pagination.",
    ),
    Option(
        "reading_time",
        False,
        "env",
        _is_bool,
        "Show the reading time (Zola's: the words of the Markdown, 200 a minute, rounded "
        "up) in the article header.",
    ),
    Option(
        "related_articles",
        0,
        "env",
        _check_count,
        "How many related articles (those sharing the most tags, newest first) to list at "
        "the end of each article. 0: none.",
    ),
    Option(
        "sidebar_recent",
        5,
        "html",
        _check_positive,
        "How many articles the ``topofmind/sidebar-recent.html`` sidebar lists, newest first.",
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
        "(``{tags_path}/{slug}.xml``), ``series`` (``feeds/{series}.xml``), ``taxonomies`` "
        "(``{taxonomy}/{slug}.xml``).",
    ),
)


def setup(app: Sphinx) -> None:
    """Add every option as ``topofmind_<name>``."""
    add_options(app, OPTIONS)
    # before zola_site.discover (50) and validate (100): both see the value under its new name
    app.connect("config-inited", move_renamed, priority=40)
    app.connect("config-inited", validate, priority=100)
    setup_deprecation(app)


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
    warn_unknown(config)
    reset_invalid(config, OPTIONS)
    config.topofmind_shortcodes = {
        name: PythonShortcode(target)
        if callable(target) and not isinstance(target, PythonShortcode)
        else target
        for name, target in config.topofmind_shortcodes.items()
    }
    if not config.topofmind_base_url:
        config.topofmind_base_url = getattr(config, "html_baseurl", "") or ""
    _check_taxonomy_folders(config)


def _check_taxonomy_folders(config: Config) -> None:
    """A taxonomy other than ``tags`` whose folder is the tag pages' would mix their pages."""
    tags_root = config.topofmind_tags_path.replace("\\", "/").strip("/").split("/")[0]
    kept = []
    for item in config.topofmind_taxonomies:
        name = item if isinstance(item, str) else item["name"]
        if name != "tags" and name.lower() == tags_root.lower():
            _warn(
                config,
                "topofmind_taxonomies",
                "topofmind_taxonomies: the pages of taxonomy %r would go into the tag pages' "
                "folder %r (topofmind_tags_path); dropped",
                name,
                tags_root,
            )
            continue
        kept.append(item)
    if len(kept) != len(config.topofmind_taxonomies):
        config.topofmind_taxonomies = kept


def _warn(config: Config, key: str, message: str, *args: Any) -> None:
    warn(Subtype.config, message % args if args else message, conf_location(config, key))


def move_renamed(app: Sphinx, config: Config) -> None:
    """A value set under a name a release renamed moves to the new name, with a
    ``topofmind.deprecated`` warning; when both names are set the new one wins."""
    chosen = {**conf_py_values(config), **config.overrides}
    for old, (new, removed_in) in RENAMED_CONFIG.items():
        if old not in chosen:
            continue
        where = conf_location(config, old)
        if new in chosen:
            warn(Subtype.deprecated, f"{old} and {new} are both set; {old} is ignored", where)
            continue
        value = chosen[old]
        if old in config.overrides and isinstance(value, str):
            try:  # -D gives a string: convert it as Sphinx does for the new name
                value = config.convert_overrides(new, value)
            except (ValueError, ConfigError):
                pass  # validate() reports it under the new name
        setattr(config, new, value)
        message = f"{old} is renamed {new}; the old name stops working in version {removed_in}"
        warn(Subtype.deprecated, message, where)


def reset_invalid(config: Config, options: tuple[Option, ...]) -> None:
    """Each invalid value is warned about (``topofmind.config``) and set to its default;
    the bad parts of a value that has a ``prune`` are warned about and dropped."""
    for option in options:
        key = f"topofmind_{option.name}"
        problem = option.check(getattr(config, key))
        if problem is not None:
            _warn(config, key, "%s %s; using the default %r", key, problem, option.default)
            setattr(config, key, option.default)
        elif option.prune is not None:
            value, problems = option.prune(getattr(config, key))
            for message in problems:
                _warn(config, key, "%s: %s", key, message)
            if problems:
                setattr(config, key, value)


def warn_unknown(config: Config) -> None:
    """A ``topofmind_*`` name the extension does not know is a typo: say so, and what was meant."""
    known = sorted(name for name in config.values if name.startswith("topofmind_"))
    for name in sorted(project_values(config)):
        if not name.startswith("topofmind_") or name in known or name in RENAMED_CONFIG:
            continue
        # compared without the shared prefix, which would make every name look close
        close = difflib.get_close_matches(name[10:], [k[10:] for k in known], n=1)
        hint = f"; did you mean 'topofmind_{close[0]}'?" if close else ""
        where = "an override" if name in config.overrides else "conf.py"
        _warn(config, name, "unknown configuration value %r in %s, ignored%s", name, where, hint)


def conf_location(config: Config, name: str) -> str | None:
    """``<conf.py>:<line>`` of the top-level assignment to ``name``; None for an override."""
    if name in config.overrides:
        return None
    conf_file = project_values(config).get("__file__")
    if not isinstance(conf_file, str):
        return None
    lines = _assignment_lines(conf_file)
    # a value set under its old name is reported at that name's line
    line = lines.get(name) or next(
        (lines[old] for old, (new, _) in RENAMED_CONFIG.items() if new == name and old in lines),
        None,
    )
    return f"{conf_file}:{line}" if line else None


def _assignment_lines(conf_file: str) -> dict[str, int]:
    """The line of the first top-level assignment to each name in ``conf_file``."""
    try:
        tree = ast.parse(Path(conf_file).read_bytes(), conf_file)
    except (OSError, SyntaxError, ValueError):
        return {}
    lines: dict[str, int] = {}
    for statement in tree.body:
        if isinstance(statement, ast.Assign):
            targets = statement.targets
        elif isinstance(statement, ast.AnnAssign | ast.AugAssign):
            targets = [statement.target]
        else:
            continue
        for target in targets:
            if isinstance(target, ast.Name):
                lines.setdefault(target.id, statement.lineno)
    return lines


class PythonShortcode:
    """A function given directly in ``topofmind_shortcodes``, as Sphinx can keep it.

    Sphinx pickles the configuration with the environment and compares the next
    build's with it.  A bare function cannot be pickled: Sphinx warns
    (``config.cache``), finds the value changed and re-reads every document on
    every build.  This wrapper calls the function but pickles, prints and
    compares as :attr:`key` (qualified name and a digest of its source), so an
    unchanged function leaves incremental builds incremental and an edited one
    re-reads the articles.
    """

    __slots__ = ("function", "key")

    def __init__(self, function: Callable[..., Any] | None, key: str | None = None) -> None:
        self.function = function
        self.key = key if key is not None else _callable_key(function)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self.function is None:
            raise RuntimeError(f"{self.key} was not kept with the saved environment")
        return self.function(*args, **kwargs)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PythonShortcode) and other.key == self.key

    def __hash__(self) -> int:
        return hash(self.key)

    def __repr__(self) -> str:
        # Sphinx compares configurations through their str()
        return f"<shortcode function {self.key}>"

    def __reduce__(self) -> tuple[Any, ...]:
        return (PythonShortcode, (None, self.key))


def _callable_key(function: Any) -> str:
    name = getattr(function, "__qualname__", None) or type(function).__qualname__
    key = f"{getattr(function, '__module__', None) or 'conf.py'}.{name}"
    try:
        source = inspect.getsource(function)
    except (OSError, TypeError):
        return key
    return f"{key}#{hashlib.sha256(source.encode()).hexdigest()[:16]}"


def shortcode_name(series: str) -> str:
    """``top-of-mind`` -> ``top_of_mind_nav`` (Zola shortcode names cannot hold hyphens)."""
    return series.replace("-", "_") + "_nav"


def directive_name(series: str) -> str:
    return f"{series}-nav"
