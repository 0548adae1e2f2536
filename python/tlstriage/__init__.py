"""tlstriage: offline triage of TLS failures on Cisco Firepower systems, from Python.

The analysis is the Rust library behind the ``tlstriage`` command; every call releases the GIL
while it works, so threads (and Dask workers with several threads) run analyses side by side.

- :func:`analyze` reads files and folders (bundles are read in place, never unpacked) and
  returns the same document as ``tlstriage analyze --format json``.
- :func:`analyze_bytes` does the same for bytes already in memory (an object-store download).
- :func:`explain` returns what a finding kind means and how to fix it.
- :func:`fleet_part`, :func:`fleet_part_bytes` and :func:`merge_fleet` are the pieces of
  ``tlstriage fleet``: one stateless job per bundle, rows merged by system id
  (see :mod:`tlstriage.fleet` for the Dask runner).

Errors: a path that does not exist or cannot be opened raises :class:`OSError` (its subclass by
errno, ``FileNotFoundError`` …) whose ``filename`` is that path; a bad ``now`` or unknown kind
raises :class:`ValueError`; a ``ca`` file that holds no certificate raises :class:`InputError`
naming it. When nothing at all could be read (an empty folder, only files of unknown formats,
only corrupt ones) :func:`analyze` and :func:`analyze_bytes` raise :class:`NothingReadError`
with each input's reason, where the command exits with 2 — with or without ``strict``. Content
that cannot be read beside content that can (a corrupt archive next to a good one) is reported
in the document's ``inputs`` with ``status: "error"``, as the command does; pass
``strict=True`` to get an :class:`InputError` naming the input instead.
"""

from __future__ import annotations

import datetime as _dt
import json as _json
import os as _os
from typing import Any, Dict, Iterable, List, Optional, Sequence, Union

from . import _native

__version__: str = _native.__version__
__all__ = [
    "InputError",
    "NothingReadError",
    "analyze",
    "analyze_bytes",
    "explain",
    "fleet_part",
    "fleet_part_bytes",
    "fleet_error_part",
    "merge_fleet",
    "render_fleet",
]

PathLike = Union[str, "_os.PathLike[str]"]
When = Union[str, _dt.date, _dt.datetime, None]


class InputError(Exception):
    """An input could not be read (raised by ``strict=True`` calls); ``path`` names it."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


class NothingReadError(InputError):
    """Nothing could be read, so nothing can be said about TLS (the command exits with 2).

    ``reasons`` maps each input's path to why it gave nothing (``"not a format tlstriage
    reads"``, ``"no such file or directory"``, ``"the folder is empty (no file in it or below
    it)"``); ``inputs`` holds the document's ``inputs`` entries (empty for an empty folder) and
    ``document`` the whole document. ``path`` and ``message`` (of :class:`InputError`) are those
    of the first input.
    """

    def __init__(self, reasons: Dict[str, str], document: Dict[str, Any]) -> None:
        self.reasons = dict(reasons)
        self.document = document
        self.inputs: List[Dict[str, Any]] = list(document.get("inputs", []))
        first, why = next(iter(self.reasons.items()), ("", "nothing to read"))
        super().__init__(first, why)
        listed = "; ".join(f"{p}: {w}" for p, w in self.reasons.items())
        self.args = (f"nothing could be read: {listed}",)

    def __str__(self) -> str:
        return str(self.args[0])


def _when(now: When) -> Optional[str]:
    """``now`` as the command line takes it: RFC 3339 or YYYY-MM-DD."""
    if now is None or isinstance(now, str):
        return now
    if isinstance(now, _dt.datetime):
        if now.tzinfo is None:
            now = now.replace(tzinfo=_dt.timezone.utc)
        return now.astimezone(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(now, _dt.date):
        return now.isoformat()
    raise TypeError(f"now must be a str, date or datetime, not {type(now).__name__}")


def _paths(paths: Union[PathLike, Iterable[PathLike]]) -> List[str]:
    if isinstance(paths, (str, _os.PathLike)):
        return [_os.fspath(paths)]
    return [_os.fspath(p) for p in paths]


def _ca(ca: Union[PathLike, Sequence[PathLike], None]) -> List[str]:
    return [] if ca is None else _paths(ca)


def _nothing_read(doc: Dict[str, Any], given: Sequence[str], ca: Sequence[str]) -> None:
    """Raise :class:`NothingReadError` when no input was read (as the command's exit code 2)."""
    inputs = [i for i in doc.get("inputs", []) if i.get("path") not in ca]
    if any(i.get("status") in ("ok", "partial") for i in inputs):
        return
    reasons: Dict[str, str] = {}
    for i in inputs:
        reasons[i["path"]] = i.get("message") or i.get("status") or "not read"
    if not inputs:
        for p in given:
            empty = _os.path.isdir(p)
            reasons[p] = "the folder is empty (no file in it or below it)" if empty else "holds no file"
    raise NothingReadError(reasons, doc)


def _check(doc: Dict[str, Any], strict: bool, ca: Sequence[str] = (), given: Sequence[str] = ()) -> Dict[str, Any]:
    # An unusable trust anchor stops the run, as it does on the command line.
    for i in doc.get("inputs", []):
        if i.get("path") in ca and i.get("status") == "error":
            raise InputError(i["path"], i.get("message") or "no trust anchor in it")
    _nothing_read(doc, given, ca)
    if strict:
        for i in doc.get("inputs", []):
            if i.get("status") == "error":
                raise InputError(i["path"], i.get("message") or "cannot be read")
    return doc


def analyze(
    paths: Union[PathLike, Iterable[PathLike]],
    now: When = None,
    year: Optional[int] = None,
    ca: Union[PathLike, Sequence[PathLike], None] = None,
    *,
    strict: bool = False,
) -> Dict[str, Any]:
    """Analyse files and folders; returns the ``tlstriage analyze --format json`` document.

    ``now`` judges certificates against another date than today (``"2026-11-23"``, an RFC 3339
    time, a ``date`` or ``datetime``); ``year`` is the year of syslog time stamps (they carry
    none); ``ca`` adds trust anchors (PEM or DER files). Raises :class:`NothingReadError`
    when no input could be read.
    """
    anchors = _ca(ca)
    given = _paths(paths)
    text = _native.analyze_json(given, _when(now), year, anchors)
    return _check(_json.loads(text), strict, anchors, given)


def analyze_bytes(
    name: str,
    data: Union[bytes, bytearray, memoryview],
    now: When = None,
    year: Optional[int] = None,
    ca: Union[PathLike, Sequence[PathLike], None] = None,
    *,
    strict: bool = False,
) -> Dict[str, Any]:
    """Analyse ``data`` as if it were a file called ``name`` (its key or URL, shown in evidence).

    The bytes go through the same reading path as files and archive members: nothing is
    written to disk. Other arguments as for :func:`analyze`.
    """
    blob = data if isinstance(data, bytes) else bytes(data)
    anchors = _ca(ca)
    text = _native.analyze_bytes_json(name, blob, _when(now), year, anchors)
    return _check(_json.loads(text), strict, anchors, [name])


def explain(kind: str, width: Optional[int] = None) -> str:
    """What a finding kind (``"expired-ca"`` …) means and its remediation; ``"all"`` lists them.

    ``width`` wraps the text between words as ``tlstriage explain --width N`` does; ``None``
    leaves each paragraph on one line.
    """
    return _native.explain(kind, width)


def fleet_part(
    path: PathLike,
    now: When = None,
    year: Optional[int] = None,
    ca: Union[PathLike, Sequence[PathLike], None] = None,
) -> Dict[str, Any]:
    """One top-level input (a bundle, or a folder of one case) as ``{"systems", "inputs"}``."""
    return _json.loads(_native.fleet_part_json(_os.fspath(path), _when(now), year, _ca(ca)))


def fleet_part_bytes(
    name: str,
    data: Union[bytes, bytearray, memoryview],
    now: When = None,
    year: Optional[int] = None,
    ca: Union[PathLike, Sequence[PathLike], None] = None,
) -> Dict[str, Any]:
    """Like :func:`fleet_part` for a bundle held in memory, named ``name``."""
    blob = data if isinstance(data, bytes) else bytes(data)
    return _json.loads(_native.fleet_part_bytes_json(name, blob, _when(now), year, _ca(ca)))


def fleet_error_part(name: str, message: str) -> Dict[str, Any]:
    """The fleet part of an input that could not even be fetched: its own error row."""
    return _json.loads(_native.fleet_error_part_json(name, message))


def merge_fleet(parts: Iterable[Dict[str, Any]]) -> Dict[str, Any]:
    """Merge fleet parts by system id, in any order, into ``{"systems", "inputs"}`` sorted by
    urgency, exactly as ``tlstriage fleet`` does."""
    return _json.loads(_native.merge_fleet_json([_json.dumps(p) for p in parts]))


def render_fleet(fleet: Dict[str, Any], format: str = "table", width: Optional[int] = None) -> str:
    """A fleet document as ``tlstriage fleet`` prints it: ``table``, ``json``, ``jsonl``, ``csv``."""
    return _native.render_fleet(_json.dumps(fleet), format, width)
