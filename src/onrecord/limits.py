"""The per-article time limit shared by ``onrecord extract`` and the ledger's workers."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class ArticleTimeout(BaseException):
    """Raised in the main thread when one article runs past ``article_timeout_s``.

    A BaseException, so that no ``except Exception`` inside a library swallows it.
    """


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise ArticleTimeout when the block runs longer than ``seconds`` (POSIX main thread only; else no limit)."""
    if seconds <= 0 or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def _expire(signum: int, frame: Any) -> None:
        raise ArticleTimeout()

    previous = signal.signal(signal.SIGALRM, _expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
