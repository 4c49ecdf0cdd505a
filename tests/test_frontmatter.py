"""Tests for sphinx_topofmind.zola.frontmatter (pure: no Sphinx)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from sphinx_topofmind.zola.diagnostics import Diagnostic, Subtype
from sphinx_topofmind.zola.frontmatter import (
    FrontMatter,
    Split,
    declares_draft,
    iso,
    parse_date,
    parse_front_matter,
    split_front_matter,
)

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS_DIR = SHARED / "corpus" / "zerotohero-web" / "content" / "top-of-mind"
SEED = SHARED / "seed" / "the-dream-job.as-received.md"
needs_shared = pytest.mark.skipif(
    not CORPUS_DIR.is_dir(), reason=f"shared corpus not found at {CORPUS_DIR}"
)

UTC = dt.UTC


def parse(text: str) -> tuple[FrontMatter, list[Diagnostic]]:
    matter, diags = parse_front_matter(text)
    assert matter is not None, "front matter expected"
    return matter, diags


def one_diag(diags: list[Diagnostic], line: int, *fragments: str) -> Diagnostic:
    assert len(diags) == 1, diags
    (diag,) = diags
    assert diag.subtype is Subtype.frontmatter
    assert diag.line == line, diag
    for fragment in fragments:
        assert fragment in diag.message, diag.message
    return diag


def n_lines(text: str) -> int:
    return text.count("\n") + 1


# --------------------------------------------------------------------------
# the real corpus
# --------------------------------------------------------------------------

TOP = "top-of-mind"
CORPUS_EXPECTED = {
    "_index.md": ("Top of Mind", dt.date(2024, 5, 19), ()),
    "catch-22.md": ("Catch 22", dt.date(2024, 3, 8), (TOP, "catch-22")),
    "closure.md": ("Closure", dt.date(2024, 5, 21), (TOP, "closure")),
    "consume-less.md": ("Consume Less", dt.date(2024, 3, 10), (TOP, "creativity")),
    "craft-captivating-documentation.md": (
        "Craft Captivating Documentation",
        dt.date(2023, 7, 21),
        (TOP, "documentation", "writing"),
    ),
    "dumb-quotes.md": (
        "Embracing Simplicity: Why I've Given Up on Smart Quotes and Other Typographic Niceties",
        dt.date(2024, 3, 8),
        (TOP, "typography", "simplicity"),
    ),
    "keep-your-secrets.md": (
        "Keep Your Secrets... Secret: Introducing VMware Secrets Manager",
        dt.date(2023, 8, 16),
        (TOP, "vsecm", "secrets-management", "spiffe", "spire"),
    ),
    "later-does-not-exist.md": (
        "'Later' Does Not Exist",
        dt.date(2022, 11, 17),
        (TOP, "time-management"),
    ),
    "new-z2h-design.md": ('The New "Zero to Hero" Design', dt.date(2024, 3, 4), (TOP, "design")),
    "perception-pivot.md": (
        "Transform Feedback into Professional Mastery",
        dt.date(2024, 3, 8),
        (TOP, "perception"),
    ),
    "probing-questions.md": (
        "Embracing Daily Reflection",
        dt.date(2021, 6, 4),
        (TOP, "reflection", "journaling"),
    ),
    "psst-you-dont-have-to-use-medium.md": (
        "Psst... You Don't Have to Use Medium: Discover the Freedom of Owning Your Content",
        dt.date(2024, 3, 6),
        (TOP, "content", "content-creation"),
    ),
    "reshape-your-workspace.md": (
        "Reshape Your Workspace, Reshape Your Future",
        dt.date(2023, 7, 12),
        (TOP, "workspace", "productivity"),
    ),
    "secrets.md": ("Secrets", dt.date(2023, 7, 11), (TOP, "secrets")),
    "the-dream-job.md": (
        "Build Strong Connections to Land Your Dream Job",
        dt.date(2023, 8, 18),
        (TOP, "career", "networking"),
    ),
    "trust.md": (
        "Trust Cultivates a Cohesive Team",
        dt.date(2024, 3, 7),
        (TOP, "team", "trust", "collaboration"),
    ),
    "vmware-secrets-manager.md": (
        "Long Live Aegis!",
        dt.date(2023, 8, 3),
        ("vsecm", "aegis", "spiffe", "spire"),
    ),
    "write-to-forget.md": (
        "Write to Forget",
        dt.date(2023, 7, 25),
        (TOP, "writing", "creativity"),
    ),
}


@needs_shared
def test_corpus_file_list_is_the_expected_one() -> None:
    assert sorted(p.name for p in CORPUS_DIR.glob("*.md")) == sorted(CORPUS_EXPECTED)


@needs_shared
@pytest.mark.parametrize("name", sorted(CORPUS_EXPECTED))
def test_corpus_front_matter(name: str) -> None:
    title, date, tags = CORPUS_EXPECTED[name]
    text = (CORPUS_DIR / name).read_text(encoding="utf-8")
    matter, diags = parse(text)
    assert diags == []
    assert matter.format == "toml"
    assert matter.title == title
    # the corpus quotes its dates: a string that becomes a datetime.date
    assert type(matter.date) is dt.date
    assert matter.date == date
    assert matter.tags == tags
    assert isinstance(matter.tags, tuple)
    assert matter.first_line == 1
    assert matter.last_line == (6 if name == "_index.md" else 7)
    assert matter.draft is False
    assert matter.updated is None
    assert iso(matter.date) == date.isoformat()


@needs_shared
def test_corpus_index_extra_keys() -> None:
    matter, _ = parse((CORPUS_DIR / "_index.md").read_text(encoding="utf-8"))
    assert matter.description == "My random thoughts and musings on various topics."
    assert dict(matter.other) == {"template": "series-index.html"}
    assert dict(matter.taxonomies) == {}


@needs_shared
def test_seed_front_matter() -> None:
    if not SEED.exists():
        pytest.skip(f"seed not found at {SEED}")
    matter, diags = parse(SEED.read_text(encoding="utf-8"))
    assert diags == []
    assert matter.title == "Build Strong Connections to Land Your Dream Job"
    assert matter.date == dt.date(2023, 8, 18)
    assert matter.tags == (TOP, "career", "networking")
    assert matter.key_lines["title"] == 2
    assert matter.key_lines["date"] == 3
    assert matter.key_lines["taxonomies"] == 5
    assert matter.key_lines["taxonomies.tags"] == 6


# --------------------------------------------------------------------------
# splitting
# --------------------------------------------------------------------------


def test_split_toml() -> None:
    assert split_front_matter('+++\ntitle = "x"\n+++\nbody') == Split("toml", 1, 3, 'title = "x"')


def test_split_yaml() -> None:
    assert split_front_matter("---\ntitle: x\n---\nbody") == Split("yaml", 1, 3, "title: x")


def test_split_none() -> None:
    assert split_front_matter("") is None
    assert split_front_matter("# Title\n\n+++\nx = 1\n+++\n") is None
    assert split_front_matter(" +++\nx = 1\n+++\n") is None  # indented: not a delimiter


def test_split_unclosed() -> None:
    assert split_front_matter("+++\nx = 1\n") == Split("toml", 1, None, "x = 1\n")


def test_split_mismatched_delimiters_never_close() -> None:
    # a TOML block is closed by +++ only, a YAML block by --- only
    assert split_front_matter("+++\nx = 1\n---\n").last_line is None
    assert split_front_matter("---\nx: 1\n+++\n").last_line is None


# --------------------------------------------------------------------------
# TOML keys
# --------------------------------------------------------------------------


def test_full_toml_front_matter() -> None:
    text = (
        "+++\n"  # 1
        'title = "T"\n'  # 2
        'description = "D"\n'  # 3
        "date = 2023-08-18\n"  # 4
        "updated = 2023-09-01T12:30:00Z\n"  # 5
        "draft = true\n"  # 6
        "weight = 7\n"  # 7
        'slug = "my-slug"\n'  # 8
        'template = "page.html"\n'  # 9
        "\n"  # 10
        "[taxonomies]\n"  # 11
        'tags = ["a", "b"]\n'  # 12
        'categories = ["c"]\n'  # 13
        "\n"  # 14
        "[extra]\n"  # 15
        'author = "me"\n'  # 16
        "nested = { k = [1, 2] }\n"  # 17
        "+++\n"  # 18
        "body\n"
    )
    matter, diags = parse(text)
    assert diags == []
    assert (matter.format, matter.first_line, matter.last_line) == ("toml", 1, 18)
    assert matter.title == "T"
    assert matter.description == "D"
    assert matter.date == dt.date(2023, 8, 18) and type(matter.date) is dt.date
    assert matter.updated == dt.datetime(2023, 9, 1, 12, 30, tzinfo=UTC)
    assert matter.draft is True
    assert matter.weight == 7
    assert matter.slug == "my-slug"
    assert dict(matter.taxonomies) == {"tags": ("a", "b"), "categories": ("c",)}
    assert matter.tags == ("a", "b")
    assert dict(matter.extra) == {"author": "me", "nested": {"k": [1, 2]}}
    assert dict(matter.other) == {"template": "page.html"}
    for key, line in {
        "title": 2,
        "date": 4,
        "updated": 5,
        "draft": 6,
        "weight": 7,
        "slug": 8,
        "taxonomies": 11,
        "taxonomies.tags": 12,
        "taxonomies.categories": 13,
        "extra": 15,
    }.items():
        assert matter.key_lines[key] == line, key


def test_toml_comments_with_ascii_art() -> None:
    text = (
        "+++\n"
        "#  _____           __  __ _         _\n"
        "# |_   _|__  _ __ |  \\/  (_)_ __   __| |\n"
        "#   | |/ _ \\| '_ \\| |\\/| | | '_ \\ / _` |\n"
        "# [taxonomies] = +++ --- {{ x() }} date = nope\n"
        "#   |_|\\___/| .__/|_|  |_|_|_| |_|\\__,_|\n"
        'title = "Art"  # trailing comment = [x]\n'
        "date = 2023-08-18\n"
        "+++\n"
        "body\n"
    )
    matter, diags = parse(text)
    assert diags == []
    assert matter.title == "Art"
    assert matter.date == dt.date(2023, 8, 18)
    assert matter.last_line == 9
    assert matter.key_lines["title"] == 7
    assert matter.key_lines["date"] == 8
    assert "taxonomies" not in matter.key_lines
    assert dict(matter.taxonomies) == {}


def test_extra_is_kept_as_data() -> None:
    text = (
        '+++\ntitle = "x"\n[extra]\nlist = [1, "two"]\nflag = false\n[extra.deep]\nk = "v"\n+++\n'
    )
    matter, diags = parse(text)
    assert diags == []
    assert dict(matter.extra) == {"list": [1, "two"], "flag": False, "deep": {"k": "v"}}
    assert dict(matter.other) == {}


def test_extra_wrong_type_warns() -> None:
    matter, diags = parse('+++\ntitle = "x"\nextra = 3\n+++\n')
    one_diag(diags, 3, "'extra'", "a table", "int")
    assert dict(matter.extra) == {}


def test_toml_datetime_unquoted() -> None:
    text = "+++\ndate = 2023-08-18T10:00:00Z\nupdated = 2023-08-18T10:00:00+02:00\n+++\n"
    matter, diags = parse(text)
    assert diags == []
    assert matter.date == dt.datetime(2023, 8, 18, 10, 0, tzinfo=UTC)
    assert matter.updated == dt.datetime(
        2023, 8, 18, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=2))
    )
    assert iso(matter.date) == "2023-08-18T10:00:00+00:00"


def test_toml_local_datetime_unquoted() -> None:
    matter, diags = parse("+++\ndate = 2023-08-18 10:00:00\n+++\n")
    assert diags == []
    assert matter.date == dt.datetime(2023, 8, 18, 10, 0)
    assert matter.date.tzinfo is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('"2023-08-18"', dt.date(2023, 8, 18)),
        ('"2023-08-18T10:00:00Z"', dt.datetime(2023, 8, 18, 10, 0, tzinfo=UTC)),
        ('"2023-08-18 10:00:00"', dt.datetime(2023, 8, 18, 10, 0)),
        (
            '"2023-08-18T10:00:00+02:00"',
            dt.datetime(2023, 8, 18, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=2))),
        ),
        ('" 2023-08-18 "', dt.date(2023, 8, 18)),
    ],
)
def test_quoted_date_strings(value: str, expected: dt.date) -> None:
    matter, diags = parse(f"+++\ndate = {value}\n+++\n")
    assert diags == []
    assert matter.date == expected
    assert type(matter.date) is type(expected)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023-08-18", dt.date(2023, 8, 18)),
        ("2023-08-18T10:00:00Z", dt.datetime(2023, 8, 18, 10, 0, tzinfo=UTC)),
        ("2023-08-18t10:00:00z", None),  # fromisoformat: lower-case separators refused
        ("2023-08-18 10:00:00", dt.datetime(2023, 8, 18, 10, 0)),
        ("2023-08-18T10:00", dt.datetime(2023, 8, 18, 10, 0)),
        (
            "2023-08-18T10:00:00.5+01:00",
            dt.datetime(2023, 8, 18, 10, 0, 0, 500000, tzinfo=dt.timezone(dt.timedelta(hours=1))),
        ),
        # lenient (Python 3.11 fromisoformat): basic and week formats are accepted too
        ("20230818", dt.datetime(2023, 8, 18)),
        ("2023-W33-5", dt.datetime(2023, 8, 18)),
        ("2023-02-30", None),
        ("2023-13-01", None),
        ("yesterday", None),
        ("", None),
        ("18/08/2023", None),
    ],
)
def test_parse_date_strings(value: str, expected: object) -> None:
    result = parse_date(value)
    assert result == expected
    if expected is not None:
        assert type(result) is type(expected)


@pytest.mark.parametrize("value", [None, 20230818, 3.5, True, ["2023-08-18"], {"a": 1}])
def test_parse_date_non_strings(value: object) -> None:
    assert parse_date(value) is None


def test_parse_date_passes_dates_through() -> None:
    d = dt.date(2020, 1, 2)
    t = dt.datetime(2020, 1, 2, 3, 4, tzinfo=UTC)
    assert parse_date(d) is d
    assert parse_date(t) is t


def test_iso() -> None:
    assert iso(None) is None
    assert iso(dt.date(2023, 8, 18)) == "2023-08-18"
    assert iso(dt.datetime(2023, 8, 18, 10, 0)) == "2023-08-18T10:00:00"


@pytest.mark.parametrize("key", ["date", "updated"])
def test_invalid_date_string_warns_at_key_line(key: str) -> None:
    text = f'+++\ntitle = "x"\n\n# note\n{key} = "yesterday"\n+++\nbody\n'
    matter, diags = parse(text)
    one_diag(diags, 5, f"'{key}'", "not a date", "'yesterday'", "ignored")
    assert getattr(matter, key) is None
    assert matter.title == "x"


def test_impossible_date_string_warns() -> None:
    matter, diags = parse('+++\ntitle = "x"\ndate = "2023-02-30"\n+++\n')
    one_diag(diags, 3, "'date'", "not a date", "2023-02-30")
    assert matter.date is None


def test_impossible_unquoted_date_is_a_toml_error_at_its_line() -> None:
    matter, diags = parse('+++\ntitle="x"\n\n\ndate = 2023-02-30\n+++\n')
    one_diag(diags, 5, "invalid TOML front matter", "date")
    assert matter.title is None  # the whole block is unreadable


def test_date_wrong_type_warns() -> None:
    matter, diags = parse("+++\ndate = 5\n+++\n")
    one_diag(diags, 2, "'date'", "not a date")
    assert matter.date is None


def test_draft_true_and_false() -> None:
    assert parse("+++\ndraft = true\n+++\n")[0].draft is True
    assert parse("+++\ndraft = false\n+++\n")[0].draft is False
    assert parse("+++\n+++\n")[0].draft is False


def test_draft_wrong_type() -> None:
    matter, diags = parse('+++\ntitle = "x"\ndraft = "yes"\n+++\n')
    one_diag(diags, 3, "'draft'", "true or false", "str")
    assert matter.draft is False


def test_weight() -> None:
    matter, diags = parse("+++\nweight = -3\n+++\n")
    assert diags == [] and matter.weight == -3


@pytest.mark.parametrize("value", ["1.5", "true", '"3"'])
def test_weight_wrong_type(value: str) -> None:
    matter, diags = parse(f"+++\nweight = {value}\n+++\n")
    one_diag(diags, 2, "'weight'", "an integer")
    assert matter.weight is None


def test_slug() -> None:
    matter, diags = parse('+++\nslug = "a-b"\n+++\n')
    assert diags == [] and matter.slug == "a-b"


def test_categories_taxonomy() -> None:
    text = '+++\n[taxonomies]\ncategories = ["x", "y"]\nauthors = []\n+++\n'
    matter, diags = parse(text)
    assert diags == []
    assert dict(matter.taxonomies) == {"categories": ("x", "y"), "authors": ()}
    assert matter.tags == ()


def test_inline_taxonomies_table() -> None:
    matter, diags = parse('+++\ntaxonomies = { tags = ["a"], categories = ["c"] }\n+++\n')
    assert diags == []
    assert dict(matter.taxonomies) == {"tags": ("a",), "categories": ("c",)}


def test_title_wrong_type() -> None:
    matter, diags = parse("+++\n\ntitle = 5\n+++\nbody\n")
    one_diag(diags, 3, "'title'", "a string", "int", "ignored")
    assert matter.title is None


def test_title_empty_string_is_kept() -> None:
    matter, diags = parse('+++\ntitle = ""\n+++\n')
    assert diags == [] and matter.title == ""


def test_tags_as_string() -> None:
    text = '+++\ntitle = "x"\n[taxonomies]\ntags = "a"\n+++\n'
    matter, diags = parse(text)
    one_diag(diags, 4, "'tags'", "list of strings", "not a string", "read as ['a']")
    assert matter.tags == ("a",)


def test_tags_mixed_types() -> None:
    text = '+++\n[taxonomies]\ncategories = ["c"]\ntags = [1, "b"]\n+++\n'
    matter, diags = parse(text)
    one_diag(diags, 4, "'tags'", "int", "string: 1;", "ignored")
    assert matter.tags == ("b",)
    assert matter.taxonomies["categories"] == ("c",)


def test_tags_several_bad_values_each_warn() -> None:
    matter, diags = parse('+++\n[taxonomies]\ntags = [1, "b", true, 2.5]\n+++\n')
    assert [d.line for d in diags] == [3, 3, 3]
    assert [d.subtype for d in diags] == [Subtype.frontmatter] * 3
    assert matter.tags == ("b",)


def test_taxonomy_not_a_list() -> None:
    matter, diags = parse("+++\n[taxonomies]\ntags = 5\n+++\n")
    one_diag(diags, 3, "'tags'", "list of strings", "int", "ignored")
    assert dict(matter.taxonomies) == {}


def test_taxonomies_not_a_table() -> None:
    matter, diags = parse('+++\ntitle = "x"\ntaxonomies = 3\n+++\n')
    one_diag(diags, 3, "'taxonomies'", "a table", "int", "ignored")
    assert dict(matter.taxonomies) == {}
    assert matter.title == "x"


def test_taxonomy_warning_line_ignores_same_key_in_other_table() -> None:
    text = (
        '+++\ntitle = "x"\n'  # 1, 2
        "[extra]\n"  # 3
        'tags = "not a taxonomy"\n'  # 4
        "[taxonomies]\n"  # 5
        "tags = [1]\n"  # 6
        "+++\n"
    )
    _, diags = parse(text)
    one_diag(diags, 6, "'tags'")


def test_other_keys_are_kept() -> None:
    matter, diags = parse('+++\ntemplate = "x.html"\naliases = ["/a"]\n+++\n')
    assert diags == []
    assert dict(matter.other) == {"template": "x.html", "aliases": ["/a"]}


# --------------------------------------------------------------------------
# YAML
# --------------------------------------------------------------------------


def test_full_yaml_front_matter() -> None:
    text = (
        "---\n"  # 1
        "title: T\n"  # 2
        "description: D\n"  # 3
        "date: 2023-08-18\n"  # 4
        "updated: 2023-09-01T12:30:00Z\n"  # 5
        "draft: true\n"  # 6
        "weight: 7\n"  # 7
        "slug: my-slug\n"  # 8
        "taxonomies:\n"  # 9
        "  tags: [a, b]\n"  # 10
        "  categories:\n"  # 11
        "    - c\n"  # 12
        "extra:\n"  # 13
        "  author: me\n"  # 14
        "template: page.html\n"  # 15
        "---\n"  # 16
        "body\n"
    )
    matter, diags = parse(text)
    assert diags == []
    assert (matter.format, matter.first_line, matter.last_line) == ("yaml", 1, 16)
    assert matter.title == "T"
    assert matter.description == "D"
    assert matter.date == dt.date(2023, 8, 18) and type(matter.date) is dt.date
    assert matter.updated == dt.datetime(2023, 9, 1, 12, 30, tzinfo=UTC)
    assert matter.draft is True
    assert matter.weight == 7
    assert matter.slug == "my-slug"
    assert dict(matter.taxonomies) == {"tags": ("a", "b"), "categories": ("c",)}
    assert dict(matter.extra) == {"author": "me"}
    assert dict(matter.other) == {"template": "page.html"}
    assert matter.key_lines["date"] == 4
    assert matter.key_lines["taxonomies"] == 9


@pytest.mark.skipif(not hasattr(yaml, "CSafeLoader"), reason="PyYAML built without libyaml")
def test_yaml_tabs_separate_as_in_zola() -> None:
    # Zola reads YAML front matter with serde_yaml 0.9, a port of libyaml, which takes
    # a tab after the colon and a trailing tab as separation; PyYAML's own scanner
    # refuses both ("found character '\\t' that cannot start any token")
    matter, problems = parse_front_matter("---\ntitle:\tTabbed\ndate: 2024-01-02\t\n---\nBody\n")
    assert problems == []
    assert matter is not None
    assert (matter.title, matter.date) == ("Tabbed", dt.date(2024, 1, 2))


def test_yaml_quoted_date_string() -> None:
    matter, diags = parse('---\ndate: "2023-08-18 10:00:00"\n---\n')
    assert diags == []
    assert matter.date == dt.datetime(2023, 8, 18, 10, 0)


def test_yaml_invalid_date_string_warns_at_key_line() -> None:
    matter, diags = parse("---\ntitle: x\ndate: yesterday\n---\n")
    one_diag(diags, 3, "'date'", "not a date")
    assert matter.date is None


def test_yaml_title_wrong_type() -> None:
    matter, diags = parse("---\ntitle: 5\n---\n")
    one_diag(diags, 2, "'title'", "a string")
    assert matter.title is None


def test_yaml_taxonomy_bad_value_located_at_taxonomies_key() -> None:
    # nested YAML keys are located too: the warning goes to the 'tags:' line
    matter, diags = parse("---\ntitle: x\ntaxonomies:\n  tags: [a, 1]\n---\n")
    one_diag(diags, 4, "'tags'", "int")
    assert matter.tags == ("a",)


def test_yaml_not_a_mapping() -> None:
    matter, diags = parse("---\n- a\n- b\n---\n")
    one_diag(diags, 1, "must be a table of keys", "list")
    assert matter.title is None and matter.last_line == 4


def test_yaml_unsafe_tag_is_refused() -> None:
    matter, diags = parse("---\ntitle: x\nfoo: !!python/object/apply:os.system [echo]\n---\n")
    one_diag(diags, 3, "invalid YAML front matter")
    assert matter.title is None


def test_yaml_impossible_date_located() -> None:
    _, diags = parse("---\ntitle: x\n\ndate: 2023-02-30\n---\n")
    one_diag(diags, 4)


def test_yaml_nul_byte_located() -> None:
    _, diags = parse("---\ntitle: x\nfoo: \x00\n---\n")
    one_diag(diags, 3, "invalid YAML front matter")


def test_yaml_nul_byte_does_not_raise() -> None:
    _matter, diags = parse("---\ntitle: x\nfoo: \x00\n---\n")
    assert len(diags) == 1 and diags[0].subtype is Subtype.frontmatter
    assert 1 <= diags[0].line <= 4


# --------------------------------------------------------------------------
# invalid blocks: the diagnostic's line is the file line of the error
# --------------------------------------------------------------------------


def test_invalid_toml_at_line_2() -> None:
    matter, diags = parse('+++\ntitle = = "x"\ndate = 2023-01-01\n+++\nbody\n')
    one_diag(diags, 2, "invalid TOML front matter")
    assert "(at line" not in diags[0].message
    assert (matter.first_line, matter.last_line, matter.title) == (1, 4, None)


def test_invalid_toml_at_line_5() -> None:
    text = '+++\ntitle = "x"\ndate = 2023-01-01\n\nwhat is this\nslug = "s"\n+++\nbody\n'
    matter, diags = parse(text)
    one_diag(diags, 5, "invalid TOML front matter")
    assert (matter.last_line, matter.title) == (7, None)


def test_invalid_toml_last_line_with_line_info() -> None:
    text = '+++\ntitle = "x"\ndate = 2023-01-01\nslug = "s" junk\n+++\nbody\n'
    _, diags = parse(text)
    one_diag(diags, 4, "invalid TOML front matter")


@pytest.mark.parametrize(
    "last",
    ["bad = ", 'foo = "abc', "foo = [1,", "title = 2"],
    ids=["value", "string", "array", "dup"],
)
def test_invalid_toml_last_line_at_end_of_document(last: str) -> None:
    text = f'+++\ntitle = "x"\ndate = 2023-01-01\n{last}\n+++\nbody\n'
    _, diags = parse(text)
    one_diag(diags, 4, "invalid TOML front matter")


def test_invalid_toml_end_of_document_still_a_single_diagnostic() -> None:
    matter, diags = parse('+++\ntitle = "x"\nfoo = "abc\n+++\nbody\n')
    assert len(diags) == 1 and diags[0].subtype is Subtype.frontmatter
    assert "Unterminated string" in diags[0].message
    assert 1 <= diags[0].line <= 4
    assert matter.last_line == 4


def test_invalid_yaml_at_line_2() -> None:
    _, diags = parse("---\nbad: : :\ntitle: x\n---\nbody\n")
    one_diag(diags, 2, "invalid YAML front matter", "mapping values are not allowed")


def test_invalid_yaml_at_line_5() -> None:
    _, diags = parse("---\ntitle: x\ndate: 2023-01-01\nslug: s\n\tweight: 3\n---\n")
    one_diag(diags, 5, "invalid YAML front matter")


@pytest.mark.parametrize("last", ["bad: [", 'foo: "abc'])
def test_invalid_yaml_last_line(last: str) -> None:
    _, diags = parse(f"---\ntitle: x\ndate: 2023-01-01\n{last}\n---\nbody\n")
    one_diag(diags, 4, "invalid YAML front matter")


def test_unclosed_toml() -> None:
    matter, diags = parse('+++\ntitle = "x"\n\nbody text\n')
    one_diag(diags, 1, "'+++'", "never closed")
    assert (matter.format, matter.first_line, matter.last_line) == ("toml", 1, 1)
    assert matter.title is None


def test_unclosed_yaml() -> None:
    matter, diags = parse("---\ntitle: x\n")
    one_diag(diags, 1, "'---'", "never closed")
    assert matter.format == "yaml"


def test_delimiter_only_file() -> None:
    _, diags = parse("+++")
    one_diag(diags, 1, "never closed")


# --------------------------------------------------------------------------
# odd files
# --------------------------------------------------------------------------


def test_front_matter_only_no_body() -> None:
    for text in ('+++\ntitle = "x"\n+++', '+++\ntitle = "x"\n+++\n'):
        matter, diags = parse(text)
        assert diags == []
        assert matter.title == "x" and matter.last_line == 3


def test_empty_front_matter() -> None:
    for text in ("+++\n+++\n", "---\n---\n", "+++\n\n\n+++"):
        matter, diags = parse(text)
        assert diags == [] and matter.title is None


def test_empty_file() -> None:
    assert parse_front_matter("") == (None, [])


def test_no_front_matter() -> None:
    assert parse_front_matter("# Title\n\nbody\n") == (None, [])


def test_utf8_bom() -> None:
    matter, diags = parse('\ufeff+++\ntitle = "Bom"\ndate = 2023-08-18\n+++\nbody\n')
    assert diags == []
    assert matter.title == "Bom" and matter.last_line == 4
    assert matter.key_lines["title"] == 2


def test_crlf_line_endings() -> None:
    text = (
        '+++\r\ntitle = "Crlf"\r\ndate = 2023-08-18\r\n\r\n[taxonomies]\r\n'
        'tags = ["a"]\r\n+++\r\nbody\r\n'
    )
    matter, diags = parse(text)
    assert diags == []
    assert matter.title == "Crlf"  # no stray \r
    assert matter.date == dt.date(2023, 8, 18)
    assert matter.tags == ("a",)
    assert matter.last_line == 7


def test_crlf_error_line() -> None:
    _, diags = parse('+++\r\ntitle = "x"\r\n\r\noops\r\nslug = "s"\r\n+++\r\n')
    one_diag(diags, 4, "invalid TOML")


def test_bom_and_crlf_yaml() -> None:
    matter, diags = parse("\ufeff---\r\ntitle: y\r\ndate: 2023-08-18\r\n---\r\n")
    assert diags == []
    assert matter.title == "y" and matter.date == dt.date(2023, 8, 18)


def test_delimiter_with_trailing_spaces() -> None:
    matter, diags = parse('+++   \ntitle = "x"\n+++ \t\nbody\n')
    assert diags == []
    assert matter.title == "x" and matter.last_line == 3


def test_thematic_break_in_body_is_not_front_matter() -> None:
    assert parse_front_matter("Intro\n\n---\n\ntitle: x\n---\n") == (None, [])


def test_thematic_break_after_front_matter() -> None:
    text = '+++\ntitle = "x"\n+++\n\nPara\n\n---\n\nmore\n+++\n'
    matter, diags = parse(text)
    assert diags == []
    assert matter.format == "toml" and matter.last_line == 3


def test_yaml_block_then_thematic_break() -> None:
    matter, diags = parse("---\ntitle: x\n---\n# hi\n\n---\n\nmore")
    assert diags == []
    assert matter.title == "x" and matter.last_line == 3


@pytest.mark.parametrize("raw", ['a = "\x00"', "a\x00 = 1"])
def test_nul_byte_in_toml(raw: str) -> None:
    matter, diags = parse(f'+++\ntitle = "x"\n{raw}\n+++\n')
    one_diag(diags, 3, "invalid TOML front matter")
    assert matter.title is None


@pytest.mark.parametrize("fmt", ["+++\na = ", "---\na: "])
def test_deeply_nested_arrays(fmt: str) -> None:
    delimiter = fmt[:3]
    text = fmt + "[" * 2000 + "]" * 2000 + f"\n{delimiter}\nbody\n"
    matter, diags = parse(text)
    assert len(diags) == 1
    assert diags[0].subtype is Subtype.frontmatter
    assert 1 <= diags[0].line <= 3
    assert matter.last_line == 3


def test_moderately_nested_arrays_parse() -> None:
    matter, diags = parse("+++\n[extra]\na = " + "[" * 50 + "]" * 50 + "\n+++\n")
    assert diags == []
    depth, value = 0, matter.extra["a"]
    while value:
        value, depth = value[0], depth + 1
    assert depth == 49


def test_two_megabyte_front_matter() -> None:
    body = "".join(f'k{i} = "{"x" * 100}"\n' for i in range(20_000))
    text = '+++\ntitle = "big"\n' + body + "+++\nbody\n"
    assert len(text) > 2_000_000
    matter, diags = parse(text)
    assert diags == []
    assert matter.title == "big"
    assert len(matter.other) == 20_000
    assert matter.last_line == 20_003


def test_two_megabyte_string_value() -> None:
    text = '+++\ntitle = "' + "é" * 1_100_000 + '"\n+++\n'
    matter, diags = parse(text)
    assert diags == [] and len(matter.title) == 1_100_000


# --------------------------------------------------------------------------
# drafts: the parser decides
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "draft"),
    [
        ("+++\ndraft = true\n+++\n", True),
        ("+++\n  draft = true\n+++\n", True),
        ("---\ndraft: True\n---\n", True),
        ('+++\ndescription = """\n[x]\n"""\ndraft = true\n+++\n', True),
        ("+++\r\ndraft = true\r\n+++\r\n", True),
        ('+++\ndescription = """\ndraft = true\n"""\n+++\n', False),
        ('---\ndescription: "a\ndraft: true\n  b"\n---\n', False),
        ("+++\n[extra]\ndraft = true\n+++\n", False),
        ('+++\ndraft = "true"\n+++\n', False),
        ("+++\ndraft = true\n", False),  # never closed: no front matter to trust
        ("draft = true\n", False),
    ],
)
def test_declares_draft_is_the_parsers_draft(text: str, draft: bool) -> None:
    matter, _ = parse_front_matter(text)
    assert declares_draft(text) is draft is (matter is not None and matter.draft)


# --------------------------------------------------------------------------
# lone surrogates from YAML escapes
# --------------------------------------------------------------------------


def lone(shown: str, read: str) -> str:
    return (
        f"front matter string {shown} holds a lone surrogate (half of a UTF-16 pair, "
        f"no character); read as {read}"
    )


def test_lone_surrogates_are_replaced_and_located() -> None:
    matter, diags = parse(
        "---\n"
        'title: "sur\\ud800rogate"\n'  # 2
        'description: "a pair \\ud83d\\ude00 is one character"\n'  # 3
        "taxonomies:\n"
        '  tags: ["t\\udc00", ok]\n'  # 5
        "extra:\n"
        '  deep: {"k\\ud801": ["\\udfff", 1]}\n'  # 7
        'other: "\\U0000d800"\n'  # 8
        "---\n"
    )
    assert matter.title == "sur\ufffdrogate"
    assert matter.description == "a pair \U0001f600 is one character"  # joined, not reported
    assert matter.tags == ("t\ufffd", "ok")
    assert matter.extra == {"deep": {"k\ufffd": ["\ufffd", 1]}}
    assert matter.other == {"other": "\ufffd"}
    assert [(d.line, d.message) for d in diags] == [
        (2, lone("'sur\\ud800rogate'", "'sur\ufffdrogate'")),
        (5, lone("'t\\udc00'", "'t\ufffd'")),
        (7, lone("'k\\ud801'", "'k\ufffd'")),
        (7, lone("'\\udfff'", "'\ufffd'")),
        (8, lone("'\\ud800'", "'\ufffd'")),
    ]


def test_lone_surrogate_in_a_string_used_twice_warns_at_each_place() -> None:
    matter, diags = parse('---\ntitle: "\\ud800"\ndescription: "\\ud800"\n---\n')
    assert matter.title == matter.description == "\ufffd"
    assert [d.line for d in diags] == [2, 3]


def test_lone_surrogates_behind_aliases_are_walked_once() -> None:
    levels = ['a0: &a0 ["\\ud800", "\\ud800", "\\ud800", "\\ud800", "\\ud800"]']
    for i in range(1, 9):  # 5 ** 9 strings if every alias were followed
        levels.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 5) + "]")
    matter, diags = parse("---\n" + "\n".join(levels) + "\nshared: *a8\n---\n")
    assert matter.other["a0"] == ["\ufffd"] * 5
    assert matter.other["shared"] is matter.other["a8"]
    assert [d.line for d in diags] == [2] * 5  # the five scalars of a0, each once


def test_lone_surrogate_in_a_recursive_yaml_structure() -> None:
    matter, diags = parse('---\nloop: &l ["\\ud800", *l]\n---\n')
    loop = matter.other["loop"]
    assert loop[0] == "\ufffd" and loop[1] is loop
    assert [d.line for d in diags] == [2]


def test_toml_refuses_surrogate_escapes() -> None:
    _, diags = parse('+++\ntitle = "\\ud800"\n+++\n')
    one_diag(diags, 2, "invalid TOML front matter")


# --------------------------------------------------------------------------
# fuzz
# --------------------------------------------------------------------------

_TOML_BITS = st.sampled_from(
    [
        "=",
        '"',
        "'",
        "[",
        "]",
        "{",
        "}",
        ",",
        "#",
        "\n",
        "\r\n",
        " ",
        "title",
        "date",
        "tags",
        "taxonomies",
        "extra",
        "2023-08-18",
        "T10:00:00Z",
        "true",
        "1",
        '"""',
        "+++",
        "---",
        "\x00",
        "é",
        "\ufeff",
        ".",
    ]
)


@settings(deadline=None)  # examples: the profile (tests/conftest.py)
@given(st.one_of(st.text(), st.lists(_TOML_BITS, max_size=60).map("".join)))
def test_fuzz_toml_never_raises(tail: str) -> None:
    text = "+++\n" + tail
    matter, diags = parse_front_matter(text)
    assert matter is not None
    total = n_lines(text)
    for diag in diags:
        assert isinstance(diag, Diagnostic)
        assert diag.subtype is Subtype.frontmatter
        assert 1 <= diag.line <= total, (diag, total)


@settings(deadline=None)  # examples: the profile (tests/conftest.py)
@given(
    st.one_of(st.text(), st.lists(_TOML_BITS, max_size=60).map("".join)).map(
        lambda s: s.replace("=", ":")
    )
)
def test_fuzz_yaml_never_raises(tail: str) -> None:
    text = "---\n" + tail
    matter, diags = parse_front_matter(text)
    assert matter is not None
    total = n_lines(text)
    for diag in diags:
        assert 1 <= diag.line <= total, (diag, total)


def test_a_block_parsed_again_gives_the_same_result_in_a_new_list() -> None:
    # a block is parsed once (the draft check, the sections and the read all ask):
    # the same front matter whatever follows it, and each caller its own problem list
    text = '+++\ntitle = "x"\nweight = "heavy"\n+++\nbody'
    matter, problems = parse_front_matter(text)
    assert [p.line for p in problems] == [3]
    problems.clear()
    again, problems_again = parse_front_matter(text + "\nmore body\n")
    assert again == matter and again is not None and again.title == "x"
    assert [p.line for p in problems_again] == [3]
