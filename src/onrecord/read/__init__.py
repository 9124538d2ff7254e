"""Bytes -> Article: one reader per input format (HTML, plain text, JSONL, WARC)."""
