"""Bytes -> text: byte-order marks first, then UTF-8, then a declared charset, then detection."""

from __future__ import annotations

import codecs
import logging
import re

from ..errors import InputError

log = logging.getLogger(__name__)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_MAGIC: tuple[bytes, ...] = (
    b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x7fELF", b"BZh", b"\xfd7zXZ",
    b"Rar!", b"7z\xbc\xaf", b"OggS", b"ID3", b"\x00\x00\x01\x00", b"RIFF", b"MZ",
)
_DECLARED = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})|"""
                       rb"""<\?xml[^>]{0,100}?encoding\s*=\s*["']([A-Za-z0-9_.:-]{2,40})""", re.I)
# single-byte Latin code pages that detection confuses on short texts; Western news reads as cp1252
_LATIN_FAMILY = re.compile(r"^(cp125[0-8]|windows-125\d|latin_?\d*|iso8859_\d+|iso-8859-\d+|mac_\w+|cp8\d\d|ascii)$", re.I)
_CONTROL = bytes(range(0, 9)) + b"\x0b\x0e\x0f" + bytes(range(0x10, 0x1b)) + bytes(range(0x1c, 0x20))


def strip_bom(data: bytes) -> tuple[bytes, str | None]:
    """``data`` without a leading byte-order mark, and the encoding the mark names."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data[len(bom):], enc
    return data, None


def looks_binary(data: bytes) -> bool:
    """True for bytes that are not text: a known file signature, NUL bytes, or many control bytes."""
    head = data[:8192]
    if head.startswith(_MAGIC):
        return True
    if b"\x00" in head:
        return True
    if not head:
        return False
    controls = sum(head.count(c) for c in _CONTROL)
    return controls / len(head) > 0.05


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in its first 4 KiB (``<meta charset>``, XML declaration), if Python knows it."""
    m = _DECLARED.search(data[:4096])
    if not m:
        return None
    name = (m.group(1) or m.group(2)).decode("ascii", "ignore")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode(data: bytes, *, html: bool = False) -> str:
    """``data`` as text. Raises InputError ``binary`` for non-text and ``decode`` when nothing fits."""
    body, bom_enc = strip_bom(data)
    if bom_enc is not None:
        try:
            return body.decode(bom_enc)
        except UnicodeDecodeError as e:
            raise InputError("decode", f"bytes do not match their {bom_enc} byte-order mark: {e.reason}") from None
    if looks_binary(body):
        raise InputError("binary", "binary data, not text")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if html:
        declared = declared_charset(body)
        if declared and declared not in {"utf-8", "utf-16", "utf-32"}:
            try:
                return body.decode(declared)
            except UnicodeDecodeError:
                log.debug("declared charset %s does not fit; detecting", declared)
    return _detect(body)


def _detect(data: bytes) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    guess = best.encoding if best is not None else None
    if guess is None or _LATIN_FAMILY.match(guess):
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined
            if guess is None:
                return data.decode("latin-1")
    assert guess is not None
    try:
        return data.decode(guess)
    except UnicodeDecodeError:
        raise InputError("decode", f"cannot decode the bytes as text (best guess {guess})") from None
