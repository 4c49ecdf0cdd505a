"""Redirect pages: each old or other URL of a page leads to where Sphinx writes it.

- Each page's Zola URL (from its path, ``slug`` and ``path``) that differs from where
  Sphinx writes it, each entry of ``aliases`` and Sphinx's own ``x/_index/`` path of a
  moved section get a small redirect page from ``templates/topofmind/redirect.html``.
  A section's ``redirect_to`` makes its own page such a redirect.  Redirect pages are
  written by this module at ``build-finished`` (never through ``handle_page``: they are
  no pages of the site, so sitemaps and search do not list them), never over a real
  page, never outside the output dir; the ones a build no longer needs are removed.
- ``render = false``: the page's written output is removed here.

What to redirect comes from the routes :mod:`.urls` collects while reading.
"""

from __future__ import annotations

import json
import os
import posixpath
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

from sphinx.application import Sphinx
from sphinx.util.osutil import relative_uri

from .. import state
from ..report import warn
from ..zola.diagnostics import Subtype
from ..zola.urls import check_site_path, is_external, url_file
from .archives import archive_outfiles
from .generated_pages import outfile_of
from .taxonomy import html_builder
from .urls import routes, section_index
from .zola_site import site

REDIRECT_TEMPLATE = "topofmind/redirect.html"
#: the redirect pages written into an output dir, so the next build can remove stale ones
MANIFEST = ".topofmind-redirects.json"


class Redirect(NamedTuple):
    """A redirect page to write: output file (POSIX, relative to the output dir)."""

    file: str
    #: the document it leads to, or an external/site URL (``redirect_to``)
    docname: str | None
    url: str | None
    #: where a refusal is reported
    location: tuple[str, int]
    what: str


def writes_redirects(app: Sphinx) -> bool:
    return app.builder.format == "html" and app.builder.name in ("html", "dirhtml")


def _outfile(app: Sphinx, docname: str) -> str:
    """The document's output file, relative to the output dir, with ``/``."""
    file = outfile_of(app).get(docname)
    if file is None:
        file = str(html_builder(app).get_outfilename(docname))
    return file.removeprefix(str(app.outdir) + os.sep).replace(os.sep, "/")


def _is_zola_site(app: Sphinx) -> bool:
    return site(app) is not None


def planned_redirects(app: Sphinx) -> Iterator[Redirect]:
    """Every redirect page the sources ask for, in docname order."""
    env = app.env
    records = routes(env)
    zola_site = _is_zola_site(app)
    for docname in sorted(records):
        route = records[docname]
        if docname not in env.found_docs:
            continue
        real = _outfile(app, docname)
        if route.redirect_to is not None:
            yield Redirect(
                real, None, route.redirect_to, (docname, route.redirect_line), "redirect_to"
            )
        if not route.render and route.redirect_to is None:
            continue  # nothing to lead to
        if app.builder.name == "dirhtml" and section_index(docname) is not None:
            natural = posixpath.join(docname, "index.html")
            if natural != real:  # search results link a section by its document name
                yield Redirect(natural, docname, None, (docname, 1), "section")
        if route.zola_url is not None and (zola_site or route.explicit):
            file = url_file(route.zola_url)
            if file != real:
                yield Redirect(file, docname, None, (docname, route.url_line), "Zola URL")
        for alias, line in route.aliases:
            problem = check_site_path(alias)
            if problem is not None:
                warn(
                    Subtype.redirect,
                    f"alias {alias[:80]!r} is refused ({problem}); no redirect is written",
                    (docname, line),
                )
                continue
            yield Redirect(
                url_file("/" + alias.lstrip("/")), docname, None, (docname, line), "alias"
            )


def _read_manifest(outdir: Path) -> set[str]:
    try:
        data = json.loads((outdir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    return {item for item in data if isinstance(item, str)} if isinstance(data, list) else set()


def _inside(outdir: Path, file: str) -> Path | None:
    """The file's path when it stays inside the output dir (symbolic links followed)."""
    target = (outdir / file).resolve()
    return target if target.is_relative_to(outdir.resolve()) else None


def _href(app: Sphinx, file: str, redirect: Redirect) -> tuple[str, str] | None:
    """(href relative to the redirect page, canonical URL) of the redirect's target."""
    base = (app.config.topofmind_base_url or "").rstrip("/")
    # the URL the redirect page is served at: a folder's index.html at the folder
    from_uri = "" if file == "index.html" else file
    if file.endswith("/index.html"):
        from_uri = file[: -len("index.html")]
    if redirect.docname is not None:
        uri = app.builder.get_target_uri(redirect.docname)
        href = relative_uri(from_uri, uri) or "./"
        return href, f"{base}/{uri}" if base else href
    url = redirect.url or ""
    if is_external(url):
        return url, url
    if check_site_path(url) is not None:
        return None
    site_path = "/" + url.lstrip("/")
    if not site_path.endswith(("/", ".xml")):
        site_path += "/"  # as Zola's make_permalink
    relative = relative_uri(from_uri, site_path.lstrip("/")) or "./"
    return relative, f"{base}{site_path}" if base else relative


def redirect_page(app: Sphinx, href: str, canonical: str) -> str:
    """A redirect page to *href*, from the overridable ``topofmind/redirect.html``."""
    templates = html_builder(app).templates
    context = {"url": href, "canonical": canonical, "language": app.config.language or "en"}
    text: str = templates.render(REDIRECT_TEMPLATE, context)
    return text


#: build memo key: output files of the pages written by this build (``handle_page``)
_PAGES = "topofmind_urls_pages"


def note_page(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if writes_redirects(app):
        file = Path(html_builder(app).get_outfilename(pagename))
        if file.is_relative_to(app.outdir):
            pages = state.build_memo(app.builder).setdefault(_PAGES, set())
            pages.add(file.relative_to(app.outdir).as_posix())


def write_redirects(app: Sphinx, exception: BaseException | None) -> None:
    if exception is not None or not writes_redirects(app):
        return
    env = app.env
    outdir = Path(app.outdir)
    previous = _read_manifest(outdir)
    records = routes(env)
    unrendered = {
        _outfile(app, d) for d, r in records.items() if not r.render and d in env.found_docs
    }
    real = {_outfile(app, d) for d in env.found_docs} - unrendered
    # generated pages (tag pages, the index) written by this build
    pages: set[str] = state.build_memo(app.builder).get(_PAGES, set())
    written: dict[str, Redirect] = {}
    for redirect in planned_redirects(app):
        file = redirect.file
        target = _inside(outdir, file)
        if target is None:
            warn(
                Subtype.redirect,
                f"{redirect.what} redirect {file!r} would leave the output dir; not written",
                redirect.location,
            )
            continue
        if file in written:
            other = written[file]
            warn(
                Subtype.redirect,
                f"{redirect.what} redirect at {file!r} is already a redirect of "
                f"{other.location[0]!r} ({other.what}); not written",
                redirect.location,
            )
            continue
        # a page of the site is there: a document's, or a file this extension did not
        # write (a generated tag page); a section's own page gives way to its redirect_to
        taken = redirect.what != "redirect_to" and (
            file in real
            or file in pages
            or (target.exists() and file not in previous and file not in unrendered)
        )
        if taken and file in archive_outfiles(app) and file not in real:
            # Zola's /archive/ (a site's own archive section): readers find the generated
            # archive there, as they would the site's (docs/archives.md)
            continue
        if taken:
            warn(
                Subtype.redirect,
                f"{redirect.what} redirect at {file!r} is not written: a page of the site "
                "is already there",
                redirect.location,
            )
            continue
        hrefs = _href(app, file, redirect)
        if hrefs is None:
            warn(
                Subtype.redirect,
                f"redirect_to {redirect.url!r} is neither a path of this site nor an "
                "http(s) URL; the section is written as a page",
                redirect.location,
            )
            continue
        text = redirect_page(app, *hrefs)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            if not target.is_file() or target.read_text(encoding="utf-8", errors="replace") != text:
                target.write_text(text, encoding="utf-8")
        except OSError as error:  # a file where a folder must go, a folder at the path
            warn(
                Subtype.redirect,
                f"{redirect.what} redirect at {file!r} cannot be written: {error.strerror}",
                redirect.location,
            )
            continue
        written[file] = redirect
    for file in sorted(unrendered):
        stale = _inside(outdir, file)
        if stale is not None and stale.is_file() and file not in written:
            stale.unlink()
    for file in sorted(previous - set(written) - real - pages):
        stale = _inside(outdir, file)
        if stale is not None and stale.is_file():
            stale.unlink()
    manifest = outdir / MANIFEST
    if written or manifest.exists():
        manifest.write_text(json.dumps(sorted(written), indent=0) + "\n", encoding="utf-8")


def setup(app: Sphinx) -> None:
    app.connect("html-page-context", note_page)
    # the template is found through taxonomy.add_templates (our templates folder)
    app.connect("build-finished", write_redirects)
