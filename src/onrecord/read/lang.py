"""Offline language identification from function words (no model download)."""

from __future__ import annotations

import re

from .lexicon import stopwords

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")


def detect_language(text: str, *, max_words: int = 2000) -> str | None:
    """The ISO 639-1 code of ``text``'s language, or None when it is too short or unclear.

    Scores each language by the share of its function words among the first words of the text.
    """
    sample = text[:max_words * 12]
    by_script = _by_script(sample)
    if by_script:
        return by_script
    words = [w.casefold() for w in _WORD.findall(sample)][:max_words]
    if len(words) < 4:
        return None
    scores = sorted(((sum(w in sw for w in words), lang) for lang, sw in stopwords().items()), reverse=True)
    if not scores:
        return None
    (top, lang), runner = scores[0], (scores[1][0] if len(scores) > 1 else 0)
    if top < 2 or top / len(words) < 0.12 or top < runner * 1.3:
        return None
    return lang


def normalize_language(code: str | None) -> str | None:
    """``"en-US"`` / ``"en_GB"`` / ``"EN"`` -> ``"en"``; None for an empty or odd code."""
    if not code:
        return None
    base = re.split(r"[-_]", code.strip())[0].lower()
    return base if re.fullmatch(r"[a-z]{2,3}", base) else None


def _by_script(text: str) -> str | None:
    """Languages told apart by their script alone: Japanese (kana), Chinese (Han only), Korean (Hangul)."""
    letters = sum(c.isalpha() for c in text)
    if letters < 10:
        return None
    kana, han, hangul = (len(rx.findall(text)) for rx in (_KANA, _HAN, _HANGUL))
    if hangul / letters > 0.3:
        return "ko"
    if (kana + han) / letters > 0.3:
        return "ja" if kana / max(1, kana + han) > 0.1 else "zh"
    return None
