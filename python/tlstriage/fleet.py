"""Fleet triage on Dask: ``python -m tlstriage.fleet PATHS... --scheduler ADDRESS | --workers N``.

Each bundle (or folder of one case) is one stateless ``dask.distributed`` task: it reads its input,
analyses it and returns its fleet part (``{"systems": [...], "inputs": [...]}``, a few KiB). The
client merges the parts by system id as they arrive, in any order, with the same code as
``tlstriage fleet``, so both give the same rows.

Paths are local paths (the workers must see the same file system, as on one machine or a shared
mount) or fsspec URLs (``s3://bucket/case-*.tar.gz``, ``gcs://…``, ``file://…``) where fsspec
and the backend for the scheme are installed; URLs are fetched by the worker into memory and
analysed without a temporary file. An input that cannot be fetched or read is its own row with
its error; the others still count.
"""

from __future__ import annotations

import argparse
import glob as _glob
import os
import sys
from typing import Any, Dict, Iterable, List, Optional, Sequence

import tlstriage


def _is_url(path: str) -> bool:
    return "://" in path


def analyze_one(path: str, now: Optional[str] = None, year: Optional[int] = None, ca: Sequence[str] = ()) -> Dict[str, Any]:
    """The task: the fleet part of one input. Never raises for the input's own faults (a missing
    file, a failed download, a corrupt archive): those become the input's error row."""
    try:
        if _is_url(path):
            import fsspec  # only needed for URLs

            with fsspec.open(path, "rb") as f:
                data = f.read()
            return tlstriage.fleet_part_bytes(path, data, now=now, year=year, ca=list(ca))
        return tlstriage.fleet_part(path, now=now, year=year, ca=list(ca))
    except OSError as e:
        return tlstriage.fleet_error_part(path, f"cannot read: {e.strerror or e}")
    except ImportError as e:
        return tlstriage.fleet_error_part(path, f"cannot fetch a URL: {e}")


def expand(paths: Iterable[str]) -> List[str]:
    """URLs with wildcards expanded through fsspec (local wildcards are the shell's job); other
    paths as given. Each resulting path is one input."""
    out: List[str] = []
    for p in paths:
        if _is_url(p) and _glob.has_magic(p):
            import fsspec

            fs, _, found = fsspec.get_fs_token_paths(p)
            out.extend(fs.unstrip_protocol(f) for f in sorted(found))
        else:
            out.append(p)
    return out


def run(client: Any, paths: Sequence[str], now: Optional[str] = None, year: Optional[int] = None,
        ca: Sequence[str] = ()) -> Dict[str, Any]:
    """Run one task per path on ``client`` (a ``distributed.Client``) and merge the parts."""
    from distributed import as_completed

    # A task per path, even when two paths hold the same bytes: pure=False keeps them apart.
    futures = client.map(analyze_one, list(paths), now=now, year=year, ca=list(ca), pure=False)
    parts = []
    for fut in as_completed(futures):
        parts.append(fut.result())
        fut.release()
    return tlstriage.merge_fleet(parts)


def exit_code(fleet: Dict[str, Any]) -> int:
    """As ``tlstriage fleet``: 2 when no input could be read, 1 when a system needs action."""
    inputs = fleet.get("inputs", [])
    if not inputs or all(i["status"] == "error" for i in inputs):
        return 2
    urgent = {"expired", "renewed-push-pending", "expiring", "error"}
    return int(any(r["state"] in urgent for r in fleet["systems"]))


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m tlstriage.fleet", description=__doc__.split("\n\n")[0])
    p.add_argument("paths", nargs="+", help="bundles, case folders or fsspec URLs; each is one input")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--scheduler", metavar="ADDRESS", help="address of a running Dask scheduler (tcp://host:8786)")
    where.add_argument("--workers", type=int, metavar="N", help="start a local cluster of N worker processes")
    p.add_argument("--threads-per-worker", type=int, default=1, metavar="N", help="threads of each local worker (default 1)")
    p.add_argument("--out", metavar="FILE", help="write the per-system rows as JSON Lines into FILE")
    p.add_argument("--format", choices=["table", "json", "jsonl", "csv"], default="table", help="what to print")
    p.add_argument("--now", help="judge certificates against this date (RFC 3339 or YYYY-MM-DD)")
    p.add_argument("--year", type=int, help="year of syslog time stamps (they carry none)")
    p.add_argument("--ca", action="append", default=[], metavar="FILE", help="extra trust anchor; repeatable")
    return p


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = _parser().parse_args(argv)
    from distributed import Client, LocalCluster

    if args.ca:
        # An unusable trust anchor stops the run before any task, as on the command line.
        try:
            tlstriage.analyze([], ca=args.ca)
        except (OSError, tlstriage.InputError) as e:
            print(f"tlstriage.fleet: --ca {e}", file=sys.stderr)
            return 2
    paths = expand(args.paths)
    if args.scheduler:
        client = Client(args.scheduler)
        cluster = None
    else:
        cluster = LocalCluster(n_workers=max(1, args.workers), threads_per_worker=max(1, args.threads_per_worker),
                               processes=True, dashboard_address=None)
        client = Client(cluster)
    try:
        fleet = run(client, paths, now=args.now, year=args.year, ca=args.ca)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(tlstriage.render_fleet(fleet, "jsonl"))
    sys.stdout.write(tlstriage.render_fleet(fleet, args.format))
    return exit_code(fleet)


if __name__ == "__main__":
    sys.exit(main())
