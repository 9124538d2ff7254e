"""Inputs -> ledger rows: walk the paths, read, extract on a process pool, write in input order, resumably.

Every item read gets a key ``"<absolute path>#<ordinal>"``; its rows and its ``inputs`` row are written in one
transaction (a small batch of items per transaction), in input order, so a run killed at any moment and started
again skips exactly what is in and ends with the rows a clean run gives.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
import signal
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import ConfigError
from ..model import ErrorRecord, Problem, RawInput, Record, Result
from ..settings import Settings
from .work import init_worker, read_file, work

if TYPE_CHECKING:
    from .ledger import Ledger

log = logging.getLogger(__name__)

# Files that hold many articles: read here, item by item, so a killed run resumes inside them.
MULTI_ITEM_SUFFIXES = (".jsonl", ".ndjson", ".warc", ".arc")
MULTI_ITEM_FORMATS = ("jsonl", "warc")
BATCH_ITEMS = 64        # items per transaction at most
BATCH_SECONDS = 1.0     # and at most this long between commits
CRASH_ENV = "ONRECORD_CRASH_AT"  # fault injection for the resume tests: "<point>:<n>", see _crash_point


def walk(paths: list[str], format: str | None = None) -> Iterator[str]:
    """Absolute paths of every input file under ``paths``, folders walked as the readers walk them (sorted,
    hidden names and unsupported extensions skipped, unless ``format`` is forced).

    A path that does not exist is yielded as is (it becomes a ``not_found`` error row).
    """
    from ..read.sources import walk as walk_folder

    for p in paths:
        if p == "-":
            raise ConfigError("ingest reads files and folders, not standard input: save it to a file first")
        path = os.path.abspath(p)
        if os.path.isdir(path):
            yield from walk_folder(path, any_file=format is not None)
        else:
            yield path


def is_multi_item(path: str, format: str | None) -> bool:
    if format is not None:
        return format in MULTI_ITEM_FORMATS
    name = path.lower()
    for ext in (".gz", ".bz2", ".xz"):
        name = name.removesuffix(ext)
    return name.endswith(MULTI_ITEM_SUFFIXES)


@dataclass
class Task:
    """One unit of work in input order: an item to extract, a whole small file to read and extract, or a result."""

    path: str
    key: str | None = None                  # the item key; None for a whole-file task
    work: tuple[Any, ...] | None = None     # what a worker runs; None when ``results`` is already known
    results: list[Result] = field(default_factory=list)
    file_items: int | None = None           # set on the task that finishes a multi-item file
    content_hash: str | None = None


def tasks(ledger: Ledger, paths: list[str], settings: Settings, format: str | None,
          stats: dict[str, int], pending: set[str]) -> Iterator[Task]:
    """The work for every input not yet in the ledger, in input order."""
    for path in walk(paths, format):
        if ledger.file_done(path):
            stats["skipped_files"] += 1
            continue
        if not is_multi_item(path, format):
            yield Task(path, work=("file", path, format))
            continue
        done = ledger.done_keys(path)

        def pick(i: int, done: set[str] = done) -> bool:  # items already in are not read again
            return f"{path}#{i}" not in done

        n = 0
        for n, item in enumerate(read_file(path, format, settings, pick, raw=True), start=1):
            key = f"{path}#{n - 1}"
            if key in done:
                stats["skipped"] += 1
            elif item is None:
                continue
            elif isinstance(item, ErrorRecord):
                yield Task(path, key, results=[item])
            elif isinstance(item, RawInput):  # a JSONL line: the worker parses and converts it too
                yield Task(path, key, work=("raw", item))
            else:
                h = item.content_hash
                if h in pending or ledger.conn.execute("SELECT 1 FROM articles WHERE content_hash = ?",
                                                       (h,)).fetchone():
                    yield Task(path, key, results=[Record(item)])  # a duplicate: no need to extract it again
                else:
                    pending.add(h)
                    yield Task(path, key, work=("article", item), content_hash=h)
        if n == 0:
            yield Task(path, f"{path}#0", results=[ErrorRecord(path, Problem("empty", "no article in this input"))])
            n = 1
        yield Task(path, file_items=n)


class Executor:
    """Runs tasks on ``workers`` processes (0: in this process) and hands results back in input order.

    At most ``window`` tasks are in flight, so memory stays flat. A task that outlives the hard limit (the
    worker is stuck in C code, or died) becomes a ``timeout`` error and the pool is replaced.
    """

    def __init__(self, workers: int, settings: Settings, fn: Callable[[tuple[Any, ...]], list[Result]] = work,
                 hard_limit: float | None = None) -> None:
        self.workers = workers
        self.settings = settings
        self.fn = fn
        self.window = max(4, workers * 8)
        if hard_limit is None and settings.article_timeout_s > 0:
            hard_limit = settings.article_timeout_s * 2 + 30
        self.hard_limit = hard_limit
        self.pool: Any = None
        self.inflight: deque[tuple[Task, Any]] = deque()
        self.loaded = False

    def _start(self) -> None:
        self.pool = mp.get_context("spawn").Pool(self.workers, initializer=init_worker, initargs=(self.settings,))
        self.pool.apply(os.getpid)  # wait for the workers to load the model: the hard limit counts work only

    def close(self) -> None:
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            self.pool = None

    def ordered(self, source: Iterator[Task]) -> Iterator[Task]:
        for task in source:
            self.inflight.append((task, self._submit(task)))
            while len(self.inflight) >= self.window:
                yield self._finish()
        while self.inflight:
            yield self._finish()

    def _submit(self, task: Task) -> Any:
        if task.work is None:
            return None
        if not self.loaded:  # started on the first real work: a run with nothing new to do starts nothing
            self.loaded = True
            if self.workers > 0:
                self._start()
            else:
                init_worker(self.settings)
        if self.pool is None:
            task.results = self.fn(task.work)
            return None
        return self.pool.apply_async(self.fn, (task.work,))

    def _finish(self) -> Task:
        task, handle = self.inflight.popleft()
        if handle is None:
            return task
        try:
            task.results = handle.get(timeout=self.hard_limit)
        except mp.TimeoutError:
            log.warning("a worker is stuck on %s: replacing the pool", task.key or task.path)
            task.results = [ErrorRecord(task.key or task.path, Problem(
                "timeout", f"no result within {self.hard_limit:.0f}s; the worker was replaced"), stage="extract")]
            self.close()
            self._start()
            self.inflight = deque((t, self._submit(t)) for t, _ in self.inflight)
        return task


class Writer:
    """Writes finished tasks in order, a small batch per transaction, with the ``inputs`` rows that make resume
    exact."""

    def __init__(self, ledger: Ledger, run_id: int | None, stats: dict[str, int], pending: set[str],
                 batch: int = BATCH_ITEMS) -> None:
        self.ledger = ledger
        self.batch = max(1, batch)
        self.run_id = run_id
        self.stats = stats
        self.pending = pending
        self.in_tx = 0
        self.tx_started = 0.0

    def write(self, task: Task) -> None:
        if self.in_tx == 0:
            self.ledger.conn.execute("BEGIN IMMEDIATE")
            self.tx_started = time.monotonic()
        if task.key is not None:
            for result in task.results[:1]:
                self._item(task.key, result)
        elif task.work is not None:  # a whole file: its items, then the file itself
            results = task.results or [ErrorRecord(task.path, Problem("empty", "no article in this input"))]
            for i, result in enumerate(results):
                self._item(f"{task.path}#{i}", result)
            self._file(task.path, len(results))
        if task.file_items is not None:
            self._file(task.path, task.file_items)
        if task.content_hash is not None:
            self.pending.discard(task.content_hash)
        self.in_tx += 1
        _crash_point("item")
        if self.in_tx >= self.batch or time.monotonic() - self.tx_started >= BATCH_SECONDS:
            self.commit()

    def commit(self) -> None:
        if self.in_tx:
            _crash_point("commit")
            self.ledger.conn.execute("COMMIT")
            self.in_tx = 0
            _crash_point("after_commit")

    def rollback(self) -> None:
        if self.in_tx:
            self.ledger.conn.execute("ROLLBACK")
            self.in_tx = 0

    def _item(self, key: str, result: Result) -> None:
        status, row_id = self.ledger.add(result, run_id=self.run_id)
        source = result.source if isinstance(result, ErrorRecord) else result.article.source
        self.ledger.mark_input(key, kind="item", status=status, source=source, run_id=self.run_id,
                               article_id=row_id if status != "error" else None,
                               error_id=row_id if status == "error" else None)
        self.stats[{"article": "articles", "duplicate": "duplicates", "error": "errors"}[status]] += 1
        if status == "article" and isinstance(result, Record):
            self.stats["statements"] += len(result.statements)

    def _file(self, path: str, n_items: int) -> None:
        self.ledger.mark_input(path, kind="file", status="done", n_items=n_items, run_id=self.run_id)
        self.stats["files"] += 1


_crash_counts: dict[str, int] = {}


def _crash_point(point: str) -> None:
    """Fault injection: with ONRECORD_CRASH_AT=point:n the process SIGKILLs itself the n-th time it gets here."""
    spec = os.environ.get(CRASH_ENV)
    if not spec:
        return
    name, _, n = spec.partition(":")
    if name != point:
        return
    _crash_counts[point] = _crash_counts.get(point, 0) + 1
    if _crash_counts[point] >= int(n or 1):
        os.kill(os.getpid(), signal.SIGKILL)


def ingest(ledger: Ledger, paths: list[str], *, settings: Settings, workers: int | None = None,
           format: str | None = None, progress: Callable[[dict[str, int]], None] | None = None,
           batch: int = BATCH_ITEMS) -> dict[str, int]:
    """Read, extract and store everything under ``paths``; returns counts (articles, duplicates, errors, ...)."""
    workers = (os.cpu_count() or 1) if workers is None else workers
    stats = dict.fromkeys(("articles", "duplicates", "errors", "statements", "files", "skipped", "skipped_files"), 0)
    pending: set[str] = set()
    run_id = ledger.start_run(settings, "local")
    executor = Executor(workers, settings)
    writer = Writer(ledger, run_id, stats, pending, batch)
    status = "failed"
    try:
        for task in executor.ordered(tasks(ledger, paths, settings, format, stats, pending)):
            writer.write(task)
            if progress is not None:
                progress(stats)
        writer.commit()
        status = "done"
    finally:
        writer.rollback()
        executor.close()
        ledger.finish_run(run_id, stats, status)
    return stats


__all__ = ["Executor", "Task", "Writer", "ingest", "walk"]
