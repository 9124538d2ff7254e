from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from onrecord.cli.main import cli
from onrecord.evaluation import gate
from onrecord.evaluation.gate import Drop, compare, run_gate, updated_floors

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"
HAS_SHARED = (SHARED / "data" / "polnear").is_dir() and (SHARED / "seed").is_dir()
needs_shared = pytest.mark.skipif(not HAS_SHARED, reason=f"../shared/data/polnear or ../shared/seed not present: {SHARED}")


@pytest.mark.parametrize(
    "floors, figures, dropped",
    [
        ({"a": 0.50}, {"a": 0.50}, []),
        ({"a": 0.50}, {"a": 0.491}, []),  # within one point
        ({"a": 0.50}, {"a": 0.4899}, ["a"]),
        ({"a": 0.50}, {}, ["a"]),  # a figure that disappeared is a drop
        ({"a": 0.5, "b": 3.0}, {"a": 0.7, "b": 2.0}, ["b"]),  # counts: one statement fewer is a drop
        ({}, {"new": 0.1}, []),
    ],
)
def test_compare(floors, figures, dropped):
    assert [d.figure for d in compare(floors, figures)] == dropped


@pytest.mark.parametrize(
    "floors, figures, force, expected",
    [
        ({"a": 0.5}, {"a": 0.6}, False, {"a": 0.6}),
        ({"a": 0.5}, {"a": 0.4}, False, {"a": 0.5}),  # floors only rise
        ({"a": 0.5}, {"a": 0.4}, True, {"a": 0.4}),
        ({"a": 0.5, "gone": 0.2}, {"a": 0.4, "b": 0.12345}, False, {"a": 0.5, "b": 0.1235, "gone": 0.2}),
        ({"a": 0.5, "gone": 0.2}, {"a": 0.4}, True, {"a": 0.4}),
    ],
)
def test_updated_floors(floors, figures, force, expected):
    assert updated_floors(floors, figures, force) == expected


def test_drop_message():
    assert str(Drop("x", 0.5, None)) == "x: missing < floor 0.5000"


def test_update_writes_baseline_and_passes(tmp_path):
    path = tmp_path / "baseline.json"
    fake = {"polnear_dev.attribution": 0.4, "seed.statements": 9.0}
    result = run_gate(tmp_path, path, update=True, figures_fn=lambda shared, limit, settings: dict(fake))
    assert result.ok
    assert json.loads(path.read_text())["floors"] == fake
    worse = run_gate(tmp_path, path, figures_fn=lambda *a: {**fake, "seed.statements": 8.0})
    assert [d.figure for d in worse.drops] == ["seed.statements"]


def test_cli_skips_without_shared(tmp_path):
    result = CliRunner().invoke(cli, ["eval", "gate", "--shared", str(tmp_path / "absent")])
    assert result.exit_code == 0
    assert "skipped" in result.output


@needs_shared
@pytest.mark.shared
@pytest.mark.slow
def test_gate_passes_on_the_current_engine():
    """The CI gate: the fixed PolNeAR dev subset and the seed page against eval/baseline.json."""
    assert gate.DEFAULT_BASELINE.is_file(), "eval/baseline.json is missing: run `onrecord eval gate --update`"
    result = run_gate(SHARED, gate.DEFAULT_BASELINE)
    assert result.ok, "figures dropped below their floors:\n" + "\n".join(map(str, result.drops))


def _broken_finder(original):
    """Drops every other attribution and shifts the contents of the rest by five characters."""
    def find(parsed, settings):
        kept = original(parsed, settings)[::2]
        text = parsed.text
        out = []
        for a in kept:
            start, end = min(a.content.start + 5, len(text)), min(a.content.end + 5, len(text))
            out.append(dataclasses.replace(a, content=type(a.content).of(text, start, end)))
        return out
    return find


@needs_shared
@pytest.mark.shared
@pytest.mark.slow
def test_gate_fails_on_a_broken_engine(tmp_path, monkeypatch):
    baseline = tmp_path / "baseline.json"
    good = run_gate(SHARED, baseline, limit=3, update=True)
    assert good.ok
    assert good.figures["polnear_dev.content.overlap"] > 0.05, "the engine finds nothing on the gate subset"

    from onrecord.extract import pipeline

    monkeypatch.setattr(pipeline, "find_attributions", _broken_finder(pipeline.find_attributions))
    broken = run_gate(SHARED, baseline, limit=3)
    dropped = {d.figure for d in broken.drops}
    assert not broken.ok
    assert {"polnear_dev.content.exact", "polnear_dev.attribution"} <= dropped

    result = CliRunner().invoke(cli, ["eval", "gate", "--baseline", str(baseline), "--limit", "3",
                                      "--shared", str(SHARED)])
    assert result.exit_code == 1
    assert "polnear_dev.content.exact" in result.output and "DROP" in result.output
