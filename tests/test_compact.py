"""Compact environment storage (issue 17): what is packed comes back exactly."""

from __future__ import annotations

import pickle
from typing import Any

from docutils import nodes

from sphinx_topofmind.collector import Article, SeriesMention
from sphinx_topofmind.compact import CompactSlugs, digest, shared
from sphinx_topofmind.features.urls import Route


def _toc(*texts: tuple[str, str]) -> nodes.bullet_list:
    """A page's ``env.tocs`` entry: its title (anchor ""), then its sections."""
    toc = nodes.bullet_list()
    for anchor, text in texts:
        item = nodes.list_item()
        para = nodes.paragraph()
        para += nodes.reference("", text, internal=True, anchorname=anchor)
        item += para
        toc += item
    return toc


def _round_trip(value: Any) -> Any:
    return pickle.loads(pickle.dumps(value, pickle.HIGHEST_PROTOCOL))


def test_zola_headings_come_back_from_the_toc() -> None:
    table = {
        "a-title": (1, "a-title", "A Title"),
        "first-part": (5, "first-part", "First Part"),
        "second": (9, "second", "Second"),
    }
    toc = _toc(("", "A Title"), ("#first-part", "First Part"), ("#second", "Second"))
    packed = CompactSlugs.pack(table, toc)
    assert isinstance(packed, CompactSlugs)
    assert "Title" not in packed._packed  # the texts are the toc's
    again = _round_trip(packed)
    assert dict(again) == table
    assert list(again.values()) == list(table.values())  # MyST searches them in order
    assert again["second"] == (9, "second", "Second")
    assert "missing" not in again


def test_other_slugs_and_ids_are_kept_as_they_are() -> None:
    table = {
        "custom": (3, "custom-id", "Custom Heading"),  # an explicit {#id}
        "dup-1": (7, "dup-1", "Dup"),  # a deduplicated slug
        "no-line": (None, "no-line", "No line"),
        "c": (8, "c", "C++"),  # GitHub's slug differs from Zola's
        "text-elsewhere": (9, "text-elsewhere", "Not In The Toc"),
    }
    packed = CompactSlugs.pack(table, _toc(("", "Page"), ("#custom-id", "Custom Heading")))
    assert isinstance(packed, CompactSlugs)
    assert dict(_round_trip(packed)) == table


def test_what_cannot_be_packed_is_left_as_it_is() -> None:
    table = {"odd": (1, "odd", "a\x1ftext")}
    assert CompactSlugs.pack(table) is table
    table = {"odd": ("1", "odd", "Odd")}  # type: ignore[dict-item]
    assert CompactSlugs.pack(table) is table


def test_a_page_without_a_toc_keeps_its_texts() -> None:
    table = {"only": (2, "only", "Only")}
    packed = CompactSlugs.pack(table, None)
    assert isinstance(packed, CompactSlugs)
    assert dict(_round_trip(packed)) == table


def test_records_pickle_as_their_arguments() -> None:
    article = Article(
        docname="a",
        title="T",
        date="2024-01-02",
        taxonomies={"tags": ("x",)},
        has_front_matter=True,
        tags_line=4,
        mentions=(SeriesMention("s", 2, 7, window=1),),
    )
    assert _round_trip(article) == article
    assert b"has_front_matter" not in pickle.dumps(article)
    route = Route(docname="a", zola_url="/a/")
    assert _round_trip(route) == route
    assert len(pickle.dumps(route)) < len(pickle.dumps(route.__dict__))


def test_digest() -> None:
    value = (("a", "Title", None), ("b", "Other", "2024-01-01"))
    same = tuple((str(x), str(y), z) for x, y, z in value)
    assert digest(value) == digest(same)  # equal values, not the same objects
    assert len(digest(value)) == 8
    assert digest(value) != digest((("a", "Title", None),))


def test_shared_strings_are_one_object() -> None:
    parts = ["Ti", "tle"]
    built = parts[0] + parts[1]  # equal to "Title", another object
    assert shared(built) is shared("Title")
    assert shared(None) is None
