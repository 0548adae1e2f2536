"""Shared fixtures: the repository, the `tlstriage` binary, the CLI's JSON, generated fleets."""

import json
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
# Fixed so that no certificate crossing a date changes the expected results.
NOW = "2026-11-23"
YEAR = 2026


def binary() -> str:
    """The CLI to compare with: $TLSTRIAGE_BIN, else the release build, else the debug build."""
    env = os.environ.get("TLSTRIAGE_BIN")
    if env:
        return env
    for profile in ("release", "debug"):
        path = ROOT / "target" / profile / "tlstriage"
        if path.exists():
            return str(path)
    pytest.fail("no tlstriage binary: run `cargo build --release` first or set TLSTRIAGE_BIN")


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([binary(), *args], cwd=ROOT, capture_output=True, text=True, check=False)


def cli_json(*args: str):
    done = cli(*args)
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


def generate_fleet(count: int, out: pathlib.Path) -> list:
    """`count` bundles from the xtask, as sorted paths."""
    subprocess.run(
        ["cargo", "run", "-q", "-p", "xtask", "--", "gen-fleet", "--count", str(count), "--out", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return sorted(str(p) for p in out.iterdir())


@pytest.fixture(scope="session")
def fleet_200(tmp_path_factory):
    """200 generated bundles plus two corrupt ones (a cut-off gzip, bytes that are no archive)."""
    out = tmp_path_factory.mktemp("fleet")
    paths = generate_fleet(200, out)
    whole = pathlib.Path(paths[0]).read_bytes()
    cut = out / "zz-cut-off.tar.gz"
    cut.write_bytes(whole[: len(whole) // 2])
    junk = out / "zz-junk.tar.gz"
    junk.write_bytes(b"\x1f\x8b\x08\x00" + b"not a gzip stream at all" * 8)
    return paths, [str(cut), str(junk)]
