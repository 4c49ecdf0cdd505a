"""``topofmind_zola_site``: point the extension at a whole Zola site.

From the site root (relative to the conf dir) the extension takes ``content/``
(the content root), ``static/`` (the static path), ``templates/shortcodes/``
(the site's own shortcodes), ``config.toml`` (base URL, title, Markdown
options, taxonomies, ``[extra]``) and a series for every ``nav.yaml``, each
only where ``conf.py`` (or ``-D``) does not set the matching option itself.  Nothing under the site's ``templates/``
or ``static/`` is ever read as a document.  Missing parts are fine; a broken
``config.toml`` is a located warning, never a crash.

The site is found on ``config-inited``, before the options are validated, so
every value it fills in is checked like one written in ``conf.py``.
"""

from __future__ import annotations

import os
import weakref
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util.logging import getLogger

from ..config import conf_location, project_sets
from ..report import warn, warn_in_file
from ..zola.diagnostics import Subtype
from ..zola.frontmatter import parse_front_matter
from ..zola.site_config import SiteConfig, SiteLayout, find_site, read_site_config
from ..zola.site_series import discover_series

logger = getLogger(__name__)

#: the site found for each application (a build's app; never shared across builds)
_SITES: weakref.WeakKeyDictionary[Sphinx, tuple[SiteLayout, SiteConfig] | None] = (
    weakref.WeakKeyDictionary()
)


def site(app: Sphinx) -> SiteLayout | None:
    """The Zola site this project points at, or None."""
    found = _SITES.get(app)
    return found[0] if found else None


def site_config(app: Sphinx) -> SiteConfig | None:
    """The site's ``config.toml``, read (defaults where it is absent), or None."""
    found = _SITES.get(app)
    return found[1] if found else None


def _relative(path: Path, start: Path) -> str | None:
    """``path`` relative to ``start`` (POSIX), or None when it lies outside ``start``."""
    try:
        return Path(os.path.relpath(path.resolve(), start.resolve())).as_posix()
    except ValueError:  # another drive (Windows)
        return None


def discover(app: Sphinx, config: Config) -> None:
    """Find the site and fill in the options the project left to it."""
    _SITES[app] = None
    value = config.topofmind_zola_site
    if not value or not isinstance(value, str):
        return  # not a string: config.validate reports it and resets it
    root = (Path(app.confdir) / value).resolve()
    if not root.is_dir():
        warn(
            Subtype.config,
            f"topofmind_zola_site: {value!r} is not a folder ({root}); ignored",
            conf_location(config, "topofmind_zola_site"),
        )
        return
    layout = find_site(root)
    site_conf = SiteConfig()
    if layout.config_toml is not None:
        site_conf, problems = read_site_config(layout.config_toml)
        for problem in problems:
            warn_in_file(problem, layout.config_toml)
    _SITES[app] = (layout, site_conf)
    _fill_in(app, config, layout, site_conf)


def _fill_in(app: Sphinx, config: Config, layout: SiteLayout, site_conf: SiteConfig) -> None:
    srcdir, confdir = Path(app.srcdir), Path(app.confdir)

    def unset(name: str) -> bool:
        return not project_sets(config, name)

    if layout.content is not None and unset("topofmind_content_root"):
        relative = _relative(layout.content, srcdir)
        if relative is None or relative.startswith("../") or relative == "..":
            warn(
                Subtype.config,
                f"the Zola site's content folder {layout.content} is outside the source dir "
                f"{srcdir}; build from the site root or from content/",
                conf_location(config, "topofmind_zola_site"),
            )
        else:
            config.topofmind_content_root = "" if relative == "." else relative
    if layout.static is not None and unset("topofmind_static_path"):
        relative = _relative(layout.static, confdir)
        if relative is not None:
            config.topofmind_static_path = [relative]
    if layout.content is not None and unset("topofmind_series"):
        # every nav.yaml is a series, shown by the shortcode whose template loads it
        series = discover_series(layout.content, layout.shortcodes)
        if series:
            config.topofmind_series = series
    if site_conf.base_url and unset("topofmind_base_url"):
        config.topofmind_base_url = site_conf.base_url
    if unset("topofmind_smart_punctuation"):
        config.topofmind_smart_punctuation = site_conf.markdown.smart_punctuation
    if site_conf.markdown.error_on_missing_language is not None and unset(
        "topofmind_error_on_missing_language"
    ):
        config.topofmind_error_on_missing_language = site_conf.markdown.error_on_missing_language
    if layout.config_toml is not None and unset("topofmind_taxonomies"):
        # the site's taxonomies, exactly (none declared: none, as Zola)
        config.topofmind_taxonomies = [
            {"name": t.name, "feed": t.feed}
            | ({"paginate_by": t.paginate_by} if t.paginate_by is not None else {})
            for t in site_conf.taxonomies
            # another language's taxonomies (older Zola's `lang` key) are not this site's
            if t.lang in (None, site_conf.default_language)
        ]
    if site_conf.title and unset("project"):
        config.project = site_conf.title
        if unset("html_title"):
            config.html_title = site_conf.title
    if site_conf.author and unset("author"):
        config.author = site_conf.author
    if site_conf.default_language and unset("language"):
        config.language = site_conf.default_language
    _root_document(config, srcdir, layout)
    _exclude_non_content(config, srcdir, layout)
    _exclude_taxonomy_sections(config, srcdir, layout)


def _exclude_taxonomy_sections(config: Config, srcdir: Path, layout: SiteLayout) -> None:
    """A section at a taxonomy's URL (``content/tags/_index.md`` beside the ``tags``
    taxonomy) is never shown by Zola: the taxonomy's index is written at ``/tags/``.
    It is not read here either, so the generated index takes its place, as in Zola.
    Only a lone ``_index.md``: a folder with pages of its own stays a section."""
    if layout.content is None:
        return
    for taxonomy in config.topofmind_taxonomies or ():
        name = taxonomy.get("name") if isinstance(taxonomy, dict) else taxonomy
        if not isinstance(name, str) or not name or "/" in name or name.startswith("."):
            continue
        folder = layout.content / name
        index = folder / "_index.md"
        if not index.is_file() or any(
            entry != index and entry.suffix == ".md" for entry in folder.rglob("*")
        ):
            continue
        relative = _relative(index, srcdir)
        if relative is not None and not relative.startswith(".."):
            logger.verbose(
                "%s is left out: Zola shows the '%s' taxonomy's index there", index, name
            )
            _exclude(config, relative)


def _exclude_non_content(config: Config, srcdir: Path, layout: SiteLayout) -> None:
    """Zola reads pages from ``content/`` only; so does Sphinx here.

    Every other entry of the site root (``templates/``, ``static/``, ``public/``, a
    README) is excluded, except the project's own root document.
    """
    if _relative(layout.root, srcdir) is None:
        return
    root_files = {f"{config.root_doc}{suffix}" for suffix in (".md", ".rst")}
    for entry in sorted(layout.root.iterdir()):
        if entry == layout.content or entry.name in root_files or entry.name == "conf.py":
            continue
        relative = _relative(entry, srcdir)
        if relative is not None and not relative.startswith("..") and relative != ".":
            _exclude(config, relative, f"{relative}/**")


def _exclude(config: Config, *patterns: str) -> None:
    """Add to ``exclude_patterns`` what it lacks, as a new list: the default value may be
    shared by other builds in this process."""
    config.exclude_patterns = [
        *config.exclude_patterns,
        *(p for p in patterns if p not in config.exclude_patterns),
    ]


def _root_document(config: Config, srcdir: Path, layout: SiteLayout) -> None:
    """Without a root document of the project's own, the home section is the root."""
    if project_sets(config, "root_doc") or project_sets(config, "master_doc"):
        return
    if any((srcdir / f"{config.root_doc}{suffix}").is_file() for suffix in (".md", ".rst")):
        return
    if layout.content is None:
        return
    home = layout.content / "_index.md"
    if not home.is_file():
        # Zola then makes an empty home section; the first top-level section stands in
        found = first_top_level_section(layout.content)
        if found is None:
            return
        home = found
    relative = _relative(home.with_suffix(""), srcdir)
    if relative is not None and not relative.startswith(".."):
        config.root_doc = relative


def first_top_level_section(content: Path) -> Path | None:
    """The ``_index.md`` of the first top-level section, in Zola's order of subsections
    (``weight``, then name)."""
    found = []
    for folder in sorted(p for p in content.iterdir() if p.is_dir()):
        index = folder / "_index.md"
        if not index.is_file():
            continue
        try:
            matter, _ = parse_front_matter(index.read_text(encoding="utf-8-sig", errors="replace"))
        except OSError:
            continue
        weight = matter.weight if matter is not None and matter.weight is not None else 0
        draft = matter is not None and matter.draft
        found.append((draft, weight, folder.name, index))
    return min(found)[3] if found else None


def setup(app: Sphinx) -> None:
    # before config.validate (priority 100): what the site fills in is checked too
    app.connect("config-inited", discover, priority=50)
