"""``onrecord eval gate``: fast figures compared with the floors pinned in ``eval/baseline.json``.

The figures: span and attribution F1 over a fixed subset of PolNeAR dev (the first
articles in sorted order) and the statement counts on the seed page, for the default engine and,
under ``accurate.`` names, for the accurate one (``tagger_model = "encoder"``, ``tagger_scope = "lead"``). A figure that
falls more than ``TOLERANCE`` below its floor is a drop; any drop fails the gate.
``update`` raises the floors to the current figures (lowers them too with ``force``).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..settings import Settings

log = logging.getLogger(__name__)

TOLERANCE = 0.01
GATE_ARTICLES = 20
REPO = Path(__file__).resolve().parents[3]
DEFAULT_BASELINE = REPO / "eval" / "baseline.json"
DEFAULT_SHARED = REPO.parent / "shared"
SEED_NAME = "000_cbc5cbe718c2ff54.txt"
# the accurate engine (docs/encoder.md), gated beside the default one under "accurate." names
ACCURATE = {"tagger_model": "encoder", "tagger_scope": "lead"}


@dataclass(frozen=True)
class Drop:
    figure: str
    floor: float
    now: float | None

    def __str__(self) -> str:
        now = "missing" if self.now is None else f"{self.now:.4f}"
        return f"{self.figure}: {now} < floor {self.floor:.4f}"


def compare(floors: Mapping[str, float], figures: Mapping[str, float], tolerance: float = TOLERANCE) -> list[Drop]:
    """Every figure more than ``tolerance`` below its floor (or missing)."""
    drops = []
    for name, floor in sorted(floors.items()):
        now = figures.get(name)
        if now is None or now < floor - tolerance - 1e-12:
            drops.append(Drop(name, floor, now))
    return drops


def updated_floors(floors: Mapping[str, float], figures: Mapping[str, float], force: bool = False) -> dict[str, float]:
    """New floors: the current figures, never below the old floors unless ``force``."""
    out = dict(floors) if not force else {}
    for name, now in figures.items():
        out[name] = round(now if force else max(now, floors.get(name, now)), 4)
    return dict(sorted(out.items()))


def read_baseline(path: str | Path) -> dict[str, Any]:
    p = Path(path)
    if not p.is_file():
        return {"floors": {}}
    data = json.loads(p.read_text("utf-8"))
    data.setdefault("floors", {})
    return data


def write_baseline(path: str | Path, floors: Mapping[str, float], subset: Mapping[str, Any]) -> None:
    data = {"about": "Floors for `onrecord eval gate`: the gate fails when a figure falls more than "
                     f"{TOLERANCE} below its floor. Rewrite with `onrecord eval gate --update`.",
            "subset": dict(subset), "tolerance": TOLERANCE, "floors": dict(floors)}
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps(data, indent=2) + "\n", "utf-8")


@dataclass
class GateResult:
    figures: dict[str, float]
    floors: dict[str, float]
    drops: list[Drop] = field(default_factory=list)
    seconds: float = 0.0
    subset: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.drops


def polnear_figures(shared: Path, limit: int, settings: Settings) -> dict[str, float]:
    """F1 figures of onrecord on the first ``limit`` PolNeAR dev articles."""
    from .brat import load_split
    from .polnear import evaluate, onrecord_system, run_system

    docs = list(load_split(shared / "data" / "polnear", "dev", limit=limit))
    ev, _ = evaluate(docs, run_system("onrecord", onrecord_system(settings), docs))
    return {f"polnear_dev.{k}": v for k, v in ev.figures().items()}


def seed_figures(shared: Path, settings: Settings) -> dict[str, float]:
    """Counts on the seed page: statements, each kind, statements whose speaker has a known type and name."""
    from ..api import extract
    from ..model import Record

    try:
        results = list(extract(shared / "seed" / SEED_NAME, settings=settings))
    except Exception as e:  # a broken reader or engine shows as missing seed figures, not a crash
        log.warning("the seed page could not be extracted: %s: %s", type(e).__name__, e)
        results = []
    record = results[0] if results else None
    if not isinstance(record, Record):
        log.warning("the seed page did not give a record: %s", record)
        return {"seed.statements": 0.0}
    st = record.statements
    out = {"seed.statements": float(len(st))}
    for kind in ("direct", "indirect", "mixed"):
        out[f"seed.kind.{kind}"] = float(sum(s.kind == kind for s in st))
    out["seed.speakers_named"] = float(sum(bool(s.speaker.name) and s.speaker.type != "unknown" for s in st))
    return out


def run_gate(shared: Path = DEFAULT_SHARED, baseline: Path = DEFAULT_BASELINE, *, limit: int = GATE_ARTICLES,
             settings: Settings | None = None, update: bool = False, force: bool = False,
             figures_fn: Callable[[Path, int, Settings], dict[str, float]] | None = None) -> GateResult:
    """Compute the figures, compare them with the floors, and rewrite the baseline when ``update``."""
    settings = settings or Settings.load()
    t0 = time.perf_counter()
    if figures_fn is not None:
        figures = figures_fn(shared, limit, settings)
    else:
        figures = {**polnear_figures(shared, limit, settings), **seed_figures(shared, settings)}
        accurate = settings.with_(**ACCURATE)
        figures.update({f"accurate.{k}": v for k, v in {
            **polnear_figures(shared, limit, accurate), **seed_figures(shared, accurate)}.items()})
    seconds = time.perf_counter() - t0
    data = read_baseline(baseline)
    floors = {k: float(v) for k, v in data["floors"].items()}
    subset = {"polnear": f"dev, first {limit} articles in sorted order, first annotator", "seed": SEED_NAME}
    if data.get("subset") and data["subset"] != subset and not update:
        log.warning("baseline was made on another subset: %s", data["subset"])
    drops = compare(floors, figures)
    if update:
        floors = updated_floors(floors, figures, force)
        write_baseline(baseline, floors, subset)
        drops = compare(floors, figures)
    return GateResult(figures, floors, drops, seconds, subset)


def format_gate(result: GateResult) -> str:
    lines = [f"{'figure':<34} {'floor':>8} {'now':>8} {'delta':>8}"]
    for name in sorted(set(result.figures) | set(result.floors)):
        floor = result.floors.get(name)
        now = result.figures.get(name)
        delta = "" if floor is None or now is None else f"{round(now, 4) - floor:+8.4f}"
        status = "  DROP" if any(d.figure == name for d in result.drops) else ("  (no floor)" if floor is None else "")
        f_s = "-" if floor is None else f"{floor:.4f}"
        n_s = "-" if now is None else f"{now:.4f}"
        lines.append(f"{name:<34} {f_s:>8} {n_s:>8} {delta:>8}{status}")
    lines.append(f"({result.seconds:.1f} s)")
    return "\n".join(lines) + "\n"
