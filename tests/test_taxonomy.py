"""Tests for sphinx_topofmind.zola.taxonomy."""

from __future__ import annotations

import hashlib
import os.path
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sphinx_topofmind.zola import taxonomy
from sphinx_topofmind.zola.diagnostics import Subtype
from sphinx_topofmind.zola.taxonomy import (
    MAX_SLUG_BYTES,
    MAX_SLUG_CHARS,
    Tag,
    TaggedArticle,
    Taxonomy,
    base_slug,
    build_taxonomy,
    tag_key,
)


# the test's oracle of a safe tag-page file name (the package builds slugs; this checks them)
def is_safe_slug(slug: str) -> bool:
    """Whether *slug* (+ ``.html``) is a safe file name directly in the tags folder."""
    return (
        bool(slug)
        and taxonomy._fits(slug)
        and slug not in taxonomy._RESERVED
        and not slug.startswith((".", "-"))
        and all(ch == "-" or unicodedata.category(ch)[0] in "LMN" for ch in slug)
    )


def sha(key: str, n: int) -> str:
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:n]


def art(
    docname: str, *tags: str, date: str | None = None, title: str | None = None
) -> TaggedArticle:
    return TaggedArticle(docname, title or docname, date, None, tuple(tags))


def one_per_article(tags: list[str]) -> list[TaggedArticle]:
    return [art(f"doc{i}", t) for i, t in enumerate(tags)]


def assert_safe(slug: str) -> None:
    path = os.path.normpath(os.path.join("tags", slug + ".html"))
    assert path.startswith("tags" + os.sep), slug
    assert os.sep not in path[len("tags") + 1 :], slug
    assert "/" not in slug and "\\" not in slug and ".." not in slug
    assert slug and not slug.startswith(".")
    assert slug != "index"
    assert all(ord(c) >= 0x20 and not 0x7F <= ord(c) < 0xA0 for c in slug)
    assert len(slug) <= MAX_SLUG_CHARS
    assert len(slug.encode("utf-8")) <= MAX_SLUG_BYTES
    assert slug.split(".")[0] not in {"con", "prn", "aux", "nul", "com1", "lpt1"}
    assert is_safe_slug(slug)


def assert_valid(tx: Taxonomy) -> None:
    slugs = [t.slug for t in tx.tags]
    assert len(set(slugs)) == len(slugs), slugs
    for t in tx.tags:
        assert_safe(t.slug)
    keys = [t.key for t in tx.tags]
    assert len(set(keys)) == len(keys)
    assert [(t.name.casefold(), t.key) for t in tx.tags] == sorted(
        (t.name.casefold(), t.key) for t in tx.tags
    )


# --- keys and base slugs ---------------------------------------------------


def test_tag_key() -> None:
    assert tag_key("  Python ") == "python"
    assert tag_key("PYTHON") == tag_key("python")
    assert tag_key("cafe\u0301") == tag_key("Café") == "café"  # NFC
    assert tag_key("Straße") == tag_key("STRASSE")  # casefold, not lower
    assert tag_key("C++") != tag_key("C#") != tag_key("C")


@pytest.mark.parametrize(
    ("tag", "slug"),
    [
        ("C++", "c-plus-plus"),
        ("C#", "c-sharp"),
        ("c", "c"),
        ("C", "c"),
        ("Python", "python"),
        ("café", "café"),
        ("cafe\u0301", "café"),
        ("日本語", "日本語"),
        ("Open Source", "open-source"),
        ("  spaced   out  ", "spaced-out"),
        ("../x", "x"),
        ("a/b", "a-b"),
        ("a\\b", "a-b"),
        (".hidden", "hidden"),
        ("<script>", "script"),
        ("index", "index-tag"),
        ("INDEX", "index-tag"),
        ("con", "con-tag"),
        ("NUL", "nul-tag"),
        ("com1", "com1-tag"),
        ("Straße", "strasse"),
        ("..", f"tag-{sha('..', 8)}"),
        ("!!!", f"tag-{sha('!!!', 8)}"),
        ("\x01\x02", f"tag-{sha(chr(1) + chr(2), 8)}"),
        ("", f"tag-{sha('', 8)}"),
    ],
)
def test_base_slug(tag: str, slug: str) -> None:
    assert base_slug(tag) == slug
    assert_safe(slug)


def test_base_slug_long() -> None:
    tag = "a" * 300
    slug = base_slug(tag)
    assert len(slug) <= MAX_SLUG_CHARS
    assert slug == "a" * (MAX_SLUG_CHARS - 9) + "-" + sha(tag, 8)
    # Two long tags with the same prefix stay apart.
    assert base_slug("a" * 299 + "b") != slug
    # 4-byte characters: the byte limit applies too.
    wide = base_slug("\U00020000" * 100)
    assert len(wide.encode("utf-8")) <= MAX_SLUG_BYTES
    assert_safe(wide)


# --- the full example set ---------------------------------------------------

EXAMPLE_TAGS = [
    "C++", "C#", "c", "C", "Python", "python", "café", "日本語", "../x", "x",
    "index", "", "   ", "<script>", "a/b", "..", ".hidden", "\x01\x02", "\x00",
    "a" * 300, "!!!",
]  # fmt: skip

EXPECTED_SLUGS = {
    "c++": "c-plus-plus",
    "c#": "c-sharp",
    "c": "c",
    "python": "python",
    "café": "café",
    "日本語": "日本語",
    "x": "x",
    "../x": f"x-{sha('../x', 6)}",  # collides with the real tag x: hashed
    "index": "index-tag",
    "<script>": "script",
    "a/b": "a-b",
    "..": f"tag-{sha('..', 8)}",
    ".hidden": "hidden",
    "\x01\x02": f"tag-{sha(chr(1) + chr(2), 8)}",
    "\x00": f"tag-{sha(chr(0), 8)}",
    "a" * 300: "a" * 71 + "-" + sha("a" * 300, 8),
    "!!!": f"tag-{sha('!!!', 8)}",
}


def test_example_set_slugs() -> None:
    tx = build_taxonomy(one_per_article(EXAMPLE_TAGS))
    assert {t.key: t.slug for t in tx.tags} == EXPECTED_SLUGS
    assert_valid(tx)
    # C and c are one tag; Python/python one tag; both articles listed.
    assert tx.for_tag("C").docnames == ("doc2", "doc3")  # type: ignore[union-attr]
    assert tx.for_tag("PYTHON").docnames == ("doc4", "doc5")  # type: ignore[union-attr]
    # Exactly one collision, reported.
    assert len(tx.collisions) == 1
    assert "'../x'" in tx.collisions[0] and "'x'" in tx.collisions[0]
    # Empty / whitespace-only tags dropped with a diagnostic each.
    empty = [(d, diag) for d, diag in tx.diagnostics if "empty tag" in diag.message]
    assert [d for d, _ in empty] == ["doc11", "doc12"]
    assert all(diag.subtype is Subtype.tags for _, diag in tx.diagnostics)
    assert tx.for_tag("") is None and tx.for_tag("   ") is None


def test_example_set_without_x_keeps_base() -> None:
    tags = [t for t in EXAMPLE_TAGS if t != "x"]
    tx = build_taxonomy(one_per_article(tags))
    assert tx.for_tag("../x").slug == "x"  # type: ignore[union-attr]
    assert tx.collisions == ()


def test_stable_when_other_tags_added() -> None:
    before = {t.key: t.slug for t in build_taxonomy(one_per_article(EXAMPLE_TAGS)).tags}
    extra = ["Rust", "c-plus-plus", "C-Sharp", "index-tag", "tag", "X", "../../x", "日本"]
    after = {t.key: t.slug for t in build_taxonomy(one_per_article(EXAMPLE_TAGS + extra)).tags}
    # c-plus-plus and c-sharp are canonical and take their slugs; C++ and C#
    # are hashed.  Every other original slug is unchanged.
    assert after["c-plus-plus"] == "c-plus-plus"
    assert after["c++"] == f"c-plus-plus-{sha('c++', 6)}"
    assert after["c-sharp"] == "c-sharp"
    assert after["c#"] == f"c-sharp-{sha('c#', 6)}"
    assert after["index-tag"] == "index-tag"
    assert after["index"] == f"index-tag-{sha('index', 6)}"
    assert after["../../x"] == f"x-{sha('../../x', 6)}"
    for key, slug in before.items():
        if key not in ("c++", "c#", "index"):
            assert after[key] == slug, key


def test_collision_order_independent() -> None:
    tags = ["C++", "c plus plus", "c-plus-plus", "C#", "c sharp"]
    a = build_taxonomy(one_per_article(tags))
    b = build_taxonomy(one_per_article(list(reversed(tags))))
    assert {t.key: t.slug for t in a.tags} == {t.key: t.slug for t in b.tags}
    assert a.collisions == b.collisions
    slugs = {t.key: t.slug for t in a.tags}
    assert slugs["c-plus-plus"] == "c-plus-plus"
    assert slugs["c++"] == f"c-plus-plus-{sha('c++', 6)}"
    assert slugs["c plus plus"] == f"c-plus-plus-{sha('c plus plus', 6)}"
    # No canonical member: all hashed.
    assert slugs["c#"] == f"c-sharp-{sha('c#', 6)}"
    assert slugs["c sharp"] == f"c-sharp-{sha('c sharp', 6)}"
    assert len(a.collisions) == 2
    assert any("all slug to 'c-plus-plus'" in m for m in a.collisions)
    assert any("both slug to 'c-sharp'" in m for m in a.collisions)
    assert_valid(a)


def test_hashed_slug_clashing_with_real_tag_is_resolved() -> None:
    # A tag spelled exactly like another tag's hashed slug.
    hashed = f"x-{sha('../x', 6)}"
    tx = build_taxonomy(one_per_article(["x", "../x", hashed]))
    assert_valid(tx)
    assert tx.for_tag(hashed).slug == hashed  # type: ignore[union-attr]
    assert tx.for_tag("../x").slug == f"x-{sha('../x', 12)}"  # type: ignore[union-attr]


# --- names and ordering ----------------------------------------------------


def test_most_used_spelling_and_ties() -> None:
    arts = [art("a", "python"), art("b", "Python"), art("c", "Python"), art("d", " PYTHON ")]
    assert build_taxonomy(arts).tags[0].name == "Python"
    tie = build_taxonomy([art("a", "python"), art("b", "Python")])
    assert tie.tags[0].name == "Python"  # "P" < "p"
    assert tie.tags[0].docnames == ("a", "b")


def test_duplicate_tag_in_one_article() -> None:
    tx = build_taxonomy([art("a", "Python", "python", "PYTHON "), art("b", "python")])
    assert len(tx.tags) == 1
    assert tx.tags[0].docnames == ("a", "b")


def test_docnames_newest_first() -> None:
    arts = [
        art("old", "t", date="2020-01-01", title="Old"),
        art("undated-b", "t", title="B"),
        art("new", "t", date="2024-05-01", title="New"),
        art("undated-a", "t", title="A"),
        art("same-day-z", "t", date="2024-05-01", title="Zed"),
        art("newer-time", "t", date="2024-05-01T10:00:00", title="Time"),
        art("twin-2", "t", date="2021-01-01", title="Twin"),
        art("twin-1", "t", date="2021-01-01", title="Twin"),
    ]
    tx = build_taxonomy(arts)
    assert tx.tags[0].docnames == (
        "newer-time", "new", "same-day-z", "twin-1", "twin-2", "old", "undated-a", "undated-b",
    )  # fmt: skip


def test_tags_sorted_and_lookup() -> None:
    tx = build_taxonomy([art("a", "zeta", "Alpha", "beta", "日本語", "Éclair")])
    assert [t.name for t in tx.tags] == ["Alpha", "beta", "zeta", "Éclair", "日本語"]
    assert tx.for_tag("alpha") == Tag("alpha", "Alpha", "alpha", ("a",))
    assert tx.for_tag(" ALPHA ") == tx.for_tag("alpha")
    assert tx.for_tag("missing") is None


def test_taxonomy_pickles() -> None:
    # Sphinx pickles the environment, taxonomy included.
    import pickle

    tx = build_taxonomy(one_per_article(EXAMPLE_TAGS))
    copy = pickle.loads(pickle.dumps(tx))
    assert copy == tx
    assert copy.for_tag("C++") == tx.for_tag("C++")


def test_empty_input() -> None:
    tx = build_taxonomy([])
    assert tx.tags == () and tx.collisions == () and tx.diagnostics == ()


def test_non_string_tag_dropped() -> None:
    tx = build_taxonomy([TaggedArticle("a", "A", None, None, (3, "ok"))])  # type: ignore[arg-type]
    assert [t.key for t in tx.tags] == ["ok"]
    assert tx.diagnostics[0][1].subtype is Subtype.tags


# --- properties -------------------------------------------------------------

tag_text = st.one_of(
    st.text(max_size=30),
    st.text(alphabet=st.sampled_from("cC+#-. /\\x!index"), max_size=8),
    st.sampled_from(EXAMPLE_TAGS + ["c-plus-plus", "X", "con", "Index-Tag", "日本語"]),
)


@settings(deadline=None)  # examples: the profile (tests/conftest.py)
@given(st.lists(st.lists(tag_text, max_size=5), max_size=12))
def test_fuzz_slugs_safe_and_distinct(tag_lists: list[list[str]]) -> None:
    arts = [art(f"d{i}", *tags) for i, tags in enumerate(tag_lists)]
    tx = build_taxonomy(arts)
    assert_valid(tx)
    expected_keys = {tag_key(t) for tags in tag_lists for t in tags} - {""}
    assert {t.key for t in tx.tags} == expected_keys
    for t in tx.tags:
        assert tag_key(t.name) == t.key
        # A slug is a function of its key: the base, or the base + hash of the key.
        base = base_slug(t.key)
        assert t.slug == base or any(t.slug.endswith("-" + sha(t.key, n)) for n in (6, 12, 40))
        if t.key == base:
            assert t.slug == base  # canonical tags never move
        assert len(t.docnames) == len(set(t.docnames))


@settings(deadline=None)  # examples: the profile (tests/conftest.py)
@given(st.text(max_size=40))
def test_fuzz_base_slug_safe(tag: str) -> None:
    slug = base_slug(tag)
    assert_safe(slug)
    # A slug is a fixed point: slugging it again changes nothing.
    assert base_slug(slug) == slug


@settings(deadline=None)  # examples: the profile (tests/conftest.py)
@given(st.lists(tag_text, max_size=10), st.lists(tag_text, max_size=10))
def test_fuzz_stable_when_tags_added(first: list[str], extra: list[str]) -> None:
    small = {t.key: t.slug for t in build_taxonomy([art("a", *first)]).tags}
    big = {t.key: t.slug for t in build_taxonomy([art("a", *first), art("b", *extra)]).tags}
    for key, slug in small.items():
        # Only a key hashed because of a new collision may move, and only to
        # its own hashed form.
        assert big[key] == slug or big[key].endswith(sha(key, 6)) or big[key].endswith(sha(key, 12))


def test_docnames_sorted_by_instant_not_text() -> None:
    # 22:00 at -08:00 on the 1st is 06:00 Z on the 2nd: after 01:00 Z on the 2nd
    arts = [
        art("early-utc", "t", date="2024-01-02T01:00:00Z", title="Early"),
        art("late-pacific", "t", date="2024-01-01T22:00:00-08:00", title="Late"),
        art("naive", "t", date="2024-01-02T03:00:00", title="Naive"),  # taken as UTC
        art("date-only", "t", date="2024-01-02", title="Day"),  # midnight UTC
    ]
    tx = build_taxonomy(arts)
    assert tx.tags[0].docnames == ("late-pacific", "naive", "early-utc", "date-only")


@pytest.mark.parametrize("char", ["\u200b", "\u200c", "\u200d", "\ufeff", "\u2060", "\u00ad"])
def test_invisible_characters_do_not_make_a_new_tag(char: str) -> None:
    tx = build_taxonomy(
        [art("a", "python"), art("b", f"py{char}thon"), art("c", f"{char}python{char}")]
    )
    assert [(t.name, t.slug, t.docnames) for t in tx.tags] == [
        ("python", "python", ("a", "b", "c"))
    ]
    assert tag_key(f"py{char}thon") == "python"
    messages = [(doc, d.subtype, d.line, d.message) for doc, d in tx.diagnostics]
    shown = f"U+{ord(char):04X}"
    assert messages == [
        (
            doc,
            Subtype.tags,
            1,
            (
                f"tag {tag!r} holds invisible characters ({shown}); they are ignored: it is "
                "the tag 'python'"
            ),
        )
        for doc, tag in (("b", f"py{char}thon"), ("c", f"{char}python{char}"))
    ]


def test_only_invisible_characters_is_an_empty_tag() -> None:
    tx = build_taxonomy([art("a", "\u200b\u2060")])
    assert tx.tags == ()
    assert [d.message for _, d in tx.diagnostics] == ["empty tag '\\u200b\\u2060' ignored"]


def test_invisible_name_never_shown() -> None:
    tx = build_taxonomy([art("a", "go\u200b"), art("b", "go\u200b")])
    assert tx.tags[0].name == "go"
