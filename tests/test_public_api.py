"""The public API is small and ``__all__`` tells the truth about it."""

from __future__ import annotations

import onrecord


def test_all_names_exist():
    for name in onrecord.__all__:
        assert hasattr(onrecord, name), name


def test_no_public_name_missing_from_all():
    public = {n for n in vars(onrecord) if not n.startswith("_")}
    modules = {n for n in public if type(getattr(onrecord, n)).__name__ == "module"}
    assert public - modules - {"annotations"} <= set(onrecord.__all__)
