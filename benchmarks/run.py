"""Build the generated sites side by side and compare them with the floor.

    python benchmarks/run.py --sizes 100,1000 --runs 3

For every size, each run copies every variant (topofmind, floor, ablog; see
``generate.py``) into a fresh work folder and builds it four times, variants
interleaved so that drift in the machine hits all of them alike:

``fresh``   clean build (no output, no doctrees)
``noop``    rebuild with nothing changed
``body``    rebuild after a body-only edit of one series member
``title``   rebuild after a title edit of one member of a series without nav file

Each build is ``<python> -m sphinx -q -b html -j 1 <src> <out> -d <doctrees>`` in a
child process.  Measured: wall time; CPU time (user + system of the child, from
``os.wait4``: far steadier than wall time on a shared, loaded machine); peak memory (the child's max RSS from
``os.wait4``); documents read (doctree pickles written by the build) and written
(HTML files of source documents written by the build; other HTML files, such as
tag pages, genindex and search, are counted as "extra pages"), both found from file
modification times, so ``-q`` stays on; and the size of ``environment.pickle``.
Medians of the runs; ratios against the floor.  The table goes to stdout and to
``benchmarks/results/<date>.md`` (raw numbers and the written docnames of every
build to ``<date>.json``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate

SCENARIOS = ("fresh", "noop", "body", "title")
SCENARIO_LABELS = {
    "fresh": "fresh build",
    "noop": "rebuild, nothing changed",
    "body": "rebuild, body-only edit of 1 article",
    "title": "rebuild, title edit of 1 series member",
}


@dataclass
class Build:
    seconds: float
    max_rss_kb: int
    cpu_seconds: float
    returncode: int
    read: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    extra_pages: int = 0
    pickle_bytes: int = 0
    warnings: int = 0


def _mtimes(folder: Path, suffix: str) -> dict[str, int]:
    if not folder.is_dir():
        return {}
    return {
        str(path.relative_to(folder).with_suffix("")).replace(os.sep, "/"): path.stat().st_mtime_ns
        for path in folder.rglob("*" + suffix)
    }


def sphinx_command(python: str, src: Path) -> list[str]:
    """One serial html build of ``src`` into ``src/_build``, as every benchmark runs it."""
    out, doctrees = src / "_build" / "html", src / "_build" / "doctrees"
    options = ["-q", "-b", "html", "-j", "1", "-d", str(doctrees)]
    return [python, "-m", "sphinx", *options, str(src), str(out)]


def sphinx_build(python: str, src: Path, log: Path) -> Build:
    out, doctrees = src / "_build" / "html", src / "_build" / "doctrees"
    before_doctrees = _mtimes(doctrees, ".doctree")
    before_html = _mtimes(out, ".html")
    command = sphinx_command(python, src)
    with log.open("w") as handle:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT, cwd=src)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
    after_doctrees = _mtimes(doctrees, ".doctree")
    after_html = _mtimes(out, ".html")
    read = sorted(d for d, t in after_doctrees.items() if before_doctrees.get(d) != t)
    changed_html = {p for p, t in after_html.items() if before_html.get(p) != t}
    written = sorted(changed_html & after_doctrees.keys())
    pickle = doctrees / "environment.pickle"
    text = log.read_text(errors="replace")
    return Build(
        seconds=seconds,
        max_rss_kb=usage.ru_maxrss,
        cpu_seconds=usage.ru_utime + usage.ru_stime,
        returncode=child.returncode,
        read=read,
        written=written,
        extra_pages=len(changed_html - after_doctrees.keys()),
        pickle_bytes=pickle.stat().st_size if pickle.is_file() else 0,
        warnings=text.count("WARNING"),
    )


def run_size(
    n: int,
    runs: int,
    variants: list[str],
    scenarios: list[str],
    python: str,
    workdir: Path,
    series: int,
    tags: int,
    window: int | None = None,
    echo: bool = True,
    topofmind_conf: str = "",
) -> tuple[generate.SitePlan, dict[str, dict[str, list[Build]]]]:
    plan, sites = generate.generate(
        workdir / f"gen-{n}", n, series, tags, variants=tuple(variants), window=window
    )
    if topofmind_conf and "topofmind" in sites:
        # extra settings for the extension's variant only (the floor and ablog ignore them)
        with (sites["topofmind"] / "conf.py").open("a", encoding="utf-8") as conf:
            conf.write(topofmind_conf + "\n")
    body_target = generate.body_edit_target(plan)
    title_target = generate.title_edit_target(plan)
    results: dict[str, dict[str, list[Build]]] = {v: {s: [] for s in scenarios} for v in variants}
    for run in range(runs):
        for variant in variants:
            work = workdir / f"work-{n}" / variant
            if work.exists():
                shutil.rmtree(work)
            shutil.copytree(sites[variant], work)
            for scenario in SCENARIOS:
                if scenario == "body":
                    generate.edit_body(work, body_target)
                elif scenario == "title":
                    generate.edit_title(work, title_target)
                if scenario not in scenarios and scenario != "fresh":
                    continue
                build = sphinx_build(
                    python, work, workdir / f"log-{n}-{variant}-{scenario}-{run}.txt"
                )
                results[variant].setdefault(scenario, []).append(build)
                if echo:
                    print(
                        f"# N={n} run {run + 1}/{runs} {variant:9} {scenario:5} {build.seconds:7.2f}s "
                        f"cpu {build.cpu_seconds:7.2f}s "
                        f"{build.max_rss_kb / 1024:6.0f} MB read {len(build.read)} written {len(build.written)}"
                        + (f" EXIT {build.returncode}" if build.returncode else ""),
                        file=sys.stderr,
                        flush=True,
                    )
                if build.returncode:
                    print(
                        (workdir / f"log-{n}-{variant}-{scenario}-{run}.txt").read_text()[-3000:],
                        file=sys.stderr,
                    )
                    break
    for variant in variants:
        if "fresh" not in scenarios:
            results[variant].pop("fresh", None)
    return plan, results


def _raw(build: Build) -> dict[str, object]:
    """A build for the JSON file: long docname lists (fresh builds) are cut to their length."""
    data = asdict(build)
    for key in ("read", "written"):
        if len(data[key]) > 50:
            data[key] = f"{len(data[key])} documents"
    return data


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _ratio(value: float, floor: float) -> str:
    if not floor or math.isnan(value) or math.isnan(floor):
        return "–"
    return f"{value / floor:.2f}×"


METRICS = (
    ("wall time (s)", lambda b: b.seconds, "{:.2f}"),
    ("CPU time (s)", lambda b: b.cpu_seconds, "{:.2f}"),
    ("peak RSS (MB)", lambda b: b.max_rss_kb / 1024, "{:.0f}"),
    ("docs read", lambda b: len(b.read), "{:.0f}"),
    ("docs written", lambda b: len(b.written), "{:.0f}"),
    ("extra pages written", lambda b: b.extra_pages, "{:.0f}"),
    ("env pickle (KB)", lambda b: b.pickle_bytes / 1024, "{:.0f}"),
)


def table(n: int, results: dict[str, dict[str, list[Build]]]) -> str:
    variants = list(results)
    others = [v for v in variants if v != "floor"]
    head = ["scenario", "metric", *variants] + [
        f"{v} / floor" for v in others if "floor" in variants
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    scenarios = [s for s in SCENARIOS if any(results[v].get(s) for v in variants)]
    for scenario in scenarios:
        for label, get, fmt in METRICS:
            medians = {v: _median([get(b) for b in results[v].get(scenario, [])]) for v in variants}
            cells = [SCENARIO_LABELS[scenario], label]
            cells += ["–" if medians[v] != medians[v] else fmt.format(medians[v]) for v in variants]
            if "floor" in variants:
                cells += [_ratio(medians[v], medians["floor"]) for v in others]
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def title_check(plan: generate.SitePlan, results: dict[str, dict[str, list[Build]]]) -> str:
    """Which pages the title edit rewrote, against the pages that show the edited series."""
    target = generate.title_edit_target(plan)
    series_pages = {a.docname for a in plan.members(target.series)} | {
        f"content/{target.series}/_index"
    }
    lines = []
    for variant, by_scenario in results.items():
        builds = by_scenario.get("title") or []
        if not builds:
            continue
        written = set(builds[0].written)
        outside = sorted(written - series_pages)
        lines.append(
            f"- {variant}: {len(written)} written, {len(written & series_pages)} of the "
            f"{len(series_pages)} pages of series {target.series} (members + section page); "
            f"outside the series: {', '.join(outside) if outside else 'none'}"
        )
    body = generate.body_edit_target(plan)
    for variant, by_scenario in results.items():
        builds = by_scenario.get("body") or []
        if builds:
            lines.append(
                f"- body edit ({body.docname}), {variant}: read {', '.join(builds[0].read) or 'none'}; "
                f"written {', '.join(builds[0].written) or 'none'}"
            )
    return "\n".join(lines)


def machine() -> str:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs, {model}, {platform.system()} {platform.release()}"


def versions(python: str) -> str:
    code = (
        "import sys, sphinx, docutils, myst_parser;"
        "from importlib.metadata import version as v\n"
        "def g(p):\n"
        "    try: return v(p)\n"
        "    except Exception: return 'not installed'\n"
        "print(f'Python {sys.version.split()[0]}, Sphinx {sphinx.__version__}, docutils {docutils.__version__}, "
        'myst-parser {myst_parser.__version__}, sphinx-design {g("sphinx-design")}, ablog {g("ablog")}\')'
    )
    return subprocess.run(
        [python, "-c", code], capture_output=True, text=True, check=False
    ).stdout.strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="sphinx-topofmind build benchmarks")
    parser.add_argument("--sizes", default="100,1000", help="comma-separated article counts")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--variants", default="topofmind,floor,ablog")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS))
    parser.add_argument("--series", type=int, default=10)
    parser.add_argument("--tags", type=int, default=40)
    parser.add_argument(
        "--python", default=sys.executable, help="interpreter whose Sphinx builds the sites"
    )
    parser.add_argument(
        "--workdir", type=Path, default=None, help="kept after the run (default: a temp dir)"
    )
    parser.add_argument(
        "--results", default=str(HERE / "results"), help="folder for <date>.md/.json; '' = none"
    )
    parser.add_argument("--window", type=int, default=None, help="window=N on every series nav")
    parser.add_argument(
        "--no-section-toctrees",
        action="store_true",
        help="topofmind_section_toctree = False in the extension's variant (large sites)",
    )
    args = parser.parse_args(argv)

    variants = [v for v in args.variants.split(",") if v]
    scenarios = [s for s in args.scenarios.split(",") if s]
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="topofmind-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    command = "python benchmarks/run.py " + " ".join(argv if argv is not None else sys.argv[1:])
    report = [
        f"# Benchmark results {dt.datetime.now().strftime('%Y-%m-%d %H:%M')}",
        "",
        f"- command: `{command}`",
        f"- machine: {machine()}",
        f"- {versions(args.python)}",
        f"- {args.series} series, {args.tags} tags; medians of {args.runs} run(s); `-j 1`"
        + (f"; navs with window={args.window}" if args.window else "")
        + ("; no section toctrees" if args.no_section_toctrees else ""),
        f"- load average at start: {' '.join(f'{x:.1f}' for x in os.getloadavg())}",
        "",
    ]
    raw: dict[str, object] = {}
    # one untimed build first: the first process after a while pays for cold imports
    _, warm = generate.generate(workdir / "warmup", 5, 2, 5, variants=tuple(variants))
    for site in warm.values():
        sphinx_build(args.python, site, workdir / "warmup.log")
    for n in [int(s) for s in args.sizes.split(",") if s]:
        plan, results = run_size(
            n,
            args.runs,
            variants,
            scenarios,
            args.python,
            workdir,
            args.series,
            args.tags,
            window=args.window,
            topofmind_conf="topofmind_section_toctree = False" if args.no_section_toctrees else "",
        )
        report += [f"## N = {n}", "", table(n, results), "", title_check(plan, results), ""]
        raw[str(n)] = {
            v: {s: [_raw(b) for b in bs] for s, bs in r.items()} for v, r in results.items()
        }
    report.append(f"- load average at end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    text = "\n".join(report)
    print(text)
    if args.results:
        results = Path(args.results)
        results.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now().strftime("%Y-%m-%d")
        (results / f"{stamp}.md").write_text(text + "\n", encoding="utf-8")
        (results / f"{stamp}.json").write_text(json.dumps(raw, indent=1) + "\n", encoding="utf-8")
    if args.workdir is None:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
