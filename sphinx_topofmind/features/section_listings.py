"""A Zola section's listing: each ``_index.md`` lists its pages (title, date, summary),
paginated by ``paginate_by``.

- A :class:`section_listing` placeholder at the end of the section page, filled on
  ``doctree-resolved`` from the template ``topofmind/section-list.html`` for HTML
  builders (a project overrides it in its ``templates_path``) and as a plain list
  elsewhere.  Further pages of a paginated section are generated at
  ``<section>/page/N`` from ``topofmind/section-page.html``; the ones a build no
  longer writes are removed.
- Which pages, in which order, comes from :func:`.sections.structure`; a section page
  whose listing changed (a listed page retitled, redated, resummarised) is rewritten.
- A site without a home section gets a redirect at ``/`` to its root document.
"""

from __future__ import annotations

import html
import posixpath
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from .. import state
from ..collector import articles
from ..compact import digest
from ..i18n import _, format_date
from ..nodes import _everywhere, _skip, tag_reference
from ..pending import made, pending, track
from ..zola.frontmatter import parse_date
from ..zola.sections import paginate
from . import summary
from .generated_pages import remove_stale_pages
from .redirects import redirect_page
from .rewrite import _nav_ordered, document_store
from .sections import Structure, structure
from .taxonomy import html_builder
from .zola_site import site

LIST_TEMPLATE = "topofmind/section-list.html"
PAGE_TEMPLATE = "topofmind/section-page.html"


class section_listing(nodes.General, nodes.Element):
    """Where a section page lists its pages; filled on ``doctree-resolved``."""


def listed_docnames(env: BuildEnvironment, found: Structure, section_doc: str) -> list[str]:
    """What the section page lists: its pages (with transparent subsections' ones), the
    ones a nav file orders first in the nav's order."""
    rel = found.section_of_doc[section_doc]
    pages = [found.doc(p) for p in found.content[rel].pages]
    folder = section_doc.rsplit("/", 1)[0] + "/" if "/" in section_doc else ""
    nav = [d for d in _nav_ordered(env, section_doc, folder) if d in pages]
    return nav + [d for d in pages if d not in nav]


def add_listing(app: Sphinx, doctree: nodes.document) -> None:
    """A placeholder at the end of every section page (after its own content)."""
    if not app.config.topofmind_section_toctree:
        return
    if document_store(app.env).get("topofmind_section_toctree") is None:
        return
    target: nodes.Element = doctree
    sections = [n for n in doctree.children if isinstance(n, nodes.section)]
    if sections:
        target = sections[-1]
    target += section_listing()


def _entries(
    app: Sphinx, found: Structure, section_doc: str
) -> list[tuple[str, str, str | None, str | None]]:
    records = articles(app.env)
    shown = []
    for docname in listed_docnames(app.env, found, section_doc):
        record = records.get(docname)
        title = record.title if record is not None else str(app.env.titles.get(docname, docname))
        if record is None and docname in app.env.titles:
            title = app.env.titles[docname].astext()
        shown.append(
            (
                docname,
                title,
                record.date if record else None,
                summary.summary_of(app.env, docname, record.description if record else None),
            )
        )
    return shown


def _listing_view(app: Sphinx, found: Structure) -> dict[str, Any]:
    return {
        docname: (
            tuple(_entries(app, found, docname)),
            found.sections[rel].paginate_by,
        )
        for docname, rel in found.section_of_doc.items()
        if docname in app.env.all_docs
    }


def _changed_listings(app: Sphinx, env: BuildEnvironment, found: Structure) -> list[str]:
    """Section pages whose listing changed (a listed page retitled, redated, resummarised)."""
    old: dict[str, bytes] | None = state.peek(env, "section_listings")
    if old is not None and state.read_nothing(env):
        return []  # the records, the sections and their nav files are as last time
    # a digest per page: only compared with the next build's (issue 17: env size)
    new = {docname: digest(view) for docname, view in _listing_view(app, found).items()}
    state.put(env, "section_listings", new)
    if old is None:
        return []
    return sorted(d for d, view in new.items() if old.get(d) != view)


def _context_items(
    app: Sphinx, entries: list[tuple[str, str, str | None, str | None]], uri: Any
) -> list[dict[str, str]]:
    items = []
    for docname, title, date, text in entries:
        value = parse_date(date) if date else None
        items.append(
            {
                "docname": docname,
                "title": title,
                "uri": uri(docname),
                "date": date if value is not None else "",
                "date_formatted": format_date(value, app.config.language) if value else "",
                "summary": text or "",
            }
        )
    return items


def plain_list(items: list[dict[str, Any]], list_class: str) -> nodes.bullet_list:
    """The list for builders other than HTML: title, date (updated date and reading
    time where an article list shows them), tags, summary; section listings and
    article lists alike."""
    result = nodes.bullet_list(classes=[list_class])
    for item in items:
        entry = nodes.list_item()
        para = nodes.paragraph()
        para += nodes.reference("", item["title"], internal=True, refuri=item["uri"])
        details = [item["date_formatted"]]
        if item.get("updated_formatted"):
            details.append(f"{_('Updated')} {item['updated_formatted']}")
        details.append(item.get("reading_time", ""))
        if shown := [d for d in details if d]:
            para += nodes.Text(" — " + " · ".join(shown))
        for tag in item.get("tags", ()):
            para += nodes.Text(" ")
            para += tag_reference("", tag["name"], taxonomy="tags", tag=tag["name"])
        entry += para
        if item["summary"]:
            entry += nodes.paragraph("", item["summary"])
        result += entry
    return result


def page_links(section_doc: str, number: int, count: int, uri: Any) -> dict[str, str]:
    """Previous/next links between the pages of a paginated listing (page 1 = the section)."""
    return pager(
        number,
        count,
        lambda n: uri(section_doc if n == 1 else paginated_pagename(section_doc, n)),
    )


def pager(number: int, count: int, target: Callable[[int], str]) -> dict[str, str]:
    """The previous/next links and labels of page ``number`` of ``count``; ``target``
    gives a page's URI (section listings and article lists alike)."""
    return {
        "previous_uri": target(number - 1) if number > 1 else "",
        "next_uri": target(number + 1) if number < count else "",
        "previous_label": _("Previous page"),
        "next_label": _("Next page"),
        "page_label": _("Page %d of %d") % (number, count) if count > 1 else "",
    }


def paginated_pagename(section_doc: str, number: int) -> str:
    """Zola's ``<section>/page/N/`` for the section page ``<section>/_index``."""
    folder = section_doc.rsplit("/", 1)[0] if "/" in section_doc else ""
    return posixpath.join(folder, "page", str(number)) if folder else f"page/{number}"


def resolve_listings(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    placeholders = pending(doctree, section_listing)
    if not placeholders:
        return
    found = structure(app.env)
    section_doc = docname
    rel = found.section_of_doc.get(section_doc)
    if rel is None:
        for node in placeholders:
            node.replace_self([])
        return
    entries = _entries(app, found, section_doc)
    # only html and dirhtml write the further pages; elsewhere the list is whole
    per_page = found.sections[rel].paginate_by if writes_pages(app) else None
    chunks = paginate(tuple(e[0] for e in entries), per_page)
    first = set(chunks[0])
    entries = [e for e in entries if e[0] in first]

    def uri(target: str) -> str:
        return app.builder.get_relative_uri(docname, target)

    items = _context_items(app, entries, uri)
    for node in placeholders:
        new: nodes.Node
        if app.builder.format == "html" and hasattr(app.builder, "templates"):
            links = page_links(section_doc, 1, len(chunks), uri_from(app, docname))
            markup = app.builder.templates.render(LIST_TEMPLATE, {"pages": items, **links})
            new = nodes.raw("", markup, format="html")
        else:
            new = plain_list(items, "topofmind-section-list")
        # the listed pages' words belong to them, not to the section page (a page kept out
        # with in_search_index = false must not be found through its section either)
        new["classes"].append("no-search")
        node.replace_self(new)
        made(doctree, new)


def uri_from(app: Sphinx, frompage: str) -> Any:
    """A function giving each document's URI from ``frompage`` (an anchor in singlehtml)."""
    builder = app.builder

    def uri(target: str) -> str:
        if builder.name == "singlehtml":
            return f"#document-{target}"
        return builder.get_relative_uri(frompage, target)

    return uri


def writes_pages(app: Sphinx) -> bool:
    """Whether this builder writes further listing pages (``page/N``): html and dirhtml."""
    return app.builder.format == "html" and app.builder.name in ("html", "dirhtml")


def collect_pages(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    """Pages 2.. of paginated sections."""
    if not writes_pages(app):
        return
    found = structure(app.env)
    wanted: set[str] = set()
    for section_doc, rel in found.section_of_doc.items():
        per_page = found.sections[rel].paginate_by
        if per_page and section_doc in app.env.all_docs:
            listed = tuple(entry[0] for entry in _entries(app, found, section_doc))
            count = len(paginate(listed, per_page))
            wanted.update(paginated_pagename(section_doc, n) for n in range(2, count + 1))
    remove_stale_pages(app, "topofmind-listing-pages", wanted)
    for section_doc, rel in found.section_of_doc.items():
        info = found.sections[rel]
        if not info.paginate_by or section_doc not in app.env.all_docs:
            continue
        entries = _entries(app, found, section_doc)
        chunks = paginate(tuple(e[0] for e in entries), info.paginate_by)
        for number in range(2, len(chunks) + 1):
            pagename = paginated_pagename(section_doc, number)
            uri = uri_from(app, pagename)
            shown = set(chunks[number - 1])
            items = _context_items(app, [e for e in entries if e[0] in shown], uri)
            title = (
                str(app.env.titles[section_doc].astext()) if section_doc in app.env.titles else rel
            )
            links = page_links(section_doc, number, len(chunks), uri)
            heading = title
            yield (
                pagename,
                {
                    "title": html.escape(heading),
                    "heading": heading,
                    "section_uri": uri(section_doc),
                    "pages": items,
                    "list_template": LIST_TEMPLATE,
                    **links,
                },
                PAGE_TEMPLATE,
            )


#: marks the ``/`` page this module writes (so a later build may replace it, never another)
HOME_MARK = "<!-- sphinx-topofmind: home redirect -->"


def write_home_redirect(app: Sphinx, exception: Exception | None) -> None:
    """``/`` leads to the root document of a site without a home section (its first
    top-level section stands in): a redirect page at ``index.html``, from the same
    template as every redirect (``features/redirects.py``).  A site with
    ``content/_index.md`` has its ``/`` from there.  Never over a page of the project."""
    layout = site(app)
    if exception is not None or not writes_pages(app) or layout is None:
        return  # only a whole Zola site promises its home at /
    if layout.content is not None and (layout.content / "_index.md").is_file():
        return  # the home section itself is served at / (features/urls.py)
    builder = html_builder(app)
    target = Path(builder.get_outfilename(app.config.root_doc))
    home = Path(app.outdir) / "index.html"
    if target == home or not target.is_file():
        return
    if home.exists():
        try:
            if HOME_MARK not in home.read_text(encoding="utf-8", errors="replace"):
                return  # a page of the project's own
        except OSError:
            return
    href = builder.get_target_uri(app.config.root_doc) or "./"
    if builder.name == "dirhtml" and not href.endswith("/") and not href.endswith(".html"):
        href += "/"
    # the mark lets a later build replace this page, and never another
    home.write_text(f"{redirect_page(app, href, href)}\n{HOME_MARK}\n", encoding="utf-8")


def changed_listings(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """On ``env-updated``, right after :func:`.sections.mark_orphans`: the section pages
    whose listing changed, rewritten."""
    if not app.config.topofmind_section_toctree:
        return []
    return _changed_listings(app, env, structure(env))


def setup(app: Sphinx) -> None:
    app.add_node(section_listing, override=False, **_everywhere((_skip, None), (_skip, None)))
    track(section_listing)
    app.connect("env-updated", changed_listings)
    app.connect("doctree-read", add_listing)
    app.connect("doctree-resolved", resolve_listings)
    app.connect("html-collect-pages", collect_pages)
    app.connect("build-finished", write_home_redirect)
