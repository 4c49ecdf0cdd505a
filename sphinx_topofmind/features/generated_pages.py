"""One sidebar toctree per build for the pages that are not source documents.

Tag pages, taxonomy indexes, further pages of a section listing, Sphinx's own
``genindex`` and ``search``, and any page a later feature generates stand in no
toctree.  Sphinx's global toctree for such a page marks no entry as current and
collapses every branch alike, so it differs from page to page only in its
relative URIs, yet Sphinx resolves and renders it again for each page: on a site
whose sidebar lists many pages that was most of the cost of the generated pages.

Here the theme's ``toctree(...)`` is rendered once per build for each *URI class*
of page and each set of arguments (:func:`uri_class`), and the HTML reused: all
the tag pages of a site share one rendering (``tags/*.html``, and under
``dirhtml`` ``tags/*/``, are at one depth and share no folder with a document).

A page named as a toctree entry (``genindex`` listed in a toctree, say) is
marked current there, so it keeps Sphinx's own rendering.  Builders with their
own ``get_relative_uri`` (``singlehtml``) are left alone.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.builders import Builder

from ..state import build_memo

UriClass = tuple[Any, ...]


def _toctree_names(builder: Builder) -> tuple[frozenset[str], frozenset[tuple[str, ...]]]:
    """Every name a toctree can link (documents, ``genindex``...), and every leading
    part of their URIs' folders; once per build."""
    memo = build_memo(builder)
    if "toctree_names" not in memo:
        env = builder.env
        named: set[str] = set(env.all_docs)
        for toc in env.tocs.values():
            for node in toc.findall(addnodes.toctree):
                named.update(ref for _title, ref in node.get("entries", ()))
        prefixes: set[tuple[str, ...]] = set()
        for name in named:
            folder = _folder(builder, name)
            prefixes.update(tuple(folder[:k]) for k in range(1, len(folder) + 1))
        memo["toctree_names"] = (frozenset(named), frozenset(prefixes))
    found: tuple[frozenset[str], frozenset[tuple[str, ...]]] = memo["toctree_names"]
    return found


def _folder(builder: Builder, pagename: str) -> list[str]:
    return builder.get_target_uri(pagename).split("#")[0].split("/")[:-1]


def uri_class(builder: Builder, pagename: str) -> UriClass | None:
    """Pages of one class get the same sidebar HTML; None: render it for this page.

    ``relative_uri`` drops the folders a page shares with the target, then climbs
    out of the rest: the URIs depend only on the page's depth and on the longest
    leading part of its folder that some linked page's folder also starts with.
    """
    if type(builder).get_relative_uri is not Builder.get_relative_uri:
        return None  # URIs not relative to the page's folder (singlehtml)
    named, prefixes = _toctree_names(builder)
    if pagename in named:
        return None
    folder = _folder(builder, pagename)
    shared = 0
    while shared < len(folder) and tuple(folder[: shared + 1]) in prefixes:
        shared += 1
    return ("depth", len(folder), *folder[:shared])


def share_sidebar(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """``html-page-context``: a page of ours' ``toctree()`` from the build's memo (not
    Sphinx's own few pages, ``genindex`` and ``search``: finding the pages' classes
    costs a walk of every toc, paid back only by the many pages of a fresh build)."""
    render: Callable[..., str] | None = context.get("toctree")
    if doctree is not None or not templatename.startswith("topofmind/") or not callable(render):
        return
    found = uri_class(app.builder, pagename)
    if found is None:
        return
    memo = build_memo(app.builder)

    def toctree(**kwargs: Any) -> str:
        key = ("sidebar", found, repr(sorted(kwargs.items())))
        if key not in memo:
            memo[key] = render(**kwargs)
        html: str = memo[key]
        return html

    context["toctree"] = toctree


def setup(app: Sphinx) -> None:
    # early: a handler that wraps toctree() later (singlehtml's fix) wraps the shared one
    app.connect("html-page-context", share_sidebar, priority=100)


def outfile_of(app: Sphinx) -> dict[str, str]:
    """Every source document -> its output file, once per build (``get_outfilename``
    is costly, and several features compare many pages' files)."""
    memo = build_memo(app.builder)
    if "outfile_of" not in memo:
        outfile = app.builder.get_outfilename  # type: ignore[attr-defined]
        memo["outfile_of"] = {d: str(outfile(d)) for d in sorted(app.env.found_docs)}
    found: dict[str, str] = memo["outfile_of"]
    return found


def source_outfiles(app: Sphinx) -> dict[str, str]:
    """Every source document's output file -> its docname, once per build.

    A generated page gives way to a source page written to the same file; files are
    compared, not names (under dirhtml ``tags.md`` is ``tags/index.html``).
    """
    memo = build_memo(app.builder)
    if "source_outfiles" not in memo:
        memo["source_outfiles"] = {file: d for d, file in outfile_of(app).items()}
    found: dict[str, str] = memo["source_outfiles"]
    return found


def remove_generated_pages(app: Sphinx, pagenames: Iterable[str]) -> None:
    """Delete the output files of these generated pages: never a source page's file (a
    source page sits there: it is not ours to remove), never one outside the output dir."""
    pagenames = list(pagenames)
    if not pagenames:
        return  # the usual build: finding every source page's file costs a look at each
    outdir = Path(app.outdir).resolve()
    sources = source_outfiles(app)
    for pagename in pagenames:
        stale = Path(app.builder.get_outfilename(pagename))  # type: ignore[attr-defined]
        if str(stale) in sources:
            continue
        if stale.is_file() and stale.resolve().is_relative_to(outdir):
            stale.unlink()


def remove_stale_pages(app: Sphinx, manifest_name: str, wanted: AbstractSet[str]) -> None:
    """Delete the generated pages a previous build wrote and this one does not (fewer
    pages, pagination turned off), never a source page's file nor one outside the output
    dir. ``<doctreedir>/<manifest_name>-<builder>.json`` keeps the list between builds:
    the environment is saved before pages are written."""
    builder = app.builder
    manifest = Path(app.doctreedir) / f"{manifest_name}-{builder.name}.json"
    try:
        previous = set(json.loads(manifest.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        previous = set()
    remove_generated_pages(app, sorted(p for p in previous - wanted if isinstance(p, str)))
    try:
        manifest.parent.mkdir(parents=True, exist_ok=True)
        manifest.write_text(json.dumps(sorted(wanted)), encoding="utf-8")
    except OSError:
        pass  # the next build then leaves stale pages, as without this list
