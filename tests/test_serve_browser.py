"""The reading room in a real browser: Playwright driving Debian chromium against uvicorn on a loopback port.

Screenshots of every page (desktop and phone widths) go to test-artifacts/screenshots/.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")
sync_api = pytest.importorskip("playwright.sync_api")

from browser_support import ARGS, CHROMIUM, SHOTS, require_chromium, serving  # noqa: E402
from serve_ledger import XSS_CONTENT, XSS_SPEAKER, XSS_SPEAKER_2, XSS_TITLE, build_ledger  # noqa: E402

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serving(build_ledger(tmp_path_factory.mktemp("browser") / "ledger.db")) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    require_chromium()
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


class Watched:
    """A page plus what it did: dialogs opened (an XSS payload ran) and console errors (a CSP violation, a JS error)."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))


@pytest.fixture(params=["desktop", "phone"])
def view(request: pytest.FixtureRequest, browser: Any) -> Iterator[Watched]:
    size = DESKTOP if request.param == "desktop" else PHONE
    context = browser.new_context(viewport=size, device_scale_factor=1, is_mobile=request.param == "phone",
                                  has_touch=request.param == "phone")
    w = Watched(context.new_page())
    w.kind = request.param  # type: ignore[attr-defined]
    yield w
    context.close()
    assert w.dialogs == [], f"a dialog opened: {w.dialogs}"
    assert w.errors == [], f"console errors: {w.errors}"


@pytest.fixture
def desktop(browser: Any) -> Iterator[Watched]:
    context = browser.new_context(viewport=DESKTOP)
    w = Watched(context.new_page())
    yield w
    context.close()
    assert w.dialogs == [] and w.errors == [], (w.dialogs, w.errors)


def shot(w: Watched, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    w.page.screenshot(path=str(SHOTS / f"{name}-{getattr(w, 'kind', 'desktop')}.png"), full_page=True)


def no_horizontal_scroll(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


def test_search_with_facets(view: Watched, base_url: str) -> None:
    page = view.page
    page.goto(base_url + "/")
    page.fill("#q", "ceasefire")
    page.press("#q", "Enter")
    page.wait_for_url("**/?q=ceasefire")
    n_all = page.locator("#results .result").count()
    assert n_all >= 5
    page.locator(".facets a", has_text="Marta Quill").first.click()
    page.wait_for_url("**speaker=Marta+Quill**")
    who = page.locator("#results .result .who").all_inner_texts()
    assert who and set(who) == {"Marta Quill"} and len(who) < n_all
    assert page.locator(".chip", has_text="speaker: Marta Quill").is_visible()
    assert no_horizontal_scroll(page)
    shot(view, "search")


def test_empty_search_and_paging(desktop: Watched, base_url: str) -> None:
    page = desktop.page
    page.goto(base_url + "/?q=nothingmatchesthis")
    assert page.locator("#empty").is_visible()
    page.goto(base_url + "/?limit=5")
    first = page.locator("#results .result").first.inner_text()
    page.keyboard.press("n")
    page.wait_for_url("**page=2**")
    assert page.locator("#results .result").first.inner_text() != first
    assert page.locator(".pager").inner_text().startswith("← Previous")


def test_article_highlighting(view: Watched, base_url: str) -> None:
    page = view.page
    page.goto(base_url + "/articles/1")
    marks = page.locator("#body mark.st")
    assert marks.count() == 3
    assert page.locator("#body mark.cue").count() == 3 and page.locator("#body mark.mention").count() == 3
    # statements of one speaker share a colour, another speaker has another
    colour = "el => getComputedStyle(el).borderBottomColor"
    quill = page.locator('#body mark.st[data-st]').nth(0).evaluate(colour)
    quill_again = page.locator('#body mark.st[data-st]').nth(1).evaluate(colour)
    brenn = page.locator('#body mark.st[data-st]').nth(2).evaluate(colour)
    assert quill == quill_again != brenn
    assert page.locator("#body mark.st").nth(0).inner_text() == "made real progress."
    # the side list jumps to the statement in the text
    page.locator("#statements a").nth(2).click()
    assert page.locator("#body mark.st.flash").inner_text() == "that any deal had been signed"
    assert page.locator("#body mark.flash").count() == 3  # content, cue and mention
    assert no_horizontal_scroll(page)
    shot(view, "article")


def test_speaker_timeline_chart(view: Watched, base_url: str) -> None:
    page = view.page
    page.goto(base_url + "/speakers/1")
    page.wait_for_selector("#timeline[data-rendered='1']")
    labels = page.evaluate("window.onrecordCharts[0].data.labels")
    data = page.evaluate("window.onrecordCharts[0].data.datasets[0].data")
    assert labels == ["2019-02", "2019-03", "2019-04", "2019-05", "2019-06", "2019-07", "2019-08"]
    assert sum(data) == 9
    painted = page.evaluate("""() => {
        const c = document.getElementById('timeline'); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; }""")
    assert painted > 500  # the canvas has bars and axes drawn on it
    assert page.locator("#channels[data-rendered='1']").count() == 1
    assert "special envoy" in page.locator("#roles").inner_text()
    assert no_horizontal_scroll(page)
    shot(view, "speaker")


def test_story_chart(view: Watched, base_url: str) -> None:
    page = view.page
    page.goto(base_url + "/story")
    assert page.locator("#empty").is_visible()
    page.fill("#q", "ceasefire")
    page.press("#q", "Enter")
    page.wait_for_selector("#story[data-rendered='1']")
    names = page.evaluate("window.onrecordCharts[0].data.datasets.map(d => d.label)")
    assert "Marta Quill" in names
    assert len(page.evaluate("window.onrecordCharts[0].data.labels")) == 12
    assert page.locator("#legend li").count() == len(names)
    assert no_horizontal_scroll(page)
    shot(view, "story")


@pytest.mark.parametrize("path", ["/", "/?q=alert", "/articles/3", "/speakers?q=%3Cimg", "/story?q=alert",
                                  "/speakers/6"])
def test_hostile_strings_show_as_text(desktop: Watched, base_url: str, path: str) -> None:
    page = desktop.page
    page.goto(base_url + path)
    page.wait_for_load_state("load")
    body = page.locator("body").inner_text()
    visible = [s for s in (XSS_SPEAKER, XSS_CONTENT, XSS_SPEAKER_2, XSS_TITLE) if s in body]
    assert visible, "none of the hostile strings is shown as text"
    assert page.evaluate("document.querySelectorAll('main img, main svg, main script:not(.chart-data), main [onerror], main [onload]').length") == 0
    assert page.evaluate("[...document.querySelectorAll('b')].filter(b => b.textContent === 'Bold').length") == 0
    if path.startswith("/story"):
        assert XSS_SPEAKER in page.evaluate("window.onrecordCharts[0].data.datasets.map(d => d.label)")
    shot(desktop, "xss-" + path.strip("/").split("?")[0].replace("/", "-") or "xss-home")
    # the fixture asserts that no dialog opened and that nothing was refused by the Content-Security-Policy


def test_keyboard_navigation(desktop: Watched, base_url: str) -> None:
    page = desktop.page
    page.goto(base_url + "/?q=ceasefire")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.press("Escape")
    assert page.evaluate("document.activeElement.id") != "q"
    results = page.locator("#results .result")
    page.keyboard.press("j")
    assert results.nth(0).evaluate("el => el === document.activeElement")
    page.keyboard.press("j")
    page.keyboard.press("ArrowDown")
    assert results.nth(2).evaluate("el => el === document.activeElement")
    page.keyboard.press("k")
    assert results.nth(1).evaluate("el => el === document.activeElement")
    # the focused result is visibly marked
    assert results.nth(1).evaluate("el => getComputedStyle(el).outlineStyle") != "none"
    href = results.nth(1).get_attribute("href")
    page.keyboard.press("Enter")
    page.wait_for_url("**/articles/**")
    assert page.url.endswith(href)
    assert page.locator("mark:target").count() == 1


def test_pages_work_offline(browser: Any, base_url: str) -> None:
    context = browser.new_context(viewport=DESKTOP)
    outside: list[str] = []
    context.route("**/*", lambda route: (outside.append(route.request.url), route.abort())
                  if not route.request.url.startswith(base_url) else route.continue_())
    page = context.new_page()
    for path in ("/", "/articles/1", "/speakers/1", "/story?q=ceasefire"):
        page.goto(base_url + path)
    context.close()
    assert outside == []
