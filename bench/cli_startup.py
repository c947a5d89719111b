"""Start-up of the `fieldrep` command line: repeated runs, median and best wall, CPU seconds.

Run: python bench/cli_startup.py [--runs 10] [--importtime]
Commands: `fieldrep --help` (goal: under 0.5 s; it builds no app and loads no solver library),
`fieldrep route --help`, `fieldrep plan --help` (builds the database layers) and, for scale,
`python -c pass`. CPU (user + sys of the child) is shown beside wall time because the machine
is shared: wall grows with the load, CPU much less. --importtime prints the ten slowest imports
of `fieldrep --help` (python -X importtime). Prints figures, never fails on time.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

FIELDREP = str(Path(sys.executable).with_name("fieldrep"))


def run(cmd: list[str]) -> tuple[float, float]:
    """(wall, CPU) seconds of one run of cmd."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--importtime", action="store_true")
    args = ap.parse_args()
    print("load average at start: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    cases = [
        ("python -c pass", [sys.executable, "-c", "pass"]),
        ("fieldrep --help", [FIELDREP, "--help"]),
        ("fieldrep route --help", [FIELDREP, "route", "--help"]),
        ("fieldrep plan --help", [FIELDREP, "plan", "--help"]),
    ]
    for label, cmd in cases:
        run(cmd)  # warm the file cache
        results = [run(cmd) for _ in range(args.runs)]
        walls = [w for w, _ in results]
        cpus = [c for _, c in results]
        print(
            f"{label:24} wall median {statistics.median(walls):5.2f} s  best {min(walls):5.2f} s"
            f"  | CPU median {statistics.median(cpus):5.2f} s  ({args.runs} runs)"
        )
    if args.importtime:
        out = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "backend", "--help"],
            capture_output=True,
            text=True,
            check=True,
        )
        rows = []
        for line in out.stderr.splitlines():
            parts = line.split("|")
            if len(parts) == 3 and parts[1].strip().isdigit():
                rows.append((int(parts[1]), parts[2].rstrip()))
        print("slowest imports of `fieldrep --help` (cumulative microseconds):")
        for us, name in sorted(rows, reverse=True)[:10]:
            print(f"  {us:9d} {name}")
    print("load average at end: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
