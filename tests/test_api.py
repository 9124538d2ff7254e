"""The Python API: ``onrecord.extract`` stays the function after the engine package is imported."""

from __future__ import annotations

import importlib

import onrecord


def test_extract_is_not_shadowed_by_the_engine_package(tmp_path):
    importlib.import_module("onrecord.extract.pipeline")
    assert callable(onrecord.extract) and onrecord.extract is onrecord.api.extract
    page = tmp_path / "a.txt"
    page.write_text("Ferry Back On Time\n\nThe ferry ran on time on Monday, the operator said in a statement.\n")
    first = list(onrecord.extract(str(page)))
    second = list(onrecord.extract(str(page)))
    assert [r.ok for r in first] == [r.ok for r in second] == [True]
