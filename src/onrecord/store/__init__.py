"""The ledger: articles, statements, speakers and errors in SQLite (schema in ``migrations``, docs/ledger.md)."""

from __future__ import annotations

from .ledger import TABLES, Ledger
from .migrations import SCHEMA_VERSION

__all__ = ["SCHEMA_VERSION", "TABLES", "Ledger"]
