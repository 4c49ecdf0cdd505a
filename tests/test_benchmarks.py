"""The benchmark generator and runner work (benchmarks/); no timing is asserted."""

from __future__ import annotations

import pickle
import posixpath
import re
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


def test_fair_floor_is_the_same_articles_as_plain_myst(tmp_path: Path) -> None:
    plan, sites = generate.generate(tmp_path, 24, series=3, tags=4, variants=("fairfloor",))
    site = sites["fairfloor"]
    assert (site / "conf.py").read_text().count("extensions") == 1
    assert 'extensions = ["myst_parser"]\n' in (site / "conf.py").read_text()
    assert not list(site.rglob("nav.yaml")) and (site / "images/img-000.png").is_file()
    for article in plan.articles:
        text = (site / "content" / article.content_path).read_text(encoding="utf-8")
        assert text.startswith(
            f"---\ndate: {article.date}\ntags: [{', '.join(article.tags)}]\n---\n"
        )
        assert f"\n# {article.title}\n" in text and "title:" not in text
        assert "_nav(" not in text and "](@/" not in text
        # the heading above the nav is the article's own: it stays
        assert ("\n## Series\n" in text) == (article.series is not None)
        # the @/ links point at the same pages, relative to the article
        targets = re.findall(r"\]\(([^)]+\.md)\)", text)
        folder = posixpath.dirname(article.content_path)
        assert sorted(posixpath.normpath(posixpath.join(folder, t)) for t in targets) == sorted(
            plan.articles[linked].content_path for linked in article.links
        )
        # the body is otherwise the extension's, byte for byte
        assert text.endswith(article.body.split("{{ ")[0].rstrip("\n")[-200:] + "\n")
    s0 = (site / "content/s0/_index.md").read_text(encoding="utf-8")
    listed = s0.split(":hidden:\n\n")[1].split("\n```")[0].split("\n")
    assert listed == [a.filename[:-3] for a in generate.section_pages(plan, "s0")]
    assert s0.startswith("# Series 0\n") and "_nav(" not in s0


def _toctrees(site: Path) -> dict[str, list[str]]:
    with (site / "_build/doctrees/environment.pickle").open("rb") as handle:
        env = pickle.load(handle)
    return dict(env.toctree_includes)


def test_runner_builds_and_counts_on_a_tiny_site(tmp_path: Path) -> None:
    plan, results = run.run_size(
        12,
        1,
        ["topofmind", "fairfloor", "floor"],
        ["fresh", "body"],
        sys.executable,
        tmp_path,
        series=2,
        tags=3,
        echo=False,
    )
    pages = len(plan.articles) + len(plan.sections) + 1  # articles, sections, index
    body = generate.body_edit_target(plan)
    for variant in ("topofmind", "fairfloor", "floor"):
        fresh, edited = results[variant]["fresh"][0], results[variant]["body"][0]
        assert fresh.returncode == 0 and edited.returncode == 0
        assert len(fresh.read) == len(fresh.written) == pages
        assert fresh.pickle_bytes > 0 and fresh.max_rss_kb > 0 and fresh.seconds > 0
        assert fresh.tree_pss_kb > 0 and fresh.cpu_children_seconds > 0
        assert edited.read == [body.docname]
        assert body.docname in edited.written
    # the fair floor and the extension build cleanly, with the same toctrees: every
    # article has the same place in the sidebar and the same previous/next links
    for variant in ("topofmind", "fairfloor"):
        assert results[variant]["fresh"][0].warnings == 0
    work = tmp_path / "work-12"
    assert _toctrees(work / "topofmind") == _toctrees(work / "fairfloor")
    assert results["fairfloor"]["body"][0].written == [
        f"content/{body.section}/_index",
        body.docname,
    ]
    assert (
        results["topofmind"]["fresh"][0].extra_pages > results["fairfloor"]["fresh"][0].extra_pages
    )  # tag pages
    assert "tags/index" in results["topofmind"]["fresh"][0].extra
    text = run.table(12, results)
    assert "| fresh build | docs read | " in text
    assert "topofmind / fairfloor" in text and "floor / fairfloor" in text
    check = run.writes_check(plan, results)
    assert f"body edit ({body.docname}), fairfloor: read {body.docname}" in check
    assert "topofmind writes beyond fairfloor: documents " in check


def test_runner_measures_each_jobs_value_with_its_own_base(tmp_path: Path) -> None:
    _, results = run.run_size(
        12, 1, ["fairfloor"], ["fresh"], sys.executable, tmp_path, 2, 3, echo=False, jobs=(1, 2)
    )
    assert list(results) == ["fairfloor", "fairfloor -j2"]
    serial, parallel = results["fairfloor"]["fresh"][0], results["fairfloor -j2"]["fresh"][0]
    assert serial.jobs == 1 and parallel.jobs == 2 and parallel.returncode == 0
    # os.wait4's usage and the runner's RUSAGE_CHILDREN delta count the same processes
    assert abs(parallel.cpu_seconds - parallel.cpu_children_seconds) < 0.05
    # the workers' share is outside the main process; serially there are no workers
    assert 0 < parallel.main_cpu_seconds < parallel.cpu_seconds
    assert 0.5 * serial.cpu_seconds < serial.main_cpu_seconds <= serial.cpu_seconds
    assert "`-j 2` is " in run.speedups(results)
    columns = ["topofmind", "fairfloor", "floor", "topofmind -j2", "fairfloor -j2"]
    assert [run.base_of(c, columns) for c in columns] == [
        "fairfloor",
        None,
        "fairfloor",
        "fairfloor -j2",
        None,
    ]
    assert run.base_of("topofmind", ["topofmind", "floor"]) == "floor"


def test_results_are_never_overwritten(tmp_path: Path) -> None:
    assert run.free_stem(tmp_path, "2026-12-02", "n200") == "2026-12-02-n200"
    (tmp_path / "2026-12-02-n200.md").write_text("kept")
    (tmp_path / "2026-12-02-n200-2.json").write_text("kept")
    assert run.free_stem(tmp_path, "2026-12-02", "n200") == "2026-12-02-n200-3"
    assert run.free_stem(tmp_path, "2026-12-02") == "2026-12-02"
