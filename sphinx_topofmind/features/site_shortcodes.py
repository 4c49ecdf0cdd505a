"""The site's own shortcodes: ``templates/shortcodes/NAME.{html,md}`` of ``topofmind_zola_site``,
rendered with :class:`~sphinx_topofmind.zola.tera.TeraRenderer`.

They come after the project's ``topofmind_shortcodes`` and the series navs (see
:func:`.shortcodes.shortcode_role`).  A template sees what Zola gives it: the
call's arguments, ``body``, ``nth``, ``page`` (from the article's own front
matter), ``config`` and ``lang``, and Zola's functions over files on disk
(:mod:`~sphinx_topofmind.zola.site_functions`), so read-time output never depends
on another document.  An ``.md`` template's output is Markdown, parsed where the
call stands; an ``.html`` template's is HTML (:mod:`.site_html`).  A template
that fails gives one warning at the call, naming the template file and line, and
the call shows as written.  Each template and file a document used is a
dependency of that document: changing it re-reads the document.

One renderer per build, made on ``builder-inited`` (parallel readers fork
after it, each with its copy; nothing of it enters the pickled environment).
"""

from __future__ import annotations

import weakref
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from ..report import warn
from ..zola.diagnostics import Subtype
from ..zola.rewrite import ShortcodeCall
from ..zola.site_config import SiteLayout
from . import zola_site
from .rewrite import content_root, current_rewrite
from .site_html import inline_html


class _SiteRenderer:
    """The renderer of one build, and the files the current render read."""

    def __init__(self, app: Sphinx, layout: SiteLayout) -> None:
        # imported by the first build of a site with shortcode templates (issue 17: the
        # template engine is a tenth of the extension's import time, for no other site)
        from ..zola.site_functions import SiteFunctions
        from ..zola.tera import TeraRenderer

        config = zola_site.site_config(app)
        self.read: set[Path] = set()
        content = Path(app.srcdir, content_root(app))
        self.content = layout.content or content
        self.renderer = TeraRenderer(
            layout.root, self.content, config=config, templates_dir=layout.templates
        )
        base_url = app.config.topofmind_base_url or (config.base_url if config else "")
        functions = SiteFunctions(
            self.content,
            base_url,
            self.renderer.resolve_data_path,
            lambda: {t.name for t in config.taxonomies} if config else set(),
            self.read.add,
        )
        self.base_url = base_url
        environment = self.renderer.environment
        environment.globals.update(functions.functions())
        environment.globals["load_data"] = self._load_data

    def _load_data(self, path: str | None = None, **kwargs: Any) -> Any:
        if path is not None:
            try:
                self.read.add(self.renderer.resolve_data_path(path))
            except Exception:  # noqa: BLE001,S110 - load_data itself reports the problem
                pass
        return self.renderer.load_data(path=path, **kwargs)


#: the renderer of each build's environment (made on ``builder-inited``, before parallel
#: readers fork, so each reader process has its copy; never pickled with the environment)
_RENDERERS: weakref.WeakKeyDictionary[BuildEnvironment, _SiteRenderer] = weakref.WeakKeyDictionary()


def _create(app: Sphinx) -> None:
    layout = zola_site.site(app)
    _RENDERERS.pop(app.env, None)
    if layout is not None and layout.shortcodes is not None:
        _RENDERERS[app.env] = _SiteRenderer(app, layout)


def shortcode_names(app: Sphinx) -> set[str]:
    """The names of the site's shortcode templates (none without ``topofmind_zola_site``)."""
    site = _RENDERERS.get(app.env)
    return set(site.renderer.shortcode_names()) if site is not None else set()


def _nth(calls: tuple[ShortcodeCall, ...], index: int) -> int:
    """1-based count of this shortcode's name among the page's calls, up to this one."""
    name = calls[index].shortcode.name
    return sum(
        1 for call in calls[: index + 1] if call.literal is None and call.shortcode.name == name
    )


def _page(env: BuildEnvironment, site: _SiteRenderer, docname: str) -> dict[str, Any]:
    rewrite = current_rewrite(env)
    matter = rewrite.front_matter if rewrite is not None else None
    path = Path(env.doc2path(docname))
    try:
        relative = path.resolve().relative_to(site.content.resolve()).as_posix()
    except ValueError:
        relative = path.name
    body = rewrite.text if rewrite is not None else ""
    from ..zola.site_functions import page_view  # imported with the renderer

    return page_view(relative, matter, site.base_url, body)


def render(env: BuildEnvironment, index: int, markdown: Any) -> list[nodes.Node] | None:
    """Render call ``index`` with the site's template; None when the site has none.

    ``markdown(text, call)`` parses a ``.md`` template's output where the call stands.
    """
    site = _RENDERERS.get(env)
    rewrite = current_rewrite(env)
    if site is None or rewrite is None:
        return None
    call = rewrite.calls[index]
    shortcode = call.shortcode
    template = site.renderer.find_shortcode(shortcode.name)
    if template is None:
        return None
    docname = env.docname
    site.read.clear()
    result = site.renderer.render_shortcode(
        shortcode.name,
        shortcode.args,
        body=shortcode.body,
        nth=_nth(rewrite.calls, index),
        page=_page(env, site, docname),
        lang=env.config.language or None,
    )
    for used in {template, *(site.read)}:
        env.note_dependency(str(used))
    site.read.clear()
    if result.diagnostics:
        for diagnostic in result.diagnostics[:1]:
            warn(
                Subtype.shortcode,
                f"shortcode '{shortcode.name}': {diagnostic.message}; shown as text",
                (docname, shortcode.line),
            )
        return [nodes.inline(shortcode.text, shortcode.text, classes=["topofmind-shortcode-text"])]
    classes = ["topofmind-shortcode", f"topofmind-{shortcode.name}"]
    if template.suffix == ".md":
        produced: list[nodes.Node] = markdown(result.text, call)
        return produced
    return [inline_html(result.text, classes)]


def _watch_for_new_templates(app: Sphinx, docname: str, source: list[str]) -> None:
    """A page with an unknown shortcode is re-read when a template is added (the
    folder's time changes); a page using a template depends on that file already."""
    site = _RENDERERS.get(app.env)
    rewrite = current_rewrite(app.env)
    if site is None or rewrite is None:
        return
    unknown = any(
        call.shortcode.name and call.literal == call.shortcode.text for call in rewrite.calls
    )
    if unknown:
        app.env.note_dependency(str(site.renderer.templates_dir / "shortcodes"))


def setup(app: Sphinx) -> None:
    # early: the rewrite asks for the site's names on the first source-read
    app.connect("builder-inited", _create, priority=100)
    app.connect("source-read", _watch_for_new_templates, priority=600)  # after the rewrite
