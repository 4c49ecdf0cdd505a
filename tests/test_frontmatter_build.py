"""Front matter in real builds: what the parser repairs reaches every writer repaired."""

from __future__ import annotations

from pathlib import Path

import feedparser
from bs4 import BeautifulSoup
from building import build, write_tree

CONF = 'extensions = ["sphinx_topofmind"]\ntopofmind_content_root = "content"\n'
INDEX = "# Home\n\n```{toctree}\n:glob:\n\ncontent/**\n```\n"

SURROGATES = (
    "---\n"
    'title: "sur\\ud800rogate"\n'  # 2
    'description: "half \\udc00 and a pair \\ud83d\\ude00"\n'  # 3
    'date: "2024-01-02"\n'
    "taxonomies:\n"
    '  tags: ["t\\ud800g", "fine"]\n'  # 6
    "extra:\n"
    '  nested: {list: ["\\udfff"]}\n'  # 8
    "---\n\n## Body\n\nText.\n"
)


def lone(before: str, after: str, half: str = "ud800") -> str:
    return (
        f"front matter string '{before}\\{half}{after}' holds a lone surrogate (half of a "
        f"UTF-16 pair, no character); read as '{before}\ufffd{after}'"
    )


def test_lone_surrogates_are_reported_and_replaced_everywhere(tmp_path: Path) -> None:
    # a lone surrogate crashed Sphinx's inventory writer and the feed writer
    site = write_tree(
        tmp_path / "site",
        {"conf.py": CONF, "index.md": INDEX, "content/a.md": SURROGATES},
    )
    result = build(site, confoverrides={"html_baseurl": "https://example.org/"})
    source = site / "content" / "a.md"
    assert result.warnings == [
        f"{source}:2: WARNING: {lone('sur', 'rogate')} [topofmind.frontmatter]",
        f"{source}:3: WARNING: front matter string 'half \\udc00 and a pair \\ud83d\\ude00' "
        + "holds a lone surrogate (half of a UTF-16 pair, no character); read as "
        + "'half \ufffd and a pair \U0001f600' [topofmind.frontmatter]",
        f"{source}:6: WARNING: {lone('t', 'g')} [topofmind.frontmatter]",
        f"{source}:8: WARNING: {lone('', '', half='udfff')} [topofmind.frontmatter]",
    ]
    page = BeautifulSoup(result.html("content/a"), "html.parser")
    assert page.select_one("h1").get_text().strip("¶") == "sur\ufffdrogate"
    assert (result.outdir / "objects.inv").is_file()
    feeds = sorted(result.outdir.rglob("*.xml"))
    assert feeds
    titles = set()
    for feed in feeds:
        parsed = feedparser.parse(feed.read_bytes())
        assert parsed.bozo == 0, (feed, parsed.get("bozo_exception"))
        titles |= {entry.title for entry in parsed.entries}
    assert "sur\ufffdrogate" in titles
    tag_pages = {p.name for p in (result.outdir / "tags").glob("*.html")}
    assert "fine.html" in tag_pages and len(tag_pages) == 3, tag_pages  # index, fine, t?g
