"""Bytes -> text: BOMs, UTF-8, declared charsets, detection; binary data refused."""

from __future__ import annotations

import codecs

import pytest

from onrecord.errors import InputError
from onrecord.read.decode import declared_charset, decode, looks_binary

TEXTS = [
    "The café owner said the crème brûlée was “the best in town” — and nobody disagreed.",
    "Le président a déclaré : « Nous sommes prêts ». Les négociations reprendront à Genève.",
    "Señor Muñoz dijo que la reunión fue «productiva» y que habrá más diálogo el próximo año.",
    "Der Außenminister sagte, die Gespräche seien „sehr konstruktiv“ gewesen. Übermorgen geht es weiter.",
]


def _encodable(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


@pytest.mark.parametrize(
    "text, encoding",
    [(t, enc) for t in TEXTS for enc in ("utf-8", "cp1252", "latin-1") if _encodable(t, enc)],
)
def test_single_byte_and_utf8(text, encoding):
    assert decode(text.encode(encoding)) == text


@pytest.mark.parametrize("bom, encoding", [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
                                           (codecs.BOM_UTF8, "utf-8")])
def test_byte_order_marks(bom, encoding):
    text = TEXTS[0]
    assert decode(bom + text.encode(encoding)) == text


def test_declared_charset_in_html():
    page = '<html><head><meta charset="windows-1251"></head><body><p>Привет, мир</p></body></html>'
    data = page.encode("cp1251")
    assert declared_charset(data) == "cp1251"
    assert decode(data, html=True) == page


@pytest.mark.parametrize(
    "data, binary",
    [
        (b"%PDF-1.7 ...", True),
        (b"\x89PNG\r\n\x1a\n....", True),
        (bytes(range(256)) * 8, True),
        (b"plain text\nwith lines\n", False),
        ("utf-8 ütf".encode(), False),
    ],
)
def test_looks_binary(data, binary):
    assert looks_binary(data) is binary


def test_binary_raises_binary():
    with pytest.raises(InputError) as e:
        decode(b"\x00\x01\x02garbage\x00" * 100)
    assert e.value.code == "binary"
