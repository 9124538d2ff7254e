"""store/ingest.py: every input ends as an article or an error row; re-running adds nothing; a run killed at any
moment and started again ends with exactly the rows of a clean run."""

from __future__ import annotations

import gzip
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from onrecord.model import Article
from onrecord.read import read_sources
from onrecord.settings import Settings
from onrecord.store import Ledger

STORIES = [
    ("Harbour to reopen", 'Mayor Ilse Varn said the harbour would reopen on Friday. "The quay is safe," she said.'),
    ("Bridge vote delayed", 'Councillor Amos Pell said the bridge vote was delayed. "We need time," Pell said.'),
    ("School roof repaired", "The head teacher, Nora Lind, said the roof had been repaired over the summer."),
    ("Ferry fares frozen", 'The ferry company said fares would stay the same. "No rise this year," it said.'),
    ("Library hours", "Librarian Piet Osk said the library would open on Sundays from next month."),
    ("Rail works", "A rail spokeswoman, Edda Roos, said the works would end two weeks early."),
]


def text_file(title: str, body: str) -> str:
    return f"{title}\n\n{body}\n\nIt was the {title.lower()} story of a quiet week in Lindholt, the paper said.\n"


def build_corpus(root: Path) -> Path:
    """A folder of text files, a JSONL file with duplicates and a bad line, a gzipped text file, nested folders."""
    root.mkdir(parents=True, exist_ok=True)
    for i, (title, body) in enumerate(STORIES[:3]):
        (root / f"story{i}.txt").write_text(text_file(title, body), encoding="utf-8")
    (root / "copy-of-story0.txt").write_text(text_file(*STORIES[0]), encoding="utf-8")  # same body again
    lines = [json.dumps({"id": f"j{i}", "title": t, "text": text_file(t, b)}) for i, (t, b) in enumerate(STORIES)]
    lines.insert(2, "{not json at all")
    lines.append(json.dumps({"id": "j-dup", "text": text_file(*STORIES[1])}))
    (root / "wire.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "nested").mkdir(exist_ok=True)
    (root / "nested" / "late.txt.gz").write_bytes(
        gzip.compress(text_file("Late edition", "Editor Jon Hale said the late edition sold out.").encode()))
    return root


def ingest_api(db: Path, *paths: Path, workers: int = 0) -> dict[str, int]:
    with Ledger.open(db) as led:
        return led.ingest(paths, workers=workers, settings=Settings.load())


def accounted_for(db: Path) -> None:
    """Every item row points at an article or an error, every file has a file row, and nothing else exists."""
    with Ledger.open(db) as led:
        c = led.conn
        items = c.execute("SELECT status, article_id, error_id FROM inputs WHERE kind = 'item'").fetchall()
        assert items, "no inputs recorded"
        for status, article_id, error_id in items:
            assert (status in ("article", "duplicate") and article_id) or (status == "error" and error_id), status
        n_errors = c.execute("SELECT count(*) FROM errors").fetchone()[0]
        assert n_errors == sum(1 for s, _, _ in items if s == "error")
        n_articles = c.execute("SELECT count(*) FROM articles").fetchone()[0]
        assert n_articles == sum(1 for s, _, _ in items if s == "article")
        for (path,) in c.execute("SELECT DISTINCT substr(key, 1, instr(key, '#') - 1) FROM inputs WHERE kind='item'"):
            assert c.execute("SELECT 1 FROM inputs WHERE key = ? AND kind = 'file'", (path,)).fetchone(), path


def test_ingest_dedupes_and_a_rerun_adds_nothing(tmp_path: Path, ledger_dump):
    corpus = build_corpus(tmp_path / "in")
    db = tmp_path / "l.db"
    first = ingest_api(db, corpus)
    read = list(read_sources([str(corpus)]))
    hashes = [a.content_hash for a in read if isinstance(a, Article)]
    assert len(read) == 13 and len(hashes) == 12
    assert (first["articles"], first["duplicates"], first["errors"]) == (len(set(hashes)), 12 - len(set(hashes)), 1)
    assert first["duplicates"] >= 2  # the copied file and the repeated JSONL story at least
    accounted_for(db)
    before = ledger_dump(db)
    again = ingest_api(db, corpus)
    assert (again["articles"], again["duplicates"], again["errors"]) == (0, 0, 0)
    assert again["skipped_files"] == 6
    assert ledger_dump(db) == before
    with Ledger.open(db) as led:
        statuses = {r["key"].rsplit("/", 1)[-1]: r["status"] for r in led.rows("inputs") if r["kind"] == "item"}
        assert statuses["copy-of-story0.txt#0"] == "article"  # sorted walk: the copy comes first
        assert statuses["story0.txt#0"] == "duplicate"
        assert statuses["wire.jsonl#2"] == "error"
        err = led.conn.execute("SELECT input, stage, code FROM errors").fetchone()
        assert tuple(err)[1:] == ("read", "bad_json") and err[0].startswith(str(corpus / "wire.jsonl"))


def test_pool_and_in_process_give_the_same_rows(tmp_path: Path, ledger_dump):
    corpus = build_corpus(tmp_path / "in")
    ingest_api(tmp_path / "a.db", corpus, workers=0)
    ingest_api(tmp_path / "b.db", corpus, workers=2)
    assert ledger_dump(tmp_path / "a.db") == ledger_dump(tmp_path / "b.db")


def hostile_folder(root: Path, make_warc) -> tuple[Path, int]:
    """Inputs that are each broken in their own way; returns the folder and how many files it holds."""
    root.mkdir()
    (root / "empty.html").write_bytes(b"")
    (root / "blank.txt").write_bytes(b"   \n\n  \t\n")
    (root / "binary.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (root / "nul.txt").write_bytes(b"abc\x00\x00\x00def" * 50)
    (root / "latin1.txt").write_bytes(text_file("Caf\xe9 closes", "Owner Zo\xeb Brandt said the caf\xe9 would "
                                                "close for good.").encode("latin-1"))
    (root / "utf16.txt").write_bytes(text_file("Clock tower", "Warden Ola Fenn said the clock would be "
                                               "fixed.").encode("utf-16"))
    (root / "truncated.html").write_bytes(b"<html><head><title>Cut</title></head><body><article><p>The mayor s")
    (root / "corrupt.html.gz").write_bytes(gzip.compress(b"<html>" + b"x" * 500)[:30])
    (root / "notgzip.txt.gz").write_bytes(b"plain text pretending to be gzip")
    (root / "bad.jsonl").write_bytes(b'{"id": 1, "text": "Mayor Lo Wen said the park would reopen soon, in May."}\n'
                                     b"{broken\n\n[1, 2, 3]\n" + b'{"id": 2}\n' + b'{"text": 5}\n' + b"\xff\xfe\x00\n")
    warc = make_warc(root / "crawl.warc.gz", [{"url": "https://x.example/a", "body": (
        b"<html><body><article><p>" + b"Minister Eda Holm said the road would be widened next year. " * 6
        + b"</p></article></body></html>")}] * 3)
    warc.write_bytes(warc.read_bytes()[: int(warc.stat().st_size * 0.7)])
    return root, 11


def test_hostile_inputs_are_each_accounted_for(tmp_path: Path, make_warc):
    folder, n_files = hostile_folder(tmp_path / "hostile", make_warc)
    db = tmp_path / "l.db"
    stats = ingest_api(db, folder)
    assert stats["files"] == n_files
    accounted_for(db)
    with Ledger.open(db) as led:
        files = {Path(r["key"]).name for r in led.rows("inputs") if r["kind"] == "file"}
        assert files == {p.name for p in folder.iterdir()}
        codes = {Path(r["input"].split("@")[0].split(":")[0]).name: r["code"] for r in led.rows("errors")}
        texts = " ".join(r["text"] for r in led.rows("articles"))
    assert codes["empty.html"] == "empty" and codes["binary.html"] == "binary"
    assert codes["crawl.warc.gz"] == "truncated" and codes["corrupt.html.gz"] == "bad_gzip"
    assert {"bad.jsonl"} <= codes.keys()
    assert "Zoë Brandt" in texts and "Ola Fenn" in texts  # latin-1 and UTF-16 decoded


def test_an_article_over_the_time_limit_is_an_error_row(tmp_path: Path, monkeypatch):
    import onrecord.api

    def slow(article, settings):
        time.sleep(5)

    monkeypatch.setattr(onrecord.api, "extract_one", slow)
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "a.txt").write_text(text_file(*STORIES[0]), encoding="utf-8")
    with Ledger.open(tmp_path / "l.db") as led:
        stats = led.ingest([corpus], workers=0, settings=Settings.load().with_(article_timeout_s=0.3))
        assert stats["errors"] == 1
        row = led.conn.execute("SELECT stage, code FROM errors").fetchone()
    assert tuple(row) == ("extract", "timeout")


def test_an_article_over_the_size_limit_is_an_error_row(tmp_path: Path):
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "a.txt").write_text(text_file(*STORIES[0]), encoding="utf-8")
    with Ledger.open(tmp_path / "l.db") as led:
        led.ingest([corpus], workers=0, settings=Settings.load().with_(max_text_chars=40))
        assert led.conn.execute("SELECT code FROM errors").fetchone()[0] == "too_large"  # the reader or the engine


# -- killed runs ------------------------------------------------------------------------------------------------


def cli_ingest(corpus: Path, db: Path, *extra: str, crash: str | None = None, wait: bool = True):
    env = {k: v for k, v in os.environ.items() if k != "ONRECORD_CRASH_AT"}
    if crash:
        env["ONRECORD_CRASH_AT"] = crash
    cmd = [sys.executable, "-m", "onrecord.cli.main", "ingest", str(corpus), "--db", str(db), "--batch", "3",
           "--no-progress", *extra]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if wait:
        proc.communicate(timeout=300)
    return proc


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return build_corpus(tmp_path / "in")


def clean_dump(corpus: Path, db: Path, ledger_dump) -> dict:
    """The rows of an uninterrupted run over ``corpus`` (made right after the run it is compared with)."""
    assert cli_ingest(corpus, db, "--workers", "0").returncode == 0
    return ledger_dump(db)


@pytest.mark.slow
@pytest.mark.parametrize("crash, workers", [
    ("item:1", "0"),           # inside the first transaction
    ("item:8", "0"),           # inside a later transaction, after some commits
    ("commit:2", "0"),         # just before a COMMIT
    ("after_commit:3", "0"),   # just after a COMMIT
    ("item:5", "2"),           # with the process pool running
])
def test_killed_run_resumes_to_the_rows_of_a_clean_run(tmp_path: Path, corpus: Path, ledger_dump, crash: str,
                                                       workers: str):
    db = tmp_path / "l.db"
    killed = cli_ingest(corpus, db, "--workers", workers, crash=crash)
    assert killed.returncode == -signal.SIGKILL
    resumed = cli_ingest(corpus, db, "--workers", workers)
    assert resumed.returncode == 0, resumed.stderr.read() if resumed.stderr else ""
    assert ledger_dump(db) == clean_dump(corpus, tmp_path / "clean.db", ledger_dump)


@pytest.mark.slow
def test_killed_at_random_moments_then_resumed_equals_a_clean_run(tmp_path: Path, corpus: Path, ledger_dump):
    db = tmp_path / "l.db"
    rng = random.Random(7)
    for _ in range(4):
        proc = cli_ingest(corpus, db, "--workers", "0", wait=False)
        time.sleep(rng.uniform(1.0, 4.0))
        proc.kill()
        proc.communicate()
    assert cli_ingest(corpus, db, "--workers", "0").returncode == 0
    assert ledger_dump(db) == clean_dump(corpus, tmp_path / "clean.db", ledger_dump)


def stuck_on_b(task):
    """A worker function that never returns for the article whose text mentions 'stuck' (and ignores alarms)."""
    if task[0] == "article" and "stuck" in task[1].text:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        time.sleep(3600)
    from onrecord.model import Record

    return [Record(task[1])]


def test_a_stuck_worker_is_replaced_and_its_item_is_a_timeout(tmp_path: Path):
    from onrecord.store.ingest import Executor, Task

    articles = [Article(f"Story {i} {'stuck' if i == 1 else 'fine'} body.", source=f"s{i}") for i in range(4)]
    executor = Executor(1, Settings.load(), fn=stuck_on_b, hard_limit=3.0)
    try:
        done = list(executor.ordered(iter(Task("p", f"p#{i}", work=("article", a)) for i, a in enumerate(articles))))
    finally:
        executor.close()
    got = [(t.key, type(t.results[0]).__name__) for t in done]
    assert got == [("p#0", "Record"), ("p#1", "ErrorRecord"), ("p#2", "Record"), ("p#3", "Record")]
    assert done[1].results[0].error.code == "timeout"
