"""The ``S-nav`` directives and ``S_nav`` shortcodes, and their late rendering.

At read time a nav is only a :class:`~.nodes.series_nav_placeholder` saying
which series and what number the page declared; the list itself is built on
``doctree-resolved`` from the collector's series order, so reading a page
never depends on another page (``-j`` and incremental builds stay correct).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.environment import BuildEnvironment
from sphinx.util.docutils import SphinxDirective

from ..collector import derived
from ..config import directive_name
from ..i18n import _
from ..nodes import (
    current_entry,
    rel_reference,
    series_nav,
    series_nav_entries,
    series_nav_placeholder,
)
from ..pending import pending
from ..report import warn
from ..state import build_memo
from ..zola.diagnostics import Subtype
from ..zola.series import SeriesEntry, SeriesOrder
from ..zola.shortcodes import Shortcode

NAV_ARGUMENTS = {"selected", "window", "reversed"}


def _warn_series(message: str, docname: str, line: int) -> None:
    warn(Subtype.series, message, (docname, line))


def _whole_number(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def make_placeholder(
    env: BuildEnvironment, series: str, raw: dict[str, object], line: int
) -> series_nav_placeholder:
    """Validate nav arguments (shortcode or directive alike); bad ones warn and are ignored."""
    docname = env.docname

    def number(key: str, minimum: int, fallback: str) -> int | None:
        if raw.get(key) is None:
            return None
        value = _whole_number(raw[key])
        if value is None or value < minimum:
            _warn_series(
                f"invalid {key}={raw[key]!r} for series '{series}' (a whole number >= "
                f"{minimum} is expected); {fallback}",
                docname,
                line,
            )
            return None
        return value

    selected = number("selected", 0, "ignored")
    window = number("window", 1, "the whole series is shown")
    reverse = raw.get("reversed") in (True, "", "true", "True")
    # the page it belongs to: latex, man, texinfo and singlehtml resolve every
    # page inside the root document, where the resolving docname is the root's
    return series_nav_placeholder(
        "",
        series=series,
        selected=selected,
        window=window,
        reversed=reverse,
        line=line,
        topofmind_docname=docname,
    )


def placeholder_from_shortcode(
    env: BuildEnvironment, series: str, shortcode: Shortcode
) -> series_nav_placeholder:
    unknown = sorted(set(shortcode.args) - NAV_ARGUMENTS)
    if unknown:
        warn(
            Subtype.shortcode,
            f"shortcode '{shortcode.name}' has unknown arguments {', '.join(unknown)} "
            f"(known: {', '.join(sorted(NAV_ARGUMENTS))}); ignored",
            (env.docname, shortcode.line),
        )
    raw = {key: value for key, value in shortcode.args.items() if key in NAV_ARGUMENTS}
    return make_placeholder(env, series, raw, shortcode.line)


class SeriesNavDirective(SphinxDirective):
    """``{S-nav}``: the series' table of contents with this page highlighted."""

    series = ""
    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {
        "selected": directives.unchanged,
        "window": directives.unchanged,
        "reversed": directives.flag,
    }

    def run(self) -> list[nodes.Node]:
        raw: dict[str, object] = dict(self.options)
        if "reversed" in raw:
            raw["reversed"] = True
        return [make_placeholder(self.env, self.series, raw, self.lineno)]


def directive_for(series: str) -> type[SeriesNavDirective]:
    return type(f"SeriesNavDirective_{series}", (SeriesNavDirective,), {"series": series})


# --- late rendering ----------------------------------------------------------


def entries_as_data(builder: Builder) -> bool:
    """Whether the nav's list reaches the writer as data (HTML builders whose relative
    URIs depend only on the page's folder) rather than as nodes."""
    return builder.format == "html" and not _own_relative_uris(builder)


def _own_relative_uris(builder: Builder) -> bool:
    """Whether the builder computes relative URIs its own way (singlehtml), so that a
    URI relative to a page is not a function of the page's folder."""
    return type(builder).get_relative_uri is not Builder.get_relative_uri


def uri_folder(builder: Builder, docname: str) -> str:
    """The folder of the page's URI: what URIs relative to the page depend on."""
    return builder.get_target_uri(docname).rpartition("/")[0]


def uri_resolver(builder: Builder, fromdoc: str) -> Callable[[str], str]:
    """``todoc -> builder.get_relative_uri(fromdoc, todoc)``, computed once per folder.

    Every page of a series links every other page: without this a long series
    costs M² URI computations; a URI relative to a page depends only on its folder.
    """
    if _own_relative_uris(builder):
        return lambda todoc: builder.get_relative_uri(fromdoc, todoc)
    folder = uri_folder(builder, fromdoc)
    cache = build_memo(builder)

    def resolve(todoc: str) -> str:
        if todoc == fromdoc:
            # a page's URI of itself is '': never a value for the folder's other pages
            return builder.get_relative_uri(fromdoc, todoc)
        key = ("uri", folder, todoc)
        if key not in cache:
            cache[key] = builder.get_relative_uri(fromdoc, todoc)
        uri: str = cache[key]
        return uri

    return resolve


def _link(
    resolve: Callable[[str], str],
    entry: SeriesEntry,
    rel: str | None = None,
    text: str | None = None,
) -> nodes.Node:
    assert entry.docname is not None
    uri = resolve(entry.docname)
    if entry.anchor:
        uri += "#" + entry.anchor
    label = nodes.Text(text if text is not None else entry.name)
    if rel is not None:
        return rel_reference("", "", label, internal=True, refuri=uri, rel=rel)
    return nodes.reference("", "", label, internal=True, refuri=uri)


def _windowed(count: int, index: int | None, window: int | None) -> list[int | None]:
    """Positions of the entries within ``window`` of the current one; None marks a gap ("…")."""
    if window is None or index is None:
        return list(range(count))
    start, stop = max(0, index - window), min(count, index + window + 1)
    shown: list[int | None] = list(range(start, stop))
    if start > 0:
        shown.insert(0, None)
    if stop < count:
        shown.append(None)
    return shown


def smart(config: Any, text: str) -> str:
    """Names from a nav file get the smart punctuation Sphinx gave the page text
    (Zola's ``smart_punctuation`` does the same for its nav)."""
    if not config.smartquotes:
        return text
    from docutils.utils.smartquotes import smartyPants

    return smartyPants(text, attr=config.smartquotes_action, language=config.language or "en")


def shown_entries(builder: Builder, series: str, order: SeriesOrder) -> list[SeriesEntry]:
    """The entries with the names as shown (smart punctuation), once per series per build."""
    cache = build_memo(builder)
    key = ("entries", series)
    if key not in cache:
        config = builder.config
        cache[key] = [dataclasses.replace(e, name=smart(config, e.name)) for e in order.entries]
    entries: list[SeriesEntry] = cache[key]
    return entries


def entry_item(
    resolve: Callable[[str], str], entry: SeriesEntry | None, current: SeriesEntry | None
) -> nodes.list_item:
    """One entry of the list: a link, the current page, an unlinked name or a gap."""
    item = nodes.list_item()
    para = nodes.paragraph()
    if entry is None:
        para += nodes.Text("…")
        item["classes"].append("topofmind-series-gap")
    elif entry is current:
        para += current_entry("", "▶ " + entry.name)
        item["classes"].append("topofmind-series-current")
    elif entry.docname is None:
        para += nodes.inline(text=entry.name, classes=["topofmind-series-unlinked"])
    else:
        para += _link(resolve, entry)
    item += para
    return item


def entry_list(
    resolve: Callable[[str], str],
    shown: list[SeriesEntry | None],
    current: SeriesEntry | None,
) -> nodes.bullet_list:
    items = nodes.bullet_list(classes=["topofmind-series-list"])
    for entry in shown:
        items += entry_item(resolve, entry, current)
    return items


def render(
    builder: Builder,
    docname: str,
    page: str,
    order: SeriesOrder,
    placeholder: series_nav_placeholder,
    title: str,
) -> nodes.Node:
    entries = shown_entries(builder, placeholder["series"], order)
    resolve = uri_resolver(builder, docname)
    # selected=0 highlights nothing, even on a listed page: Zola's loop.index
    # never equals 0, so it shows neither a current entry nor previous/next
    position = None if placeholder.get("selected") == 0 else order.position(page)
    index = position - 1 if position is not None else None
    shown = _windowed(len(entries), index, placeholder.get("window"))
    if placeholder.get("reversed"):
        shown.reverse()
    nav = series_nav(series=placeholder["series"], label=_("%s series") % title)
    nav["classes"].append(f"topofmind-series-{placeholder['series']}")
    # the same list on every page of the series: keep it out of the search index
    # (Sphinx 8.1+), or every search for one article's title finds all of them
    nav["classes"].append("no-search")
    heading = nodes.paragraph(classes=["topofmind-series-title"])
    heading += nodes.strong(text=title)
    nav += heading
    current = entries[index] if index is not None else None
    if entries_as_data(builder):
        # data only: the HTML visitor writes each entry once per build and folder
        # (features/series_nav_html.py), so a long series does not cost M² nodes;
        # singlehtml (one page) keeps the nodes its anchor rewrite works on
        nav += series_nav_entries(
            series=placeholder["series"],
            fromdoc=docname,
            shown=shown,
            current=index,
            classes=["topofmind-series-list"],
        )
    else:
        nav += entry_list(resolve, [None if n is None else entries[n] for n in shown], current)
    if index is not None:
        previous, following = (
            None if neighbour is None else entries[order.entries.index(neighbour)]
            for neighbour in order.neighbours(page)
        )
        pager = nodes.paragraph(classes=["topofmind-series-pager"])
        if previous is not None:
            pager += _link(resolve, previous, rel="prev", text=_("← Previous: %s") % previous.name)
        if previous is not None and following is not None:
            # a separator for text output; hidden from screen readers and by the CSS
            pager += nodes.inline(" · ", " · ", classes=["topofmind-series-sep"])
        if following is not None:
            pager += _link(resolve, following, rel="next", text=_("Next: %s →") % following.name)
        if len(pager):
            nav += pager
    return nav


def resolve_navs(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    placeholders = pending(doctree, series_nav_placeholder)
    state = derived(app.env)
    for placeholder in placeholders:
        series = placeholder["series"]
        page = placeholder.get("topofmind_docname", docname)
        order = state.orders.get(series) if state is not None else None
        if order is None:
            placeholder.replace_self([])
            continue
        position = order.position(page)
        declared = placeholder.get("selected")
        if position is None and declared != 0 and not (declared is not None and declared >= 1):
            _warn_series(
                f"this page shows series '{series}' but is not one of its entries "
                "(use selected=0 for a section page)",
                page,
                placeholder["line"],
            )
        title = app.config.topofmind_series[series].get("title", series)
        placeholder.replace_self(render(app.builder, docname, page, order, placeholder, title))


def setup(app: Sphinx) -> None:
    app.connect("config-inited", _add_directives)
    app.connect("doctree-resolved", resolve_navs)


def _add_directives(app: Sphinx, config: Any) -> None:
    for series in config.topofmind_series:
        app.add_directive(directive_name(series), directive_for(series), override=True)
