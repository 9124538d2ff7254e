"""HTML -> Article through trafilatura: body, paragraphs, quotes intact, metadata."""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from onrecord.errors import InputError
from onrecord.read.html import article_from_html

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "tests" / "fixtures" / "pages" / "harbor.html"
ZYTE = ROOT / ".." / "shared" / "data" / "zyte-article-extraction-benchmark"


def _page(body: str, head: str = "", lang: str = "en") -> str:
    return f'<html lang="{lang}"><head><title>T</title>{head}</head><body><nav>Home | News</nav><article>' \
           f"{body}</article><footer>Copyright</footer></body></html>"


FILLER = "<p>Residents have complained for years about the state of the old bridge over the river.</p>"


def test_fixture_page():
    a = article_from_html(PAGE.read_bytes(), source=str(PAGE))
    assert a.title == "Ferry Strike Ends After Deal"
    assert a.published == "2023-06-14"
    assert a.authors == ("Maren Holt",)
    assert a.outlet == "The Sela Courier"
    assert a.url == "https://courier.example/news/ferry-strike-ends"
    assert a.language == "en"
    paras = a.text.split("\n\n")
    assert len(paras) == 5
    assert paras[0].startswith("The ferry workers' union in Port Sela ended a nine-day strike")
    assert paras[-1].endswith("next week, Brek said.")
    for chrome in ("Home", "Most read", "Council budget row", "Copyright", "Ferry Strike Ends After Deal"):
        assert chrome not in a.text


@pytest.mark.parametrize(
    "html, expected",
    [
        ('<p>She added: <q>Nobody is above the rules.</q> The council agreed.</p>',
         "She added: “Nobody is above the rules.” The council agreed."),
        ("<p>He said: <q>They called it <q>a plan</q>, but it was not.</q> Nobody replied.</p>",
         "He said: “They called it ‘a plan’, but it was not.” Nobody replied."),
        ("<p>&quot;We will not wait,&quot; she said on Tuesday in the city.</p>",
         '"We will not wait," she said on Tuesday in the city.'),
        ("<p>“It is <em>funded</em>,” he said at the meeting on Monday.</p>",
         "“It is funded,” he said at the meeting on Monday."),
    ],
)
def test_quotes_kept(html, expected):
    a = article_from_html(_page(html + FILLER * 3))
    assert a.text.split("\n\n")[0] == expected


def test_metadata_fallbacks_from_meta():
    a = article_from_html(_page(FILLER * 4, lang="de-DE"), source="r", meta={"url": "https://x.example/a",
                                                                          "published": "2021-02-03", "id": "r1"})
    assert a.url == "https://x.example/a" and a.published == "2021-02-03" and a.id == "r1"
    assert a.language == "de"


def test_credit_line_leaves_body():
    a = article_from_html(_page(FILLER * 3 + "<p>Reporting by Ana Ruiz; Editing by Bo Chan</p>"))
    assert a.credits == ("Ana Ruiz",)
    assert "Reporting by" not in a.text


@pytest.mark.parametrize("html", ["", "   ", "<html><body></body></html>", "<html><body><nav>Home</nav></body></html>"])
def test_no_article(html):
    with pytest.raises(InputError) as e:
        article_from_html(html)
    assert e.value.code == "empty"


def _shingles(text: str) -> Counter[str]:
    toks = re.findall(r"\w+", text or "")
    return Counter(" ".join(toks[i:i + 4]) for i in range(max(1, len(toks) - 3)) if toks[i:i + 4])


@pytest.mark.shared
@pytest.mark.slow
def test_zyte_benchmark_f1():
    """The Zyte benchmark's shingle F1 (macro P and R over pages) stays at or above 0.96."""
    if not (ZYTE / "ground-truth.json").exists():
        pytest.skip(f"../shared/data/zyte-article-extraction-benchmark not present: {ZYTE}")
    gold = json.loads((ZYTE / "ground-truth.json").read_text("utf-8"))
    tp = fp = fn = 0.0
    for key, item in sorted(gold.items()):
        raw = gzip.decompress((ZYTE / "html" / f"{key}.html.gz").read_bytes())
        try:
            pred = article_from_html(raw).text
        except InputError:
            pred = ""
        a, b = _shingles(item["articleBody"]), _shingles(pred)
        t = sum((a & b).values())
        f, n = sum((b - a).values()), sum((a - b).values())
        s = t + f + n
        if s:
            tp, fp, fn = tp + t / s, fp + f / s, fn + n / s
    p, r = tp / (tp + fp), tp / (tp + fn)
    assert 2 * p * r / (p + r) >= 0.96


@pytest.mark.parametrize("big, huge", [(1_000, 10**9), (1_000, 2_000)])
def test_large_page_paths(monkeypatch, big, huge):
    """Pages over the size thresholds (made small here) keep their body and metadata."""
    import onrecord.read.html as html

    monkeypatch.setattr(html, "_BIG_PAGE_CHARS", big)
    monkeypatch.setattr(html, "_HUGE_PAGE_CHARS", huge)
    page = PAGE.read_text("utf-8").replace("<head>", "<head><script>" + "var x = 1;" * 500 + "</script>")
    a = article_from_html(page)
    assert a.title == "Ferry Strike Ends After Deal" and a.published == "2023-06-14"
    assert a.text.startswith("The ferry workers' union in Port Sela ended a nine-day strike")
    assert a.text.endswith("next week, Brek said.")
    assert "var x" not in a.text and "Home" not in a.text


def test_figure_captions_stay_out_of_the_body():
    fig = "<figure><img src='a.jpg'><figcaption>The old bridge in Port Sela, May 2, 2021. REUTERS/Ana Lobo" \
          "</figcaption></figure>"
    a = article_from_html(_page(fig + FILLER * 3))
    assert a.captions == ("The old bridge in Port Sela, May 2, 2021. REUTERS/Ana Lobo",)
    assert "old bridge in Port Sela" not in a.text
    assert a.date_hint is None if a.published else a.date_hint == "2021-05-02"
