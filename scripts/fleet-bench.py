#!/usr/bin/env python3
"""Bundles per second of `tlstriage fleet` and of the Dask runner over generated bundles.

Usage (from the repository root, after `cargo build --release` and `pip install .` in the
virtual environment that runs this script):

    nice -n 19 target/venv/bin/python scripts/fleet-bench.py --dir target/fleet-1000 --count 1000

Generates the bundles once (`cargo run -p xtask -- gen-fleet`), then times, for the first 100 and
for all of them: `tlstriage fleet --threads 1` and `--threads 2`, and `tlstriage.fleet.run` on a
local Dask cluster of 1 and 2 single-threaded worker processes (cluster start-up timed apart).
Each figure is the best of --repeat runs; the load average is printed beside them, since the
machine may be shared. Checks that every run gives the same rows.
"""

import argparse
import json
import os
import pathlib
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOW, YEAR = "2026-11-23", "2026"


def cli_run(binary, paths, threads):
    start = time.perf_counter()
    done = subprocess.run([binary, "fleet", "--format", "json", "--now", NOW, "--year", YEAR, "--threads", str(threads), *paths],
                          capture_output=True, text=True, check=False)
    took = time.perf_counter() - start
    assert done.returncode in (0, 1), done.stderr
    return took, json.loads(done.stdout)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", default="target/fleet-1000")
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--binary", default=str(ROOT / "target/release/tlstriage"))
    args = ap.parse_args()
    out = pathlib.Path(args.dir)
    if not out.exists() or len(list(out.iterdir())) < args.count:
        subprocess.run(["cargo", "run", "-q", "-p", "xtask", "--", "gen-fleet", "--count", str(args.count),
                        "--out", str(out)], cwd=ROOT, check=True)
    paths = sorted(str(p) for p in out.iterdir())[: args.count]
    sizes = {n: paths[:n] for n in (100, args.count)}
    print(f"# {len(paths)} bundles, {sum(os.path.getsize(p) for p in paths) / 1e6:.1f} MB; load average at start {os.getloadavg()}")

    import distributed
    import tlstriage
    from tlstriage import fleet

    reference = {}
    for n, some in sizes.items():
        for threads in (1, 2):
            best, doc = min((cli_run(args.binary, some, threads) for _ in range(args.repeat)), key=lambda r: r[0])
            reference.setdefault(n, doc)
            assert doc == reference[n], "thread count changed the rows"
            print(f"tlstriage fleet --threads {threads}  {n:5d} bundles  {best:7.2f} s  {n / best:8.1f} bundles/s  load {os.getloadavg()[0]:.2f}")
    for workers in (1, 2):
        start = time.perf_counter()
        cluster = distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
        client = distributed.Client(cluster)
        print(f"dask: {workers} worker(s) started in {time.perf_counter() - start:.2f} s")
        for n, some in sizes.items():
            best = None
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                got = fleet.run(client, some, now=NOW, year=int(YEAR))
                took = time.perf_counter() - t0
                best = took if best is None else min(best, took)
                assert got == reference[n], "Dask rows differ from tlstriage fleet"
            print(f"dask run, {workers} worker(s)       {n:5d} bundles  {best:7.2f} s  {n / best:8.1f} bundles/s  load {os.getloadavg()[0]:.2f}")
        client.close()
        cluster.close()
    print(f"# load average at end {os.getloadavg()}; tlstriage {tlstriage.__version__}")


if __name__ == "__main__":
    sys.exit(main())
