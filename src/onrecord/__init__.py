"""onrecord: an on-the-record ledger from raw news pages.

    >>> import onrecord
    >>> record = onrecord.extract_text('"We made progress," the envoy said on Tuesday.')
    >>> [s.kind for s in record.statements]
    ['direct']
"""

from __future__ import annotations

__version__ = "0.1.0"  # before the imports: the ledger records it

from .api import extract, extract_text
from .errors import ConfigError, InputError, MissingExtra, ModelNotFound, OnrecordError
from .model import Article, ErrorRecord, Problem, Record, Speaker, Span, Statement
from .settings import Settings
from .store import Ledger

__all__ = [
    "Article",
    "ConfigError",
    "ErrorRecord",
    "InputError",
    "Ledger",
    "MissingExtra",
    "ModelNotFound",
    "OnrecordError",
    "Problem",
    "Record",
    "Settings",
    "Speaker",
    "Span",
    "Statement",
    "__version__",
    "extract",
    "extract_text",
]
