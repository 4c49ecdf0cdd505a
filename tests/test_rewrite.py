"""Tests for sphinx_topofmind.zola.rewrite.rewrite_source (pure: no Sphinx)."""

from __future__ import annotations

import gc
import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sphinx_topofmind.zola.diagnostics import Subtype
from sphinx_topofmind.zola.rewrite import ROLE, Rewritten, escape_markdown, rewrite_source
from sphinx_topofmind.zola.shortcodes import find_protected_spans

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS_DIR = SHARED / "corpus" / "zerotohero-web" / "content" / "top-of-mind"
SEED = SHARED / "seed" / "the-dream-job.as-received.md"
CORPUS = sorted(CORPUS_DIR.glob("*.md")) if CORPUS_DIR.is_dir() else []

needs_seed = pytest.mark.skipif(not SEED.exists(), reason=f"seed file not found at {SEED}")
needs_corpus = pytest.mark.skipif(not CORPUS, reason=f"shared corpus not found at {CORPUS_DIR}")

KNOWN = frozenset({"top_of_mind_nav", "x", "note"})
PAGES = {"a/b.md", "a.md", "section/_index.md", "i.png"}


def resolve(path: str) -> str | None:
    return f"/content/{path}" if path in PAGES else None


def rw(text: str, **kwargs: object) -> Rewritten:
    kwargs.setdefault("known_shortcodes", KNOWN)
    kwargs.setdefault("resolve_link", resolve)
    return rewrite_source(text, **kwargs)  # type: ignore[arg-type]


def n_lines(text: str) -> int:
    """Lines as the rewrite keeps them: CRLF counts once."""
    return text.replace("\r\n", "\n").count("\n") + 1


def role(n: int) -> str:
    return f"{{{ROLE}}}`{n}`"


def assert_same_lines(original: str, out: Rewritten) -> None:
    assert n_lines(out.text) == n_lines(original)
    total = n_lines(original)
    for diag in out.diagnostics:
        assert 1 <= diag.line <= total, diag
    assert [d.line for d in out.diagnostics] == sorted(d.line for d in out.diagnostics)


# --------------------------------------------------------------------------
# real files
# --------------------------------------------------------------------------


@needs_seed
@pytest.mark.parametrize("mode", ["fix", "warn", "off"])
def test_seed_keeps_line_count(mode: str) -> None:
    text = SEED.read_text(encoding="utf-8")
    out = rw(text, mojibake=mode)
    assert_same_lines(text, out)
    assert out.diagnostics == ()
    lines = out.text.split("\n")
    assert lines[0] == "# Build Strong Connections to Land Your Dream Job"
    assert lines[1:7] == [""] * 6
    assert lines[126] == role(0)
    assert len(out.calls) == 1
    assert out.calls[0].shortcode.name == "top_of_mind_nav"
    assert out.calls[0].shortcode.args == {"selected": 11}
    assert out.calls[0].literal is None
    assert out.calls[0].shortcode.line == 127
    # every other line is untouched
    original = text.split("\n")
    if mode != "fix":
        assert lines[7:126] == original[7:126]


@needs_seed
def test_seed_mojibake_fix() -> None:
    text = SEED.read_text(encoding="utf-8")
    out = rw(text, mojibake="fix")
    assert "résumé" in out.text and "🦄" in out.text
    assert "√" not in out.text and "\uf8ff" not in out.text
    assert [r.line for r in out.repairs] == [14, 123]
    assert "résumé" in out.repairs[0].repaired and "r√©sum√©" in out.repairs[0].original
    assert out.repairs[1].repaired.endswith("🦄.")
    assert out.text.split("\n")[13] == out.repairs[0].repaired


@needs_seed
def test_seed_mojibake_warn() -> None:
    text = SEED.read_text(encoding="utf-8")
    out = rw(text, mojibake="warn")
    assert "r√©sum√©" in out.text and "résumé" not in out.text and "🦄" not in out.text
    assert [r.line for r in out.repairs] == [14, 123]
    assert out.repairs == rw(text, mojibake="fix").repairs


@needs_seed
def test_seed_mojibake_off() -> None:
    text = SEED.read_text(encoding="utf-8")
    out = rw(text, mojibake="off")
    assert out.repairs == ()
    assert "r√©sum√©" in out.text


@needs_corpus
@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_corpus_keeps_line_count(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    out = rw(text, known_shortcodes={"top_of_mind_nav"})
    assert_same_lines(text, out)
    assert out.diagnostics == ()
    assert out.repairs == ()
    assert out.front_matter is not None
    lines = out.text.split("\n")
    assert lines[0] == f"# {escape_markdown(out.front_matter.title)}"
    assert all(line == "" for line in lines[1 : out.front_matter.last_line])
    n_nav = text.count("{{ top_of_mind_nav(")  # dumb-quotes.md has none
    assert len(out.calls) == n_nav
    for index, call in enumerate(out.calls):
        assert call.shortcode.name == "top_of_mind_nav" and call.literal is None
        assert lines[call.shortcode.line - 1] == role(index)
        assert isinstance(call.shortcode.args["selected"], int)
    assert "{{" not in out.text


# --------------------------------------------------------------------------
# front matter and title
# --------------------------------------------------------------------------


def test_title_heading_and_blank_front_matter() -> None:
    text = '+++\ntitle = "Hello"\ndate = 2023-08-18\n\n[taxonomies]\ntags = ["a"]\n+++\nbody\n'
    out = rw(text)
    assert out.text == "# Hello\n\n\n\n\n\n\nbody\n"
    assert out.front_matter is not None and out.front_matter.tags == ("a",)
    assert_same_lines(text, out)


def test_yaml_front_matter_blanked() -> None:
    out = rw("---\ntitle: Yaml\nslug: s\n---\nbody")
    assert out.text == "# Yaml\n\n\n\nbody"


@pytest.mark.parametrize(
    ("title", "heading"),
    [
        ("<script>alert(1)</script>", r"# \<script\>alert\(1\)\<\/script\>"),
        ("*bold* [x](y)", r"# \*bold\* \[x\]\(y\)"),
        ("`code` _u_ #1 ~s~ !x |t|", r"# \`code\` \_u\_ \#1 \~s\~ \!x \|t\|"),
        ("{{ x() }}", r"# \{\{ x\(\) \}\}"),
        ("a\\b", r"# a\\b"),
        ("Long Live Aegis!", r"# Long Live Aegis\!"),
        ("Café – “quoted”", "# Café – “quoted”"),
    ],
)
def test_title_is_escaped(title: str, heading: str) -> None:
    text = f"+++\ntitle = '{title}'\n+++\nbody"
    out = rw(text)
    assert out.text.split("\n")[0] == heading
    assert out.calls == () and out.links == ()
    assert_same_lines(text, out)


def test_title_with_link_syntax_is_not_a_link() -> None:
    out = rw('+++\ntitle = "[t](@/a.md) and [u](@/missing.md)"\n+++\nbody')
    assert out.links == ()
    assert out.diagnostics == ()
    assert out.text.split("\n")[0] == r"# \[t\]\(\@\/a\.md\) and \[u\]\(\@\/missing\.md\)"


def test_multiline_title_is_folded() -> None:
    text = '+++\ntitle = """a\nb\u2028c\td\u0085e"""\n+++\nbody'
    out = rw(text)
    assert out.text.split("\n")[0] == "# a b c d e"
    assert_same_lines(text, out)


def test_fallback_title_when_no_title() -> None:
    text = "+++\ndate = 2023-01-01\n+++\nbody\n## Sub\n"
    out = rw(text, fallback_title="Fall <b>")
    assert out.text == "# Fall \\<b\\>\n\n\nbody\n## Sub\n"


@pytest.mark.parametrize("title_line", ['title = ""', 'title = "   "', "title = 5"])
def test_fallback_title_when_title_unusable(title_line: str) -> None:
    out = rw(f"+++\n{title_line}\n+++\nbody", fallback_title="Fall")
    assert out.text.split("\n")[0] == "# Fall"


def test_no_fallback_when_body_has_h1() -> None:
    out = rw("+++\ndate = 2023-01-01\n+++\n\n# Own\nbody", fallback_title="Fall")
    assert out.text == "\n\n\n\n# Own\nbody"


def test_no_title_no_fallback_blank_first_line() -> None:
    out = rw("+++\ndate = 2023-01-01\n+++\nbody")
    assert out.text == "\n\n\nbody"


def test_front_matter_title_wins_over_body_h1() -> None:
    out = rw('+++\ntitle = "FM"\n+++\n# Own\n', fallback_title="Fall")
    assert out.text.split("\n")[0] == "# FM"


def test_h2_does_not_count_as_h1() -> None:
    out = rw("+++\n+++\n## Sub\n#hashtag\n", fallback_title="Fall")
    assert out.text.split("\n")[0] == "# Fall"


def test_hash_comment_in_code_fence_is_not_an_h1() -> None:
    text = "+++\ndate = 2023-01-01\n+++\n```sh\n# install it\npip install x\n```\n"
    out = rw(text, fallback_title="Fall")
    assert out.text.split("\n")[0] == "# Fall"


def test_no_front_matter_text_unchanged() -> None:
    # without front matter there is no line to put a title on: nothing is added
    text = "plain\nbody\n"
    out = rw(text, fallback_title="Fall")
    assert out.text == text and out.front_matter is None


def test_invalid_front_matter_is_blanked_and_reported() -> None:
    text = '+++\ntitle = "x"\noops\nslug = "s"\n+++\nbody'
    out = rw(text, fallback_title="Fall")
    assert out.text == "# Fall\n\n\n\n\nbody"
    assert [(d.subtype, d.line) for d in out.diagnostics] == [(Subtype.frontmatter, 3)]


def test_unclosed_front_matter() -> None:
    text = '+++\ntitle = "x"\nbody'
    out = rw(text)
    assert out.text == '\ntitle = "x"\nbody'
    assert [(d.subtype, d.line) for d in out.diagnostics] == [(Subtype.frontmatter, 1)]
    assert_same_lines(text, out)


def test_bom_and_crlf() -> None:
    text = '\ufeff+++\r\ntitle = "x"\r\n+++\r\nline\r\n{{ x() }}\r\n'
    out = rw(text)
    assert out.text == f"# x\n\n\nline\n{role(0)}\n"
    assert_same_lines(text, out)


def test_empty_text() -> None:
    out = rw("")
    assert out.text == "" and out.calls == () and out.diagnostics == () and out.links == ()


def test_front_matter_only() -> None:
    out = rw('+++\ntitle = "x"\n+++')
    assert out.text == "# x\n\n"


# --------------------------------------------------------------------------
# shortcodes
# --------------------------------------------------------------------------


def test_known_shortcode_becomes_role() -> None:
    text = "intro\n\n{{ top_of_mind_nav(selected=11) }}\n"
    out = rw(text)
    assert out.text == f"intro\n\n{role(0)}\n"
    assert out.text.split("\n")[2] == "{topofmind-shortcode}`0`"
    assert out.calls[0].shortcode.args == {"selected": 11}
    assert out.calls[0].shortcode.name == "top_of_mind_nav"
    assert out.calls[0].shortcode.line == 3
    assert out.calls[0].literal is None
    assert out.diagnostics == ()


def test_unknown_shortcode() -> None:
    text = 'a\n{{ x() }}\nb {{ nope(a=1, b="s") }} c\n'
    out = rw(text)
    assert out.text == f"a\n{role(0)}\nb {role(1)} c\n"
    assert out.calls[1].literal == '{{ nope(a=1, b="s") }}'
    assert out.calls[1].shortcode.name == "nope"
    assert out.calls[1].shortcode.args == {"a": 1, "b": "s"}
    (diag,) = out.diagnostics
    assert diag.subtype is Subtype.shortcode
    assert diag.line == 3
    assert "unknown shortcode 'nope'" in diag.message


def test_unknown_multiline_shortcode() -> None:
    text = "a\n{{ nope(\n  a=1) }}\nafter"
    out = rw(text)
    assert out.text == f"a\n{role(0)}\n\nafter"
    assert out.calls[0].literal == "{{ nope(\n  a=1) }}"
    assert [(d.subtype, d.line) for d in out.diagnostics] == [(Subtype.shortcode, 2)]


def test_known_shortcodes_empty_makes_all_unknown() -> None:
    out = rw("{{ x() }}", known_shortcodes=())
    assert out.calls[0].literal == "{{ x() }}"
    assert out.diagnostics[0].subtype is Subtype.shortcode


def test_shortcodes_in_code_and_comments_untouched() -> None:
    text = (
        "para `{{ x() }}` and ``{{ nope() }}``\n"
        "\n"
        "```jinja\n"
        "{{ x() }}\n"
        "{% note() %}body{% end %}\n"
        "```\n"
        "\n"
        "~~~\n"
        "{{ nope() }}\n"
        "~~~\n"
        "\n"
        "    {{ x() }}\n"
        "\n"
        "<!-- {{ x() }} -->\n"
        "<!--\n"
        "{{ nope() }}\n"
        "-->\n"
    )
    out = rw(text)
    assert out.text == text
    assert out.calls == () and out.diagnostics == ()


def test_zola_escape_outside_code_is_a_literal_call() -> None:
    text = "see {{/* x(a=1) */}} here\n{%/* note() */%}\n"
    out = rw(text)
    assert out.text == f"see {role(0)} here\n{role(1)}\n"
    assert out.calls[0].literal == "{{ x(a=1) }}"
    assert out.calls[0].shortcode.name == "x"
    assert out.calls[1].literal == "{% note() %}"
    assert out.diagnostics == ()


def test_zola_escape_of_unknown_name_is_no_warning() -> None:
    out = rw("{{/* whatever() */}}")
    assert out.calls[0].literal == "{{ whatever() }}"
    assert out.diagnostics == ()


def test_zola_escape_inside_code_replaced_in_place() -> None:
    text = "```\n{{/* x() */}}\n{{/* x(\na=1) */}}\n```\n`{{/* x() */}}`\n"
    out = rw(text)
    assert out.text == "```\n{{ x() }}\n{{ x(\na=1) }}\n```\n`{{ x() }}`\n"
    assert out.calls == ()
    assert_same_lines(text, out)


def test_body_shortcode_keeps_line_count() -> None:
    text = 'a\n{% note(kind="warn") %}\nline 1\n\nline 3\n{% end %}\nafter\n'
    out = rw(text)
    assert out.text == f"a\n{role(0)}\n\n\n\n\nafter\n"
    call = out.calls[0]
    assert call.shortcode.body == "\nline 1\n\nline 3\n"
    assert (call.shortcode.line, call.shortcode.end_line) == (2, 6)
    assert call.shortcode.args == {"kind": "warn"}
    assert_same_lines(text, out)


def test_multiline_inline_shortcode_keeps_line_count() -> None:
    text = "{{ x(\n  a=1,\n  b=2\n) }} tail\nnext"
    out = rw(text)
    assert out.text == f"{role(0)}\n\n\n tail\nnext"
    assert out.calls[0].shortcode.args == {"a": 1, "b": 2}


def test_unterminated_body_shortcode_stays_text() -> None:
    text = "{% note() %}\nno end\n"
    out = rw(text)
    # shown as text through the literal role, so no Markdown or HTML in it comes alive
    assert out.text == f"{role(0)}\nno end\n"
    assert out.calls[0].literal == "{% note() %}"
    assert [(d.subtype, d.line) for d in out.diagnostics] == [(Subtype.shortcode, 1)]


def test_roles_numbered_in_order() -> None:
    out = rw("{{ x(n=0) }} {{ nope() }}\n{{ x(n=2) }}")
    assert out.text == f"{role(0)} {role(1)}\n{role(2)}"
    assert [c.shortcode.start for c in out.calls] == sorted(c.shortcode.start for c in out.calls)


def test_shortcode_after_front_matter_line_numbers() -> None:
    text = '+++\ntitle = "t"\n+++\n\n{{ nope() }}\n'
    out = rw(text)
    assert out.calls[0].shortcode.line == 5
    assert [(d.subtype, d.line) for d in out.diagnostics] == [(Subtype.shortcode, 5)]


def test_shortcode_in_front_matter_is_ignored() -> None:
    out = rw('+++\ntitle = "{{ nope() }}"\n+++\nbody')
    assert out.calls == () and out.diagnostics == ()


# --------------------------------------------------------------------------
# internal links
# --------------------------------------------------------------------------


def test_inline_link_rewritten() -> None:
    out = rw("see [t](@/a/b.md).")
    assert out.text == "see [t](/content/a/b.md)."
    assert out.links == ("a/b.md",)
    assert out.diagnostics == ()


def test_link_text_holding_a_comment_with_a_blank_line() -> None:
    # the blank line inside the comment ends no paragraph: the link opens before it
    # (the link pass starts at the paragraph of the first '@/', found outside code)
    out = rw("[see <!-- a\n\nb --> here](@/a.md)")
    assert out.text == "[see <!-- a\n\nb --> here](/content/a.md)"


def test_links_between_other_brackets_and_code() -> None:
    text = "a [b\n\n[t](@/a.md) [z]\n\nplain [q](x) [r](@/a/b.md)\n\n`[c](@/a.md)` [d](@/a.md)"
    out = rw(text)
    assert out.text == (
        "a [b\n\n[t](/content/a.md) [z]\n\nplain [q](x) [r](/content/a/b.md)"
        "\n\n`[c](@/a.md)` [d](/content/a.md)"
    )
    assert out.links == ("a.md", "a/b.md", "a.md")


def test_inline_link_anchor_kept() -> None:
    out = rw("[t](@/a/b.md#sec) and [u](@/a.md#x-y_z)")
    assert out.text == "[t](/content/a/b.md#sec) and [u](/content/a.md#x-y_z)"
    assert out.links == ("a/b.md", "a.md")


def test_inline_link_title_angle_and_image() -> None:
    text = "[u](@/a.md \"T\") [v](@/a.md#s 't') [w](<@/a.md>) ![i](@/i.png) [*em* [n]](@/a.md)"
    out = rw(text)
    assert out.text == (
        "[u](/content/a.md \"T\") [v](/content/a.md#s 't') [w](</content/a.md>) "
        "![i](/content/i.png) [*em* [n]](/content/a.md)"
    )
    assert out.links == ("a.md", "a.md", "a.md", "i.png", "a.md")


def test_resolve_link_receives_content_relative_path() -> None:
    seen: list[str] = []

    def spy(path: str) -> str:
        seen.append(path)
        return "/X/" + path

    out = rw("[a](@/section/_index.md#top)\n[b]: @/p.md", resolve_link=spy)
    assert seen == ["section/_index.md", "p.md"]
    assert out.text == "[a](/X/section/_index.md#top)\n[b]: </X/p.md>"


def test_reference_definition_rewritten() -> None:
    text = 'Use [x] and [y].\n\n[x]: @/a/b.md\n  [y]: <@/a.md#sec> "Title"\n'
    out = rw(text)
    assert (
        out.text
        == 'Use [x] and [y].\n\n[x]: </content/a/b.md>\n  [y]: </content/a.md#sec> "Title"\n'
    )
    assert out.links == ("a/b.md", "a.md")
    assert out.diagnostics == ()


def test_missing_inline_link() -> None:
    text = "line 1\n\nsee [the *page*](@/missing.md#s) now\n"
    out = rw(text)
    assert out.text == "line 1\n\nsee the *page* now\n"
    (diag,) = out.diagnostics
    assert diag.subtype is Subtype.link
    assert diag.line == 3
    assert "'@/missing.md'" in diag.message
    assert out.links == ("missing.md",)


def test_missing_image_link_dropped() -> None:
    out = rw("a ![alt](@/missing.png) b")
    assert out.text == "a  b"
    assert [(d.subtype, d.line) for d in out.diagnostics] == [(Subtype.link, 1)]


def test_missing_reference_definition() -> None:
    text = "[x] here\n\n[x]: @/missing.md\nafter\n"
    out = rw(text)
    assert out.text == "[x] here\n\n\nafter\n"
    assert [(d.subtype, d.line) for d in out.diagnostics] == [(Subtype.link, 3)]
    assert_same_lines(text, out)


def test_links_in_code_and_comments_untouched() -> None:
    text = (
        "`[t](@/a.md)`\n"
        "```md\n[t](@/missing.md)\n[x]: @/missing.md\n```\n"
        "<!-- [t](@/missing.md) -->\n"
    )
    out = rw(text)
    assert out.text == text
    assert out.links == () and out.diagnostics == ()


def test_link_inside_shortcode_untouched() -> None:
    out = rw('{{ x(u="[t](@/missing.md)") }}')
    assert out.text == role(0)
    assert out.links == () and out.diagnostics == ()


def test_links_lists_every_path() -> None:
    text = "[a](@/a.md) [b](@/missing.md)\n![i](@/i.png)\n[r]: @/a/b.md\n[s]: @/gone.md\n"
    out = rw(text)
    assert sorted(out.links) == sorted(["a.md", "missing.md", "i.png", "a/b.md", "gone.md"])
    assert [(d.subtype, d.line) for d in out.diagnostics] == [
        (Subtype.link, 1),
        (Subtype.link, 4),
    ]


def test_non_internal_links_untouched() -> None:
    text = "[a](https://x.y/@/a.md) [b](/a.md) [c](a.md) mail@/a.md [d] (@/a.md)"
    out = rw(text)
    assert out.text == text and out.links == ()


def test_line_numbers_with_everything() -> None:
    text = (
        "+++\n"  # 1
        'title = "T"\n'  # 2
        "+++\n"  # 3
        "{{ nope(\n"  # 4
        ") }}\n"  # 5
        "[m](@/missing.md)\n"  # 6
        "{% note() %}\n[in body](@/missing.md)\n{% end %}\n"  # 7-9
        "[m2](@/missing.md)\n"  # 10
    )
    out = rw(text)
    assert [(d.subtype, d.line) for d in out.diagnostics] == [
        (Subtype.shortcode, 4),
        (Subtype.link, 6),
        (Subtype.link, 8),  # @/ links inside a body shortcode are rewritten too
        (Subtype.link, 10),
    ]
    assert out.text.split("\n")[9] == "m2"
    assert_same_lines(text, out)


@pytest.mark.parametrize("target", ["a.md", "missing.md"])
def test_reference_definition_and_inline_link_on_one_line(target: str) -> None:
    text = f"[x]: @/a.md [y](@/{target})\nnext line\nthird"
    out = rw(text)
    assert_same_lines(text, out)
    assert out.text.endswith("\nnext line\nthird")
    first = out.text.split("\n")[0]
    if target == "a.md":
        acceptable = {"[x]: </content/a.md> [y](/content/a.md)", "[x]: </content/a.md> [y](@/a.md)"}
    else:
        acceptable = {"[x]: </content/a.md> y", "[x]: </content/a.md> [y](@/missing.md)"}
    assert first in acceptable


@pytest.mark.parametrize(
    "text",
    [
        "[t](@/a.md\n)\nnext",
        "[t](\n@/a.md)\nnext",
        "[t](@/missing.md\n)\nnext",
        '[t](\n@/missing.md\n"ti"\n)\nnext',
    ],
    ids=["after", "before", "missing", "missing-title"],
)
def test_inline_link_spanning_lines_keeps_line_count(text: str) -> None:
    out = rw(text)
    assert_same_lines(text, out)
    assert out.text.endswith("\nnext")


def test_inline_link_title_on_next_line_keeps_line_count() -> None:
    text = '[t](@/a.md\n"title")\nnext'
    out = rw(text)
    assert out.text == '[t](/content/a.md\n"title")\nnext'


# --------------------------------------------------------------------------
# mojibake modes on a small text
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "shown", "n_repairs"),
    [("fix", "résumé", 1), ("warn", "r√©sum√©", 1), ("off", "r√©sum√©", 0)],
)
def test_mojibake_modes(mode: str, shown: str, n_repairs: int) -> None:
    text = '+++\ntitle = "r√©sum√©"\n+++\nmy r√©sum√©\n'
    out = rw(text, mojibake=mode)
    assert out.text == f"# {shown}\n\n\nmy {shown}\n"
    assert len(out.repairs) == (2 * n_repairs)
    if n_repairs:
        assert [r.line for r in out.repairs] == [2, 4]


# --------------------------------------------------------------------------
# fuzz
# --------------------------------------------------------------------------

_BITS = st.sampled_from(
    [
        "+++",
        "+++\n",
        "---\n",
        "{{",
        "}}",
        "{%",
        "%}",
        "{{/*",
        "*/}}",
        "end",
        "x()",
        "nope(",
        "note()",
        ")",
        "(",
        "a=1",
        '"',
        "@/",
        "@/a.md",
        "@/missing.md",
        "#s",
        "[t](",
        "](",
        "[",
        "]",
        "`",
        "```",
        "\n",
        "\n\n",
        "\r\n",
        " ",
        "    ",
        "<!--",
        "-->",
        "title = ",
        "# ",
        "é",
        "√©",
        "\ufeff",
        "\\",
        "\x00",
    ]
)


@settings(deadline=None)  # examples: the profile (tests/conftest.py)
@given(st.lists(_BITS, max_size=50).map("".join), st.sampled_from(["fix", "warn", "off"]))
def test_fuzz_rewrite(text: str, mode: str) -> None:
    out = rw(text, mojibake=mode, fallback_title="F")
    assert_same_lines(text, out)
    for call in out.calls:
        assert call.shortcode.name in KNOWN or call.literal is not None
    for index in range(len(out.calls)):
        assert role(index) in out.text


@settings(deadline=None)  # examples: the profile (tests/conftest.py)
@given(st.text())
def test_fuzz_rewrite_arbitrary_text(text: str) -> None:
    out = rw(text)
    assert_same_lines(text, out)


# --------------------------------------------------------------------------
# @/ links the first scanner missed (issue 12)
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("see [some\ntext](@/a.md) here\nnext", "see [some\ntext](/content/a.md) here\nnext"),
        ("[a\nb\nc](@/a/b.md#s)\nnext", "[a\nb\nc](/content/a/b.md#s)\nnext"),
        ("> [quoted\n> text](@/a.md)\nnext", "> [quoted\n> text](/content/a.md)\nnext"),
        ("[gone\ntext](@/missing.md)\nnext", "gone\ntext\nnext"),
        # a blank line ends the paragraph: no link, as CommonMark reads it
        ("[a\n\nb](@/a.md)\nnext", "[a\n\nb](@/a.md)\nnext"),
    ],
    ids=["two-lines", "three-lines", "blockquote", "missing", "blank-line"],
)
def test_link_text_across_lines(text: str, expected: str) -> None:
    out = rw(text)
    assert out.text == expected
    assert_same_lines(text, out)


def test_missing_link_across_lines_warns_at_its_first_line() -> None:
    out = rw("one\n[two\nthree](@/missing.md)\n")
    assert [(d.subtype, d.line) for d in out.diagnostics] == [(Subtype.link, 2)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[`ok-1`](@/a.md)", "[`ok-1`](/content/a.md)"),
        ("see [the `x` page](@/a/b.md#s).", "see [the `x` page](/content/a/b.md#s)."),
        # a bracket inside the code span is code, not the end of the text
        ("[`a]b`](@/a.md)", "[`a]b`](/content/a.md)"),
        ("[``a ` b``](@/a.md)", "[``a ` b``](/content/a.md)"),
        ("[`gone`](@/missing.md)", "`gone`"),
        ("![`alt`](@/missing.png) b", " b"),
        # a shortcode in the text keeps its own placeholder
        ("[{{ x() }}](@/a.md)", f"[{role(0)}](/content/a.md)"),
        ("[{{ x() }}](@/missing.md)", role(0)),
    ],
)
def test_code_span_in_link_text(text: str, expected: str) -> None:
    out = rw(text)
    assert out.text == expected


@pytest.mark.parametrize(
    "text",
    [
        "`[t](@/a.md)`",
        "[a `b](@/a.md)` c",  # the code span swallows the destination: no link
        "``[t](@/a.md)``",
        "```\n[t](@/a.md)\n```",
    ],
)
def test_link_inside_code_stays(text: str) -> None:
    out = rw(text)
    assert out.text == text and out.links == ()


def test_unmatched_backticks_in_link_text() -> None:
    out = rw("[a ` b](@/a.md) and [``c](@/a.md)")
    assert out.text == "[a ` b](/content/a.md) and [``c](/content/a.md)"


def test_angle_bracket_destination_with_a_space() -> None:
    seen: list[str] = []

    def spy(path: str) -> str | None:
        seen.append(path)
        return None if "gone" in path else "/content/" + path

    text = (
        '[x](<@/posts/my post.md>) and [y](<@/posts/my post.md#a-b> "T")\n'
        "[z](<@/posts/gone now.md>)\n"
        "\n"
        "[r]: <@/posts/my post.md>\n"
        '[s]: <@/posts/my post.md#sec> "Title"\n'
        "[t]: <@/posts/gone now.md>\n"
    )
    out = rw(text, resolve_link=spy)
    assert out.text == (
        '[x](</content/posts/my post.md>) and [y](</content/posts/my post.md#a-b> "T")\n'
        "z\n"
        "\n"
        "[r]: </content/posts/my post.md>\n"
        '[s]: </content/posts/my post.md#sec> "Title"\n'
        "\n"
    )
    assert seen == ["posts/my post.md"] * 2 + ["posts/gone now.md"] + ["posts/my post.md"] * 2 + [
        "posts/gone now.md"
    ]
    assert [(d.subtype, d.line) for d in out.diagnostics] == [(Subtype.link, 2), (Subtype.link, 6)]


def test_resolved_path_with_a_space_gets_angle_brackets() -> None:
    out = rw("[x](@/a.md)\n[r]: @/a.md", resolve_link=lambda path: "/my content/" + path)
    assert out.text == "[x](</my content/a.md>)\n[r]: </my content/a.md>"


HEAD_CONTENT = SHARED / "corpus" / "zerotohero-web-head" / "content"
HEAD = sorted(HEAD_CONTENT.rglob("*.md")) if HEAD_CONTENT.is_dir() else []


@pytest.mark.skipif(not HEAD, reason=f"shared corpus not found at {HEAD_CONTENT}")
def test_no_zola_link_left_in_the_real_site() -> None:
    # the real site writes link texts across lines and with code in them
    def resolve_real(path: str) -> str | None:
        return "/content/" + path if (HEAD_CONTENT / path).is_file() else None

    left = []
    for path in HEAD:
        text = path.read_text(encoding="utf-8", errors="replace")
        out = rw(text, known_shortcodes=set(), resolve_link=resolve_real)
        assert_same_lines(text, out)
        code = find_protected_spans(out.text)
        for match in re.finditer(r"\]\(\s*<?@/|\]:[ \t]*<?@/", out.text):
            if all(not start <= match.start() < end for start, end in code):
                left.append(f"{path.relative_to(HEAD_CONTENT)}:{_line(out.text, match.start())}")
    assert left == []


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _ratio(run: Callable[[str], object], small: str, large: str) -> float:
    """CPU time at 10n over CPU time at n, each the best of runs taken in turn
    (CPU time, not wall time: on a shared machine waiting for a core is not work)."""
    best = {small: float("inf"), large: float("inf")}
    # no garbage collection while timing: a full collection of the test
    # process's heap costs the same at either size and would blur the ratio
    gc.collect()
    gc.disable()
    try:
        for _ in range(3):
            for text in (small, large):
                start = time.process_time()
                run(text)
                best[text] = min(best[text], time.process_time() - start)
    finally:
        gc.enable()
    return best[large] / max(best[small], 1e-4)


def test_title_scan_is_linear() -> None:
    # no title: the body is searched for a '#' heading; a long script in a fence
    # has a '#' line on every other line, none of them a heading
    def article(n: int) -> str:
        script = "\n".join(f"# step {i}\necho {i} `date`" for i in range(n))
        return f'+++\ndate = "2024-01-01"\n+++\n\nIntro.\n\n```sh\n{script}\n```\n'

    def run(text: str) -> Rewritten:
        return rw(text, fallback_title="fallback")

    small, large = article(500), article(5000)
    assert run(small).text.startswith("# fallback\n")
    ratio = _ratio(run, small, large)
    assert ratio < 30, ratio


def test_many_links_in_one_paragraph_are_linear() -> None:
    # links across lines, code spans in their text, dead links and malformed
    # shortcodes, all in one long paragraph: every scan goes once over it
    def article(n: int) -> str:
        return "".join(
            f"[a\n{i}](@/missing.md) [`c{i}`](@/a.md) {{{{ bad( }}}}\n[t{i}]: <@/gone {i}.md>\n"
            for i in range(n)
        )

    small, large = article(100), article(1000)
    out = rw(large)
    assert len(out.diagnostics) == 3 * 1000 and out.text.count("](/content/a.md)") == 1000
    ratio = _ratio(rw, small, large)
    assert ratio < 30, ratio


@pytest.mark.parametrize(
    ("path", "root", "expected"),
    [
        ("content/a/b.md", "content", "a/b.md"),
        ("content/a/b.md", "./content", "a/b.md"),
        ("contents/b.md", "content", None),
        ("content.md", "content", None),
        ("b.md", "", "b.md"),
        ("a/./b.md", "", "a/b.md"),
        ("content/a/b.md", "content/a", "b.md"),
        ("content/a/b.md", "../content", None),
    ],
)
def test_under_root_is_relpath_inside_the_root(path: str, root: str, expected: str | None) -> None:
    import posixpath

    from sphinx_topofmind.features.rewrite import under_root

    assert under_root(path, root) == expected
    rel = posixpath.relpath(path, root or ".")
    assert (None if rel == ".." or rel.startswith("../") else rel) == expected
