"""Tests for sphinx_topofmind.zola.shortcodes (pure, no Sphinx needed)."""

from __future__ import annotations

import gc
import itertools
import time
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sphinx_topofmind.zola.diagnostics import Diagnostic, Subtype
from sphinx_topofmind.zola.rewrite import rewrite_source
from sphinx_topofmind.zola.shortcodes import (
    Shortcode,
    ShortcodeError,
    find_protected_spans,
    find_shortcodes,
    parse_args,
)


def one(text: str) -> Shortcode:
    """The single shortcode of *text*, asserting there are no diagnostics."""
    items, diags = find_shortcodes(text)
    assert diags == []
    assert len(items) == 1, items
    return items[0]


def messages(text: str) -> list[tuple[int, str]]:
    _items, diags = find_shortcodes(text)
    assert all(d.subtype is Subtype.shortcode for d in diags)
    return [(d.line, d.message) for d in diags]


# ---------------------------------------------------------------- parse_args


class TestParseArgs:
    def test_empty(self) -> None:
        assert parse_args("") == {}
        assert parse_args("   \n ") == {}

    @pytest.mark.parametrize(
        ("argtext", "expected"),
        [
            ('a="x"', {"a": "x"}),
            ("a='x'", {"a": "x"}),
            ("a=`x`", {"a": "x"}),
            ('a="it\'s"', {"a": "it's"}),
            ("a='say \"hi\"'", {"a": 'say "hi"'}),
            # Zola strings have no escapes: backslashes are kept as written
            (r'a="C:\dir\"', {"a": "C:\\dir\\"}),
            (r'a="keep \n as is"', {"a": r"keep \n as is"}),
            ('a="two\nlines"', {"a": "two\nlines"}),
            ('a="a, b) }}"', {"a": "a, b) }}"}),
            ("a=11", {"a": 11}),
            ("a=-3", {"a": -3}),
            ("a=0", {"a": 0}),
            ("a=2.5", {"a": 2.5}),
            ("a=-0.25", {"a": -0.25}),
            ("a=true, b=false", {"a": True, "b": False}),
            ("a=[]", {"a": []}),
            ("a=[1, 2.5, true, \"x\", 'y', `z`]", {"a": [1, 2.5, True, "x", "y", "z"]}),
            ("a=[1,2,]", {"a": [1, 2]}),
            ("a=[[1, [2]], [], ['x',],]", {"a": [[1, [2]], [], ["x"]]}),
            # white space alone separates arguments (Zola's ``kwargs*``)
            ('src="/a.png" alt="b"', {"src": "/a.png", "alt": "b"}),
            ("a=1\n b=true\tc='x'", {"a": 1, "b": True, "c": "x"}),
            ('a=1 b=2, c=3 d="x"', {"a": 1, "b": 2, "c": 3, "d": "x"}),
            ("a=-0, b=-10.5, c=0.0", {"a": 0, "b": -10.5, "c": 0.0}),
            ("a = 1 ,b= 2,  c =3", {"a": 1, "b": 2, "c": 3}),
            ('\n  a=1,\n  b="two"\n', {"a": 1, "b": "two"}),
            ("_x9=1", {"_x9": 1}),
        ],
    )
    def test_values(self, argtext: str, expected: dict[str, object]) -> None:
        result = parse_args(argtext)
        assert result == expected
        # bool must stay bool and int must stay int (== would hide 1 == True)
        for key, value in expected.items():
            assert type(result[key]) is type(value)

    @pytest.mark.parametrize(
        ("argtext", "message"),
        [
            ("a=1, a=2", "repeated argument 'a'"),
            ('a="x', "unbalanced quote: missing closing \" for argument 'a'"),
            ("a='x", "unbalanced quote: missing closing ' for argument 'a'"),
            ("a=`x", "unbalanced quote: missing closing ` for argument 'a'"),
            ('"x"', "positional argument '\"x\"' is not allowed; use key=value"),
            ("x", "positional argument 'x' is not allowed; use key=value"),
            ("a=1, 2", "positional argument '2' is not allowed; use key=value"),
            ("a=foo", "bad value 'foo' for argument 'a' (strings must be quoted)"),
            ("a=True", "bad value 'True' for argument 'a' (strings must be quoted)"),
            ("a=1.5.3", "bad value '1.5.3' for argument 'a'"),
            ("a=1x", "bad value '1x' for argument 'a'"),
            ("a=.5", "bad value '.5' for argument 'a'"),
            ("a=", "missing value for argument 'a'"),
            ("a=, b=1", "missing value for argument 'a'"),
            ("=1", "missing argument name before '='"),
            ("a=1 2", "expected ',' after argument 'a', found '2'"),
            ("a=1,", "trailing ',' after argument 'a'"),
            ("a=1,,b=2", "expected an argument name, found ','"),
            ("a=007", "bad value '007' for argument 'a'"),
            ("a=1.", "bad value '1.' for argument 'a'"),
            ("a=1e5", "bad value '1e5' for argument 'a'"),
            ("a=[1x]", "bad value '1x' in the array of argument 'a'"),
            ('a="x\\"y"', "expected ',' after argument 'a', found 'y\"'"),
            ("a=[1, 2", "missing ']' in the array of argument 'a'"),
            ("a=[1 2]", "expected ',' or ']' in the array of argument 'a', found '2'"),
            ("a=" + "[" * 40 + "]" * 40, "arrays nested too deeply in argument 'a'"),
            ("a=[,]", "missing value in the array of argument 'a'"),
            ("a=(1)", "bad value '(1)' for argument 'a'"),
            ("ä=1", "expected an argument name, found 'ä=1'"),
        ],
    )
    def test_errors(self, argtext: str, message: str) -> None:
        with pytest.raises(ShortcodeError) as info:
            parse_args(argtext)
        assert str(info.value) == message

    def test_error_is_value_error(self) -> None:
        assert issubclass(ShortcodeError, ValueError)


# ---------------------------------------------------------------- find_shortcodes: valid


class TestInline:
    def test_basic(self) -> None:
        text = 'Hi {{ youtube(id="dQw4", autoplay=true) }} there'
        sc = one(text)
        assert sc.name == "youtube"
        assert sc.args == {"id": "dQw4", "autoplay": True}
        assert sc.body is None and sc.body_line is None and sc.literal is None
        assert (sc.start, sc.end) == (3, text.index(" there"))
        assert sc.text == text[sc.start : sc.end] == '{{ youtube(id="dQw4", autoplay=true) }}'
        assert (sc.line, sc.end_line) == (1, 1)

    @pytest.mark.parametrize(
        "text", ["{{ nav() }}", "{{nav()}}", "{{  nav ( )  }}", "{{ nav(\n) }}"]
    )
    def test_empty_parens_and_spacing(self, text: str) -> None:
        sc = one(text)
        assert sc.name == "nav" and sc.args == {} and sc.text == text

    def test_single_quotes_and_spaces_around_equals(self) -> None:
        sc = one("{{ top_of_mind_nav( selected = 11 , series = 'k8s' ) }}")
        assert sc.args == {"selected": 11, "series": "k8s"}

    def test_multiline_args(self) -> None:
        text = 'Line one\n{{ figure(\n    src="/images/a.png",\n    width=300,\n    tags=["a", "b",]\n) }}\nafter'
        sc = one(text)
        assert sc.args == {"src": "/images/a.png", "width": 300, "tags": ["a", "b"]}
        assert (sc.line, sc.end_line) == (2, 6)
        assert sc.text.endswith(") }}")

    def test_braces_in_string_args(self) -> None:
        sc = one('{{ code(snippet="f() { return {{x}}; }") }}')
        assert sc.args == {"snippet": "f() { return {{x}}; }"}

    def test_backtick_string_arg_is_not_a_code_span(self) -> None:
        text = "{{ tip(text=`a`) }} and `code {{ x() }}`"
        items, diags = find_shortcodes(text)
        assert diags == []
        assert [s.args for s in items] == [{"text": "a"}]
        assert find_protected_spans(text) == [(text.index("`code"), len(text))]

    def test_several_sorted_and_lines(self) -> None:
        text = "{{ a() }}\n\ntext {{ b(x=1) }} {{ c() }}\n{{ d() }}"
        items, diags = find_shortcodes(text)
        assert diags == []
        assert [(s.name, s.line) for s in items] == [("a", 1), ("b", 3), ("c", 3), ("d", 4)]
        starts = [s.start for s in items]
        assert starts == sorted(starts)
        assert all(a.end <= b.start for a, b in itertools.pairwise(items))

    def test_lone_braces_are_text(self) -> None:
        assert find_shortcodes("a { b } c } { d }} and {x} and %} %") == ([], [])

    def test_crlf_line_numbers(self) -> None:
        text = "one\r\ntwo\r\n{{ a(x=1,\r\n y=2) }}\r\n{{ bad }}\r\n"
        items, diags = find_shortcodes(text)
        assert [(s.name, s.args, s.line, s.end_line) for s in items] == [
            ("a", {"x": 1, "y": 2}, 3, 4)
        ]
        assert [(d.line, d.message) for d in diags] == [
            (5, "malformed shortcode '{{ bad }}': missing '()' after 'bad'")
        ]


class TestBody:
    def test_same_line(self) -> None:
        text = 'x {% note(kind="tip") %}Be **careful**{% end %} y'
        sc = one(text)
        assert sc.name == "note" and sc.args == {"kind": "tip"}
        assert sc.body == "Be **careful**"
        assert sc.text == '{% note(kind="tip") %}Be **careful**{% end %}'
        assert (sc.line, sc.end_line, sc.body_line) == (1, 1, 1)

    def test_multi_line(self) -> None:
        text = "# T\n\n{% note() %}\nFirst\n\nSecond\n{% end %}\nafter\n"
        sc = one(text)
        assert sc.body == "\nFirst\n\nSecond\n"
        assert (sc.line, sc.end_line) == (3, 7)
        # body_line is the line of body[0]: line k of the body is body_line + k - 1
        assert sc.body_line == 3
        second = sc.body.split("\n").index("Second") + 1
        assert text.split("\n")[sc.body_line + second - 2] == "Second"

    def test_end_spacing(self) -> None:
        assert one("{% n() %}b{%end%}").body == "b"
        assert one("{% n() %}b{%   end   %}").body == "b"

    def test_body_ends_at_first_end(self) -> None:
        text = "{% a() %}one{% end %} two {% end %}"
        items, diags = find_shortcodes(text)
        assert [s.body for s in items] == ["one"]
        assert [(d.line, d.message) for d in diags] == [
            (1, "stray '{% end %}' with no open body shortcode")
        ]

    def test_body_with_code_fence_and_inline_shortcode_is_opaque(self) -> None:
        text = "{% note() %}\n```\n{% end %}\n```\n{{ inner() }} {{ broken\n{% end %}"
        sc = one(text)
        assert sc.body == "\n```\n{% end %}\n```\n{{ inner() }} {{ broken\n"
        assert sc.end_line == 6
        assert find_protected_spans(text) == [(13, 30)]

    def test_multiline_args_body(self) -> None:
        sc = one('{% quote(\n  author="A",\n  year=2020\n) %}\nText\n{% end %}')
        assert sc.args == {"author": "A", "year": 2020}
        assert sc.body == "\nText\n"
        assert (sc.line, sc.body_line, sc.end_line) == (1, 4, 6)


class TestEscape:
    def test_inline_escape(self) -> None:
        text = 'Write {{/* youtube(id="x") */}} to embed.'
        sc = one(text)
        assert sc.literal == '{{ youtube(id="x") }}'
        assert sc.text == '{{/* youtube(id="x") */}}'
        assert sc.name == "youtube" and sc.args == {"id": "x"} and sc.body is None

    def test_body_escape(self) -> None:
        text = "{%/* note() */%}\nbody\n{%/* end */%}"
        items, diags = find_shortcodes(text)
        assert diags == []
        assert [(s.literal, s.name, s.line) for s in items] == [
            ("{% note() %}", "note", 1),
            ("{% end %}", "end", 3),
        ]

    def test_unparseable_escape_is_still_literal(self) -> None:
        sc = one("{{/* not a call */}}")
        assert sc.literal == "{{ not a call }}"
        assert sc.name == "" and sc.args == {}
        sc = one("{{/* x(a=1, a=2) */}}")
        assert sc.literal == "{{ x(a=1, a=2) }}" and sc.name == "x" and sc.args == {}

    def test_escape_inside_code_fence_is_reported(self) -> None:
        # Zola replaces escapes everywhere: that is how docs show shortcodes in code.
        text = "```md\n{{/* figure(src='a.png') */}}\n{{ real() }}\n```"
        sc = one(text)
        assert sc.literal == "{{ figure(src='a.png') }}"
        assert sc.line == 2

    def test_escape_in_inline_code(self) -> None:
        sc = one("Use `{{/* x() */}}` here")
        assert sc.literal == "{{ x() }}"

    def test_escape_missing_close(self) -> None:
        assert messages("{{/* x() }}") == [
            (1, "malformed shortcode '{{/* x() }}': missing '*/}}' to close the escape")
        ]


# ---------------------------------------------------------------- protected spans


class TestProtected:
    def test_remote_ref_in_fence_ignored(self) -> None:
        text = (
            "Before\n\n```yaml\nspec:\n  data:\n    - secretKey: password\n"
            "      remoteRef:\n        key: {{ .remoteRef.key }}\n```\n\n{{ nav() }}\n"
        )
        items, diags = find_shortcodes(text)
        assert diags == []
        assert [(s.name, s.line) for s in items] == [("nav", 11)]

    def test_same_text_outside_fence_warns(self) -> None:
        assert messages("key: {{ .remoteRef.key }}") == [
            (1, "malformed shortcode '{{ .remoteRef.key }}': expected a shortcode name")
        ]

    @pytest.mark.parametrize(
        "fence",
        [
            "```\n{{ x }}\n```",
            "~~~\n{{ x }}\n~~~",
            "````go\n{{ x }}\n```\n{{ y }}\n````",  # a shorter fence does not close
            "   ```\n{{ x }}\n   ```",
            "```\n{{ x }}\n~~~\n{{ y }}\n```",  # other char does not close
            "```python\n{{ x }}\n",  # unclosed: runs to the end
        ],
    )
    def test_fences(self, fence: str) -> None:
        assert find_shortcodes(fence) == ([], [])
        assert find_protected_spans(fence) == [(0, len(fence))]

    def test_fence_indented_four_is_not_a_fence_but_code(self) -> None:
        # after a blank line, 4 spaces are an indented code block
        text = "para\n\n    ```\n    {{ x }}\n\nback {{ y() }}"
        items, diags = find_shortcodes(text)
        assert diags == [] and [s.name for s in items] == ["y"]

    def test_fence_exact_spans(self) -> None:
        text = "a\n```\n{{ x }}\n```\nb {{ y() }}"
        assert find_protected_spans(text) == [(2, 17)]
        assert [s.name for s in one_list(text)] == ["y"]

    def test_inline_code(self) -> None:
        text = "Use `{{ x }}` or ``{{ y ` }}`` then {{ z() }}"
        assert [s.name for s in one_list(text)] == ["z"]
        assert find_protected_spans(text) == [(4, 13), (17, 30)]

    def test_unmatched_backtick_run_is_literal(self) -> None:
        # `` is never closed by a run of exactly two, so it is literal text
        assert messages("x `` {{ a() }} ` {{ b }}") == [
            (1, "malformed shortcode '{{ b }}': missing '()' after 'b'")
        ]

    def test_code_span_does_not_cross_blank_line(self) -> None:
        text = "a `stray\n\n{{ b() }} `c`"
        assert [s.name for s in one_list(text)] == ["b"]

    def test_escaped_backtick(self) -> None:
        text = r"a \`{{ b() }}` c"
        assert [s.name for s in one_list(text)] == ["b"]

    def test_html_comment(self) -> None:
        text = "a <!-- {{ x }} \n {% y() %} --> {{ z() }}"
        assert [s.name for s in one_list(text)] == ["z"]
        assert find_protected_spans(text) == [(2, 30)]

    def test_unclosed_html_comment_block(self) -> None:
        assert find_shortcodes("<!-- {{ x }}\nmore {{ y }}") == ([], [])

    def test_unclosed_inline_comment_is_text(self) -> None:
        assert [s.name for s in one_list("a <!-- {{ b() }}")] == ["b"]

    def test_indented_code_block(self) -> None:
        text = "Para.\n\n    {{ x }}\n    more\n\n{{ y() }}"
        assert [s.name for s in one_list(text)] == ["y"]
        assert find_protected_spans(text) == [(7, 27)]

    def test_indented_list_continuation_is_not_code(self) -> None:
        text = "- item\n\n    {{ y() }}"
        assert [s.name for s in one_list(text)] == ["y"]

    def test_indented_line_in_paragraph_is_not_code(self) -> None:
        text = "para\n    {{ y() }}"
        assert [s.name for s in one_list(text)] == ["y"]

    def test_spans_sorted_non_overlapping(self) -> None:
        text = "`a` <!-- b --> ```c``` \n```\nd\n```\n `e`"
        spans = find_protected_spans(text)
        assert spans == sorted(spans)
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))


def one_list(text: str) -> list[Shortcode]:
    items, diags = find_shortcodes(text)
    assert diags == []
    return items


# ---------------------------------------------------------------- diagnostics


class TestDiagnostics:
    def test_missing_closing_brace(self) -> None:
        text = "Intro\n{{ top_of_mind_nav(selected=11) }\nmore"
        items, diags = find_shortcodes(text)
        assert items == []
        assert diags == [
            Diagnostic(
                Subtype.shortcode,
                "malformed shortcode '{{ top_of_mind_nav(selected=11) }': missing '}}'",
                2,
            )
        ]

    def test_missing_percent_close(self) -> None:
        assert messages("{% note() }\nx{% end %}") == [
            (1, "malformed shortcode '{% note() }': missing '%}'"),
            (2, "stray '{% end %}' with no open body shortcode"),
        ]

    def test_mismatched_delimiters(self) -> None:
        assert messages("{{ a() %}") == [
            (1, "malformed shortcode '{{ a() %}': opened with '{{' but closed with '%}'")
        ]

    def test_missing_paren(self) -> None:
        assert messages("{{ a(x=1 }}") == [(1, "malformed shortcode '{{ a(x=1 }}': missing ')'")]
        assert messages("{{ a x=1) }}") == [
            (1, "malformed shortcode '{{ a x=1) }}': expected '(' after 'a'")
        ]

    def test_unbalanced_quote(self) -> None:
        assert messages('{{ a(x="oops) }}\n\nnext {{ b() }}') == [
            (1, "malformed shortcode '{{ a(x=\"oops) }}': unbalanced quote: no closing \"")
        ]
        assert messages("{{ a(x='oops) }}") == [
            (1, "malformed shortcode '{{ a(x='oops) }}': unbalanced quote: no closing '")
        ]

    def test_repeated_args(self) -> None:
        items, diags = find_shortcodes("{{ x(a=1, a=2) }}")
        assert items == []
        assert [(d.line, d.message) for d in diags] == [
            (1, "shortcode 'x': repeated argument 'a' in '{{ x(a=1, a=2) }}'")
        ]

    def test_positional_and_bad_value(self) -> None:
        assert messages('{{ x("a") }}\n{{ y(n=abc) }}') == [
            (
                1,
                (
                    "shortcode 'x': positional argument '\"a\"' is not allowed; use key=value"
                    " in '{{ x(\"a\") }}'"
                ),
            ),
            (
                2,
                (
                    "shortcode 'y': bad value 'abc' for argument 'n' (strings must be quoted)"
                    " in '{{ y(n=abc) }}'"
                ),
            ),
        ]

    def test_nested_open(self) -> None:
        items, diags = find_shortcodes("{{ a(x=1, {{ b() }}")
        assert [(d.line, d.message) for d in diags] == [
            (1, "malformed shortcode '{{ a(x=1, {{ b() }}': nested '{{' inside shortcode")
        ]
        assert [s.name for s in items] == ["b"]  # the inner one is complete on its own

    def test_unclosed_body(self) -> None:
        text = 'a\n{% note(kind="x") %}\nbody {{ inner() }}\n'
        items, diags = find_shortcodes(text)
        assert [(d.line, d.message) for d in diags] == [
            (2, "body shortcode 'note' has no '{% end %}': '{% note(kind=\"x\") %}'")
        ]
        # the would-be body is scanned as ordinary text
        assert [(s.name, s.line) for s in items] == [("inner", 3)]

    def test_body_with_bad_args_is_consumed_whole(self) -> None:
        items, diags = find_shortcodes("{% n(a=1, a=1) %}x{% end %}")
        assert items == []
        assert [d.message for d in diags] == [
            "shortcode 'n': repeated argument 'a' in '{% n(a=1, a=1) %}'"
        ]

    def test_stray_end(self) -> None:
        assert messages("text\n\n{%end%}") == [(3, "stray '{%end%}' with no open body shortcode")]

    def test_nested_body_shortcode(self) -> None:
        text = "{% outer() %}\n{% inner() %}x{% end %}\n{% end %}"
        items, diags = find_shortcodes(text)
        assert [(s.name, s.body) for s in items] == [("outer", "\n{% inner() %}x")]
        assert [(d.line, d.message) for d in diags] == [
            (
                2,
                (
                    "nested body shortcode 'inner' inside the body of 'outer' "
                    "(body shortcodes do not nest): '{% inner() %}'"
                ),
            ),
            (3, "stray '{% end %}' with no open body shortcode"),
        ]

    def test_empty_and_nameless(self) -> None:
        assert messages("{{}} {%  %}") == [
            (1, "malformed shortcode '{{}} {% %}': expected a shortcode name"),
            (1, "malformed shortcode '{% %}': expected a shortcode name"),
        ]

    def test_triple_brace_gives_one_diagnostic(self) -> None:
        assert messages("{{{ x() }}}") == [
            (1, "malformed shortcode '{{{ x() }}}': expected a shortcode name")
        ]

    def test_excerpt_shortened(self) -> None:
        text = "{{ name_of_a_shortcode(" + ", ".join(f"a{i}={i}" for i in range(30)) + " }}"
        [(_line, msg)] = messages(text)
        quoted = msg[len("malformed shortcode '") : msg.index("': ")]
        assert len(quoted) == 60 and quoted.endswith("...")
        assert msg.endswith(": missing ')'")

    def test_header_does_not_cross_blank_line(self) -> None:
        assert messages("{{ a(x=1,\n\ny=2) }}") == [
            (1, "malformed shortcode '{{ a(x=1,': missing ')'")
        ]

    def test_malformed_is_not_returned_but_later_one_is(self) -> None:
        items, diags = find_shortcodes("{{ a(} and {{ b() }}")
        assert [s.name for s in items] == ["b"]
        assert [d.message for d in diags] == [
            "malformed shortcode '{{ a(} and {{ b() }}': nested '{{' inside shortcode"
        ]


# ---------------------------------------------------------------- fuzz

_FRAGMENTS = st.sampled_from(
    [
        "{{",
        "}}",
        "{%",
        "%}",
        "{",
        "}",
        "(",
        ")",
        "=",
        ",",
        '"',
        "'",
        "`",
        "```",
        "~~~",
        "\n",
        "\r\n",
        " ",
        "    ",
        "\n\n",
        "a",
        "x=1",
        "end",
        "/*",
        "*/",
        "<!--",
        "-->",
        "[",
        "]",
        "\\",
        "- ",
        "true",
        "-2.5",
        "note",
        "{% end %}",
        "{{ a() }}",
        "{% b(k='v') %}",
        "é",
        "\t",
    ]
)


@settings(deadline=None)  # examples: the profile (tests/conftest.py)
@given(st.lists(_FRAGMENTS | st.text(max_size=3), max_size=40).map("".join))
def test_fuzz_find_shortcodes(text: str) -> None:
    items, diags = find_shortcodes(text)
    nlines = text.count("\n") + 1
    for d in diags:
        assert d.subtype is Subtype.shortcode
        assert 1 <= d.line <= nlines
    prev_end = 0
    for s in items:
        assert prev_end <= s.start < s.end <= len(text)
        prev_end = s.end
        assert s.text == text[s.start : s.end]
        assert 1 <= s.line <= s.end_line <= nlines
        assert s.line == text.count("\n", 0, s.start) + 1
        if s.body is not None:
            assert s.body_line is not None and s.line <= s.body_line <= s.end_line
    spans = find_protected_spans(text)
    assert all(0 <= a < b <= len(text) for a, b in spans)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))
    for s in items:
        if s.literal is None:  # real shortcodes never start inside protected text
            assert not any(a <= s.start < b for a, b in spans)
    # the malformed parts shown as text: on one line, outside code and every shortcode
    claimed = spans + [(s.start, s.end) for s in items if s.literal is None]
    for d in diags:
        if d.end is not None:
            assert d.offset is not None and d.offset < d.end <= len(text)
            assert not any(a < d.end and d.offset < b for a, b in claimed)


@settings(deadline=None)  # examples: the profile (tests/conftest.py)
@given(st.lists(_FRAGMENTS | st.text(max_size=3), max_size=20).map("".join))
def test_fuzz_parse_args(argtext: str) -> None:
    try:
        result = parse_args(argtext)
    except ShortcodeError:
        return
    assert isinstance(result, dict)


# ---------------------------------------------------------------- Zola's grammar, generated

_IDENTS = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}", fullmatch=True)
_WS_GEN = st.sampled_from(["", " ", "  ", "\t", "\n", " \n  ", "\r\n"])
_SEP = st.sampled_from([",", ", ", " ,", " ", "\n", ",\n  ", "\t"])


def _literal(value_text: tuple[object, str]) -> tuple[object, str]:
    return value_text


_INTS = st.from_regex(r"-?(0|[1-9][0-9]{0,12})", fullmatch=True).map(lambda t: (int(t), t))
_FLOATS = st.from_regex(r"-?(0|[1-9][0-9]{0,6})\.[0-9]{1,6}", fullmatch=True).map(
    lambda t: (float(t), t)
)
_BOOLS = st.booleans().map(lambda b: (b, "true" if b else "false"))
# A string holds anything but its own quote; a call cannot hold a blank line
# (it would end the paragraph), so newlines come alone.
_STRING_TEXT = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n\x00"), max_size=12
)


@st.composite
def _strings(draw: st.DrawFn) -> tuple[object, str]:
    quote = draw(st.sampled_from(['"', "'", "`"]))
    value = draw(_STRING_TEXT.filter(lambda t, q=quote: q not in t))
    return value, f"{quote}{value}{quote}"


def _arrays(inner: st.SearchStrategy[tuple[object, str]]) -> st.SearchStrategy[tuple[object, str]]:
    @st.composite
    def build(draw: st.DrawFn) -> tuple[object, str]:
        items = draw(st.lists(inner, max_size=4))
        parts = [text for _, text in items]
        trailing = "," if items and draw(st.booleans()) else ""
        sep = draw(st.sampled_from([",", ", ", " , ", ",\n"]))
        return [value for value, _ in items], f"[{draw(_WS_GEN)}{sep.join(parts)}{trailing}]"

    return build()


_LITERALS = st.recursive(_INTS | _FLOATS | _BOOLS | _strings(), _arrays, max_leaves=8)


@st.composite
def _calls(draw: st.DrawFn) -> tuple[str, dict[str, object], str]:
    name = draw(_IDENTS)
    args = draw(st.dictionaries(_IDENTS, _LITERALS, max_size=5))
    kwargs = [f"{key}{draw(_WS_GEN)}={draw(_WS_GEN)}{text}" for key, (_, text) in args.items()]
    argtext = "".join(
        (draw(_SEP) if k else draw(_WS_GEN)) + kwarg for k, kwarg in enumerate(kwargs)
    )
    opener = draw(st.sampled_from(["{{", "{%"]))
    closer = "}}" if opener == "{{" else "%}"
    text = f"{opener}{draw(_WS_GEN)}{name}{draw(_WS_GEN)}({argtext}{draw(_WS_GEN)}){draw(_WS_GEN)}{closer}"
    if opener == "{%":
        text += "body{% end %}"
    return name, {key: value for key, (value, _) in args.items()}, text


@settings(deadline=None)  # examples: the profile (tests/conftest.py)
@given(_calls())
def test_generated_zola_calls_parse_to_their_arguments(
    call: tuple[str, dict[str, object], str],
) -> None:
    name, args, text = call
    items, diags = find_shortcodes(f"Text {text} more.")
    assert diags == []
    [found] = items
    assert found.name == name
    assert found.args == args
    assert found.text == text
    # bool stays bool, int stays int (== would hide 1 == True and 1 == 1.0)
    assert _types(found.args) == _types(args)


def _types(value: object) -> object:
    if isinstance(value, dict):
        return {key: _types(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_types(item) for item in value]
    return type(value)


class TestZolaCalls:
    def test_whitespace_separated_arguments_as_on_the_real_site(self) -> None:
        sc = one('{{ img(src="/a.png" alt="b") }}')
        assert sc.args == {"src": "/a.png", "alt": "b"}

    def test_call_spanning_lines_with_nested_arrays(self) -> None:
        sc = one("{{ grid(\n  rows=[[1, 2], [3,],],\n  flag=false\n  name=`n`\n) }}")
        assert sc.args == {"rows": [[1, 2], [3]], "flag": False, "name": "n"}

    def test_backslash_in_string_is_kept_and_does_not_escape_the_quote(self) -> None:
        assert one(r'{{ path(p="C:\dir\") }}').args == {"p": "C:\\dir\\"}

    def test_backslash_before_braces_escapes_the_call(self) -> None:
        # Markdown's ``\{``: the call is shown as written, as text, without a warning
        [sc], diags = find_shortcodes('Press \\{{ kbd(k="x") }} now')
        assert diags == []
        assert (sc.name, sc.text, sc.literal) == ("kbd", '\\{{ kbd(k="x") }}', '{{ kbd(k="x") }}')
        items, diags = find_shortcodes("\\{% note() %}x\\{% end %}")
        assert diags == [] and [s.literal for s in items] == ["{% note() %}", "{% end %}"]
        assert find_shortcodes("\\{{ not a call") == ([], [])


class TestMalformedPart:
    """Only the malformed part is shown as text (``Diagnostic.end``); the rest of
    the line is Markdown again."""

    @pytest.mark.parametrize(
        ("text", "shown"),
        [
            # a complete call with a bad argument: the whole call
            ("A {{ img(src=a.png) }} *b*", "{{ img(src=a.png) }}"),
            # no closing quote: the string holds the rest of the line
            ('A {{ kbd(k="x) }} *b*', '{{ kbd(k="x) }} *b*'),
            # no ')': the call ends where its text stops reading as arguments
            ("| {{ bad( | *c* |", "{{ bad( "),
            ("| {{ bad(a=1, b=[2] | *c* | [d](e) |", "{{ bad(a=1, b=[2] "),
            # '}}' before ')': up to and with the '}}'
            ("A {{ ico( }} *b*", "{{ ico( }}"),
            # never closed: the call with its botched closer
            ("A {{ ico() } *b*", "{{ ico() }"),
            ("| {{ ico(a=1) | [b](c) |", "{{ ico(a=1) "),
            ("A {{ ico() %} *b*", "{{ ico() %}"),
            ("A {{ 1 }} *b*", "{{ "),
            ("A {% end %} *b*", "{% end %}"),
            ("A {{/* x() *b*", "{{/*"),
            ('A {{ x(a="b\nc) }} *b*', '{{ x(a="b'),
        ],
    )
    def test_extent(self, text: str, shown: str) -> None:
        items, [diag] = find_shortcodes(text)
        assert items == []
        assert diag.offset is not None and diag.end is not None
        assert text[diag.offset : diag.end] == shown

    def test_rest_of_line_reaches_markdown(self) -> None:
        text = "A {{ img(src=a.png) }} *b* and {{ kbd(k=1 *c* [c](d)"
        result = rewrite_source(text, known_shortcodes={"img", "kbd"}, resolve_link=lambda p: None)
        assert (
            result.text == "A {topofmind-shortcode}`0` *b* and {topofmind-shortcode}`1`*c* [c](d)"
        )
        assert [call.literal for call in result.calls] == ["{{ img(src=a.png) }}", "{{ kbd(k=1 "]


# ---------------------------------------------------------------- complexity


def _seconds(make: Callable[[int], str], n: int, runs: int) -> float:
    text = make(n)
    best = float("inf")
    gc.disable()  # collector pauses grow with the heap, not with the scan
    try:
        for _ in range(runs):
            # CPU time, not wall time: the machine may be busy
            start = time.process_time()
            rewrite_source(text, known_shortcodes={"y"}, resolve_link=lambda path: None)
            best = min(best, time.process_time() - start)
    finally:
        gc.enable()
    return best


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda n: "| a | b |\n|---|---|\n" + "| `x` | `y` |\n" * n, id="code-cells"),
        pytest.param(lambda n: "x {{ y\n" * n, id="stray-openers"),
        pytest.param(lambda n: "a ` b {{ y() }}\n" * n, id="unmatched-backticks"),
        pytest.param(lambda n: "{% y() %} x\n" * n, id="unclosed-bodies"),
        pytest.param(lambda n: "`{{/* y() */}}` {{ y(a=1) }}\n" * n, id="escapes-and-calls"),
    ],
)
def test_scan_is_linear(make: Callable[[int], str]) -> None:
    """One paragraph of n lines: 10 times the lines must not cost 100 times the time."""
    small, large = _seconds(make, 250, 3), _seconds(make, 2500, 2)
    assert large / small < 30, (small, large)
