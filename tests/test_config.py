"""The ``topofmind_*`` configuration: overrides, typos, hostile paths, and settings that
must leave incremental builds incremental (real builds throughout)."""

from __future__ import annotations

from pathlib import Path

import pytest
from building import Build, build, write_tree

import sphinx_topofmind
from sphinx_topofmind.config import PythonShortcode, project_sets

CONF = 'extensions = ["sphinx_topofmind"]\n'

ARTICLE = """\
+++
title = "Tea"
date = "2024-01-02"

[taxonomies]
tags = ["genindex", "search", "tea"]
+++

## Brewing

Steep it.
"""

QUOTED = ARTICLE + "\n{% quote() %}\nCold tea is a drink too.\n{% end %}\n"

INDEX = "# Home\n\n```{toctree}\ntea\n```\n"


def project(root: Path, conf: str = CONF, **extra: str) -> Path:
    return write_tree(root, {"conf.py": conf, "index.md": INDEX, "tea.md": ARTICLE, **extra})


def status(result: Build) -> str:
    return result.app.status.getvalue()


#: SphinxTestApp swaps the default theme for 'basic' after reading the configuration,
#: which is itself a configuration change between builds; an explicit theme avoids it.
THEME = {"html_theme": "basic"}


# --- overrides (issue 11) ---------------------------------------------------


@pytest.mark.parametrize(
    ("conf", "overrides", "anchors", "slug_func"),
    [
        # nothing chosen: the extension's defaults
        ("", {}, 6, "sphinx_topofmind.zola.slugs.zola_anchor"),
        # chosen in conf.py: kept (this reads Sphinx's private Config._raw_config)
        ("myst_heading_anchors = 2\n", {}, 2, "sphinx_topofmind.zola.slugs.zola_anchor"),
        # chosen with -D / confoverrides: kept, as a string (as -D gives it) or a value
        ("", {"myst_heading_anchors": "1"}, 1, "sphinx_topofmind.zola.slugs.zola_anchor"),
        ("", {"myst_heading_anchors": 3, "myst_heading_slug_func": "github"}, 3, "github"),
    ],
)
def test_project_choice_is_kept(
    tmp_path: Path, conf: str, overrides: dict, anchors: int, slug_func: str
) -> None:
    src = project(tmp_path / "site", CONF + conf)
    result = build(src, confoverrides=overrides)
    assert result.warnings == []
    assert result.app.config.myst_heading_anchors == anchors
    assert result.app.config.myst_heading_slug_func == slug_func


def test_project_sets_reads_conf_py_and_overrides(tmp_path: Path) -> None:
    # the one place that reads Sphinx's private conf.py namespace: fails if Sphinx renames it
    src = project(tmp_path / "site", CONF + "root_doc = 'index'\n")
    config = build(src, confoverrides={"myst_heading_anchors": "1"}).app.config
    assert project_sets(config, "root_doc")
    assert project_sets(config, "myst_heading_anchors")
    assert not project_sets(config, "myst_heading_slug_func")
    assert not project_sets(config, "topofmind_series")


def test_override_of_root_doc_is_kept(tmp_path: Path) -> None:
    # a lone article at the top becomes the root, unless -D root_doc says otherwise
    home = "# Home\n\n```{toctree}\n/tea\n```\n"
    src = write_tree(tmp_path / "site", {"conf.py": CONF, "tea.md": ARTICLE, "sub/home.md": home})
    assert build(src).app.config.root_doc == "tea"
    result = build(src, confoverrides={"root_doc": "sub/home"})
    assert result.app.config.root_doc == "sub/home"
    assert "Home" in result.html("index") if (result.outdir / "index.html").is_file() else True


# --- incremental builds stay incremental (issue 11) -------------------------


def test_unchanged_rebuild_reads_nothing_and_reports_no_change(tmp_path: Path) -> None:
    src = project(tmp_path / "site", CONF + 'topofmind_shortcodes = {"quote": "note"}\n')
    (src / "tea.md").write_text(QUOTED, encoding="utf-8")
    first = build(src, confoverrides=THEME)
    assert first.warnings == []
    assert sorted(first.read) == ["index", "tea"]
    assert "topofmind.css" in first.html("tea")
    assert (first.outdir / "_static" / "topofmind.css").is_file()
    second = build(src, confoverrides=THEME, freshenv=False)
    assert second.warnings == []
    assert second.read == []
    assert "configuration has changed" not in status(second)
    assert (second.outdir / "_static" / "topofmind.css").is_file()


@pytest.mark.parametrize("listed", [False, True])
def test_the_badges_have_sphinx_designs_stylesheet_once(tmp_path: Path, listed: bool) -> None:
    # the extension does not load sphinx-design (its transforms walk every doctree),
    # it uses its stylesheet; a project that loads sphinx-design gets it once
    conf = CONF + 'topofmind_shortcodes = {"quote": "note"}\n'
    design = conf.replace('["sphinx_topofmind"]', '["sphinx_topofmind", "sphinx_design"]')
    src = project(tmp_path / "site", design if listed else conf)
    (src / "tea.md").write_text(QUOTED, encoding="utf-8")
    result = build(src, confoverrides=THEME)
    assert result.warnings == []
    assert ("sphinx_design" in result.app.extensions) is listed
    assert result.html("tea").count('href="_static/sphinx-design.min.css') == 1
    assert (result.outdir / "_static" / "sphinx-design.min.css").is_file()
    # sphinx-design's script comes with sphinx-design, not with the badges
    assert (result.outdir / "_static" / "design-tabs.js").is_file() is listed
    second = build(src, confoverrides=THEME, freshenv=False)
    assert second.read == []
    assert "configuration has changed" not in status(second)


QUOTE_FUNCTION = """
def quote(name, args, body):
    return "> " + (body or "").strip() + " (quoted)"

topofmind_shortcodes = {"quote": quote}
"""


def test_python_function_shortcode_keeps_rebuilds_incremental(tmp_path: Path) -> None:
    src = project(tmp_path / "site", CONF + QUOTE_FUNCTION, **{"tea.md": QUOTED})
    first = build(src, confoverrides=THEME)
    assert first.warnings == []
    assert "Cold tea is a drink too. (quoted)" in first.html("tea")
    assert isinstance(first.app.config.topofmind_shortcodes["quote"], PythonShortcode)

    # no config.cache warning, no "configuration has changed", nothing re-read
    second = build(src, confoverrides=THEME, freshenv=False)
    assert second.warnings == []
    assert second.read == []
    assert "configuration has changed" not in status(second)

    # an edited function is a changed configuration: the articles are read again
    (src / "conf.py").write_text(
        CONF + QUOTE_FUNCTION.replace("(quoted)", "(said)"), encoding="utf-8"
    )
    third = build(src, confoverrides=THEME, freshenv=False)
    assert third.warnings == []
    assert sorted(third.read) == ["index", "tea"]
    assert "Cold tea is a drink too. (said)" in third.html("tea")


def test_python_function_shortcode_in_parallel_build(tmp_path: Path) -> None:
    src = project(tmp_path / "site", CONF + QUOTE_FUNCTION, **{"tea.md": QUOTED})
    for name in ("a", "b", "c", "d"):
        (src / f"{name}.md").write_text(QUOTED.replace("Tea", name.upper()), encoding="utf-8")
    (src / "index.md").write_text(
        "# Home\n\n```{toctree}\ntea\na\nb\nc\nd\n```\n", encoding="utf-8"
    )
    result = build(src, parallel=2)
    assert result.warnings == []
    for page in ("tea", "a", "d"):
        assert "Cold tea is a drink too. (quoted)" in result.html(page)


# --- typos (issue 11) -------------------------------------------------------


def test_unknown_names_warn_with_the_closest_known_name(tmp_path: Path) -> None:
    conf = CONF + (
        'topofmind_seris = {"tea": {}}\n'
        "topofmind_zzz = 1\n"
        "\n"
        "topofmind_tags_path: str = 'topics'\n"  # a known name, annotated: no warning
        "topofmind_drafts = True\n"
    )
    src = project(tmp_path / "site", conf)
    result = build(src, confoverrides={"topofmind_mojibak": "off"})
    conf_py = src / "conf.py"
    assert result.warnings == [
        # Sphinx's own warning about an unknown override, then ours with the likely name
        "WARNING: unknown config value 'topofmind_mojibak' in override, ignoring",
        (
            "WARNING: unknown configuration value 'topofmind_mojibak' in an override, ignored; "
            "did you mean 'topofmind_mojibake'? [topofmind.config]"
        ),
        (
            f"{conf_py}:2: WARNING: unknown configuration value 'topofmind_seris' in conf.py, "
            "ignored; did you mean 'topofmind_series'? [topofmind.config]"
        ),
        (
            f"{conf_py}:3: WARNING: unknown configuration value 'topofmind_zzz' in conf.py, "
            "ignored [topofmind.config]"
        ),
    ]
    # a typo is not a feature name: the feed options of another module are known too
    assert build(src, confoverrides={"topofmind_feed_limit": 3}).warnings == result.warnings[2:]


def test_invalid_value_in_conf_py_is_located(tmp_path: Path) -> None:
    src = project(tmp_path / "site", CONF + 'topofmind_mojibake = "maybe"\n')
    result = build(src)
    assert result.warnings == [
        (
            f"{src / 'conf.py'}:2: WARNING: topofmind_mojibake must be one of fix, warn, off; "
            "using the default 'fix' [topofmind.config]"
        )
    ]


# --- metadata ---------------------------------------------------------------


def test_setup_metadata(tmp_path: Path) -> None:
    result = build(project(tmp_path / "site"))
    # Sphinx keeps version and the parallel flags as attributes, the rest as metadata
    extension = result.app.extensions["sphinx_topofmind"]
    assert extension.version == sphinx_topofmind.__version__
    assert extension.parallel_read_safe is True
    assert extension.parallel_write_safe is True
    env_version = extension.metadata["env_version"]
    assert isinstance(env_version, int) and env_version >= 1
    # the environment carries it, so a new env_version drops pickles of the old shape
    assert result.app.env.version["sphinx_topofmind"] == env_version


# --- paths that leave the project (issue 12) --------------------------------

NAV = "- name: Tea\n  url: '@/tea.md'\n"


def test_absolute_nav_file_is_dropped(tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text("- name: Outside\n  url: '@/index.md'\n", encoding="utf-8")
    conf = CONF + f'topofmind_series = {{"tea": {{"title": "Tea", "nav_file": "{outside}"}}}}\n'
    src = project(tmp_path / "site", conf, **{"tea/nav.yaml": NAV})
    (src / "tea.md").write_text(ARTICLE + "\n{{ tea_nav() }}\n", encoding="utf-8")
    result = build(src)
    assert result.warnings == [
        (
            f"{src / 'conf.py'}:2: WARNING: topofmind_series: nav_file '{outside}' of series 'tea' "
            "must be a relative path that stays inside the content root; using the default "
            "'tea/nav.yaml' [topofmind.config]"
        )
    ]
    assert result.app.config.topofmind_series == {"tea": {"title": "Tea"}}
    html = result.html("tea")
    assert "Outside" not in html
    assert "topofmind-series-list" in html and "topofmind-series-current" in html


@pytest.mark.parametrize("nav_file", ["../nav.yaml", "tea/../../nav.yaml", "C:/nav.yaml"])
def test_nav_file_leaving_the_content_root_is_dropped(tmp_path: Path, nav_file: str) -> None:
    conf = CONF + f'topofmind_series = {{"tea": {{"nav_file": "{nav_file}"}}}}\n'
    result = build(project(tmp_path / "site", conf))
    assert [w.split("WARNING: ")[1] for w in result.warnings] == [
        (
            f"topofmind_series: nav_file '{nav_file}' of series 'tea' must be a relative path that "
            "stays inside the content root; using the default 'tea/nav.yaml' [topofmind.config]"
        ),
    ]


def test_static_path_outside_the_project_is_dropped(tmp_path: Path) -> None:
    conf = CONF + 'topofmind_static_path = ["/etc", "static", "../static"]\n'
    src = project(
        tmp_path / "site",
        conf,
        **{"tea.md": "# Tea\n\n![b](/passwd)\n\n![ok](/ok.txt)\n", "static/ok.txt": "fine\n"},
    )
    result = build(src)
    conf_py = src / "conf.py"
    assert result.warnings == [
        (
            f"{conf_py}:2: WARNING: topofmind_static_path: folder '/etc' must be a relative path "
            "that stays inside the configuration directory; dropped [topofmind.config]"
        ),
        (
            f"{conf_py}:2: WARNING: topofmind_static_path: folder '../static' must be a relative "
            "path that stays inside the configuration directory; dropped [topofmind.config]"
        ),
        (
            f"{src / 'tea.md'}:3: WARNING: image '/passwd' is not in topofmind_static_path (static) "
            "[topofmind.image]"
        ),
    ]
    assert result.app.config.topofmind_static_path == ["static"]
    passwd = Path("/etc/passwd").read_bytes() if Path("/etc/passwd").is_file() else None
    for path in result.outdir.rglob("*"):
        assert path.name != "passwd", path
        if passwd is not None and path.is_file():
            assert path.read_bytes() != passwd, path


@pytest.mark.parametrize(
    ("tags_path", "problem"),
    [
        (".", "must be a folder of its own, not '.'"),
        ("./", "must be a folder of its own, not './'"),
        ("", "must not be empty"),
        ("/", "must be a relative path that stays inside its folder"),
        ("..", "must be a relative path that stays inside its folder"),
        ("/tmp/tags", "must be a relative path that stays inside its folder"),
        ("_static", "must not put the tag pages among Sphinx's own pages and folders ('_static')"),
        (
            "_sources",
            "must not put the tag pages among Sphinx's own pages and folders ('_sources')",
        ),
        (
            "_images/t",
            "must not put the tag pages among Sphinx's own pages and folders ('_images')",
        ),
        (
            "genindex",
            "must not put the tag pages among Sphinx's own pages and folders ('genindex')",
        ),
        ("search", "must not put the tag pages among Sphinx's own pages and folders ('search')"),
    ],
)
def test_tags_path_among_sphinx_pages_is_reset(
    tmp_path: Path, tags_path: str, problem: str
) -> None:
    conf = CONF + f'topofmind_tags_path = "{tags_path}"\n'
    src = project(tmp_path / "site", conf)
    result = build(src, "dirhtml" if tags_path in ("genindex", "search") else "html")
    assert result.warnings == [
        (
            f"{src / 'conf.py'}:2: WARNING: topofmind_tags_path {problem}; using the default 'tags' "
            "[topofmind.config]"
        )
    ]
    assert result.app.config.topofmind_tags_path == "tags"
    # the tags called genindex and search got pages of their own; Sphinx's pages are its own
    if result.app.builder.name == "dirhtml":
        genindex = result.text("genindex/index.html")
        tag_page = result.text("tags/genindex/index.html")
    else:
        genindex = result.html("genindex")
        tag_page = result.html("tags/genindex")
    assert "Index" in genindex and "topofmind-tag-articles" not in genindex
    assert "topofmind-tag-articles" in tag_page


@pytest.mark.parametrize("tags_path", ["tags", "topics/", "blog/tags", "tags_"])
def test_tags_path_of_its_own_is_accepted(tmp_path: Path, tags_path: str) -> None:
    conf = CONF + f'topofmind_tags_path = "{tags_path}"\n'
    result = build(project(tmp_path / "site", conf))
    assert result.warnings == []
    assert (result.outdir / tags_path.strip("/") / "tea.html").is_file()
