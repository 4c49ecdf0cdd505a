"""Full series nav vs windowed nav on one long series.

    python benchmarks/window.py --n 2000 --window 5

Generates two topofmind sites with one series of N articles (no notes): in one every
article shows ``{{ s0_nav(selected=K) }}`` (the whole series), in the other
``{{ s0_nav(selected=K, window=W) }}``.  Each is built fresh once (``-j 1``) and the
build time, peak RSS, total HTML size and the size of one article page are printed
as a Markdown table.  ``--timeout`` stops a build that takes too long (reported as such).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate
from run import sphinx_command


def build(python: str, src: Path, timeout: float) -> tuple[float | None, float, int]:
    """(wall seconds or None if stopped, CPU seconds of the child, peak RSS of children so far)."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    command = sphinx_command(python, src)
    start = time.perf_counter()
    with (src / "build.log").open("w") as log:
        child = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        try:
            child.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
            return None, 0.0, 0
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return seconds, cpu, after.ru_maxrss


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="full vs windowed series nav")
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--window", type=int, default=5)
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="topofmind-window-"))
    rows = []
    # windowed first: getrusage(RUSAGE_CHILDREN) keeps the largest child so far
    for label, window in ((f"window={args.window}", args.window), ("full nav", None)):
        plan, sites = generate.generate(
            workdir / label.replace("=", ""),
            args.n,
            series=1,
            tags=40,
            variants=("topofmind",),
            window=window,
            notes_every=0,
        )
        site = sites["topofmind"]
        seconds, cpu, rss = build(args.python, site, args.timeout)
        html = site / "_build" / "html"
        middle = plan.articles[len(plan.articles) // 2]
        page = html / (middle.docname + ".html")
        total = sum(p.stat().st_size for p in html.rglob("*.html")) if seconds else 0
        rows.append((label, seconds, cpu, rss, total, page.stat().st_size if page.is_file() else 0))
        print(f"# {label}: {seconds if seconds else 'timed out'}", file=sys.stderr, flush=True)
    print(f"One series of {args.n} articles, fresh build, -j 1\n")
    print(
        "| nav | wall time (s) | CPU time (s) | peak RSS (MB, largest child so far) | all HTML (MB) | one article page (KB) |"
    )
    print("|---|---|---|---|---|---|")
    for label, seconds, cpu, rss, total, page_bytes in rows:
        time_cell = f"{seconds:.1f}" if seconds else f"> {args.timeout:.0f} (stopped)"
        print(
            f"| {label} | {time_cell} | {cpu:.1f} | {rss / 1024:.0f} | {total / 2**20:.1f} | {page_bytes / 1024:.0f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
