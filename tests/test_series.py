"""Tests of sphinx_topofmind.zola.series: nav file parsing and series ordering."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sphinx_topofmind.zola.diagnostics import Subtype
from sphinx_topofmind.zola.series import (
    DocDiagnostic,
    Member,
    NavEntry,
    SeriesEntry,
    order_series,
    parse_nav_file,
)

CORPUS = Path("/work/shared/corpus/zerotohero-web/content/top-of-mind")
NAV_YAML = CORPUS / "nav.yaml"

CORPUS_DECLARED = {
    "catch-22": 1,
    "consume-less": 2,
    "craft-captivating-documentation": 3,
    "keep-your-secrets": 4,
    "later-does-not-exist": 5,
    "perception-pivot": 6,
    "probing-questions": 7,
    "psst-you-dont-have-to-use-medium": 8,
    "reshape-your-workspace": 9,
    "secrets": 10,
    "the-dream-job": 11,
    "trust": 12,
    "vmware-secrets-manager": 13,
    "write-to-forget": 14,
    "closure": 15,
    "new-z2h-design": 16,
}
CORPUS_NAMES = [
    "Catch 22",
    "Consume Less",
    "Craft Captivating Documentation",
    "Keep Your Secrets… Secret",
    "‘Later’ Does Not Exist",
    "Transform Feedback into Professional Mastery",
    "Embracing Daily Reflection",
    "Psst... You Don't Have to Use Medium",
    "Reshape Your Workspace, Reshape Your Future",
    "Secrets",
    "Build Strong Connections to Land Your Dream Job",
    "Trust Cultivates a Cohesive Team",
    "Long Live Aegis!",
    "Write to Forget",
    "Closure",
    "The New Zero to Hero Design",
]


def corpus_text() -> str:
    if NAV_YAML.exists():
        return NAV_YAML.read_text(encoding="utf-8")
    # Fallback so the suite runs without the shared corpus: same content.
    return "\n\n" + "".join(
        f'- name: "{n}"\n  url: "@/top-of-mind/{d}.md"\n'
        for n, d in zip(CORPUS_NAMES, CORPUS_DECLARED)
    )


def mapping(slugs) -> dict[str, str]:
    return {f"top-of-mind/{s}.md": f"top-of-mind/{s}" for s in slugs}


def corpus_members() -> list[Member]:
    members = [
        Member(f"top-of-mind/{s}", s.title(), n, f"2024-01-{n:02d}", 5)
        for s, n in CORPUS_DECLARED.items()
    ]
    members.append(Member("top-of-mind/_index", "Top of Mind", 0, None, 3))
    return members


def nav(*slugs: str) -> str:
    return "".join(f'- name: "N {s}"\n  url: "@/top-of-mind/{s}.md"\n' for s in slugs)


# --- parse_nav_file -------------------------------------------------------


def test_corpus_nav_file():
    entries, diags = parse_nav_file(corpus_text())
    assert diags == []
    assert [e.name for e in entries] == CORPUS_NAMES
    # The real file starts with two blank lines, so entries sit on lines 3, 5, ..., 33.
    assert [e.line for e in entries] == list(range(3, 34, 2))
    assert entries[0] == NavEntry("Catch 22", "top-of-mind/catch-22.md", None, 3)
    assert [e.target for e in entries] == [f"top-of-mind/{s}.md" for s in CORPUS_DECLARED]


def test_bom_anchor_and_plain_path():
    text = '\ufeff- name: A\n  url: "@/s/a.md#part-2"\n- name: B\n  url: s/./x/../b.md\n'
    entries, diags = parse_nav_file(text)
    assert diags == []
    assert entries == [NavEntry("A", "s/a.md", "part-2", 1), NavEntry("B", "s/b.md", None, 3)]


@pytest.mark.parametrize(
    "url",
    ["@/../x.md", "/abs/x.md", "@//x.md", "@/a\\b.md", "a/../../x.md", "@/s/../../x.md", "../x.md"],
)
def test_outside_root(url):
    entries, diags = parse_nav_file(f"- name: X\n  url: '{url}'\n")
    assert entries == [NavEntry("X", None, None, 1)]
    assert len(diags) == 1 and diags[0].subtype is Subtype.nav_file
    assert "outside the content root" in diags[0].message and diags[0].line == 2


@pytest.mark.parametrize(
    "url", ["https://example.com/x.md", "@/s/", "@/s/page.html", "#only", "@x.md"]
)
def test_unusable_urls(url):
    entries, diags = parse_nav_file(f"- name: X\n  url: '{url}'\n")
    assert [e.target for e in entries] == [None]
    assert len(diags) == 1 and diags[0].line == 2


def test_invalid_yaml_line():
    text = '- name: A\n  url: "@/a.md"\n- name: "B\n  url: [unclosed\n'
    entries, diags = parse_nav_file(text)
    assert entries == []
    assert len(diags) == 1 and diags[0].subtype is Subtype.nav_file
    assert "not valid YAML" in diags[0].message
    assert 3 <= diags[0].line <= 4

    entries, diags = parse_nav_file("- name: A\n  url: x.md\n  : : bad\n\tname: tab\n")
    assert entries == [] and len(diags) == 1 and 1 <= diags[0].line <= 4


@pytest.mark.parametrize("text", ["", "   \n", "# only a comment\n", "\ufeff"])
def test_empty(text):
    entries, diags = parse_nav_file(text)
    assert entries == [] and [d.line for d in diags] == [1]
    assert "empty" in diags[0].message


@pytest.mark.parametrize("text", ["name: A\nurl: a.md\n", "just text", "42"])
def test_not_a_list(text):
    entries, diags = parse_nav_file(text)
    assert entries == [] and [d.line for d in diags] == [1]
    assert "not a list" in diags[0].message


def test_malformed_entries():
    text = (
        "- just a string\n"  # 1: not a mapping -> dropped
        "- name: No url\n"  # 2: kept, plain text
        "- url: '@/s/noname.md'\n"  # 3: kept, url as name
        "- name: 2024\n"  # 4: non-string name, shown as written
        "  url: '@/s/y.md'\n"
        "- name: Bad url\n"  # 6: non-string url -> target None
        "  url: 5\n"
        "- {}\n"  # 8: neither -> dropped
        "- name: [a, b]\n"  # 9: non-scalar name, no url -> dropped
    )
    entries, diags = parse_nav_file(text)
    assert entries == [
        NavEntry("No url", None, None, 2),
        NavEntry("@/s/noname.md", "s/noname.md", None, 3),
        NavEntry("2024", "s/y.md", None, 4),
        NavEntry("Bad url", None, None, 6),
    ]
    assert all(d.subtype is Subtype.nav_file for d in diags)
    assert sorted(d.line for d in diags) == [1, 2, 3, 4, 6, 7, 8, 9]


def test_duplicate_target_keeps_first():
    text = nav("a", "b") + '- name: "Again"\n  url: "@/top-of-mind/./a.md#x"\n'
    entries, diags = parse_nav_file(text)
    assert [e.name for e in entries] == ["N a", "N b"]
    assert len(diags) == 1 and diags[0].line == 5 and "again" in diags[0].message


@settings(deadline=None)  # examples: the profile (tests/conftest.py)
@given(
    st.one_of(
        st.text(),
        st.text(alphabet="- :#@/.\\\"'[]{}\n\t\r\ufeffnameurl!&*|>%a1", max_size=200),
        st.lists(st.tuples(st.text(max_size=20), st.text(max_size=20)), max_size=5).map(
            lambda items: "".join(f"- name: {n}\n  url: {u}\n" for n, u in items)
        ),
    )
)
def test_never_raises(text):
    entries, diags = parse_nav_file(text)
    body = text.removeprefix("\ufeff")
    max_line = max(1, len(body.splitlines()))
    for e in entries:
        assert 1 <= e.line <= max_line and isinstance(e.name, str) and e.name
        assert e.target is None or (
            not e.target.startswith("/") and ".." not in e.target.split("/")
        )
    for d in diags:
        assert 1 <= d.line <= max_line and d.subtype is Subtype.nav_file


# --- order_series with a nav file ----------------------------------------------


def test_corpus_series_clean():
    entries, _ = parse_nav_file(corpus_text())
    order = order_series("top-of-mind", corpus_members(), entries, mapping(CORPUS_DECLARED))
    assert order.diagnostics == ()
    assert [e.name for e in order.entries] == CORPUS_NAMES
    assert order.position("top-of-mind/catch-22") == 1
    assert order.position("top-of-mind/new-z2h-design") == 16
    assert order.position("top-of-mind/_index") is None
    assert order.neighbours("top-of-mind/catch-22") == (
        None,
        SeriesEntry("Consume Less", "top-of-mind/consume-less"),
    )
    assert order.neighbours("top-of-mind/new-z2h-design") == (
        SeriesEntry("Closure", "top-of-mind/closure"),
        None,
    )
    assert order.neighbours("top-of-mind/_index") == (None, None)


def test_reordered_nav_warns_with_both_numbers():
    entries, _ = parse_nav_file(nav("consume-less", "catch-22"))
    members = [
        Member("top-of-mind/catch-22", "C", 1, None, 10),
        Member("top-of-mind/consume-less", "L", 2, None, 12),
    ]
    order = order_series("top-of-mind", members, entries, mapping(["catch-22", "consume-less"]))
    assert [e.docname for e in order.entries] == [
        "top-of-mind/consume-less",
        "top-of-mind/catch-22",
    ]
    assert order.diagnostics == (
        DocDiagnostic("top-of-mind/catch-22", order.diagnostics[0].diagnostic),
        DocDiagnostic("top-of-mind/consume-less", order.diagnostics[1].diagnostic),
    )
    d0, d1 = (d.diagnostic for d in order.diagnostics)
    assert d0.subtype is Subtype.series and d0.line == 10
    assert d0.message == (
        "'top-of-mind/catch-22' declares position 1 in series 'top-of-mind' "
        "but is entry 2 of its nav file"
    )
    assert "position 2" in d1.message and "entry 1" in d1.message and d1.line == 12
    # Highlight by identity: position still right.
    assert order.position("top-of-mind/catch-22") == 2


def test_member_not_listed_and_missing_target():
    entries, _ = parse_nav_file(nav("a", "ghost"))
    members = [
        Member("top-of-mind/a", "A", 1, None, 1),
        Member("top-of-mind/b", "B", 2, None, 4),
        Member("top-of-mind/c", "C", None, None, 4),
        Member("top-of-mind/_index", "I", 0, None, 2),
    ]
    order = order_series("s", members, entries, mapping(["a", "b", "c"]))
    assert order.entries == (SeriesEntry("N a", "top-of-mind/a"), SeriesEntry("N ghost", None))
    nav_d, b_d = order.diagnostics
    assert nav_d.docname is None and nav_d.diagnostic == (
        nav_d.diagnostic.__class__(
            Subtype.nav_file,
            "nav entry 'N ghost' points to 'top-of-mind/ghost.md', "
            "which is not a document of this project",
            3,
        )
    )
    assert b_d.docname == "top-of-mind/b" and b_d.diagnostic.line == 4
    assert (
        "declares position 2 in series 's' but its nav file does not list it"
        in b_d.diagnostic.message
    )


def test_drafts_dropped_from_nav_without_warning():
    entries, _ = parse_nav_file(nav("a", "draft", "b"))
    members = [
        Member("top-of-mind/a", "A", 1, None, 1),
        Member("top-of-mind/draft", "D", 2, None, 1, draft=True),
        Member("top-of-mind/b", "B", 3, None, 1),
    ]
    order = order_series("s", members, entries, mapping(["a", "b"]))
    assert order.diagnostics == ()  # b is the 3rd item of the file, as Zola counts
    assert [e.docname for e in order.entries] == ["top-of-mind/a", "top-of-mind/b"]
    assert order.neighbours("top-of-mind/a")[1].docname == "top-of-mind/b"
    # Same via the drafts keyword (target form), without a Member for the draft.
    order2 = order_series(
        "s", [members[0], members[2]], entries, mapping(["a", "b"]), drafts={"top-of-mind/draft.md"}
    )
    assert order2 == order


def test_neighbours_skip_plain_text():
    entries, _ = parse_nav_file(nav("a") + "- name: Plain\n" + nav("b"))
    order = order_series("s", [], entries, mapping(["a", "b"]))
    assert [e.docname for e in order.entries] == ["top-of-mind/a", None, "top-of-mind/b"]
    assert order.neighbours("top-of-mind/a") == (None, order.entries[2])
    assert order.neighbours("top-of-mind/b") == (order.entries[0], None)
    assert order.position("top-of-mind/b") == 3


# --- order_series without a nav file --------------------------------------------


def test_no_nav_orders_by_number_with_gaps():
    members = [
        Member("s/c", "C", 10, None, 1),
        Member("s/a", "A", 2, None, 1),
        Member("s/b", "B", 5, None, 1),
        Member("s/idx", "I", 0, None, 1),
        Member("s/none", "X", None, None, 1),
        Member("s/neg", "N", -1, None, 1),
        Member("s/d", "D", 1, None, 1, draft=True),
    ]
    order = order_series("s", members, None, {})
    assert order.entries == (
        SeriesEntry("A", "s/a"),
        SeriesEntry("B", "s/b"),
        SeriesEntry("C", "s/c"),
    )
    assert order.diagnostics == ()
    assert order.neighbours("s/a") == (None, SeriesEntry("B", "s/b"))
    assert order.neighbours("s/c") == (SeriesEntry("B", "s/b"), None)
    assert order.position("s/idx") is None


def test_no_nav_ties():
    members = [
        Member("s/z", "Z", 3, "2024-01-01", 7),
        Member("s/a", "A", 3, "2024-02-01", 8),
        Member("s/b", "B", 3, None, 9),
        Member("s/first", "F", 1, None, 1),
    ]
    order = order_series("S", members, None, {})
    # Ties broken by date (undated last), then docname.
    assert [e.docname for e in order.entries] == ["s/first", "s/z", "s/a", "s/b"]
    msgs = {d.docname: d.diagnostic for d in order.diagnostics}
    assert set(msgs) == {"s/z", "s/a", "s/b"}
    assert msgs["s/z"].message == "position 3 of series 'S' is also declared by 's/a', 's/b'"
    assert msgs["s/a"].line == 8 and msgs["s/a"].subtype is Subtype.series


def test_deterministic_in_any_order():
    entries, _ = parse_nav_file(nav("consume-less", "catch-22", "ghost"))
    members = corpus_members() + [Member("top-of-mind/x", "X", 3, None, 1)]
    m = mapping(CORPUS_DECLARED)
    rng = random.Random(4)
    for nav_entries in (entries, None):
        results = set()
        for _ in range(10):
            shuffled = members[:]
            rng.shuffle(shuffled)
            results.add(order_series("top-of-mind", shuffled, nav_entries, m))
        assert len(results) == 1


_NAV_PIECES = st.sampled_from(
    [
        "- ",
        "name: ",
        "url: ",
        "@/a.md",
        '"@/b.md#x"',
        "'q'",
        "{",
        "}",
        "[",
        "]",
        ", ",
        ":",
        "\n",
        "\n  ",
        "\t",
        "#c",
        "&a ",
        "*a",
        "!!str ",
        "~",
        "\ufeff",
        "é",
        "---\n",
        "? ",
        "|\n  x",
        "\r\n",
        "\r",
        "%YAML 1.1\n",
        "\x85",
        "\u2028",
        "\x00",
        "\x7f",
        "...\n",
        "'a\nb'",
        '"\\t"',
        "  ",
        "- - ",
    ]
)


@given(pieces=st.lists(_NAV_PIECES, max_size=25))
def test_nav_files_read_the_same_with_or_without_libyaml(pieces: list[str]) -> None:
    from unittest import mock

    from sphinx_topofmind.zola import series

    text = "".join(pieces)
    fast = series.parse_nav_file(text)
    with mock.patch.object(series, "_C_LOADER", None):
        assert series.parse_nav_file(text) == fast
