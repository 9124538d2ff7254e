"""A linked ledger's speaker pages in a real browser: Playwright driving Debian chromium against uvicorn."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")
sync_api = pytest.importorskip("playwright.sync_api")

from browser_support import ARGS, CHROMIUM, SHOTS, require_chromium, serving  # noqa: E402
from serve_linked_ledger import WIRE_OUTLETS, build_linked_ledger  # noqa: E402

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serving(build_linked_ledger(tmp_path_factory.mktemp("identity-browser") / "ledger.db")) as url:
        yield url


@pytest.fixture
def page(base_url: str) -> Iterator[Any]:
    require_chromium()
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        pg = context.new_page()
        errors: list[str] = []
        pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        pg.on("pageerror", lambda e: errors.append(str(e)))
        yield pg
        context.close()
        browser.close()
    assert errors == [], f"console errors (a CSP refusal, a script error): {errors}"


def test_identity_page_merges_aliases(page: Any, base_url: str) -> None:
    # the speaker list has one entry for Irena Vostok, however she was named
    page.goto(base_url + "/speakers?q=vostok")
    entries = page.locator("#results .result")
    assert entries.count() == 1
    assert "Vostok" in entries.first.locator(".aliases").inner_text()
    # a name URL by the bare surname lands on her identity page
    page.goto(base_url + "/identities/Vostok")
    page.wait_for_url(re.compile(r".*/identities/\d+$"))
    assert page.locator("#name").inner_text().strip().startswith("Irena Vostok")
    assert "Vostok" in page.locator("#aliases .alias").all_inner_texts()
    # statements said as "Vostok" and as "Irena Vostok" share one timeline, the wire story's copies folded
    who = page.locator("#results .result .who").all_inner_texts()
    assert {"Vostok", "Irena Vostok"} <= set(who)
    copies = page.locator("#results li.under .copies")
    assert copies.count() == 2
    shown = set(copies.first.locator("a").all_inner_texts())
    assert len(shown) == 2 and shown < set(WIRE_OUTLETS)
    page.wait_for_selector("#timeline[data-rendered='1']")
    assert sum(page.evaluate("window.onrecordCharts[0].data.datasets[0].data")) == 5
    assert "2021-03-01 – 2021-03-16" in page.locator("#roles").inner_text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "identity-desktop.png"), full_page=True)


def test_denial_links_to_its_target(page: Any, base_url: str) -> None:
    page.goto(base_url + "/identities/Paul%20Marren")
    page.wait_for_url(re.compile(r".*/identities/\d+$"))
    assert page.locator("#results .tag.stance.denial").count() == 1
    page.locator("#results li.under .stance-link a").first.click()
    page.wait_for_url("**/articles/**")
    assert page.locator("mark:target").count() == 1
