"""``ingest --engine ray``: the local ingest's per-article work, mapped with Ray Data over input shards.

Each shard is one input file, or for a big JSONL or WARC file every K-th item of it (the others are skipped
unparsed); each task reads its shard with the same readers and runs the same ``work`` as the local process
pool. The output is Parquet
(one row per input item: its file, its position in the file and the full record as JSON) that
``Ledger.merge`` loads with the same keys and dedupe rules, so the ledger ends up row for row as the local
path leaves it.
"""

from __future__ import annotations

import logging
import math
import os
from pathlib import Path
from typing import Any

from ..errors import ConfigError, MissingExtra
from ..model import Article, ErrorRecord, Problem, RawInput, Result
from ..settings import Settings
from ..store.ingest import is_multi_item, walk
from ..store.rows import result_to_json
from ..store.work import extract_limited, read_file, work

log = logging.getLogger(__name__)

SHARD_BYTES = 1024 * 1024  # a JSONL or WARC file is split in about this much input per shard (two per CPU at most)


def plan_shards(paths: list[str], format: str | None, parallelism: int) -> list[dict[str, Any]]:
    """The shards of the inputs under ``paths``, in input order: file index, path, and (k, K) for a split file."""
    shards = []
    for file_idx, path in enumerate(walk(paths, format)):
        k_total = 1
        if is_multi_item(path, format):
            try:
                size = os.path.getsize(path)
            except OSError:
                size = 0
            k_total = max(1, min(parallelism * 2, math.ceil(size / SHARD_BYTES)))
        shards += [{"file_idx": file_idx, "path": path, "k": k, "K": k_total} for k in range(k_total)]
    return shards


def _one(item: Article | ErrorRecord | RawInput, settings: Settings) -> Result:
    if isinstance(item, ErrorRecord):
        return item
    if isinstance(item, RawInput):
        return work(("raw", item), settings)[0]
    return extract_limited(item, settings)


def run_shard(shard: dict[str, Any], settings: Settings, format: str | None) -> list[dict[str, Any]]:
    """Read and extract one shard; one output row per input item of the shard."""
    path, k, k_total = shard["path"], shard["k"], shard["K"]
    if is_multi_item(path, format):
        picked: list[tuple[int, Any]] = []
        n = 0
        for n, item in enumerate(read_file(path, format, settings, lambda i: i % k_total == k, raw=True), start=1):
            if item is not None:
                picked.append((n - 1, _one(item, settings)))
        if n == 0:
            n = 1
            if k == 0:
                picked.append((0, ErrorRecord(path, Problem("empty", "no article in this input"))))
    else:
        results = work(("file", path, format), settings)
        results = results or [ErrorRecord(path, Problem("empty", "no article in this input"))]
        picked = list(enumerate(results))
        n = len(results)
    return [{"file_idx": shard["file_idx"], "path": path, "ordinal": i, "n_items": n, "record": result_to_json(r)}
            for i, r in picked]


def ray_ingest(paths: list[str], out: str | Path, *, settings: Settings, address: str | None = None,
               format: str | None = None, num_cpus: int | None = None) -> dict[str, int]:
    """Run the ingest on Ray (``address``: a cluster; None: a local Ray) and write Parquet shards to ``out``."""
    try:
        import ray
    except ImportError:
        raise MissingExtra("--engine ray", "ray") from None
    out = Path(out)
    if out.exists() and any(out.glob("*.parquet")):
        raise ConfigError(f"{out} already holds Parquet shards: merge them, or choose an empty folder")
    out.mkdir(parents=True, exist_ok=True)
    started_here = not ray.is_initialized()
    if started_here:
        ray.init(address=address, num_cpus=None if address else num_cpus, include_dashboard=False,
                 log_to_driver=False, configure_logging=False)
    ctx = ray.data.DataContext.get_current()
    ctx.enable_progress_bars = False
    if not log.isEnabledFor(logging.INFO):
        logging.getLogger("ray.data").setLevel(logging.WARNING)
    try:
        parallelism = int(ray.cluster_resources().get("CPU", 1))
        shards = plan_shards(paths, format, parallelism)
        if not shards:
            return {"shards": 0, "items": 0}
        ds = ray.data.from_items(shards, override_num_blocks=len(shards))
        ds = ds.flat_map(run_shard, fn_kwargs={"settings": settings, "format": format})
        ds.write_parquet(str(out))
        items = sum(pf_rows(p) for p in out.glob("*.parquet"))
        log.info("ray ingest: %d shards, %d items -> %s", len(shards), items, out)
        return {"shards": len(shards), "items": items}
    finally:
        if started_here:
            ray.shutdown()


def pf_rows(path: Path) -> int:
    import pyarrow.parquet as pq

    return int(pq.ParquetFile(str(path)).metadata.num_rows)
