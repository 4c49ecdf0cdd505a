"""Tests for sphinx_topofmind.zola.site_config: a Zola config.toml, typed, never raising."""

from __future__ import annotations

import dataclasses
import textwrap
from pathlib import Path

import pytest
from conftest import SHARED

from sphinx_topofmind.zola.diagnostics import Diagnostic, Subtype
from sphinx_topofmind.zola.site_config import (
    MarkdownOptions,
    SiteConfig,
    Taxonomy,
    find_site,
    parse_site_config,
    read_site_config,
)

SITE = SHARED / "corpus" / "zerotohero-web-head"


@pytest.fixture
def site() -> Path:
    if not (SITE / "config.toml").is_file():
        pytest.skip(f"the whole-site Zola corpus is not beside the checkout (looked in {SITE})")
    return SITE


def test_real_site_config(site: Path) -> None:
    config, diagnostics = read_site_config(site / "config.toml")
    assert diagnostics == []
    assert config.title == "Zero to Hero"
    assert config.base_url == "https://zerotohero.dev"
    assert config.author == "Volkan Özçelik"
    assert config.description is None
    assert config.default_language == "en"
    assert config.taxonomies == (Taxonomy(name="tags", feed=True),)
    assert config.taxonomy("tags") is config.taxonomies[0]
    assert config.taxonomy("categories") is None
    assert config.generate_feeds is True
    assert config.feed_filenames == ("atom.xml",)
    assert config.markdown.smart_punctuation is True
    assert config.markdown.highlight_code is True
    assert config.markdown.highlight_theme == "gruvbox-dark-hard"
    assert config.markdown.error_on_missing_language is None
    assert config.markdown.external_links_target_blank is False
    assert set(config.extra) == {"geyik", "papermod"}
    assert config.extra["papermod"]["date_format"] == "%Y-%m-%d"
    # keys not modelled stay in the raw table
    assert config.raw["compile_sass"] is True
    assert config.raw["minify_html"] is True


def test_template_view_is_the_config_variable(site: Path) -> None:
    config, _ = read_site_config(site / "config.toml")
    view = config.template_view()
    assert view["base_url"] == "https://zerotohero.dev"
    assert view["extra"]["papermod"]["title"] == "Zero to Hero"
    assert view["taxonomies"] == [{"name": "tags", "feed": True}]
    assert view["markdown"]["smart_punctuation"] is True
    assert view["build_search_index"] is False
    # defaults Zola fills in are there even when the file does not set them
    assert view["default_language"] == "en"


def test_find_site_real(site: Path) -> None:
    layout = find_site(site)
    assert layout.root == site
    assert layout.config_toml == site / "config.toml"
    assert layout.content == site / "content"
    assert layout.templates == site / "templates"
    assert layout.shortcodes == site / "templates" / "shortcodes"
    # the corpus has no static/ folder: image files are not included
    assert layout.static is None


def test_find_site_parts_missing(tmp_path: Path) -> None:
    layout = find_site(tmp_path)
    assert (layout.config_toml, layout.content, layout.static) == (None, None, None)
    assert (layout.templates, layout.shortcodes) == (None, None)
    (tmp_path / "static").mkdir()
    (tmp_path / "templates").mkdir()
    (tmp_path / "config.toml").write_text('base_url = "x"\n', encoding="utf-8")
    layout = find_site(tmp_path)
    assert layout.static == tmp_path / "static"
    assert layout.templates == tmp_path / "templates"
    assert layout.shortcodes is None
    assert layout.config_toml == tmp_path / "config.toml"
    # a file where a folder belongs is not the folder
    (tmp_path / "content").write_text("", encoding="utf-8")
    assert find_site(tmp_path).content is None


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('base_url = "x"\ntitle = "unclosed\n', 2),
        ('base_url = "x"\n\n\n[markdown\nsmart_punctuation = true\n', 4),
        ('base_url = "x"\nbase_url = "y"\n', 2),
        ("a = 1\nb = [\nc==\n", 3),
    ],
)
def test_invalid_toml_is_one_located_diagnostic(text: str, line: int) -> None:
    config, diagnostics = parse_site_config(text)
    assert config == SiteConfig()
    assert len(diagnostics) == 1
    assert diagnostics[0].subtype is Subtype.config
    assert diagnostics[0].line == line
    assert diagnostics[0].message.startswith("invalid config.toml: ")
    assert f"(at line {line}," in diagnostics[0].message


def test_wrong_types_keep_defaults_and_are_located() -> None:
    text = textwrap.dedent(
        """\
        base_url = "https://example.org"
        title = 1
        generate_feeds = 'yes'
        taxonomies = [
            { name = "tags", feed = 3 },
            { name = "series", paginate_by = 5 },
            { feed = true },
        ]
        [markdown]
        smart_punctuation = 1
        [extra]
        x = 1
        """
    )
    config, diagnostics = parse_site_config(text)
    assert config.title is None
    assert config.generate_feeds is False
    assert config.taxonomies == (
        Taxonomy(name="tags", feed=False),
        Taxonomy(name="series", paginate_by=5),
    )
    assert config.markdown.smart_punctuation is False
    assert config.extra == {"x": 1}
    assert [(d.subtype, d.line) for d in diagnostics] == [
        (Subtype.config, 2),
        (Subtype.config, 5),
        (Subtype.config, 4),  # a malformed entry is located at its ``taxonomies =``
        (Subtype.config, 3),
        (Subtype.config, 10),
    ]
    messages = [d.message for d in diagnostics]
    assert messages[0] == "config.toml 'title' should be a string, got 1; using None"
    assert "'feed' should be true or false, got 3" in messages[1]
    assert "needs a string 'name'; ignored" in messages[2]
    assert "'generate_feeds' should be true or false, got 'yes'" in messages[3]
    assert messages[4].startswith("config.toml [markdown] 'smart_punctuation'")


def test_missing_base_url_is_reported() -> None:
    config, diagnostics = parse_site_config('title = "T"\n')
    assert config.title == "T"
    assert config.base_url == ""
    assert diagnostics == [
        Diagnostic(Subtype.config, "config.toml has no 'base_url' (Zola requires it)", 1)
    ]


def test_bool_is_not_an_integer() -> None:
    config, diagnostics = parse_site_config(
        'base_url = "x"\ntaxonomies = [{ name = "t", paginate_by = true }]\n'
    )
    assert config.taxonomies[0].paginate_by is None
    assert len(diagnostics) == 1 and diagnostics[0].line == 2


def test_older_zola_keys() -> None:
    text = textwrap.dedent(
        """\
        base_url = "x"
        generate_feed = true
        feed_filename = "rss.xml"
        [markdown]
        highlight_code = true
        highlight_theme = "base16-ocean-dark"
        external_links_target_blank = true
        external_links_no_follow = true
        external_links_no_referrer = true
        render_emoji = true
        """
    )
    config, diagnostics = parse_site_config(text)
    assert diagnostics == []
    assert config.generate_feeds is True
    assert config.feed_filenames == ("rss.xml",)
    assert config.markdown == MarkdownOptions(
        highlight_code=True,
        highlight_theme="base16-ocean-dark",
        external_links_target_blank=True,
        external_links_no_follow=True,
        external_links_no_referrer=True,
        render_emoji=True,
    )


def test_highlight_code_at_top_level() -> None:
    config, _ = parse_site_config('base_url = "x"\nhighlight_code = true\n')
    assert config.markdown.highlight_code is True


def test_newer_zola_keys() -> None:
    text = textwrap.dedent(
        """\
        base_url = "x"
        default_language = "tr"
        generate_feeds = true
        feed_filenames = ["atom.xml", "rss.xml"]
        [languages.en]
        title = "English"
        [markdown]
        bottom_footnotes = true
        [markdown.highlighting]
        enabled = false
        error_on_missing_language = true
        """
    )
    config, diagnostics = parse_site_config(text)
    assert diagnostics == []
    assert config.default_language == "tr"
    assert config.languages == {"en": {"title": "English"}}
    assert config.feed_filenames == ("atom.xml", "rss.xml")
    assert config.markdown.highlight_code is False
    assert config.markdown.error_on_missing_language is True
    assert config.markdown.bottom_footnotes is True
    assert config.markdown.highlighting == {"enabled": False, "error_on_missing_language": True}


def test_bad_feed_filenames() -> None:
    config, diagnostics = parse_site_config('base_url = "x"\n\nfeed_filenames = ["a.xml", 2]\n')
    assert config.feed_filenames == ("atom.xml",)
    assert [d.line for d in diagnostics] == [3]


def test_unreadable_file(tmp_path: Path) -> None:
    config, diagnostics = read_site_config(tmp_path / "config.toml")
    assert config == SiteConfig()
    assert len(diagnostics) == 1
    assert diagnostics[0].subtype is Subtype.config
    assert diagnostics[0].message.startswith(f"cannot read {tmp_path / 'config.toml'}")
    bad = tmp_path / "latin1.toml"
    bad.write_bytes('title = "caf\xe9"\n'.encode("latin-1"))
    _, diagnostics = read_site_config(bad)
    assert len(diagnostics) == 1 and diagnostics[0].line == 1


def test_config_is_frozen() -> None:
    config, _ = parse_site_config('base_url = "x"\n')
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.title = "changed"  # type: ignore[misc]
