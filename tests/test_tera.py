"""Tests for sphinx_topofmind.zola.tera: Tera templates rendered the Tera way, never crashing."""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import SHARED
from hypothesis import given
from hypothesis import strategies as st

from sphinx_topofmind.zola.diagnostics import Subtype
from sphinx_topofmind.zola.site_config import parse_site_config, read_site_config
from sphinx_topofmind.zola.tera import (
    RenderResult,
    TeraError,
    TeraRenderer,
    chrono_format,
    tera_escape,
    translate,
)

SITE = SHARED / "corpus" / "zerotohero-web-head"


def render(
    root: Path, source: str, context: dict[str, Any] | None = None, name: str = "t.md", **kw: Any
) -> RenderResult:
    path = root / "templates" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source, encoding="utf-8")
    return TeraRenderer(root, **kw).render(name, context or {})


def ok(root: Path, source: str, context: dict[str, Any] | None = None, **kw: Any) -> str:
    result = render(root, source, context, **kw)
    assert result.diagnostics == ()
    return result.text


def failure(root: Path, source: str, context: dict[str, Any] | None = None, **kw: Any) -> str:
    """The one diagnostic's message of a template that must fail (and render nothing)."""
    result = render(root, source, context, **kw)
    assert result.text == ""
    assert len(result.diagnostics) == 1
    assert result.diagnostics[0].subtype is Subtype.shortcode
    return result.diagnostics[0].message


POSTS = [
    {"name": "b", "year": 2023, "n": 2, "draft": True},
    {"name": "a", "year": 2024, "n": 1, "draft": False},
    {"name": "c", "year": 2023, "n": 3},
]

FILTERS = [
    # (template, context, expected) -- rendered as a .md template: no autoescape
    ("{{ '*a*' | markdown }}", {}, "<p><em>a</em></p>\n"),
    ("{{ '*a*' | markdown(inline=true) }}", {}, "<em>a</em>"),
    ("{{ '~~gone~~' | markdown }}", {}, "<p><s>gone</s></p>\n"),
    ("{{ x | safe }}", {"x": "<b>"}, "<b>"),
    ("{{ missing | default(value='y') }}", {}, "y"),
    ("{{ x | default(value='y') }}", {"x": "a"}, "a"),
    ("{{ x | default(value='y') }}", {"x": None}, "y"),
    ("{{ x | default(value='y') }}", {"x": ""}, ""),
    ("{{ 0 | date }}", {}, "1970-01-01"),
    ("{{ '2024-05-27' | date(format='%d %B %Y') }}", {}, "27 May 2024"),
    (
        "{{ d | date(format='%-d/%-m %H:%M:%S %z') }}",
        {"d": "2024-05-27T13:05:09Z"},
        "27/5 13:05:09 +0000",
    ),
    (
        "{{ 1700000000 | date(format='%F %H:%M %Z', timezone='Europe/Istanbul') }}",
        {},
        "2023-11-15 01:13 +03",
    ),
    ("{{ d | date(format='%A') }}", {"d": dt.date(2024, 3, 5)}, "Tuesday"),
    # without an offset a date is UTC, as in Tera
    (
        "{{ '2017-03-05' | date(format='%a, %d %b %Y %H:%M:%S %z %Z') }}",
        {},
        "Sun, 05 Mar 2017 00:00:00 +0000 UTC",
    ),
    ("{{ '1996-12-19T16:39:57-08:00' | date(format='%Y-%m-%d %z') }}", {}, "1996-12-19 -0800"),
    ("{{ '2019-09-19T01:48:44.581Z' | date(timezone='America/New_York') }}", {}, "2019-09-18"),
    ("{{ '2017-03-05T00:00:00' | date(format='%s') }}", {}, "1488672000"),
    ("{{ 'Hello, World!' | slugify }}", {}, "hello-world"),
    ("{{ 'Çok Güzel Şey' | slugify }}", {}, "cok-guzel-sey"),
    ("{{ '/a b?c=d&é' | urlencode }}", {}, "/a%20b%3Fc%3Dd%26%C3%A9"),
    ("{{ '/a b?c=d&é' | urlencode_strict }}", {}, "%2Fa%20b%3Fc%3Dd%26%C3%A9"),
    ("{{ '100% a-b_c.d~' | urlencode }}", {}, "100%%20a-b_c.d~"),
    ("{{ 'a-b_c.d~' | urlencode_strict }}", {}, "a%2Db%5Fc%2Ed%7E"),
    ("[{{ '  a b  ' | trim }}]", {}, "[a b]"),
    ("[{{ '  a b  ' | trim_start }}]", {}, "[a b  ]"),
    ("[{{ '  a b  ' | trim_end }}]", {}, "[  a b]"),
    ("{{ 'ababc' | trim_start_matches(pat='ab') }}", {}, "c"),
    ("{{ 'cabab' | trim_end_matches(pat='ab') }}", {}, "c"),
    ("{{ 'banana' | replace(from='a', to='o') }}", {}, "bonono"),
    ("{{ 'a,b,,c' | split(pat=',') | join(sep='+') }}", {}, "a+b++c"),
    # Tera strings have no escapes: split, trim_*_matches read a written \n themselves
    ("{{ x | split(pat='\\n') | length }}", {"x": "a\nb\nc"}, "3"),
    ("{{ x | trim_end_matches(pat='\\n') }}|", {"x": "a\n\n"}, "a|"),
    ("{{ [1, true, 'x'] | join(sep=' ') }}", {}, "1 true x"),
    ("{{ [1, 2, 3] | first }}", {}, "1"),
    ("{{ [1, 2, 3] | last }}", {}, "3"),
    ("{{ [1, 2, 3] | nth(n=1) }}", {}, "2"),
    ("[{{ [] | first }}{{ [] | last }}{{ [1] | nth(n=5) }}]", {}, "[]"),
    ("{{ [1, 2] | length }} {{ 'héllo' | length }} {{ m | length }}", {"m": {"a": 1}}, "2 5 1"),
    ("{{ '<p>a <b>b</b><!-- c --></p>' | striptags }}", {}, "a b"),
    ("{{ 'Hello world' | truncate(length=5) }}", {}, "Hello…"),
    ("{{ 'Hello world' | truncate(length=5, end='...') }}", {}, "Hello..."),
    ("{{ 'Hello' | truncate(length=5) }}", {}, "Hello"),
    ("{{ 'AbC' | lower }} {{ 'AbC' | upper }}", {}, "abc ABC"),
    ('{{ "hello wORLD it\'s" | title }}', {}, "Hello World It's"),
    ("{{ 'hELLO World' | capitalize }}", {}, "Hello world"),
    ("{{ 'a b  c\nd' | wordcount }}", {}, "4"),
    ("{{ 2.5 | round }} {{ -2.5 | round }} {{ 2.346 | round(precision=2) }}", {}, "3.0 -3.0 2.35"),
    ("{{ 2.1 | round(method='ceil') }} {{ 2.9 | round(method='floor') }}", {}, "3.0 2.0"),
    ("{{ v | json_encode }}", {"v": {"a": [1, "é"], "b": True}}, '{"a":[1,"é"],"b":true}'),
    ("{{ v | json_encode(pretty=true) }}", {"v": {"a": [1]}}, '{\n  "a": [\n    1\n  ]\n}'),
    ("{{ 1 | as_str ~ 'x' }} {{ true | as_str }}", {}, "1x true"),
    (
        "{{ '42' | int }} {{ '0x1f' | int(base=16) }} {{ 'x' | int(default=7) }} {{ 3.9 | int }}",
        {},
        "42 31 7 3",
    ),
    ("{{ '2.7' | int }} {{ ' 101 ' | int(base=2) }}", {}, "2 5"),
    ("{{ '2.5' | float }} {{ 'x' | float }} {{ 2 | float }}", {}, "2.5 0.0 2.0"),
    (
        "{{ v | escape }}",
        {"v": "<a href='/x'>&</a>"},
        "&lt;a href=&#x27;&#x2F;x&#x27;&gt;&amp;&lt;&#x2F;a&gt;",
    ),
    ("{{ v | escape_xml }}", {"v": "<a b='c'>&\""}, "&lt;a b=&apos;c&apos;&gt;&amp;&quot;"),
    ("{{ [1, 2, 3] | reverse }} {{ 'abc' | reverse }}", {}, "[3, 2, 1] cba"),
    ("{{ [3, 1, 2] | sort }}", {}, "[1, 2, 3]"),
    (
        "{{ posts | sort(attribute='n') | map(attribute='name') | join(sep=',') }}",
        {"posts": POSTS},
        "a,b,c",
    ),
    ("{{ ['a', 'A', 'b', 'a'] | unique }}", {}, "[a, b]"),
    ("{{ ['a', 'A', 'b', 'a'] | unique(case_sensitive=true) }}", {}, "[a, A, b]"),
    ("{{ posts | unique(attribute='year') | length }}", {"posts": POSTS}, "2"),
    ("{{ posts | unique(attribute='draft') | map(attribute='name') }}", {"posts": POSTS}, "[b, a]"),
    (
        "{{ [1, 2, 3, 4] | slice(start=1, end=3) }} {{ [1, 2, 3, 4] | slice(start=-2) }}",
        {},
        "[2, 3] [3, 4]",
    ),
    ("{{ [1] | concat(with=4) }} {{ [1] | concat(with=[5, 6]) }}", {}, "[1, 4] [1, 5, 6]"),
    ("{{ m | get(key='a') }} {{ m | get(key='z', default='d') }}", {"m": {"a": 1}}, "1 d"),
    (
        "{{ posts | filter(attribute='year', value=2023) | map(attribute='name') }}",
        {"posts": POSTS},
        "[b, c]",
    ),
    ("{{ posts | filter(attribute='draft') | map(attribute='name') }}", {"posts": POSTS}, "[b, a]"),
    ("{{ posts | map(attribute='draft') }}", {"posts": POSTS}, "[true, false]"),
    (
        "{% for year, ps in posts | group_by(attribute='year') %}{{ year }}:{{ ps | length }};{% endfor %}",
        {"posts": POSTS},
        "2023:2;2024:1;",
    ),
    ("{{ 'a\nb\n\nc' | indent(prefix='> ') }}", {}, "a\n> b\n\n> c"),
    ("{{ 'a\nb\n\nc' | indent(prefix='> ', first=true, blank=true) }}", {}, "> a\n> b\n> \n> c"),
    ("{{ 'a\r\n\nb\n' | indent(prefix='-', first=true) }}|", {}, "-a\n\n-b|"),
    ("{{ 'a\nb\r\nc' | linebreaksbr }}", {}, "a<br>b<br>c"),
    ("{{ '<p>\n  <a>x</a>\n</p>' | spaceless }}", {}, "<p><a>x</a></p>"),
    ("{{ -3 | abs }} {{ -2.5 | abs }}", {}, "3 2.5"),
    ("[{{ 1 | pluralize }}][{{ 2 | pluralize }}][{{ -1 | pluralize }}]", {}, "[][s][]"),
    (
        "{{ 1 | pluralize(singular='y', plural='ies') }}{{ 0 | pluralize(singular='y', plural='ies') }}",
        {},
        "yies",
    ),
    ("{{ 2 | pluralize(suffix='es') }}", {}, "es"),
    (
        (
            "{{ 1000 | filesizeformat }}, {{ 1024 | filesizeformat }}, {{ 1536 | filesizeformat }}, "
            "{{ 123456789 | filesizeformat }}, {{ 123456789 | filesizeformat(binary=true) }}"
        ),
        {},
        "1000 B, 1 kB, 1.50 kB, 117.74 MB, 117.74 MiB",
    ),
    ("{{ v | addslashes }}", {"v": 'I\'m "x"\\'}, 'I\\\'m \\"x\\"\\\\'),
    (
        "{{ 'World Hello' | regex_replace(pattern=`(?P<subject>\\w+) (?P<greeting>\\w+)`, rep=`$greeting $subject`) }}",
        {},
        "Hello World",
    ),
    ("{{ 'hi' | base64_encode }} {{ 'aGk=' | base64_decode }}", {}, "aGk= hi"),
]


@pytest.mark.parametrize(("source", "context", "expected"), FILTERS)
def test_filter(tmp_path: Path, source: str, context: dict[str, Any], expected: str) -> None:
    assert ok(tmp_path, source, context) == expected


def test_every_required_filter_is_tested() -> None:
    required = [
        "safe",
        "markdown",
        "default",
        "date",
        "slugify",
        "urlencode",
        "urlencode_strict",
        "trim",
        "trim_start",
        "trim_end",
        "replace",
        "split",
        "join",
        "first",
        "last",
        "nth",
        "length",
        "striptags",
        "truncate",
        "lower",
        "upper",
        "title",
        "capitalize",
        "wordcount",
        "round",
        "json_encode",
        "as_str",
        "int",
        "float",
        "escape",
        "escape_xml",
        "reverse",
        "sort",
        "unique",
        "slice",
        "concat",
        "get",
        "filter",
        "map",
        "group_by",
        "indent",
        "linebreaksbr",
        "spaceless",
        "abs",
        "pluralize",
        "filesizeformat",
        "addslashes",
    ]
    used = {name for source, _, _ in FILTERS for name in re.findall(r"\|\s*(\w+)", source)}
    assert set(required) <= used


def test_markdown_table_and_smart_punctuation(tmp_path: Path) -> None:
    table = "| a | b |\n|---|---|\n| 1 | 2 |\n"
    html = ok(tmp_path, "{{ t | markdown }}", {"t": table})
    soup = BeautifulSoup(html, "html.parser")
    assert [td.get_text() for td in soup.find_all("td")] == ["1", "2"]
    plain = ok(tmp_path, "{{ t | markdown(inline=true) }}", {"t": '"quoted" -- text'})
    assert plain == "&quot;quoted&quot; -- text"
    smart_config, _ = parse_site_config('base_url = "x"\n[markdown]\nsmart_punctuation = true\n')
    smart = ok(
        tmp_path, "{{ t | markdown(inline=true) }}", {"t": '"quoted" -- text'}, config=smart_config
    )
    assert smart == "“quoted” – text"


def test_markdown_output_is_escaped_in_html_unless_safe(tmp_path: Path) -> None:
    # as in Zola: `| markdown` in an .html template needs `| safe` after it
    escaped = ok(tmp_path, "{{ '*a*' | markdown(inline=true) }}", name="t.html")
    assert escaped == "&lt;em&gt;a&lt;&#x2F;em&gt;"
    assert ok(tmp_path, "{{ '*a*' | markdown(inline=true) | safe }}", name="t.html") == "<em>a</em>"


TESTS = [
    ("x is defined", {"x": None}, True),
    ("x is defined", {}, False),
    ("x is undefined", {}, True),
    ("x is odd", {"x": 3}, True),
    ("x is odd", {"x": 4}, False),
    ("x is even", {"x": 4}, True),
    ("x is string", {"x": "s"}, True),
    ("x is string", {"x": 1}, False),
    ("x is number", {"x": 1.5}, True),
    ("x is number", {"x": True}, False),
    ("x is starting_with('ab')", {"x": "abc"}, True),
    ("x is ending_with('bc')", {"x": "abc"}, True),
    ("x is ending_with('b')", {"x": "abc"}, False),
    ("x is containing('b')", {"x": "abc"}, True),
    ("x is containing(2)", {"x": [1, 2]}, True),
    ("x is containing('k')", {"x": {"k": 1}}, True),
    ("x is containing('z')", {"x": {"k": 1}}, False),
    ("x is matching('^\\d+$')", {"x": "123"}, True),
    ("x is matching('^\\d+$')", {"x": "12a"}, False),
    ("x is iterable", {"x": [1]}, True),
    ("x is iterable", {"x": {"a": 1}}, True),
    ("x is iterable", {"x": "s"}, False),
    ("x is object", {"x": {"a": 1}}, True),
    ("x is object", {"x": [1]}, False),
    ("x is divisibleby(3)", {"x": 9}, True),
    ("x is not defined", {}, True),
    ("x is odd", {"x": 2.5}, True),
    ("x is even", {"x": -4}, True),
    ("x is divisibleby(0)", {"x": 4}, False),
]


@pytest.mark.parametrize(("test", "context", "expected"), TESTS)
def test_tests(tmp_path: Path, test: str, context: dict[str, Any], expected: bool) -> None:
    result = ok(tmp_path, f"{{% if {test} %}}yes{{% else %}}no{{% endif %}}", context)
    assert result == ("yes" if expected else "no")


def test_matching_keeps_backslashes_literal(tmp_path: Path) -> None:
    # Tera strings have no escapes: "\d" is a backslash and a d, a regex digit class
    assert ok(tmp_path, '{{ "C:\\temp\\new" }}') == "C:\\temp\\new"
    assert ok(tmp_path, "{{ `a\\nb` }}") == "a\\nb"


# -- Tera syntax ---------------------------------------------------------------

SYNTAX = [
    ("{% set_global x = 1 %}{{ x }}", {}, "1"),
    ("{%- set_global x = 'a' -%} {{ x }}", {}, "a"),
    (
        (
            "{% for i in [1, 2, 3, 4] %}{% if i == 2 %}{% continue %}{% endif %}"
            "{% if i == 4 %}{% break %}{% endif %}{{ i }}{% endfor %}"
        ),
        {},
        "13",
    ),
    ("{% for k, v in m %}{{ k }}={{ v }};{% endfor %}", {"m": {"a": 1, "b": 2}}, "a=1;b=2;"),
    (
        "{% for x in ['a', 'b'] %}{{ loop.index }}{{ loop.index0 }}{{ loop.first }}{{ loop.last }}|{% endfor %}",
        {},
        "10truefalse|21falsetrue|",
    ),
    ("a  {#- comment -#}  b", {}, "ab"),
    ("a {# a\nmulti-line comment #}b", {}, "a b"),
    ("{% raw %}{{ x }}{% set_global %}{% endraw %}", {}, "{{ x }}{% set_global %}"),
    (
        "{% if x == 1 %}one{% elif x == 2 %}two{% else %}many{% endif %}",
        {"x": 2},
        "two",
    ),
    ("{{ 'a' ~ 1 ~ b }}", {"b": "c"}, "a1c"),
    ("{% if 'b' in ['a', 'b'] and not ('z' in 'abc') or false %}yes{% endif %}", {}, "yes"),
    ("{% if missing %}a{% else %}b{% endif %}", {}, "b"),
    (
        "{{ t }}|{{ f }}|{{ n }}|{{ l }}|{{ o }}",
        {"t": True, "f": False, "n": None, "l": [1, "a"], "o": {"k": 1}},
        "true|false||[1, a]|[object]",
    ),
    ("{{ x.y.z }}", {"x": {"y": {"z": "deep"}}}, "deep"),
    ("{{ 7 / 2 }} {{ 7 % 2 }} {{ 2 * 3 + 1 }}", {}, "3.5 1 7"),
    ("{% filter upper %}shout{% endfilter %}", {}, "SHOUT"),
    ("line\n", {}, "line\n"),
    ("{{ x is defined }} {{ y is defined }} {{ not y }}", {"x": 1}, "true false true"),
    ("{{- ' a ' -}}  {%- if true -%}  b  {%- endif -%}", {}, " a b"),
]


@pytest.mark.parametrize(("source", "context", "expected"), SYNTAX)
def test_tera_syntax(tmp_path: Path, source: str, context: dict[str, Any], expected: str) -> None:
    assert ok(tmp_path, source, context) == expected


def test_macros(tmp_path: Path) -> None:
    macros = (
        "{% macro hello(name='you') %}Hi {{ name }}{% endmacro hello %}"
        "{% macro stars(n) %}{% if n > 0 %}*{{ self::stars(n=n - 1) }}{% endif %}{% endmacro stars %}"
    )
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "macros.html").write_text(macros, encoding="utf-8")
    source = '{% import "macros.html" as m %}{{ m::hello(name="Ann") }} {{ m::hello() }} {{ m::stars(n=3) }}'
    assert ok(tmp_path, source) == "Hi Ann Hi you ***"


def test_include(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "part.md").write_text("[{{ x }}]", encoding="utf-8")
    assert ok(tmp_path, '{% include "part.md" %}', {"x": 1}) == "[1]"
    message = failure(tmp_path, 'a\n{% include "nope.md" %}')
    assert message == "template t.md, line 2: included template 'nope.md' not found"


def test_set_global_in_a_loop_stays_local(tmp_path: Path) -> None:
    # the documented limit of the pre-pass: Jinja2 scopes a loop's set to the loop
    source = "{% set_global n = 0 %}{% for i in [1, 2] %}{% set_global n = i %}{% endfor %}{{ n }}"
    assert ok(tmp_path, source) == "0"


# -- autoescape ------------------------------------------------------------------

HOSTILE = "<a href=\"/x\">'&'</a>"


@pytest.mark.parametrize(
    ("name", "source", "expected"),
    [
        ("t.html", "{{ v }}", tera_escape(HOSTILE)),
        ("t.htm", "{{ v }}", tera_escape(HOSTILE)),
        ("feed.xml", "{{ v }}", tera_escape(HOSTILE)),
        ("t.md", "{{ v }}", HOSTILE),
        ("t.html", "{{ v | safe }}", HOSTILE),
        # Tera escapes an escaped value again unless it is marked safe
        ("t.html", "{{ v | escape }}", tera_escape(tera_escape(HOSTILE))),
        ("t.html", "<b>{{ 'a' }}</b>", "<b>a</b>"),
    ],
)
def test_autoescape(tmp_path: Path, name: str, source: str, expected: str) -> None:
    assert ok(tmp_path, source, {"v": HOSTILE}, name=name) == expected


def test_tera_escape() -> None:
    assert (
        tera_escape(HOSTILE) == "&lt;a href=&quot;&#x2F;x&quot;&gt;&#x27;&amp;&#x27;&lt;&#x2F;a&gt;"
    )


# -- errors: one located diagnostic, never an exception --------------------------------


def test_syntax_error_is_located_in_the_original_file(tmp_path: Path) -> None:
    source = "{# one\ntwo #}\n{{ `multi\nline` }}\n{% for x in %}\n"
    message = failure(tmp_path, source)
    result = render(tmp_path, source)
    assert result.diagnostics[0].line == 5
    assert message.startswith("template t.md, line 5: syntax error: ")
    assert result.template == tmp_path / "templates" / "t.md"


@pytest.mark.parametrize(
    ("source", "line", "text"),
    [
        ("ok\n\n{{ x | nope }}", 3, "No filter named 'nope'"),
        ("\n{% if true %}\nunclosed\n", 2, "The innermost block that needs to be closed is 'if'"),
        ("a\n{{ alt }}", 2, "'alt' is undefined"),
        ("a\n{{ x | upper }}", 2, "'x' is undefined"),
        ("a\nb\n{{ throw(message='boom') }}", 3, "boom"),
        ("a\n{{ 5 | upper }}", 2, "filter `upper` needs a string, got '5'"),
        ("a\n{{ 'x' | date(format='%Q') }}", 2, "cannot read 'x' as a date"),
        ("a\n{{ 0 | date(format='%Q') }}", 2, "unknown date format specifier %Q"),
        ("{{ 0 | date(timezone='Narnia') }}", 1, "filter `date`: unknown timezone 'Narnia'"),
        ("{{ 99999999999999999 | date }}", 1, "is out of range"),
        ("{{ get_env(name='HOME') }}", 1, "'get_env' is undefined"),
        ("{% for i in range(end=1, start=3) %}{% endfor %}", 1, "`start` is greater than `end`"),
        ("{% for i in range(end=10000000) %}{% endfor %}", 1, "more than 100000 numbers"),
        ("{{ m | get(key='z') }}", 1, "no key 'z'"),
        ("{% for x in missing %}{% endfor %}", 1, "'missing' is undefined"),
        ("{{ [1, 'a'] | sort }}", 1, "values of different kinds"),
        ("{{ true | int }}", 1, "filter `int` cannot convert 'true'"),
        ("{{ [1] | float }}", 1, "filter `float` cannot convert '[1]'"),
        ("{{ -1 | filesizeformat }}", 1, "filter `filesizeformat` needs a size"),
        # Tera's tests refuse what they cannot test
        ("{% if missing is string %}{% endif %}", 1, "test `string` was called on an undefined"),
        ("{% if 3 is starting_with('a') %}{% endif %}", 1, "test `starting_with` needs a string"),
        ("{% if 'a' is odd %}{% endif %}", 1, "test `odd` needs a number, got 'a'"),
        ("{% if 'a' is matching('(') %}{% endif %}", 1, "test `matching`: invalid regex '('"),
        ("{% if 3 is containing(1) %}{% endif %}", 1, "test `containing` needs a string, an array"),
    ],
)
def test_render_errors_are_one_located_diagnostic(
    tmp_path: Path, source: str, line: int, text: str
) -> None:
    message = failure(tmp_path, source, {"m": {}})
    result = render(tmp_path, source, {"m": {}})
    assert result.diagnostics[0].line == line
    assert message.startswith(f"template t.md, line {line}: ")
    assert text in message


def test_sandbox_hides_python_internals(tmp_path: Path) -> None:
    result = render(tmp_path, "{{ ''.__class__.__mro__ }}{{ x.__globals__ }}", {"x": ok})
    assert result.text == ""
    assert len(result.diagnostics) == 1
    assert "class" not in result.text


def test_templates_outside_the_templates_folder_are_refused(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('base_url = "secret"\n', encoding="utf-8")
    (tmp_path / "templates").mkdir()
    result = TeraRenderer(tmp_path).render("../config.toml", {})
    assert result.text == ""
    assert [d.message for d in result.diagnostics] == [
        f"template ../config.toml not found in {tmp_path / 'templates'}"
    ]


def test_unreadable_template_is_a_diagnostic(tmp_path: Path) -> None:
    path = tmp_path / "templates" / "latin.md"
    path.parent.mkdir()
    path.write_bytes("caf\xe9 {{ x }}".encode("latin-1"))
    result = TeraRenderer(tmp_path).render("latin.md", {"x": 1})
    assert result.text == ""
    assert len(result.diagnostics) == 1
    assert result.diagnostics[0].message.startswith(
        "template latin.md: cannot read latin.md: 'utf-8' codec can't decode"
    )


def test_deeply_nested_template_is_a_diagnostic(tmp_path: Path) -> None:
    source = "{{ " + "(" * 5000 + "1" + ")" * 5000 + " }}"
    message = failure(tmp_path, source)
    assert message.startswith("template t.md")


def test_templates_are_compiled_once(tmp_path: Path) -> None:
    path = tmp_path / "templates" / "t.md"
    path.parent.mkdir()
    path.write_text("first {{ x }}", encoding="utf-8")
    renderer = TeraRenderer(tmp_path)
    compiled = renderer.compile("t.md")
    assert renderer.compile(path) is compiled  # an absolute path names the same template
    path.write_text("second {{ x }}", encoding="utf-8")
    assert renderer.render("t.md", {"x": 1}).text == "first 1"
    broken = tmp_path / "templates" / "broken.md"
    broken.write_text("{% if %}", encoding="utf-8")
    diagnostic = renderer.compile("broken.md")
    assert renderer.compile("broken.md") is diagnostic


# -- the pure functions ------------------------------------------------------------


@pytest.fixture
def data_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    files = {
        "content/sec/nav.yaml": "- name: One\n  url: '@/sec/one.md'\n- name: Two\n",
        "content/table.csv": "Number, Title\n1,Gutenberg\n2,Printing\n",
        "content/bad.yaml": "a: [\n",
        "static/data.json": '{"name": "bob", "n": [1, 2]}',
        "data/x.toml": 'title = "from toml"\n[extra]\nk = 1\n',
        "notes.txt": "plain text\n",
        "both.txt": "root copy",
        "content/both.txt": "content copy",
    }
    for relative, text in files.items():
        (site / relative).parent.mkdir(parents=True, exist_ok=True)
        (site / relative).write_text(text, encoding="utf-8")
    (tmp_path / "secret.txt").write_text("TOP SECRET", encoding="utf-8")
    return site


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # Zola's file search: the root, then static/, then content/; @/ is content/
        ("{% for i in load_data(path='/sec/nav.yaml') %}{{ i.name }};{% endfor %}", "One;Two;"),
        ("{{ load_data(path='@/sec/nav.yaml') | map(attribute='name') }}", "[One, Two]"),
        ("{{ load_data(path='sec/nav.yaml') | length }}", "2"),
        ("{{ load_data(path='data/x.toml').extra.k }}", "1"),
        ("{{ load_data(path='data.json').name }}", "bob"),
        (
            "{{ load_data(path='/table.csv') | json_encode }}",
            '{"headers":["Number"," Title"],"records":[["1","Gutenberg"],["2","Printing"]]}',
        ),
        ("{{ load_data(path='notes.txt') }}", "plain text\n"),
        ("{{ load_data(path='data.json', format='plain') }}", '{"name": "bob", "n": [1, 2]}'),
        ("{{ load_data(path='/both.txt') }}", "root copy"),
        ("{{ load_data(path='@/both.txt') }}", "content copy"),
        ("{{ load_data(literal='{\"a\": 3}', format='json').a }}", "3"),
        ("{{ load_data(literal='a = 4', format='toml').a }}", "4"),
        ("{{ load_data(literal='just text') }}", "just text"),
        (
            "{% set d = load_data(path='nope.yaml', required=false) %}{% if d %}y{% else %}none{% endif %}",
            "none",
        ),
    ],
)
def test_load_data(data_site: Path, source: str, expected: str) -> None:
    assert ok(data_site, source) == expected


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("../secret.txt", "is outside the site"),
        ("/../secret.txt", "is outside the site"),
        ("@/../../secret.txt", "is outside the site"),
        ("content/link.txt", "is outside the site"),
        ("/etc/passwd", "not found in the site"),
        ("nope.yaml", "not found in the site"),
    ],
)
def test_load_data_stays_inside_the_site(data_site: Path, path: str, reason: str) -> None:
    (data_site / "content" / "link.txt").symlink_to(data_site.parent / "secret.txt")
    for required in ("true", "false") if "outside" in reason else ("true",):
        message = failure(data_site, f"a\n{{{{ load_data(path='{path}', required={required}) }}}}")
        assert message == f"template t.md, line 2: function `load_data`: {path!r} {reason}"


@pytest.mark.parametrize(
    ("source", "text"),
    [
        ("{{ load_data(url='https://example.org/') }}", "`url` is not supported"),
        ("{{ load_data(path='@/bad.yaml') }}", "'@/bad.yaml' is not valid yaml"),
        ("{{ load_data() }}", "needs `path` or `literal`"),
        ("{{ load_data(literal='<a/>', format='xml') }}", "format 'xml' is not supported"),
    ],
)
def test_load_data_problems(data_site: Path, source: str, text: str) -> None:
    assert text in failure(data_site, source)


def test_load_data_is_cached(data_site: Path) -> None:
    renderer = TeraRenderer(data_site)
    assert renderer.load_data(path="data.json") is renderer.load_data(path="static/data.json")


def test_now(tmp_path: Path) -> None:
    before = int(time.time())
    stamp = int(ok(tmp_path, "{{ now(timestamp=true) }}"))
    assert before <= stamp <= int(time.time())
    utc = dt.datetime.fromisoformat(ok(tmp_path, "{{ now(utc=true) }}"))
    assert utc.utcoffset() == dt.timedelta(0)
    local = dt.datetime.fromisoformat(ok(tmp_path, "{{ now() }}"))
    assert local.tzinfo is not None
    assert abs((local - utc).total_seconds()) < 60


def test_range(tmp_path: Path) -> None:
    assert ok(tmp_path, "{% for i in range(end=3) %}{{ i }}{% endfor %}") == "012"
    assert ok(tmp_path, "{{ range(start=1, end=6, step_by=2) }}") == "[1, 3, 5]"


def test_caller_functions(tmp_path: Path) -> None:
    calls: list[dict[str, Any]] = []

    def get_url(**kwargs: Any) -> str:
        calls.append(kwargs)
        return "/resolved/" + kwargs["path"].removeprefix("@/")

    out = ok(
        tmp_path,
        '{{ get_url(path="@/a.md", trailing_slash=true) }}',
        functions={"get_url": get_url},
    )
    assert out == "/resolved/a.md"
    assert calls == [{"path": "@/a.md", "trailing_slash": True}]


# -- dates -------------------------------------------------------------------------

MOMENT = dt.datetime(
    2024, 3, 5, 14, 7, 9, 123456, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30))
)


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("%Y-%m-%d", "2024-03-05"),
        ("%-d/%-m/%y", "5/3/24"),
        ("[%e] [%_m] [%k]", "[ 5] [ 3] [14]"),
        ("%b %h %B %a %A", "Mar Mar March Tue Tuesday"),
        ("%H %I %l %p %P", "14 02  2 PM pm"),
        ("%j %C", "065 20"),
        ("%z %:z", "+0530 +05:30"),
        ("%F %T", "2024-03-05 14:07:09"),
        ("%D %x %R %X", "03/05/24 03/05/24 14:07 14:07:09"),
        ("%r", "02:07:09 PM"),
        ("%.3f %.6f %3f %6f %9f %f", ".123 .123456 123 123456 123456000 123456000"),
        ("%.f", ".123456"),
        ("%V %G %g %u %w", "10 2024 24 2 2"),
        ("%c", "Tue Mar  5 14:07:09 2024"),
        ("%+", "2024-03-05T14:07:09.123456+05:30"),
        ("%s", str(int(MOMENT.timestamp()))),
        ("100%%%t%n", "100%\t\n"),
    ],
)
def test_chrono_format(fmt: str, expected: str) -> None:
    assert chrono_format(MOMENT, fmt) == expected


@pytest.mark.parametrize("fmt", ["%Q", "%"[:1] + "-"])
def test_chrono_format_refuses_unknown_specifiers(fmt: str) -> None:
    with pytest.raises(TeraError):
        chrono_format(MOMENT, fmt)


# -- the pre-pass ------------------------------------------------------------------


@given(st.text(alphabet=st.sampled_from(list("{}%#-`'\"\n x=:|s_etglobafor,in")), max_size=60))
def test_translate_keeps_every_newline(source: str) -> None:
    assert translate(source).count("\n") == source.count("\n")


@given(st.text().filter(lambda s: "{" not in s))
def test_translate_leaves_plain_text_alone(source: str) -> None:
    assert translate(source) == source


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{% set_global x = 1 %}", "{% set x = 1 %}"),
        ("{%- set_global x = 1 -%}", "{%- set x = 1 -%}"),
        ("{% endmacro name %}", "{% endmacro %}"),
        ("{{ m::f(a=1) }}", "{{ m.f(a=1) }}"),
        ("{{ self::f() }}", "{{ f() }}"),
        ('{{ `a"b` }}', '{{ "a\\"b" }}'),
        ("{{ 'it' }}", '{{ "it" }}'),
        ("{{ 'a::b' }}", '{{ "a::b" }}'),
        ("{% for k, v in m | f %}", "{% for k, v in (m | f) | tera_items %}"),
        ("{% raw %}{% set_global x %}{% endraw %}", "{% raw %}{% set_global x %}{% endraw %}"),
        ("{# set_global m::f #}", "{# set_global m::f #}"),
    ],
)
def test_translate(source: str, expected: str) -> None:
    assert translate(source) == expected


# -- shortcodes ---------------------------------------------------------------------


def test_shortcode_context(tmp_path: Path) -> None:
    config, _ = parse_site_config('base_url = "https://example.org"\ndefault_language = "tr"\n')
    renderer = TeraRenderer(tmp_path, config=config)
    context = renderer.shortcode_context(
        {"a": 1, "nth": 99}, body="text \n\n", nth=2, page={"title": "P"}
    )
    assert context["a"] == 1
    assert context["nth"] == 2  # what Zola provides wins over an argument
    assert context["body"] == "text"
    assert context["lang"] == "tr"
    assert context["page"] == {"title": "P"}
    assert context["config"]["base_url"] == "https://example.org"
    assert "body" not in renderer.shortcode_context({})


def test_render_shortcode(tmp_path: Path) -> None:
    folder = tmp_path / "templates" / "shortcodes"
    folder.mkdir(parents=True)
    (folder / "quote.html").write_text("<q>{{ body | safe }}</q>#{{ nth }}", encoding="utf-8")
    (folder / "note.md").write_text("> {{ text }} ({{ lang }})", encoding="utf-8")
    renderer = TeraRenderer(tmp_path)
    assert renderer.shortcode_names() == ["note", "quote"]
    assert (
        renderer.render_shortcode("quote", {}, body="<i>x</i>\n", nth=3).text == "<q><i>x</i></q>#3"
    )
    assert renderer.render_shortcode("note", {"text": "<b>"}).text == "> <b> (en)"
    for name in ("missing", "../t", "quote.html"):
        result = renderer.render_shortcode(name, {})
        assert result.text == "" and result.template is None
        assert [d.message for d in result.diagnostics] == [
            f"no shortcode template {name!r} in the site"
        ]


# -- every shortcode of the real site ------------------------------------------------

CALL = re.compile(r"\{\{\s*(\w+)\((.*?)\)\s*\}?\}\}", re.DOTALL)
ARG = re.compile(r"(\w+)\s*=\s*(\"[^\"]*\"|'[^']*'|-?\d+|true|false)")
# for templates the site's pages never call: plausible arguments named as the templates use them
FALLBACK = {
    "src": "/images/example.png",
    "alt": "An example",
    "href": "https://example.org/",
    "id": "123456",
    "title": "A video",
    "next": "Next year",
}


@pytest.fixture(scope="module")
def site() -> Path:
    if not (SITE / "templates" / "shortcodes").is_dir():
        pytest.skip(f"the whole-site Zola corpus is not beside the checkout (looked in {SITE})")
    return SITE


@functools.cache
def real_calls(site: Path) -> dict[str, dict[str, Any]]:
    """The first call of each shortcode in the site's pages, its arguments parsed."""
    calls: dict[str, dict[str, Any]] = {}
    for page in sorted((site / "content").rglob("*.md")):
        for name, args in CALL.findall(page.read_text(encoding="utf-8")):
            parsed = {
                k: yaml.safe_load(v) if v[0] not in "\"'" else v[1:-1] for k, v in ARG.findall(args)
            }
            calls.setdefault(name, parsed)
    return calls


def shortcode_cases() -> list[str]:
    folder = SITE / "templates" / "shortcodes"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else ["(corpus absent)"]


@pytest.mark.parametrize("template", shortcode_cases())
def test_every_real_shortcode_renders(site: Path, template: str) -> None:
    config, _ = read_site_config(site / "config.toml")
    renderer = TeraRenderer(site, config=config)
    name = Path(template).stem
    args = {**FALLBACK, **real_calls(site).get(name, {})}
    result = renderer.render_shortcode(name, args)
    assert result.template == site / "templates" / "shortcodes" / template
    source = result.template.read_text(encoding="utf-8")
    data = re.search(r'load_data\(path="([^"]+)"\)', source)
    if data and not (site / "content" / data.group(1).lstrip("/")).is_file():
        # two sections of the live site are not in the corpus: their nav files are missing
        line = source[: source.index("load_data")].count("\n") + 1
        assert [(d.line, d.message) for d in result.diagnostics] == [
            (
                line,
                (
                    f"template shortcodes/{template}, line {line}: function `load_data`: "
                    f"{data.group(1)!r} not found in the site"
                ),
            )
        ]
        return
    assert result.diagnostics == ()
    text = result.text
    if data:  # a series nav: a Markdown list of the nav file's names, the selected one bold
        entries = yaml.safe_load((site / "content" / data.group(1).lstrip("/")).read_text("utf-8"))
        items = [line.strip() for line in text.splitlines() if line.startswith("* ")]
        selected = args.get("selected")
        expected = [
            f"* **▶ {e['name']}**" if n == selected else f"* [{e['name']}]({e['url']})"
            for n, e in enumerate(entries, start=1)
        ]
        assert items == expected
        return
    soup = BeautifulSoup(text, "html.parser")
    if name in ("img", "imglink"):
        img = soup.find("img")
        assert img is not None
        assert (img["src"], img["alt"]) == (args["src"], args["alt"])
        assert args["alt"] in soup.get_text()
        if name == "imglink":
            assert soup.find("a")["href"] == args["href"]
    elif name in ("youtube", "vimeo"):
        frame = soup.find("iframe")
        assert frame is not None and str(args["id"]) in frame["src"]
        assert frame["title"] == args["title"]
    elif name == "geyik_notification":
        assert args["next"] in soup.get_text()
    else:  # the icons and avatars: an inline SVG, no template code left
        assert soup.find("svg") is not None
        assert "{{" not in text and "{%" not in text


def test_real_calls_are_found(site: Path) -> None:
    calls = real_calls(site)
    assert {"img", "youtube", "top_of_mind_nav", "github_ico"} <= set(calls)
    assert set(calls["img"]) >= {"src", "alt"}
    assert isinstance(calls["top_of_mind_nav"]["selected"], int)


def test_real_nav_marks_the_selected_entry(site: Path) -> None:
    renderer = TeraRenderer(site)
    entries = yaml.safe_load((site / "content" / "top-of-mind" / "nav.yaml").read_text("utf-8"))
    text = renderer.render_shortcode("top_of_mind_nav", {"selected": 2}).text
    bold = [line for line in text.splitlines() if line.startswith("* **")]
    assert bold == [f"* **▶ {entries[1]['name']}**"]
    assert json.dumps(entries[0]["name"])[1:-1] in text


# -- Tera's operators and the sandbox's limits --------------------------------------------


@pytest.mark.parametrize(
    ("source", "context", "expected"),
    [
        ("{{ 'a' ~ true ~ none ~ 1.5 ~ [1, false] }}", {"none": None}, "atrue1.5[1, false]"),
        ("{{ 3 * 4 }} {{ 1.5 * 2 }}", {}, "12 3.0"),
    ],
)
def test_operators(tmp_path: Path, source: str, context: dict[str, Any], expected: str) -> None:
    assert ok(tmp_path, source, context) == expected


def test_concat_is_escaped_in_html(tmp_path: Path) -> None:
    assert ok(tmp_path, "{{ '<' ~ x }}", {"x": "/"}, name="t.html") == "&lt;&#x2F;"


@pytest.mark.parametrize(
    ("source", "text"),
    [
        ("{{ 'a' * 1000000000 }}", "`*` needs numbers, got 'a' and '1000000000'"),
        ("{{ [1] * 1000000000 }}", "`*` needs numbers"),
        ("{{ 2 ** 100000000 }}", "`**` is not a Tera operator"),
        ("{{ 7 // 2 }}", "`//` is not a Tera operator"),
    ],
)
def test_operators_tera_lacks_are_refused(tmp_path: Path, source: str, text: str) -> None:
    assert text in failure(tmp_path, source)


def test_templates_cannot_mutate_shared_data(tmp_path: Path) -> None:
    config, _ = parse_site_config('base_url = "x"\n[extra.menu]\nitems = ["a"]\n')
    renderer = TeraRenderer(tmp_path, config=config)
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "t.md").write_text(
        "{{ config.extra.menu['items'].append('b') }}", encoding="utf-8"
    )
    result = renderer.render("t.md", renderer.shortcode_context({}))
    assert len(result.diagnostics) == 1
    assert config.extra["menu"]["items"] == ["a"]


def test_tera_context_variable(tmp_path: Path) -> None:
    out = ok(tmp_path, "{{ __tera_context }}", {"a": 1, "b": [True]})
    assert json.loads(out) == {"a": 1, "b": [True]}


def test_endless_recursion_is_a_diagnostic(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "m.html").write_text(
        "{% macro f(n) %}{{ self::f(n=n + 1) }}{% endmacro f %}", encoding="utf-8"
    )
    message = failure(tmp_path, '{% import "m.html" as m %}\n{{ m::f(n=0) }}')
    assert message.startswith("template t.md, line 2: maximum recursion depth exceeded")


def test_runaway_output_stops(tmp_path: Path) -> None:
    source = "{% for i in range(end=100000) %}\n{{ big }}{% endfor %}"
    message = failure(tmp_path, source, {"big": "x" * 100_000})
    assert message == "template t.md, line 2: the output is longer than 10000000 characters"
