"""One settings object, read from ``defaults.toml`` beside this file, a user file, and the environment."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import ConfigError

ENV_PREFIX = "ONRECORD_"
# where the learned tagger looks: every parsed paragraph, only paragraphs the rules left empty, only
# sentences the rules left alone that hold a trigger word (the default), or those sentences and the
# unparsed paragraphs that hold a trigger word (the tagger parses them)
TAGGER_SCOPES = ("parsed", "uncovered", "sentences", "all", "lead")
# which learned model tags: the fine-tuned transformer encoder, or the CRF
TAGGER_MODELS = ("encoder", "crf")


@dataclass(frozen=True)
class Settings:
    model: str = "auto"
    language: str = "en"
    max_input_bytes: int = 50 * 1024 * 1024
    max_text_chars: int = 2_000_000
    article_timeout_s: float = 120.0
    numpy_gemm: bool = True
    min_confidence: float = 0.0
    tagger: bool = True
    tagger_min_confidence: float = 0.3
    tagger_scope: str = "sentences"
    tagger_model: str = "crf"
    tagger_crf_weight: float = 0.3

    @classmethod
    def load(cls, path: str | Path | None = None, env: dict[str, str] | None = None, **overrides: Any) -> Settings:
        """Defaults file, then ``path`` (TOML), then ``ONRECORD_*`` variables, then keyword overrides."""
        values: dict[str, Any] = _read_toml(resources.files("onrecord").joinpath("defaults.toml").read_text("utf-8"))
        if path is not None:
            try:
                values.update(_read_toml(Path(path).read_text("utf-8")))
            except OSError as e:
                raise ConfigError(f"cannot read settings file {path}: {e.strerror}") from e
        env = os.environ if env is None else env
        known = {f.name: f for f in fields(cls)}
        for name, f in known.items():
            raw = env.get(ENV_PREFIX + name.upper())
            if raw is not None:
                values[name] = _coerce(name, raw, type(getattr(cls, name)))
        values.update({k: v for k, v in overrides.items() if v is not None})
        unknown = set(values) - set(known)
        if unknown:
            raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}; known: {', '.join(known)}")
        return cls(**values)

    def __post_init__(self) -> None:
        if self.tagger_scope not in TAGGER_SCOPES:
            raise ConfigError(f"tagger_scope must be one of {', '.join(TAGGER_SCOPES)}, not {self.tagger_scope!r}")
        if not 0.0 <= self.tagger_crf_weight <= 1.0:
            raise ConfigError(f"tagger_crf_weight must be between 0 and 1, not {self.tagger_crf_weight!r}")
        if self.tagger_model not in TAGGER_MODELS:
            raise ConfigError(f"tagger_model must be one of {', '.join(TAGGER_MODELS)}, not {self.tagger_model!r}")

    def with_(self, **changes: Any) -> Settings:
        return replace(self, **changes)


def _read_toml(text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"settings file is not valid TOML: {e}") from e


def _coerce(name: str, raw: str, kind: type) -> Any:
    try:
        if kind is bool:
            if raw.lower() in {"1", "true", "yes", "on"}:
                return True
            if raw.lower() in {"0", "false", "no", "off"}:
                return False
            raise ValueError(raw)
        return kind(raw)
    except ValueError:
        raise ConfigError(f"{ENV_PREFIX}{name.upper()}={raw!r} is not a valid {kind.__name__}") from None
