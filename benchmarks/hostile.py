"""CPU time of every hostile case's build (tests/hostile/cases/), slowest first.

    python benchmarks/hostile.py [-k SUBSTRING]

The hostile tests assert behaviour only; this is where their cost is watched
(a few kilobytes of input must not make a build crawl).  Each case is built
in-process, as the test builds it, and timed with ``time.process_time`` (CPU,
not wall time: the machine may be busy).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1] / "tests"
sys.path.insert(0, str(TESTS))

from sphinx.testing.util import SphinxTestApp
from test_hostile import case_dirs, project_files


def time_case(case: Path) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        srcdir = Path(tmp) / "site"
        for name, content in project_files(case).items():
            path = srcdir / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        app = SphinxTestApp("html", srcdir=srcdir, builddir=srcdir / "_build", freshenv=True)
        started = time.process_time()
        try:
            app.build()
        finally:
            app.cleanup()
        return time.process_time() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-k", default="", help="only the cases whose name holds this")
    args = parser.parse_args()
    times = {case.name: time_case(case) for case in case_dirs() if args.k in case.name}
    for name, seconds in sorted(times.items(), key=lambda item: -item[1]):
        print(f"{seconds:6.2f} s  {name}")


if __name__ == "__main__":
    main()
