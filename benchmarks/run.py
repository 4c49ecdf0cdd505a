"""Build the generated sites side by side and compare them with the fair floor.

    python benchmarks/run.py --sizes 200,1000 --runs 3 --jobs 1,2

For every size, each run copies every variant (topofmind, fairfloor, floor, ablog;
see ``generate.py``) into a fresh work folder and builds it four times, variants (and
``-j`` values) interleaved so that drift in the machine hits all of them alike:

``fresh``   clean build (no output, no doctrees)
``noop``    rebuild with nothing changed
``body``    rebuild after a body-only edit of one series member
``title``   rebuild after a title edit of one member of a series without nav file

Each build is ``<python> -m sphinx -q -b html -j <J> <src> <out> -d <doctrees>`` in a
child process, for each ``J`` of ``--jobs`` (default ``1``).  Measured:

- wall time;
- CPU time: user + system of the child from ``os.wait4``.  On Linux that usage
  includes every descendant the child waited for; Sphinx's ``-j`` workers are forked
  ``multiprocessing`` processes that Sphinx joins, so their CPU time is in it (the
  runner also takes the delta of its own ``RUSAGE_CHILDREN`` around the build, which
  must agree: ``cpu_children_seconds`` in the JSON);
- CPU of the main process: the ``sphinx-build`` process without its ``-j`` workers
  (utime + stime of ``/proc/<pid>/stat``, sampled every 0.1 s, so up to 0.1 s short),
  the part of the work ``-j`` does not spread (with ``-j 2``, Sphinx resolves every
  doctree and runs ``doctree-resolved`` there before the workers write);
- peak RSS: ``ru_maxrss`` from ``os.wait4``, the largest of the child and its waited
  descendants, one process (not a sum);
- peak tree PSS: the whole process tree (the child and its ``-j`` workers, found from
  ``/proc/*/stat`` parent ids) sampled every 0.1 s, each process's proportional set
  size from ``/proc/<pid>/smaps_rollup`` summed, so pages a forked worker shares with
  its parent count once.  A peak shorter than the interval can be missed;
- documents read (doctree pickles written by the build) and written (HTML files of
  source documents written by the build; other HTML files, such as tag pages, genindex
  and search, are "extra pages", kept by name), both found from file modification
  times, so ``-q`` stays on; and the size of ``environment.pickle``.

Medians of the runs; ratios against the fair floor built with the same ``-j`` (the
old floor when the fair floor is not among the variants).  The table goes to stdout and
to ``benchmarks/results/<date>[-<label>].md`` (raw numbers and the written docnames of
every build to the ``.json`` of the same name); an existing file is never overwritten
(``-2``, ``-3``... is added).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
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
    jobs: int = 1
    tree_pss_kb: int = 0
    cpu_children_seconds: float = 0.0
    main_cpu_seconds: float = 0.0  # the sphinx-build process alone, sampled (-0.1 s)
    extra: list[str] = field(default_factory=list)
    load: float = 0.0  # 1-minute load average when the build started


#: the first of these among the variants is the base of the ratios
BASES = ("fairfloor", "floor")


_TICK = os.sysconf("SC_CLK_TCK")


def _stat_fields(pid: int) -> list[bytes]:
    """The fields of ``/proc/<pid>/stat`` after the command name (field 3 on)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            text = stat.read()
    except OSError:
        return []
    # the command name (in parentheses) may hold spaces
    return text[text.rindex(b")") + 2 :].split()


def _parents() -> dict[int, int]:
    """pid -> parent pid of every process, from ``/proc/<pid>/stat``."""
    found = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit() and (fields := _stat_fields(int(entry.name))):
            found[int(entry.name)] = int(fields[1])
    return found


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as rollup:
            for line in rollup:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


class TreeMemory(threading.Thread):
    """The peak of the summed PSS of a process and its descendants, sampled; and the
    CPU time of the process itself (without its children) at the last sample."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak_kb = pid, interval, 0
        self.own_cpu_seconds = 0.0
        self.done = threading.Event()

    def tree(self) -> list[int]:
        children: dict[int, list[int]] = {}
        for pid, parent in _parents().items():
            children.setdefault(parent, []).append(pid)
        found, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            found.append(pid)
            todo += children.get(pid, [])
        return found

    def run(self) -> None:
        while not self.done.wait(self.interval):
            self.peak_kb = max(self.peak_kb, sum(_pss_kb(pid) for pid in self.tree()))
            fields = _stat_fields(self.pid)  # utime and stime are fields 14 and 15
            if len(fields) > 12 and fields[0] != b"Z":
                self.own_cpu_seconds = (int(fields[11]) + int(fields[12])) / _TICK


def _mtimes(folder: Path, suffix: str) -> dict[str, int]:
    if not folder.is_dir():
        return {}
    return {
        str(path.relative_to(folder).with_suffix("")).replace(os.sep, "/"): path.stat().st_mtime_ns
        for path in folder.rglob("*" + suffix)
    }


def sphinx_command(python: str, src: Path, jobs: int = 1) -> list[str]:
    """One html build of ``src`` into ``src/_build``, as every benchmark runs it."""
    out, doctrees = src / "_build" / "html", src / "_build" / "doctrees"
    options = ["-q", "-b", "html", "-j", str(jobs), "-d", str(doctrees)]
    return [python, "-m", "sphinx", *options, str(src), str(out)]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def sphinx_build(python: str, src: Path, log: Path, jobs: int = 1) -> Build:
    out, doctrees = src / "_build" / "html", src / "_build" / "doctrees"
    before_doctrees = _mtimes(doctrees, ".doctree")
    before_html = _mtimes(out, ".html")
    command = sphinx_command(python, src, jobs)
    with log.open("w") as handle:
        load = os.getloadavg()[0]
        children_before = _children_cpu()
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT, cwd=src)
        memory = TreeMemory(child.pid)
        memory.start()
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        memory.done.set()
        memory.join()
        children_cpu = _children_cpu() - children_before
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
        jobs=jobs,
        tree_pss_kb=memory.peak_kb,
        cpu_children_seconds=children_cpu,
        main_cpu_seconds=memory.own_cpu_seconds,
        extra=sorted(changed_html - after_doctrees.keys()),
        load=load,
    )


def label(variant: str, jobs: int) -> str:
    """A column: the variant, with its ``-j`` when that is not 1."""
    return variant if jobs == 1 else f"{variant} -j{jobs}"


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
    jobs: tuple[int, ...] = (1,),
) -> tuple[generate.SitePlan, dict[str, dict[str, list[Build]]]]:
    """Builds by column (:func:`label`) and scenario."""
    plan, sites = generate.generate(
        workdir / f"gen-{n}", n, series, tags, variants=tuple(variants), window=window
    )
    if topofmind_conf and "topofmind" in sites:
        # extra settings for the extension's variant only (the floor and ablog ignore them)
        with (sites["topofmind"] / "conf.py").open("a", encoding="utf-8") as conf:
            conf.write(topofmind_conf + "\n")
    body_target = generate.body_edit_target(plan)
    title_target = generate.title_edit_target(plan)
    columns = [label(v, j) for j in jobs for v in variants]
    results: dict[str, dict[str, list[Build]]] = {c: {s: [] for s in scenarios} for c in columns}
    for run in range(runs):
        for variant in variants:
            for j in jobs:
                column = label(variant, j)
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
                    log = workdir / f"log-{n}-{variant}-j{j}-{scenario}-{run}.txt"
                    build = sphinx_build(python, work, log, j)
                    results[column].setdefault(scenario, []).append(build)
                    if echo:
                        print(
                            f"# N={n} run {run + 1}/{runs} {column:12} {scenario:5} "
                            f"{build.seconds:7.2f}s cpu {build.cpu_seconds:7.2f}s "
                            f"{build.max_rss_kb / 1024:6.0f} MB tree {build.tree_pss_kb / 1024:6.0f} MB "
                            f"read {len(build.read)} written {len(build.written)}"
                            + (f" EXIT {build.returncode}" if build.returncode else ""),
                            file=sys.stderr,
                            flush=True,
                        )
                    if build.returncode:
                        print(log.read_text()[-3000:], file=sys.stderr)
                        break
    for column in columns:
        if "fresh" not in scenarios:
            results[column].pop("fresh", None)
    return plan, results


def _raw(build: Build) -> dict[str, object]:
    """A build for the JSON file: long docname lists (fresh builds) are cut to their length."""
    data = asdict(build)
    for key in ("read", "written", "extra"):
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
    ("CPU, main process (s)", lambda b: b.main_cpu_seconds, "{:.2f}"),
    ("peak RSS (MB)", lambda b: b.max_rss_kb / 1024, "{:.0f}"),
    ("peak tree PSS (MB)", lambda b: b.tree_pss_kb / 1024, "{:.0f}"),
    ("docs read", lambda b: len(b.read), "{:.0f}"),
    ("docs written", lambda b: len(b.written), "{:.0f}"),
    ("extra pages written", lambda b: b.extra_pages, "{:.0f}"),
    ("env pickle (KB)", lambda b: b.pickle_bytes / 1024, "{:.0f}"),
)


def base_of(column: str, columns: list[str]) -> str | None:
    """The column ``column`` is compared with: the fair floor (else the old floor) built
    with the same ``-j``."""
    jobs = column.partition(" ")[2]
    for base in BASES:
        candidate = f"{base} {jobs}".strip()
        if candidate in columns:
            return None if candidate == column else candidate
    return None


def table(n: int, results: dict[str, dict[str, list[Build]]]) -> str:
    columns = list(results)
    ratios = [(c, b) for c in columns if (b := base_of(c, columns))]
    head = ["scenario", "metric", *columns] + [f"{c} / {b}" for c, b in ratios]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    scenarios = [s for s in SCENARIOS if any(results[c].get(s) for c in columns)]
    for scenario in scenarios:
        for name, get, fmt in METRICS:
            medians = {c: _median([get(b) for b in results[c].get(scenario, [])]) for c in columns}
            cells = [SCENARIO_LABELS[scenario], name]
            cells += ["–" if math.isnan(medians[c]) else fmt.format(medians[c]) for c in columns]
            cells += [_ratio(medians[c], medians[b]) for c, b in ratios]
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def speedups(results: dict[str, dict[str, list[Build]]]) -> str:
    """``-j 1`` over ``-j J`` for every variant measured with both: wall and CPU time."""
    lines = []
    for column, by_scenario in results.items():
        variant, _, jobs = column.partition(" -j")
        if not jobs or variant not in results:
            continue
        for scenario, builds in by_scenario.items():
            serial = results[variant].get(scenario) or []
            if not builds or not serial:
                continue
            wall = _median([b.seconds for b in serial]) / _median([b.seconds for b in builds])
            cpu = _median([b.cpu_seconds for b in builds]) / _median(
                [b.cpu_seconds for b in serial]
            )
            lines.append(
                f"- {variant}, {SCENARIO_LABELS[scenario]}: `-j {jobs}` is {wall:.2f}× as fast "
                f"as `-j 1` (wall time); it uses {cpu:.2f}× the CPU time"
            )
    return "\n".join(lines)


def writes_check(plan: generate.SitePlan, results: dict[str, dict[str, list[Build]]]) -> str:
    """Which pages the edits rewrote; for the body edit, what each column writes beyond
    its base (the fair floor), by name."""
    target = generate.title_edit_target(plan)
    series_pages = {a.docname for a in plan.members(target.series or "")} | {
        f"content/{target.series}/_index"
    }
    lines = []
    for column, by_scenario in results.items():
        builds = by_scenario.get("title") or []
        if not builds:
            continue
        written = set(builds[0].written)
        outside = sorted(written - series_pages)
        lines.append(
            f"- {column}: {len(written)} written, {len(written & series_pages)} of the "
            f"{len(series_pages)} pages of series {target.series} (members + section page); "
            f"outside the series: {', '.join(outside) if outside else 'none'}"
        )
    body = generate.body_edit_target(plan)
    columns = list(results)
    for column, by_scenario in results.items():
        builds = by_scenario.get("body") or []
        if not builds:
            continue
        lines.append(
            f"- body edit ({body.docname}), {column}: read {', '.join(builds[0].read) or 'none'}; "
            f"written {', '.join(builds[0].written) or 'none'}; "
            f"other pages {', '.join(builds[0].extra) or 'none'}"
        )
        base = base_of(column, columns)
        base_builds = results[base].get("body") if base else None
        if base and base_builds:
            # every run, not only the first: a page written in any run counts
            docs = sorted(
                set().union(*(b.written for b in builds))
                - set().union(*(b.written for b in base_builds))
            )
            pages = sorted(
                set().union(*(b.extra for b in builds))
                - set().union(*(b.extra for b in base_builds))
            )
            lines.append(
                f"  - {column} writes beyond {base}: documents {', '.join(docs) or 'none'}; "
                f"other pages {', '.join(pages) or 'none'}"
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


def free_stem(folder: Path, stamp: str, label: str = "") -> str:
    """``<stamp>[-<label>]``, with ``-2``, ``-3``... until no ``.md``/``.json`` has it."""
    stem = f"{stamp}-{label}" if label else stamp
    candidate, k = stem, 1
    while (folder / f"{candidate}.md").exists() or (folder / f"{candidate}.json").exists():
        k += 1
        candidate = f"{stem}-{k}"
    return candidate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="sphinx-topofmind build benchmarks")
    parser.add_argument("--sizes", default="100,1000", help="comma-separated article counts")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--variants", default="topofmind,fairfloor,floor,ablog")
    parser.add_argument(
        "--jobs", default="1", help="comma-separated -j values, each measured, interleaved"
    )
    parser.add_argument(
        "--label", default="", help="results go to <date>-<label>.md/.json (never overwritten)"
    )
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
    jobs = tuple(int(j) for j in args.jobs.split(",") if j)
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
        f"- {args.series} series, {args.tags} tags; medians of {args.runs} run(s); "
        + ", ".join(f"`-j {j}`" for j in jobs)
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
            jobs=jobs,
        )
        loads = [b.load for by in results.values() for bs in by.values() for b in bs]
        report += [
            f"## N = {n}",
            "",
            table(n, results),
            "",
            speedups(results),
            "",
            writes_check(plan, results),
            "",
            (
                f"- 1-minute load average before each build: {min(loads):.1f} to "
                f"{max(loads):.1f} (median {_median(loads):.1f})"
            ),
            "",
        ]
        raw[str(n)] = {
            v: {s: [_raw(b) for b in bs] for s, bs in r.items()} for v, r in results.items()
        }
    report.append(f"- load average at end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    text = "\n".join(report)
    print(text)
    if args.results:
        folder = Path(args.results)
        folder.mkdir(parents=True, exist_ok=True)
        stem = free_stem(folder, dt.datetime.now().strftime("%Y-%m-%d"), args.label)
        (folder / f"{stem}.md").write_text(text + "\n", encoding="utf-8")
        (folder / f"{stem}.json").write_text(json.dumps(raw, indent=1) + "\n", encoding="utf-8")
        print(f"results: {folder / stem}.md", file=sys.stderr)
    if args.workdir is None:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
