"""Zola's Markdown dialect on Zola articles (``+++`` front matter), MyST's on plain pages."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from building import build, write_tree
from conftest import SHARED
from sphinx.testing.util import SphinxTestApp

HEAD = SHARED / "corpus" / "zerotohero-web-head"

CONF = 'extensions = ["sphinx_topofmind"]\n'

INDEX = """
# Home

```{toctree}
article
other
plain
```
"""

ARTICLE = """
+++
title = "Article"
+++

Some ~~gone~~ text and "quoted" -- dash...

- [ ] todo
- [x] done

### Deep {#deep-id .fancy}

See [n8n.io](n8n.io) and [rel](some/relative/path) and [home](#deep-id).

> [!NOTE]
> Take note.

> [!WARNING]
> Careful
> more.

> [!UNKNOWN]
> Stays a quote.

```txt
plain words
```

```nosuchlang
x = 1
```

```nosuchlang
y = 2
```

```otherlang
z = 3
```

```makefile
make help           # Show all available commands
```

![empty alt]()

Footnote[^1].

[^1]: The note.

| a | b |
|---|---|
| 1 | 2 |

## Styled heading {.wide data-x=1}
"""

OTHER = """
+++
title = "Other"
+++

Back to [the deep part](@/article.md#deep-id).
"""

PLAIN = """
# Plain

Some ~~gone~~ text and "quoted".

- [ ] todo

### Deep {#deep-id}

See [n8n.io](n8n.io).

> [!NOTE]
> Take note.

```txt
plain
```
"""


def project(root: Path, conf: str = "") -> Path:
    return write_tree(
        root,
        {
            "conf.py": CONF + conf,
            "index.md": INDEX,
            "article.md": ARTICLE,
            "other.md": OTHER,
            "plain.md": PLAIN,
        },
    )


def body(html: str) -> str:
    return html[html.index('<div class="body"') : html.index('<div class="sphinxsidebar"')]


def located(warnings: list[str], root: Path) -> list[str]:
    return [line.replace(str(root) + "/", "") for line in warnings]


EMPTY_IMAGE = (
    "article.md:44: WARNING: image 'empty alt' has an empty URL; its alt text is shown "
    "[topofmind.image]"
)
PLAIN_WARNINGS = [
    "plain.md:7: WARNING: Non-consecutive header level increase; H1 to H3 [myst.header]",
    "plain.md:9: WARNING: 'myst' cross-reference target not found: 'n8n.io' [myst.xref_missing]",
    "plain.md:14: WARNING: Pygments lexer name 'txt' is not known [misc.highlighting_failure]",
]


def test_zola_article_html(tmp_path: Path) -> None:
    result = build(project(tmp_path))
    # a Zola article warns only about its empty image; the plain page keeps MyST's warnings
    assert sorted(located(result.warnings, tmp_path)) == sorted([EMPTY_IMAGE, *PLAIN_WARNINGS])
    html = body(result.html("article"))
    # strikethrough, task lists, footnotes, tables
    assert "Some <s>gone</s> text" in html
    assert 'type="checkbox">todo' in html and 'checked="checked"' in html
    assert 'class="footnote-reference brackets"' in html
    assert "<table" in html
    # smart punctuation is off unless asked
    assert "&quot;quoted&quot; -- dash..." in html
    # heading attributes: the id is the anchor, the class the section's, the braces gone
    assert '<section class="fancy" id="deep-id">' in html
    assert "<h2>Deep<a" in html and "{#" not in html
    assert '<a class="reference internal" href="#deep-id">home</a>' in html
    # classes only: the anchor is the slug of the title without its attributes
    assert '<section class="wide" id="styled-heading">' in html
    assert "<h2>Styled heading<a" in html
    # relative links stay the relative URL
    assert '<a class="reference external" href="n8n.io">n8n.io</a>' in html
    assert '<a class="reference external" href="some/relative/path">rel</a>' in html
    # alerts
    assert re.search(
        r'<div class="admonition note">\s*<p class="admonition-title">Note</p>\s*'
        r"<p>Take note.</p>\s*</div>",
        html,
    )
    assert re.search(
        r'<div class="admonition warning">\s*<p class="admonition-title">Warning</p>\s*'
        r"<p>Careful\nmore.</p>\s*</div>",
        html,
    )
    assert "<blockquote>\n<div><p>[!UNKNOWN]" in html
    # unknown fence languages are plain text
    assert (
        '<div class="highlight-text notranslate"><div class="highlight"><pre><span></span>plain words'
        in html
    )
    assert html.count('<div class="highlight-text notranslate">') == 4
    # the empty image shows its alt text (and nothing was copied as an image)
    assert '<span class="topofmind-missing-image">empty alt</span>' in html
    assert not (result.outdir / "_images").exists()
    # an @/ link to the explicit id reaches it
    assert 'href="article.html#deep-id"' in body(result.html("other"))
    # the sidebar's table of contents names the heading without its attributes
    assert '<a class="reference internal" href="#deep-id">Deep</a>' in result.html("article")


def test_plain_page_keeps_myst(tmp_path: Path) -> None:
    result = build(project(tmp_path))
    html = body(result.html("plain"))
    assert "Some ~~gone~~ text" in html  # MyST's strikethrough is not on for plain pages
    assert "[ ] todo" in html
    assert "Deep {#deep-id}" in html
    assert "[!NOTE]" in html and "admonition" not in html
    assert "n8n.io" in html and 'href="n8n.io"' not in html
    # Sphinx's smartquotes stay on for plain pages
    assert "“quoted”" in html


@pytest.mark.parametrize("buildername", ["text", "latex"])
def test_other_builders_do_not_warn(tmp_path: Path, buildername: str) -> None:
    result = build(project(tmp_path), buildername)
    # the text builder does not highlight
    plain = PLAIN_WARNINGS if buildername == "latex" else PLAIN_WARNINGS[:2]
    assert sorted(located(result.warnings, tmp_path)) == sorted([EMPTY_IMAGE, *plain])
    if buildername == "text":
        text = result.text("article.txt")
        assert "Some gone text" in text
        assert "Note:\n\n  Take note." in text
        assert "Deep\n====" in text
        assert "empty alt" in text
        assert "n8n.io" in text
    else:
        tex = next(result.outdir.glob("*.tex")).read_text(encoding="utf-8")
        assert "Some gone text" in tex
        assert r"\begin{sphinxadmonition}{note}{Note:}" in tex
        assert r"\label{\detokenize{article:deep-id}}" in tex


def test_smart_punctuation_when_asked(tmp_path: Path) -> None:
    result = build(project(tmp_path, "topofmind_smart_punctuation = True\n"))
    assert "“quoted” – dash…" in body(result.html("article"))
    assert "“quoted”" in body(result.html("plain"))


def test_smart_punctuation_off_leaves_plain_pages_smart(tmp_path: Path) -> None:
    result = build(project(tmp_path, "smartquotes = False\n"))
    assert "&quot;quoted&quot;" in body(result.html("plain"))
    assert "&quot;quoted&quot; -- dash..." in body(result.html("article"))


def test_error_on_missing_language(tmp_path: Path) -> None:
    result = build(project(tmp_path, "topofmind_error_on_missing_language = True\n"))
    # one warning per unknown language (not per block); txt is Zola's plain text
    assert sorted(located(result.warnings, tmp_path)) == sorted(
        [
            EMPTY_IMAGE,
            *PLAIN_WARNINGS,
            (
                "article.md:28: WARNING: code block language 'nosuchlang' is not known; shown as "
                "plain text [topofmind.markdown]"
            ),
            (
                "article.md:36: WARNING: code block language 'otherlang' is not known; shown as "
                "plain text [topofmind.markdown]"
            ),
        ]
    )


def test_project_choice_of_myst_extensions_is_kept(tmp_path: Path) -> None:
    result = build(project(tmp_path, "myst_enable_extensions = []\n"))
    assert "Some ~~gone~~ text" in body(result.html("article"))
    assert "[ ] todo" in body(result.html("article"))


def test_lexing_fallback_warns_on_plain_pages_only(tmp_path: Path) -> None:
    fence = "```makefile\nmake help           # Show all available commands\n```\n"
    write_tree(
        tmp_path,
        {
            "conf.py": CONF,
            "index.md": "# Home\n\n```{toctree}\narticle\nplain\n```\n",
            "article.md": '+++\ntitle = "A"\n+++\n\n' + fence,
            "plain.md": "# Plain\n\n" + fence,
        },
    )
    result = build(tmp_path)
    lines = located(result.warnings, tmp_path)
    assert len(lines) == 1
    assert lines[0].startswith("plain.md:3: WARNING: Lexing literal_block")
    assert lines[0].endswith("[misc.highlighting_failure]")


def test_warnings_as_errors_do_not_stop_a_zola_article(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "conf.py": CONF,
            "index.md": "# Home\n\n```{toctree}\narticle\n```\n",
            "article.md": '+++\ntitle = "A"\n+++\n\n### Deep\n\n```txt\nx\n```\n',
        },
    )
    app = SphinxTestApp("html", srcdir=tmp_path, freshenv=True, warningiserror=True)
    try:
        app.build()  # a filtered warning must not raise before it is filtered
    finally:
        app.cleanup()
    assert app.warning.getvalue() == ""
    assert "Deep" in body((Path(app.outdir) / "article.html").read_text(encoding="utf-8"))


@pytest.fixture
def head_site(tmp_path: Path) -> Path:
    if not (HEAD / "content").is_dir():
        pytest.skip(f"the real Zola site is not beside the checkout (looked in {HEAD})")
    shutil.copytree(HEAD / "content", tmp_path / "content")
    (tmp_path / "conf.py").write_text(
        CONF + 'root_doc = "content/_index"\ntopofmind_content_root = "content"\n',
        encoding="utf-8",
    )
    return tmp_path


def test_real_site_gives_none_of_the_dialect_warnings(head_site: Path) -> None:
    result = build(head_site)
    owned = [
        line
        for line in result.warnings
        if "[myst.header]" in line
        or "[misc.highlighting_failure]" in line
        or "[myst.strikethrough]" in line
        # relative links; '@/' links are another matter
        or ("[myst.xref_missing]" in line and "'@/" not in line)
    ]
    assert owned == []
    empty = [line for line in result.warnings if "has an empty URL" in line]
    assert located(empty, head_site / "content") == [
        (
            "roadmap/a-startup-founders-bedtime-reading-list.md:18: WARNING: image "
            '"A Startup Founder\'s Bedtime Reading List" has an empty URL; its alt text is shown '
            "[topofmind.image]"
        ),
        (
            "roadmap/bedtime-reading.md:18: WARNING: image 'Resources Every Developer Must "
            "Read---No Exceptions' has an empty URL; its alt text is shown [topofmind.image]"
        ),
    ]
    volkan = body(result.html("content/about/volkan-uses"))
    assert 'href="n8n.io"' in volkan


def test_parallel_read_filters_the_same_warnings(tmp_path: Path) -> None:
    # Sphinx reads in parallel from six documents on: the workers' records of which
    # documents are Zola articles must reach the filter
    files: dict[str, str | bytes] = {
        "conf.py": CONF,
        "index.md": "# Home\n\n```{toctree}\n:glob:\n\n*\n```\n",
    }
    for number in range(6):
        files[f"zola{number}.md"] = f'+++\ntitle = "Z{number}"\n+++\n\n### Deep\n'
        files[f"plain{number}.md"] = f"# P{number}\n\n### Deep\n"
    write_tree(tmp_path, files)
    result = build(tmp_path, parallel=2)
    assert sorted(located(result.warnings, tmp_path)) == [
        f"plain{number}.md:3: WARNING: Non-consecutive header level increase; H1 to H3 "
        "[myst.header]"
        for number in range(6)
    ]
