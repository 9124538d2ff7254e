"""``onrecord eval``: accuracy against gold data (PolNeAR, CofeNet's PolNeAR files, Zyte) and the quality gate."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..settings import Settings

SHARED_HINT = "(e.g. ../shared/data/polnear from the repository root)"


@click.group(name="eval")
def eval() -> None:  # noqa: A001 - the command is called eval
    """Score onrecord against gold data; `eval gate` fails when a figure drops below its floor."""


@eval.command("polnear")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--split", type=click.Choice(["train", "dev", "test"]), default="dev", show_default=True,
              help="PolNeAR split (keep test for final figures).")
@click.option("--limit", type=int, default=None, help="Only the first N articles (sorted by name).")
@click.option("--annotator", type=click.Choice(["first", "all"]), default="first", show_default=True,
              help="One annotation per article (the first .ann in sorted order), or every annotation.")
@click.option("--peer", "peers", multiple=True, type=click.Choice(["textacy"]),
              help="Also score a peer system with the same code (repeatable).")
@click.option("--no-onrecord", is_flag=True, help="Score only the peers.")
@click.option("--no-merge", is_flag=True,
              help="Score statements that share a cue separately (default: as one, like PolNeAR's split quotes).")
@click.option("--errors", "n_errors", type=int, default=10, show_default=True,
              help="How many error types to list (0: none).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown"]), default="table", show_default=True)
@click.option("--config", type=click.Path(exists=True, dir_okay=False), default=None, help="Settings file (TOML).")
def polnear_cmd(directory: Path, split: str, limit: int | None, annotator: str, peers: tuple[str, ...],
                no_onrecord: bool, no_merge: bool, n_errors: int, fmt: str, config: str | None) -> None:
    """Span and attribution P/R/F1 on PolNeAR DIRECTORY (the folder holding data/ or text/ + attributions/)."""
    from ..evaluation.brat import load_split
    from ..evaluation.diagnose import diagnose, format_diagnosis
    from ..evaluation.labels import FormTagger
    from ..evaluation.peers import peer_system
    from ..evaluation.polnear import evaluate, format_markdown, format_table, onrecord_system, run_system

    settings = Settings.load(config)
    try:
        docs = list(load_split(directory, split, annotator=annotator, limit=limit))
    except FileNotFoundError as e:
        raise click.UsageError(f"{e} {SHARED_HINT}") from e
    systems = [] if no_onrecord else [("onrecord", onrecord_system(settings))]
    systems += [(p, peer_system(p, settings)) for p in peers]
    if not systems:
        raise click.UsageError("nothing to score: --no-onrecord needs at least one --peer")
    forms = FormTagger()
    results = []
    n_articles = len({d.name for d in docs})
    for name, system in systems:
        with click.progressbar(length=n_articles, label=f"{name} on {split}", file=sys.stderr) as bar:
            run = run_system(name, system, docs, progress=bar.update, merge=not no_merge)
        ev, labelled = evaluate(docs, run, forms)
        results.append((ev, diagnose(labelled) if n_errors else None))
    if fmt == "json":
        out = [{**ev.to_dict(), **({"errors": diag.to_dict(n_errors)} if diag else {})} for ev, diag in results]
        click.echo(json.dumps({"split": split, "annotator": annotator, "results": out}, indent=2))
        return
    if fmt == "markdown":
        click.echo(format_markdown([ev for ev, _ in results]))
        for ev, diag in results:
            if diag:
                click.echo(f"\n{ev.system}: the {n_errors} most common error types\n")
                click.echo("| count | error type (most common details) |\n|---|---|")
                for label_, k in diag.top(n_errors):
                    click.echo(f"| {k} | {label_} |")
        return
    click.echo(f"PolNeAR {split}: {len(docs)} annotated documents, {n_articles} articles, annotator={annotator}\n")
    click.echo(format_table([ev for ev, _ in results]))
    for ev, diag in results:
        if diag:
            click.echo(f"\n{ev.system}: the {n_errors} most common error types")
            click.echo(format_diagnosis(diag, n_errors))


@eval.command("cofenet")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--unit", type=click.Choice(["article", "segment"]), default="article", show_default=True,
              help="Run onrecord per article (segments of one id joined) or per segment.")
@click.option("--limit", type=int, default=None, help="Only the first N ids (articles) of the file.")
@click.option("--strict", is_flag=True, help="Drop an I- label that follows O instead of opening a span.")
@click.option("--peer", "peers", multiple=True, type=click.Choice(["textacy"]), help="Also score a peer system.")
@click.option("--self-check", is_flag=True, help="Also print gold-vs-gold (must be 100) and a perturbed copy.")
@click.option("--no-align", is_flag=True, help="Do not widen predicted contents over adjacent quote marks and a leading 'that'.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--config", type=click.Path(exists=True, dir_okay=False), default=None, help="Settings file (TOML).")
def cofenet_cmd(file: Path, unit: str, limit: int | None, strict: bool, peers: tuple[str, ...], self_check: bool,
                no_align: bool, fmt: str, config: str | None) -> None:
    """CofeNet's token-level exact-span P/R/F1 on FILE (their PolNeAR valid.txt / test.txt)."""
    from ..evaluation import cofenet
    from ..evaluation.peers import peer_system
    from ..evaluation.polnear import onrecord_system

    settings = Settings.load(config)
    try:
        segments = cofenet.read_segments(file)
    except ValueError as e:
        raise click.UsageError(str(e)) from e
    if limit is not None:
        keep = {g[0].id for g in cofenet.group_by_id(segments)[:limit]}
        segments = [s for s in segments if s.id in keep]
    systems = [("onrecord", onrecord_system(settings))] + [(p, peer_system(p, settings)) for p in peers]
    results = {}
    for name, system in systems:
        with click.progressbar(length=len(segments), label=f"{name} on {file.name}", file=sys.stderr) as bar:
            results[name] = cofenet.evaluate(segments, system, unit, strict, progress=bar.update, align=not no_align)
    checks = cofenet.self_check(segments) if self_check else None
    if fmt == "json":
        out: dict[str, object] = {"file": str(file), "strict": strict, "align_quotes": not no_align,
                                  "results": {n: r.to_dict() for n, r in results.items()}}
        if checks:
            out["self_check"] = {"gold_vs_gold": checks[0].to_dict(), "perturbed": checks[1].to_dict()}
        click.echo(json.dumps(out, indent=2))
        return
    click.echo(f"{file}: {len(segments)} segments, exact span match, unit={unit}\n")
    for name, r in results.items():
        click.echo(cofenet.format_score(f"{name} ({r.units} {unit}s in {r.seconds:.1f} s)", r.score))
    if checks:
        click.echo(cofenet.format_score("self-check: gold vs gold", checks[0]))
        click.echo(cofenet.format_score("self-check: gold vs perturbed gold", checks[1]))


@eval.command("zyte")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--limit", type=int, default=None, help="Only the first N pages (sorted by id).")
@click.option("--no-trafilatura", is_flag=True, help="Skip the trafilatura default run printed beside onrecord's.")
@click.option("--bootstrap", type=int, default=1000, show_default=True, help="Resamples for the F1 std.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def zyte_cmd(directory: Path, limit: int | None, no_trafilatura: bool, bootstrap: int, fmt: str) -> None:
    """The Zyte article-extraction benchmark (DIRECTORY holds ground-truth.json and html/): onrecord's HTML reader."""
    from ..evaluation import zyte

    try:
        pages = zyte.load_pages(directory, limit)
    except FileNotFoundError as e:
        raise click.UsageError(str(e)) from e
    extractors = [("onrecord", zyte.onrecord_extractor())]
    if not no_trafilatura:
        extractors.append(("trafilatura (default)", zyte.trafilatura_extractor()))
    runs = []
    for name, ex in extractors:
        with click.progressbar(length=len(pages), label=name, file=sys.stderr) as bar:
            runs.append(zyte.run_extractor(name, ex, pages, progress=bar.update, bootstrap=bootstrap))
    if fmt == "json":
        click.echo(json.dumps({"pages": len(pages), "results": [r.to_dict() for r in runs]}, indent=2))
        return
    click.echo(f"Zyte article-extraction benchmark: {len(pages)} pages\n")
    click.echo(zyte.format_runs(runs))


@eval.command("gate")
@click.option("--update", is_flag=True, help="Rewrite the baseline from the current figures (raising floors only).")
@click.option("--force", is_flag=True, help="With --update: also lower floors.")
@click.option("--baseline", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Baseline file (default: eval/baseline.json in the repository).")
@click.option("--shared", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The shared data folder (default: ../shared beside the repository).")
@click.option("--limit", type=int, default=None, help="PolNeAR dev articles in the subset (default 20).")
@click.option("--config", type=click.Path(exists=True, dir_okay=False), default=None, help="Settings file (TOML).")
def gate_cmd(update: bool, force: bool, baseline: Path | None, shared: Path | None, limit: int | None,
             config: str | None) -> None:
    """Fast accuracy figures against the pinned floors; exit 1 listing what dropped by more than 0.01."""
    from ..evaluation import gate

    shared = shared or gate.DEFAULT_SHARED
    if not (shared / "data" / "polnear").is_dir() or not (shared / "seed").is_dir():
        click.echo(f"skipped: {shared}/data/polnear or {shared}/seed is not present; the gate needs the shared data")
        return
    if force and not update:
        raise click.UsageError("--force only makes sense with --update")
    result = gate.run_gate(shared, baseline or gate.DEFAULT_BASELINE, limit=limit or gate.GATE_ARTICLES,
                           settings=Settings.load(config), update=update, force=force)
    click.echo(gate.format_gate(result))
    if update:
        click.echo(f"baseline written: {baseline or gate.DEFAULT_BASELINE}")
    if result.drops:
        click.echo("FAILED: figures dropped by more than 0.01 below their floors:", err=True)
        for d in result.drops:
            click.echo(f"  {d}", err=True)
        sys.exit(1)
    click.echo("gate passed")
