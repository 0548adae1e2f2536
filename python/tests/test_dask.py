"""The Dask runner: one task per bundle on a two-worker local cluster gives the rows of
`tlstriage fleet`; corrupt bundles are their own rows and the others are still analysed."""

import json
import subprocess
import sys

import pytest

import tlstriage
from tlstriage import fleet
from conftest import NOW, ROOT, YEAR, cli, cli_json

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


def test_two_workers_over_200_bundles_give_the_cli_rows(client, fleet_200):
    good, corrupt = fleet_200
    paths = good + corrupt
    expected = cli_json("fleet", *paths, "--now", NOW, "--year", str(YEAR), "--format", "json")
    got = fleet.run(client, paths, now=NOW, year=YEAR)
    assert got == expected
    assert len(got["inputs"]) == 202
    states = {r["state"] for r in got["systems"]}
    assert states == {"expired", "expiring", "healthy", "renewed-push-pending", "error"}
    # Systems seen in their FMC's and an FTD's bundle are one row each.
    assert any(len(r["bundles"]) == 2 for r in got["systems"])


def test_corrupt_bundles_are_rows_of_their_own(client, fleet_200):
    good, corrupt = fleet_200
    alone = fleet.run(client, good[:10], now=NOW, year=YEAR)
    with_bad = fleet.run(client, corrupt + good[:10], now=NOW, year=YEAR)
    cut, junk = corrupt
    # Bytes that are no archive at all: a row of their own, with the reader's error.
    errors = [r for r in with_bad["systems"] if r["state"] == "error"]
    assert [r["bundles"] for r in errors] == [[junk]]
    assert "gzip" in errors[0]["error"]
    # A cut-off archive is read up to the cut: its input says so, and what it held still counts.
    status = {i["path"]: i for i in with_bad["inputs"]}
    assert status[cut]["status"] == "partial" and status[cut]["message"].startswith(cut)
    assert status[junk]["status"] == "error"
    # It was cut from the first bundle: its system's row lists both. Otherwise the rows are
    # exactly those the good bundles give alone.
    first = [r for r in with_bad["systems"] if cut in r["bundles"]]
    assert len(first) == 1 and first[0]["bundles"] == [good[0], cut]
    others = [{**r, "bundles": [b for b in r["bundles"] if b != cut]} for r in with_bad["systems"] if r["state"] != "error"]
    assert others == alone["systems"]
    missing = fleet.run(client, [str(ROOT / "no-such.tar.gz")], now=NOW)
    assert missing["systems"][0]["state"] == "error" and "cannot read" in missing["systems"][0]["error"]


def test_fsspec_urls_are_read_into_memory(client, fleet_200):
    pytest.importorskip("fsspec")
    good, _ = fleet_200
    some = good[:6]
    by_path = fleet.run(client, some, now=NOW, year=YEAR)
    by_url = fleet.run(client, ["file://" + p for p in some], now=NOW, year=YEAR)
    # Names (and the evidence paths in the steps) carry the URL; everything else is the same.
    assert json.loads(json.dumps(by_url).replace("file://", "")) == by_path


def test_the_command_writes_jsonl_and_prints_the_table(tmp_path):
    samples = [str(ROOT / "samples/bundles/fmc-hq-01.tar.gz"), str(ROOT / "samples/bundles/ftd-branch-07.tar.gz")]
    out = tmp_path / "rows.jsonl"
    done = subprocess.run(
        [sys.executable, "-m", "tlstriage.fleet", *samples, "--workers", "1", "--out", str(out), "--now", NOW,
         "--year", str(YEAR)],
        capture_output=True, text=True, check=False,
    )
    assert done.returncode == 1, done.stderr  # a renewal is pending: action needed
    assert "renewed-push-pending" in done.stdout and "fmc-hq-01" in done.stdout
    expected = cli("fleet", *samples, "--now", NOW, "--year", str(YEAR), "--format", "jsonl").stdout
    assert out.read_text() == expected
    rows = [json.loads(line) for line in expected.splitlines()]
    assert rows[0]["devices_pending"] == ["ftd-branch-07", "ftd-dc-02"]
