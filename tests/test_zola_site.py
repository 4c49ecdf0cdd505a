"""``topofmind_zola_site``: a Zola site's parts fill in what conf.py leaves unset."""

from __future__ import annotations

from pathlib import Path

import pytest
from building import build, write_tree

from sphinx_topofmind.zola.site_series import discover_series

CONFIG_TOML = """\
title = "Zed Site"
author = "A. Author"
base_url = "https://zed.example"

[markdown]
smart_punctuation = true
"""

ARTICLE = """\
+++
title = "First"
date = 2024-01-02
+++

Hello ![logo](/images/logo.png).

{{ notes_nav(selected=1) }}
"""


def zola_site(root: Path, conf: str = "", config_toml: str = CONFIG_TOML) -> Path:
    write_tree(
        root,
        {
            "conf.py": 'extensions = ["sphinx_topofmind"]\ntopofmind_zola_site = "."\n' + conf,
            "config.toml": config_toml,
            "README.md": "# Not a page of the site\n",
            "content/_index.md": '+++\ntitle = "Home"\n+++\n\nWelcome.\n',
            "content/notes/_index.md": '+++\ntitle = "Field Notes"\n+++\n',
            "content/notes/first.md": ARTICLE,
            "content/notes/nav.yaml": '- name: "First"\n  url: "@/notes/first.md"\n',
            "templates/page.html": "{{ page.content | safe }}\n",
            "templates/shortcodes/notes_nav.md": '{% set d = load_data(path="/notes/nav.yaml") %}\n',
            "templates/notes.md": "# a template, never a document\n",
        },
    )
    (root / "static" / "images").mkdir(parents=True)
    (root / "static" / "images" / "logo.png").write_bytes(
        bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + bytes(20)
    )
    return root


def test_the_site_fills_in_the_options(tmp_path: Path) -> None:
    result = build(zola_site(tmp_path / "site"))
    config = result.app.config
    assert config.root_doc == "content/_index"
    assert config.topofmind_content_root == "content"
    assert config.topofmind_static_path == ["static"]
    assert config.topofmind_base_url == "https://zed.example"
    assert config.project == "Zed Site"
    assert config.author == "A. Author"
    assert config.topofmind_smart_punctuation is True
    assert config.topofmind_series == {
        "notes": {"title": "Field Notes", "nav_file": "notes/nav.yaml"}
    }
    docs = set(result.app.env.found_docs)
    assert docs == {"content/_index", "content/notes/_index", "content/notes/first"}
    page = result.html("content/notes/first")
    # the series nav of the site's own shortcode, the image from static/
    assert 'data-series="notes"' in page
    assert (result.outdir / "_images" / "logo.png").is_file()
    assert result.warnings == []


def test_conf_py_wins(tmp_path: Path) -> None:
    conf = 'topofmind_base_url = "https://mine.example"\nproject = "Mine"\n'
    result = build(zola_site(tmp_path / "site", conf))
    assert result.app.config.topofmind_base_url == "https://mine.example"
    assert result.app.config.project == "Mine"


def test_a_broken_config_toml_warns_at_its_line(tmp_path: Path) -> None:
    site = zola_site(tmp_path / "site", config_toml='title = "ok"\nbase_url = \n')
    result = build(site)
    assert result.warnings == [
        (
            f"{site / 'config.toml'}:2: WARNING: invalid config.toml: "
            "Invalid value (at line 2, column 12) [topofmind.config]"
        )
    ]
    # the rest of the site still builds
    assert (result.outdir / "content" / "notes" / "first.html").is_file()


def test_a_missing_site_folder_warns(tmp_path: Path) -> None:
    src = write_tree(
        tmp_path / "src",
        {
            "conf.py": 'extensions = ["sphinx_topofmind"]\ntopofmind_zola_site = "nowhere"\n',
            "index.md": "# Home\n",
        },
    )
    result = build(src)
    assert len(result.warnings) == 1
    assert (
        "conf.py:2: WARNING: topofmind_zola_site: 'nowhere' is not a folder" in (result.warnings[0])
    )
    assert result.warnings[0].endswith("[topofmind.config]")


def test_discover_series_names_and_titles(tmp_path: Path) -> None:
    content = tmp_path / "content"
    write_tree(
        tmp_path,
        {
            "content/a/nav.yaml": "[]\n",
            "content/a/_index.md": '+++\ntitle = "Alpha"\n+++\n',
            "content/b/deep/nav.yaml": "[]\n",
            "content/Upper/nav.yaml": "[]\n",
            "templates/shortcodes/first_nav.md": "{{ load_data(path='/a/nav.yaml') }}",
        },
    )
    found = discover_series(content, tmp_path / "templates" / "shortcodes")
    assert found == {
        # named after the template that loads it
        "first": {"title": "Alpha", "nav_file": "a/nav.yaml"},
        # else after its folder, titled from the folder's name
        "b-deep": {"title": "Deep", "nav_file": "b/deep/nav.yaml"},
    }


@pytest.mark.parametrize("shortcodes", [None, "missing"])
def test_discover_series_without_templates(tmp_path: Path, shortcodes: str | None) -> None:
    write_tree(tmp_path, {"content/x/nav.yaml": "[]\n"})
    folder = None if shortcodes is None else tmp_path / shortcodes
    if folder is not None:
        folder.mkdir()
    assert discover_series(tmp_path / "content", folder) == {
        "x": {"title": "X", "nav_file": "x/nav.yaml"}
    }


def test_a_section_at_a_taxonomy_url_gives_way_to_the_taxonomy(tmp_path: Path) -> None:
    # Zola writes the tags index at /tags/: a lone content/tags/_index.md is never shown
    site = zola_site(tmp_path / "site")
    write_tree(site, {"content/tags/_index.md": '+++\ntitle = "Tags"\npaginate_by = 10\n+++\n'})
    # notes/ holds pages of its own: it stays a section, and its clash with the 'notes'
    # taxonomy's index at /notes/ is a real one, reported
    result = build(site, "dirhtml", confoverrides={"topofmind_taxonomies": ["tags", "notes"]})
    docs = set(result.app.env.found_docs)
    assert "content/tags/_index" not in docs
    assert "content/notes/_index" in docs
    assert (result.outdir / "tags" / "index.html").is_file()
    assert [w.rsplit(" [", 1)[1] for w in result.warnings] == ["topofmind.redirect]"]
    assert (
        "content/notes/_index.md:1: WARNING: Zola URL redirect at 'notes/index.html'"
        in (result.warnings[0])
    )
