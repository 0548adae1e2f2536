"""The Python API gives the CLI's JSON document, for files, folders and bytes held in memory."""

import ctypes
import datetime
import json
import pathlib
import signal

import pytest

import tlstriage
from conftest import NOW, ROOT, YEAR, cli, cli_json

SAMPLES = ROOT / "samples"


def sample_inputs():
    """Every sample file and folder, relative to the repository, and samples/ as a whole."""
    found = ["samples"]
    for p in sorted(SAMPLES.rglob("*")):
        if p.name != "README.md":
            found.append(str(p.relative_to(ROOT)))
    return found


@pytest.fixture(autouse=True)
def in_repository(monkeypatch):
    monkeypatch.chdir(ROOT)


@pytest.mark.parametrize("path", sample_inputs())
def test_analyze_equals_the_cli_json(path):
    expected = cli_json("analyze", path, "--now", NOW, "--year", str(YEAR), "--format", "json")
    assert tlstriage.analyze([path], now=NOW, year=YEAR) == expected


@pytest.mark.parametrize("path", [p for p in sample_inputs() if (ROOT / p).is_file()])
def test_analyze_bytes_equals_the_cli_json_of_the_file(path):
    expected = cli_json("analyze", path, "--now", NOW, "--year", str(YEAR), "--format", "json")
    data = (ROOT / path).read_bytes()
    assert tlstriage.analyze_bytes(path, data, now=NOW, year=YEAR) == expected
    assert tlstriage.analyze_bytes(path, memoryview(data), now=NOW, year=YEAR) == expected


def test_trust_anchors_and_dates_pass_through():
    ca = "samples/captures/unknown-ca.pcap"  # its certificates become anchors
    expected = cli_json("analyze", "samples/bundles", "--now", NOW, "--year", str(YEAR), "--ca", ca, "--format", "json")
    got = tlstriage.analyze("samples/bundles", now=datetime.date(2026, 11, 23), year=YEAR, ca=[ca])
    assert got == expected
    assert got["now"] == "2026-11-23T00:00:00Z"


def test_a_ca_file_without_certificate_raises_naming_it():
    ca = "samples/logs/tls-proxy/tls_proxy.log"
    assert cli("analyze", "samples/bundles", "--ca", ca).returncode == 2
    for call in (lambda: tlstriage.analyze("samples/bundles", ca=ca), lambda: tlstriage.analyze_bytes("x", b"", ca=[ca])):
        with pytest.raises(tlstriage.InputError) as e:
            call()
        assert e.value.path == ca and "no certificate" in e.value.message


def test_explain_equals_the_cli():
    for kind in ("expired-ca", "cert-push-failed", "all"):
        assert tlstriage.explain(kind) == cli("explain", kind, "--width", "1048576").stdout
        assert tlstriage.explain(kind, width=60) == cli("explain", kind, "--width", "60").stdout
    with pytest.raises(ValueError, match="unknown finding kind"):
        tlstriage.explain("no-such-kind")


def test_a_missing_path_raises_an_oserror_naming_it():
    with pytest.raises(FileNotFoundError) as e:
        tlstriage.analyze(["samples/bundles", "samples/no-such-bundle.tar.gz"])
    assert e.value.filename == "samples/no-such-bundle.tar.gz"
    with pytest.raises(FileNotFoundError) as e:
        tlstriage.analyze_bytes("x.pem", b"", ca=["no-such-ca.pem"])
    assert e.value.filename == "no-such-ca.pem"


def test_a_bad_date_is_a_value_error():
    with pytest.raises(ValueError, match="--now"):
        tlstriage.analyze("samples/bundles", now="23/11/2026")


def test_corrupt_bytes_are_reported_and_strict_raises_naming_them():
    data = pathlib.Path("samples/bundles/fmc-hq-01.tar.gz").read_bytes()[:1000]
    doc = tlstriage.analyze_bytes("s3://cases/cut.tar.gz", data, now=NOW)
    top = doc["inputs"][0]
    assert top["path"] == "s3://cases/cut.tar.gz" and top["status"] in ("error", "partial")
    with pytest.raises(tlstriage.InputError) as e:
        tlstriage.analyze_bytes("s3://cases/junk.tar.gz", b"\x1f\x8b\x08\x00junk", now=NOW, strict=True)
    assert e.value.path == "s3://cases/junk.tar.gz"


def test_fleet_parts_merge_as_the_cli_fleet():
    paths = ["samples/bundles/fmc-hq-01.tar.gz", "samples/bundles/ftd-branch-07.tar.gz", "samples/captures"]
    expected = cli_json("fleet", *paths, "--now", NOW, "--year", str(YEAR), "--format", "json")
    parts = [tlstriage.fleet_part(p, now=NOW, year=YEAR) for p in reversed(paths)]
    merged = tlstriage.merge_fleet(parts)
    assert merged == expected
    hq = [r for r in merged["systems"] if r["fmc"] == "fmc-hq-01"]
    assert len(hq) == 1 and hq[0]["bundles"] == paths[:2]
    assert tlstriage.render_fleet(merged, "csv") == cli("fleet", *paths, "--now", NOW, "--year", str(YEAR), "--format", "csv").stdout
    as_bytes = tlstriage.fleet_part_bytes(paths[0], pathlib.Path(paths[0]).read_bytes(), now=NOW, year=YEAR)
    assert as_bytes == tlstriage.fleet_part(paths[0], now=NOW, year=YEAR)
    assert json.loads(json.dumps(merged)) == merged


def sigbus_handler():
    """The address of the SIGBUS handler of this process (glibc and musl put it first in
    `struct sigaction`), read without changing it."""
    libc = ctypes.CDLL(None, use_errno=True)
    action = ctypes.create_string_buffer(512)
    assert libc.sigaction(signal.SIGBUS, None, action) == 0
    return ctypes.c_void_p.from_buffer(action).value


def test_reading_installs_no_signal_handler(tmp_path):
    """The extension runs inside other programs (a Dask worker): reading a big log (in chunks) and
    captures leaves the process's signal handlers as they were."""
    before = sigbus_handler()
    log = tmp_path / "messages"
    log.write_bytes((SAMPLES / "logs/ftd-expired-ca/messages").read_bytes() * 400)
    assert log.stat().st_size > 1 << 20
    doc = tlstriage.analyze([str(log), "samples/captures"], now=NOW, year=YEAR)
    assert any(f["kind"] == "expired-ca" for f in doc["findings"])
    assert sigbus_handler() == before


def test_nothing_read_raises_with_each_reason_as_the_cli_exits_2(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    unknown = tmp_path / "unknown"
    unknown.mkdir()
    (unknown / "notes.txt").write_text("call the customer back on Tuesday\n")
    (unknown / "list.csv").write_text("a,b\n1,2\n")
    for strict in (False, True):
        with pytest.raises(tlstriage.NothingReadError) as e:
            tlstriage.analyze(str(empty), now=NOW, strict=strict)
        assert e.value.reasons == {str(empty): "the folder is empty (no file in it or below it)"}
        assert e.value.inputs == [] and "nothing could be read" in str(e.value)
        with pytest.raises(tlstriage.NothingReadError) as e:
            tlstriage.analyze([unknown], now=NOW, strict=strict)
        assert e.value.reasons == {
            str(unknown / "list.csv"): "not a format tlstriage reads",
            str(unknown / "notes.txt"): "not a format tlstriage reads",
        }
        assert isinstance(e.value, tlstriage.InputError)
        with pytest.raises(tlstriage.NothingReadError):
            tlstriage.analyze_bytes("paste.txt", b"nothing of TLS in here\n", now=NOW, strict=strict)
    for folder in (empty, unknown):
        assert cli("analyze", str(folder), "--now", NOW).returncode == 2
    # Something read beside an unknown file is a document, as the command's exit code 1.
    doc = tlstriage.analyze([unknown, "samples/logs/ftd-expired-ca"], now=NOW, year=YEAR)
    assert [f["kind"] for f in doc["findings"]] == ["expired-ca"]
