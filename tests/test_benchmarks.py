"""The benchmark generator and runner work (benchmarks/); no timing is asserted."""

from __future__ import annotations

import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import generate
import run


def test_generator_is_deterministic_and_variants_share_bytes(tmp_path: Path) -> None:
    plan, sites = generate.generate(tmp_path / "a", 12, series=2, tags=4)
    _, again = generate.generate(tmp_path / "b", 12, series=2, tags=4)
    article = plan.articles[3]
    path = Path("content") / article.content_path
    topofmind = (sites["topofmind"] / path).read_text(encoding="utf-8")
    assert topofmind == (again["topofmind"] / path).read_text(encoding="utf-8")
    # the floor reads the very same Markdown files as the extension
    assert (sites["floor"] / path).read_bytes() == (sites["topofmind"] / path).read_bytes()
    assert topofmind.startswith("+++\ntitle = ")
    assert f"{{{{ {article.series}_nav(selected={article.position}) }}}}" in topofmind
    assert "](@/" in topofmind and "```" in topofmind and "/images/img-" in topofmind
    assert 500 < len(article.body.split()) < 1000
    assert (sites["topofmind"] / "content/s0/nav.yaml").is_file()  # even series: nav file
    assert not (sites["topofmind"] / "content/s1/nav.yaml").exists()
    ablog = (sites["ablog"] / path).read_text(encoding="utf-8")
    assert ablog.startswith("---\nblogpost: true\n") and f"# {article.title}\n" in ablog
    assert 'extensions = ["sphinx_topofmind"]' in (sites["topofmind"] / "conf.py").read_text()
    assert 'extensions = ["myst_parser"]' in (sites["floor"] / "conf.py").read_text()


def test_runner_builds_and_counts_on_a_tiny_site(tmp_path: Path) -> None:
    plan, results = run.run_size(
        5,
        1,
        ["topofmind", "floor"],
        ["fresh", "body"],
        sys.executable,
        tmp_path,
        series=2,
        tags=3,
        echo=False,
    )
    pages = len(plan.articles) + len(plan.sections) + 1  # articles, sections, index
    body = generate.body_edit_target(plan)
    for variant in ("topofmind", "floor"):
        fresh, edited = results[variant]["fresh"][0], results[variant]["body"][0]
        assert fresh.returncode == 0 and edited.returncode == 0
        assert len(fresh.read) == len(fresh.written) == pages
        assert fresh.pickle_bytes > 0 and fresh.max_rss_kb > 0 and fresh.seconds > 0
        assert edited.read == [body.docname]
        assert body.docname in edited.written
    assert (
        results["topofmind"]["fresh"][0].extra_pages > results["floor"]["fresh"][0].extra_pages
    )  # tag pages
    text = run.table(5, results)
    assert "| fresh build | docs read | " in text and "topofmind / floor" in text
    assert f"body edit ({body.docname})" in run.title_check(plan, results)
