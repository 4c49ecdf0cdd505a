"""Profile sphinx-topofmind's hot paths on generated sites (cProfile, in-process).

    python benchmarks/profile_hotspots.py --sizes 500,1000 --top 25

For each size, a topofmind site is generated and built twice in this process under
cProfile: a fresh build, then a rebuild after a title edit of one series member
(the rebuild that rewrites a whole series).  Printed per size: total time, the time
spent inside ``sphinx_topofmind`` (cumulative time of the event handlers, transforms
and collector methods Sphinx calls), and the top entries of the package by own time
and by cumulative time.  With more than one size, the growth of each entry's
cumulative time is shown next to the growth of N: an entry growing like N² (ratio ~4
when N doubles) is flagged as quadratic.  Raw stats go to
``<workdir>/profile-<N>-<phase>.pstats`` (open with ``python -m pstats`` or snakeviz).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate

PACKAGE = "sphinx_topofmind"


def _rows(stats: pstats.Stats) -> dict[tuple[str, int, str], tuple[int, float, float]]:
    rows = {}
    for (filename, line, func), (cc, nc, tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        if _in_package(filename):
            rows[(Path(filename).name, line, func)] = (nc, tt, ct)
    return rows


def _package_total(stats: pstats.Stats) -> float:
    """Time spent in the package: the cumulative time of its functions, counted only for
    the calls that come from outside it (event handlers, transforms, collector methods,
    imports), so nested calls are not summed twice and no list of entry points goes stale."""
    total = 0.0
    for (filename, _line, _func), (_cc, _nc, _tt, _ct, callers) in stats.stats.items():  # type: ignore[attr-defined]
        if not _in_package(filename):
            continue
        for caller, (_ccc, _cnc, _ctt, cct) in callers.items():
            if not _in_package(caller[0]):
                total += cct
    return total


def _in_package(filename: str) -> bool:
    return f"/{PACKAGE}/" in filename.replace("\\", "/")


def profile_build(src: Path, out: Path) -> tuple[pstats.Stats, float]:
    from sphinx.cmd.build import build_main

    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    code = build_main(
        ["-q", "-b", "html", "-j", "1", str(src), str(out / "html"), "-d", str(out / "doctrees")]
    )
    profiler.disable()
    elapsed = time.perf_counter() - start
    if code:
        raise SystemExit(f"sphinx-build failed on {src} ({code})")
    return pstats.Stats(profiler), elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="profile sphinx-topofmind")
    parser.add_argument("--sizes", default="500,1000")
    parser.add_argument("--series", type=int, default=10)
    parser.add_argument("--tags", type=int, default=40)
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="topofmind-profile-"))
    sizes = [int(s) for s in args.sizes.split(",")]
    collected: dict[tuple[int, str], dict] = {}
    for n in sizes:
        plan, sites = generate.generate(
            workdir / f"gen-{n}", n, args.series, args.tags, variants=("topofmind",)
        )
        src = sites["topofmind"]
        out = src / "_build"
        shutil.rmtree(out, ignore_errors=True)
        for phase in ("fresh", "title"):
            if phase == "title":
                generate.edit_title(src, generate.title_edit_target(plan))
            stats, elapsed = profile_build(src, out)
            stats.dump_stats(str(workdir / f"profile-{n}-{phase}.pstats"))
            rows = _rows(stats)
            collected[(n, phase)] = rows
            package = _package_total(stats)
            print(
                f"\n## N={n}, {phase}: {elapsed:.1f} s under cProfile, "
                f"sphinx_topofmind {package:.2f} s ({100 * package / elapsed:.1f}%)\n"
            )
            for key, label in ((1, "own time"), (2, "cumulative time")):
                print(f"Top {args.top} of the package by {label}:\n")
                print("| file:function (line) | calls | own s | cumulative s |")
                print("|---|---|---|---|")
                for (name, line, func), (nc, tt, ct) in sorted(
                    rows.items(), key=lambda kv: -kv[1][key]
                )[: args.top]:
                    print(f"| {name}:{func} ({line}) | {nc} | {tt:.3f} | {ct:.3f} |")
                print()
            buffer = io.StringIO()
            pstats.Stats(str(workdir / f"profile-{n}-{phase}.pstats"), stream=buffer).sort_stats(
                "cumulative"
            ).print_stats(15)
            print(
                "Whole build, top 15 by cumulative time:\n\n```\n"
                + buffer.getvalue().strip()[-4000:]
                + "\n```"
            )
    if len(sizes) > 1:
        small, large = sizes[0], sizes[-1]
        growth = large / small
        print(
            f"\n## Growth from N={small} to N={large} (N grows {growth:.1f}×; linear ≈ {growth:.1f}, "
            f"quadratic ≈ {growth**2:.1f})\n"
        )
        for phase in ("fresh", "title"):
            a, b = collected[(small, phase)], collected[(large, phase)]
            print(
                f"### {phase}\n\n| file:function | cumulative s at {small} | at {large} | ratio | |"
            )
            print("|---|---|---|---|---|")
            keys = sorted(b, key=lambda k: -b[k][2])[: args.top]
            for k in keys:
                before, after = a.get(k, (0, 0.0, 0.0))[2], b[k][2]
                ratio = after / before if before else float("inf")
                flag = "**quadratic?**" if before > 0.01 and ratio > growth * 1.5 else ""
                print(f"| {k[0]}:{k[2]} | {before:.3f} | {after:.3f} | {ratio:.1f} | {flag} |")
            print()
    if args.workdir is None:
        print(f"\n(stats kept in {workdir})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
