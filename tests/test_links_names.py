from __future__ import annotations

import pytest

from onrecord.links.names import compatible, looks_like_person, org_key, parse_person


@pytest.mark.parametrize("name, given, surname, suffix", [
    ("Zalmay Khalilzad", ("zalmay",), "khalilzad", ""),
    ("Mr. Zalmay Khalilzad", ("zalmay",), "khalilzad", ""),
    ("Khalilzad", (), "khalilzad", ""),
    ("George W. Bush", ("george", "w"), "bush", ""),
    ("Martin Luther King Jr.", ("martin", "luther"), "king", "jr"),
    ("Ludwig van Beethoven", ("ludwig",), "van beethoven", ""),
    ("José Ángel Gurría", ("jose", "angel"), "gurria", ""),
])
def test_parse_person(name, given, surname, suffix):
    pn = parse_person(name)
    assert pn is not None
    assert (pn.given, pn.surname, pn.suffix) == (given, surname, suffix)


@pytest.mark.parametrize("a, b, expected", [
    ("Zalmay Khalilzad", "Zalmay Khalilzad", True),
    ("Zalmay Khalilzad", "Khalilzad", True),
    ("Zalmay Khalilzad", "Z. Khalilzad", True),
    ("William Hart", "Bill Hart", True),
    ("George Bush", "George W. Bush", True),
    ("George W. Bush", "George H. W. Bush", False),
    ("Laura Bush", "George Bush", False),
    ("John Smith", "Jane Smith", False),
    ("John Smith", "J. Smith", True),
    ("John Smith", "Jack Smith", True),
    ("Hank Kemp Sr.", "Hank Kemp Jr.", False),
    ("Zalmay Khalilzad", "Zalmay Khan", False),
])
def test_compatible(a, b, expected):
    pa, pb = parse_person(a), parse_person(b)
    assert pa is not None and pb is not None
    assert compatible(pa, pb) is expected
    assert compatible(pb, pa) is expected


@pytest.mark.parametrize("name, expected", [
    ("Zalmay Khalilzad", True),
    ("J. R. Hartley", True),
    ("the company", False),
    ("Khalilzad", False),
    ("officials who asked not to be named", False),
])
def test_looks_like_person(name, expected):
    assert looks_like_person(name) is expected


@pytest.mark.parametrize("a, b", [
    ("the Interior Ministry", "Interior Ministry"),
    ("Acme Corp", "ACME"),
    ("Nestlé S.A.", "Nestle SA"),
])
def test_org_key_normalises(a, b):
    assert org_key(a) == org_key(b)
