"""Scaling out: the ingest's per-article work mapped over input shards with Ray Data.

The only package in onrecord that imports ray.
"""

from __future__ import annotations

from .ray_job import plan_shards, ray_ingest

__all__ = ["plan_shards", "ray_ingest"]
