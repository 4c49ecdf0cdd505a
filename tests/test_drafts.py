"""Drafts in real builds: the pre-read check and the front matter parser always agree.

Every article below is tagged ``t``; a draft has no page and is not on the tag page,
anything else has both.  Each case once disagreed with the parser.
"""

from __future__ import annotations

import functools
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from building import build, write_tree
from hypothesis import given
from hypothesis import strategies as st

from sphinx_topofmind.features.drafts import is_draft, source_is_draft
from sphinx_topofmind.zola.frontmatter import declares_draft, parse_front_matter
from sphinx_topofmind.zola.mojibake import repair_text

CONF = 'extensions = ["sphinx_topofmind"]\ntopofmind_content_root = "content"\n'
INDEX = "# Home\n\n```{toctree}\n:glob:\n\ncontent/**\n```\n"
TAGS = '\n[taxonomies]\ntags = ["t"]\n'
YAML_TAGS = "taxonomies:\n  tags: [t]\n"
BODY = "\n## Body\n\nText.\n"

#: name -> (file content, whether the parser calls it a draft)
CASES: dict[str, tuple[str | bytes, bool]] = {
    "plain-draft": (f'+++\ntitle = "Plain draft"\ndraft = true\n{TAGS}+++\n{BODY}', True),
    "plain-page": (f'+++\ntitle = "Plain page"\ndraft = false\n{TAGS}+++\n{BODY}', False),
    # published by mistake: the quick check only knew lowercase, unindented lines
    "yaml-capital-true": (
        '---\ntitle: "YAML True"\ndraft: True\n' + YAML_TAGS + "---\n" + BODY,
        True,
    ),
    "toml-indented": (f'+++\ntitle = "Indented"\n  draft = true\n{TAGS}+++\n{BODY}', True),
    # vanished: a multi-line string holding the line 'draft = true' is no key
    "toml-string-holds-draft": (
        f'+++\ntitle = "TOML string"\ndescription = """\nIntro\ndraft = true\nend"""\n{TAGS}'
        + f"+++\n{BODY}",
        False,
    ),
    "yaml-string-holds-draft": (
        '---\ntitle: "YAML string"\ndescription: "Intro\ndraft: true\n  end"\n'
        + YAML_TAGS
        + "---\n"
        + BODY,
        False,
    ),
    # published by mistake: a '[' line inside a string was read as the first table
    "bracket-in-string": (
        f'+++\ntitle = "Bracket"\ndescription = """\n[not a table]\n"""\ndraft = true\n{TAGS}'
        + f"+++\n{BODY}",
        True,
    ),
    # published by mistake: the check read only the first MiB, so the block never closed
    "huge-front-matter": (
        '+++\ntitle = "Huge"\ndraft = true\n'
        + ("# " + "x" * 98 + "\n") * 11_000
        + f"{TAGS}+++\n{BODY}",
        True,
    ),
    # published by mistake: Sphinx reads CR-only line ends as lines, the check did not
    "cr-only": (
        f'+++\ntitle = "CR only"\ndraft = true\n{TAGS}+++\n{BODY}'.replace("\n", "\r").encode(),
        True,
    ),
}


def parser_says(content: str | bytes) -> bool:
    text = content if isinstance(content, str) else content.decode()
    # what Sphinx hands to source-read: universal newlines
    matter, _ = parse_front_matter(text.replace("\r\n", "\n").replace("\r", "\n"))
    return matter is not None and matter.draft


@pytest.mark.parametrize("name", list(CASES))
def test_cases_say_what_the_parser_says(name: str) -> None:
    content, draft = CASES[name]
    assert parser_says(content) is draft


@pytest.mark.parametrize("name", list(CASES))
def test_pre_read_check_agrees_with_the_parser(name: str, tmp_path: Path) -> None:
    content, draft = CASES[name]
    path = tmp_path / "a.md"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    assert is_draft(path) is draft


LINES = [
    "+++",
    "---",
    "+++ ",
    "\ufeff+++",
    "draft = true",
    "draft: true",
    "draft = trueÂ ",
    'title = "r√©sum√©"',
    "title: r√©sum√©",
    '"""',
    "x √© y \r z",
    "",
]


@given(st.lists(st.sampled_from(LINES), max_size=8), st.sampled_from(["\n", "\r\n"]))
def test_only_the_lines_read_are_repaired_and_the_parser_still_decides(
    lines: list[str], newline: str
) -> None:
    # the pre-read check repairs mojibake only up to the closing delimiter; same answer
    text = newline.join(lines)
    assert source_is_draft(text, "fix") is declares_draft(repair_text(text)[0])
    assert source_is_draft(text, "off") is declares_draft(text)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    files: dict[str, str | bytes] = {"conf.py": CONF, "index.md": INDEX}
    files.update({f"content/{name}.md": content for name, (content, _) in CASES.items()})
    site = write_tree(tmp_path_factory.mktemp("drafts") / "site", files)
    return build(site)


def test_build_publishes_exactly_the_non_drafts(built) -> None:
    assert built.warnings == []
    tag_page = BeautifulSoup(built.text("tags/t.html"), "html.parser")
    listed = {a["href"].rsplit("/", 1)[-1] for a in tag_page.select("ul.topofmind-tag-articles a")}
    for name, (_, draft) in CASES.items():
        page = built.outdir / "content" / f"{name}.html"
        assert page.exists() is not draft, name
        assert (f"{name}.html" in listed) is not draft, (name, listed)
        assert (f"content/{name}" in built.read) is not draft, name


def test_drafts_option_builds_them_all(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {"conf.py": CONF, "index.md": INDEX}
    files.update({f"content/{name}.md": content for name, (content, _) in CASES.items()})
    site = write_tree(tmp_path / "site", files)
    result = build(site, confoverrides={"topofmind_drafts": True})
    for name in CASES:
        assert (result.outdir / "content" / f"{name}.html").exists(), name


def _cpu(function, *args) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        function(*args)
        best = min(best, time.process_time() - started)
    return best


def test_pre_read_check_is_linear(tmp_path: Path) -> None:
    # 100,000 blank lines of TOML took 28 s in the check, on every rebuild
    small, large = tmp_path / "small.md", tmp_path / "large.md"
    for path, n in ((small, 4_000), (large, 40_000)):
        path.write_text("+++\n" + "\n" * n + "draft = true\n+++\n", encoding="utf-8")
    for mojibake in ("fix", "off"):
        check = functools.partial(is_draft, mojibake=mojibake)
        assert check(small) and check(large)
        ratio = _cpu(check, large) / max(_cpu(check, small), 1e-4)
        assert ratio < 30, (mojibake, ratio)


def test_rebuild_checks_only_changed_files(tmp_path: Path, monkeypatch) -> None:
    import sphinx_topofmind.features.drafts as drafts_module

    files: dict[str, str | bytes] = {"conf.py": CONF, "index.md": INDEX}
    files.update(
        {
            f"content/{name}.md": CASES[name][0]
            for name in ("plain-page", "plain-draft", "yaml-string-holds-draft")
        }
    )
    site = write_tree(tmp_path / "site", files)
    checked: list[str] = []
    real = drafts_module.is_draft

    def counting(path: Path, **kwargs) -> bool:
        checked.append(path.stem)
        return real(path, **kwargs)

    monkeypatch.setattr(drafts_module, "is_draft", counting)
    build(site, freshenv=False)
    assert sorted(checked) == ["index", "plain-draft", "plain-page", "yaml-string-holds-draft"]
    checked.clear()
    build(site, freshenv=False)
    assert checked == []  # cached by modification time and size
    page = site / "content" / "plain-page.md"
    page.write_text(page.read_text().replace("draft = false", "draft = true"))
    result = build(site, freshenv=False)
    assert checked == ["plain-page"]
    assert result.warnings == []
    assert "content/plain-page" not in result.app.env.all_docs  # purged like a deleted page


def test_a_draft_toggled_after_unchanged_builds_is_seen_each_time(tmp_path: Path) -> None:
    # unchanged sources are answered from the cache without looking at the file; a
    # source edited after one or more unchanged builds is looked at again
    files: dict[str, str | bytes] = {"conf.py": CONF, "index.md": INDEX}
    files["content/page.md"] = CASES["plain-page"][0]
    files["content/other.md"] = CASES["plain-page"][0].replace("Plain page", "Other")
    site = write_tree(tmp_path / "site", files)
    page = site / "content" / "page.md"
    published = page.read_text()
    for _round in range(2):
        assert "content/page" in build(site, freshenv=False).app.env.all_docs
        assert build(site, freshenv=False).read == []
        time.sleep(0.01)
        page.write_text(published.replace("draft = false", "draft = true"))
        hidden = build(site, freshenv=False)
        assert "content/page" not in hidden.app.env.all_docs
        assert "content/other" in hidden.app.env.all_docs
        assert build(site, freshenv=False).read == []
        time.sleep(0.01)
        page.write_text(published)
