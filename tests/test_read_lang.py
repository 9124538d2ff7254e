"""Offline language identification from function words."""

from __future__ import annotations

import pytest

from onrecord.read.lang import detect_language, normalize_language


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The envoy said on Monday that the talks had produced real movement and that a second round "
         "would open later this month.", "en"),
        ("Der Gesandte sagte am Montag, dass die Gespräche mit der Gruppe eine echte Bewegung gebracht hätten "
         "und dass eine zweite Runde noch in diesem Monat beginnen werde.", "de"),
        ("L'envoyé a déclaré lundi que les discussions avec le groupe avaient permis de réels progrès et que "
         "le deuxième tour commencera plus tard dans le mois.", "fr"),
        ("El enviado dijo el lunes que las conversaciones con el grupo habían producido un avance real y que "
         "una segunda ronda se abrirá a finales de este mes.", "es"),
        ("L'inviato ha detto lunedì che i colloqui con il gruppo hanno prodotto un vero progresso e che "
         "un secondo round si aprirà alla fine del mese.", "it"),
        ("Посланник заявил в понедельник, что переговоры с группой принесли реальный прогресс и что второй "
         "раунд начнётся в конце этого месяца, но он не сказал, где.", "ru"),
        ("香港行政长官在各方压力下到立法会接受质询，并向香港民众道歉。", "zh"),
        ("東京都は月曜日、新しい橋の建設を始めると発表しました。", "ja"),
        ("서울시는 월요일 새 다리 건설을 시작한다고 발표했다.", "ko"),
        ("Hello there", None),
        ("12345 67890 !!!", None),
    ],
)
def test_detect_language(text, expected):
    assert detect_language(text) == expected


@pytest.mark.parametrize("code, expected", [("en-US", "en"), ("EN", "en"), ("pt_BR", "pt"), ("", None),
                                            (None, None), ("x-klingon-1", None)])
def test_normalize_language(code, expected):
    assert normalize_language(code) == expected
