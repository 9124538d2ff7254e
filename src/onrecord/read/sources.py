"""Where inputs come from: files, folders, standard input; format detection; size limits; gzip.

``iter_inputs`` turns sources into ``RawInput`` items (one per page, one per JSONL line) without
reading a folder or a JSONL file into memory. WARC files are handed to ``onrecord.read.warc``.
"""

from __future__ import annotations

import gzip
import io
import logging
import os
import re
import sys
import zlib
from collections.abc import Iterator
from typing import IO

from ..errors import InputError, MissingExtra
from ..model import Article, ErrorRecord, Problem, RawInput
from ..settings import Settings

log = logging.getLogger(__name__)

FORMATS: tuple[str, ...] = ("html", "text", "jsonl", "warc")
EXTENSIONS: dict[str, str] = {
    ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html",
    ".txt": "text", ".text": "text",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".warc": "warc", ".arc": "warc",
}
_GZIP_MAGIC = b"\x1f\x8b"
_HTML_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S)
_HTML_TAGS = re.compile(rb"<(?:html|head|body|meta|title|div|p|article|span|a|br)\b[^>]*>", re.I)
_SNIFF_BYTES = 65536


def format_of_name(name: str) -> str | None:
    """The format a file name says (``story.html.gz`` -> ``html``), or None."""
    lower = name.lower()
    if lower.endswith(".gz"):
        lower = lower[:-3]
    return EXTENSIONS.get(os.path.splitext(lower)[1])


def sniff(head: bytes) -> str:
    """The format of content starting with ``head`` (already decompressed): warc, html, jsonl or text."""
    body = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if body.startswith(b"WARC/"):
        return "warc"
    if _HTML_START.match(body) or len(_HTML_TAGS.findall(body[:4096])) >= 3:
        return "html"
    if body.startswith(b"{"):
        first = body.split(b"\n", 1)[0].strip()
        if first.endswith(b"}") or b"\n" not in body:
            return "jsonl"
    return "text"


def iter_inputs(
    sources: list[str], *, format: str | None = None, settings: Settings
) -> Iterator[RawInput | Article | ErrorRecord]:
    """Every input in ``sources``, in order: RawInput items to convert, or ready Articles/ErrorRecords (WARC)."""
    if format is not None and format not in FORMATS:
        raise ValueError(f"unknown input format {format!r}; known: {', '.join(FORMATS)}")
    for src in sources:
        if src == "-":
            yield from _stream_inputs(sys.stdin.buffer, "-", format, settings)
        elif os.path.isdir(src):
            for path in walk(src, any_file=format is not None):
                yield from _file_inputs(path, format, settings)
        else:
            yield from _file_inputs(src, format, settings)


def walk(folder: str, *, any_file: bool = False) -> Iterator[str]:
    """The supported files under ``folder``, depth first in name order (every visible file with ``any_file``)."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as e:
        log.warning("cannot list %s: %s", folder, e.strerror or e)
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from walk(entry.path, any_file=any_file)
        elif any_file or format_of_name(entry.name):
            yield entry.path
        else:
            log.debug("skipping %s: not a supported input format", entry.path)


def _file_inputs(path: str, format: str | None, settings: Settings) -> Iterator[RawInput | Article | ErrorRecord]:
    if not os.path.exists(path):
        yield ErrorRecord(path, Problem("not_found", f"no such file or folder: {path}"))
        return
    fmt = format or format_of_name(path)
    if fmt == "warc":
        yield from _warc_inputs(path, settings)
        return
    try:
        stream = _open(path)
    except OSError as e:
        yield ErrorRecord(path, Problem("not_found", f"cannot open {path}: {e.strerror or e}"))
        return
    with stream:
        try:
            head = stream.peek(_SNIFF_BYTES)[:_SNIFF_BYTES] if hasattr(stream, "peek") else b""
        except (OSError, EOFError, zlib.error) as e:
            yield ErrorRecord(path, Problem("bad_gzip", f"corrupt gzip data: {e}"))
            return
        if fmt is None or (format is None and fmt == "text" and _HTML_START.match(head)):
            fmt = sniff(head)
            if fmt == "warc":
                yield from _warc_inputs(path, settings)
                return
        if fmt == "jsonl":
            yield from _jsonl_lines(stream, path, settings)
            return
        if not path.lower().endswith(".gz"):
            size = os.path.getsize(path)
            if size > settings.max_input_bytes:
                yield ErrorRecord(path, Problem("too_large", _too_large(size, settings)))
                return
        try:
            data = read_capped(stream, settings.max_input_bytes)
        except InputError as e:
            yield ErrorRecord(path, Problem(e.code, e.message))
            return
    yield RawInput(path, data, fmt)


def _open(path: str) -> IO[bytes]:
    raw = open(path, "rb")  # noqa: SIM115 - closed by the caller's with-block
    magic = raw.read(2)
    raw.seek(0)
    if magic == _GZIP_MAGIC:
        return io.BufferedReader(gzip.GzipFile(fileobj=raw, mode="rb"))  # type: ignore[arg-type]
    return io.BufferedReader(raw)  # type: ignore[arg-type]


def read_capped(stream: IO[bytes], limit: int) -> bytes:
    """All of ``stream`` when it holds at most ``limit`` bytes; InputError ``too_large`` / ``bad_gzip`` else."""
    try:
        data = stream.read(limit + 1)
    except (gzip.BadGzipFile, EOFError, zlib.error) as e:
        raise InputError("bad_gzip", f"corrupt gzip data: {e}") from None
    except OSError as e:
        raise InputError("bad_gzip" if "gzip" in str(e).lower() else "not_found", f"cannot read: {e}") from None
    if len(data) > limit:
        raise InputError("too_large", f"over the {limit:,}-byte input limit (max_input_bytes)")
    return data


def _too_large(size: int, settings: Settings) -> str:
    return f"{size:,} bytes, over the {settings.max_input_bytes:,}-byte input limit (max_input_bytes)"


def _stream_inputs(stream: IO[bytes], name: str, format: str | None, settings: Settings) -> Iterator[RawInput | ErrorRecord]:
    """Standard input: sniffed from its first bytes; JSONL read line by line, anything else whole."""
    head = stream.read(_SNIFF_BYTES)
    if head.startswith(_GZIP_MAGIC):
        try:
            rest = read_capped(stream, settings.max_input_bytes)
            stream = io.BufferedReader(gzip.GzipFile(fileobj=io.BytesIO(head + rest)))  # type: ignore[arg-type]
            head = stream.read(_SNIFF_BYTES)
        except InputError as e:
            yield ErrorRecord(name, Problem(e.code, e.message))
            return
        except (OSError, EOFError, zlib.error) as e:
            yield ErrorRecord(name, Problem("bad_gzip", f"corrupt gzip data: {e}"))
            return
    fmt = format or sniff(head)
    if fmt == "warc":
        yield ErrorRecord(name, Problem("unsupported", "WARC cannot be read from standard input; pass the file"))
        return
    if fmt == "jsonl":
        head += stream.readline() if not head.endswith(b"\n") else b""
        yield from _jsonl_lines(_Chain(head, stream), name, settings)
        return
    try:
        data = head + read_capped(stream, max(0, settings.max_input_bytes - len(head)))
    except InputError as e:
        yield ErrorRecord(name, Problem(e.code, e.message))
        return
    yield RawInput(name, data, fmt)


class _Chain:
    """Lines of ``head`` then of ``stream``."""

    def __init__(self, head: bytes, stream: IO[bytes]) -> None:
        self._head = io.BytesIO(head)
        self._stream = stream

    def readline(self, limit: int = -1) -> bytes:
        line = self._head.readline(limit)
        return line if line else self._stream.readline(limit)


def _jsonl_lines(stream: IO[bytes] | _Chain, name: str, settings: Settings) -> Iterator[RawInput | ErrorRecord]:
    limit = settings.max_input_bytes
    lineno = 0
    while True:
        try:
            line = stream.readline(limit + 1)
        except (gzip.BadGzipFile, EOFError, zlib.error, OSError) as e:
            yield ErrorRecord(f"{name}:{lineno + 1}", Problem("bad_gzip", f"corrupt gzip data: {e}"))
            return
        if not line:
            return
        lineno += 1
        source = f"{name}:{lineno}"
        if len(line) > limit and not line.endswith(b"\n"):
            yield ErrorRecord(source, Problem("too_large", f"a line over the {limit:,}-byte input limit"))
            while line and not line.endswith(b"\n"):  # skip the rest of the long line
                line = stream.readline(1 << 20)
            continue
        if line.strip():
            yield RawInput(source, line, "jsonl")


def _warc_inputs(path: str, settings: Settings) -> Iterator[Article | ErrorRecord]:
    try:
        from . import warc
    except ModuleNotFoundError as e:
        if e.name not in (__package__ + ".warc", "warcio"):
            raise
        what = "the warcio package (pip install 'onrecord[warc]')" if e.name == "warcio" else "a WARC reader"
        yield ErrorRecord(path, Problem("unsupported", f"reading WARC needs {what}"))
        return
    try:
        yield from warc.iter_warc(path, settings)
    except MissingExtra as e:
        yield ErrorRecord(path, Problem("unsupported", str(e)))
