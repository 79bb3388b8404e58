"""`python -m bench <name> [--quick]`: run one benchmark module `bench.<name>` and report its figures.

A benchmark module defines `run(quick: bool) -> tuple[dict[str, Figure], dict[str, Any]]`
(the figures and the arguments it ran with).
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

import bench
from bench.common import report

NOT_BENCHMARKS = {"common", "__main__"}


def available() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(bench.__path__) if m.name not in NOT_BENCHMARKS)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("name", choices=available(), help="which benchmark")
    parser.add_argument("--quick", action="store_true", help="a smaller size that finishes in under a minute")
    args = parser.parse_args(argv)
    module = importlib.import_module(f"bench.{args.name}")
    figures, run_args = module.run(quick=args.quick)
    report(args.name, figures, {**run_args, "quick": args.quick})
    misses = [k for k, f in figures.items() if f.meets_goal() is False]
    if misses:
        print(f"goals not met: {', '.join(misses)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
