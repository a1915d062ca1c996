"""The case page's forms in a real browser: a refused proposal keeps the reason as typed (its
first blank line too, which HTML drops from a textarea unless the page writes it back with an
extra line), and the report's indicator codes are picked with the keyboard from the profile's
list. Chromium and uvicorn as in test_browser.py; skips without /usr/bin/chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_browser import ARGS, _chromium, _signed_in, uvicorn_on
from web_world import prepare

REASON = "\nDrug proceeds reach a terror-listed man via a mule.\n" + "Detail. " * 520


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    _chromium()
    yield from uvicorn_on(prepare(tmp_path_factory.mktemp("browser") / "home"))


@pytest.fixture(scope="module")
def browser(server: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=str(_chromium()), args=ARGS)
        try:
            yield launched
        finally:
            launched.close()


def test_a_refused_reason_comes_back_whole_and_codes_are_picked_by_keyboard(
    browser: Any, server: str
) -> None:
    ana = _signed_in(browser, server, "ana")
    row = ana.locator("table.alerts tbody tr", has_text="terror_exposure").first
    row.locator("button", has_text="Open a case").click()
    ana.wait_for_url(f"{server}/ui/cases/CASE-*")
    case_url = ana.url
    ana.select_option("#propose select[name=report_type]", "LTKM")
    ana.fill("#propose textarea", REASON)  # over goAML's 4000 characters
    ana.click("#propose button")
    ana.wait_for_load_state()
    assert ana.locator("#work-refused").count() == 1
    assert ana.input_value("#propose textarea") == REASON
    assert ana.input_value("#propose select[name=report_type]") == "LTKM"
    assert ana.locator("#propose-reason-error").inner_text().count("4000") == 1
    ana.fill("#propose textarea", REASON[:300])
    ana.click("#propose button")
    ana.wait_for_url(case_url)
    sam = _signed_in(browser, server, "sam")
    sam.goto(case_url)
    sam.click("#approve button")
    sam.wait_for_url(case_url)

    ana.goto(case_url)
    ana.fill("#report input[name=rates]", "IDR=0.00024")
    ana.focus("#report-indicators")
    ana.keyboard.press("Home")  # the first code…
    ana.keyboard.press("Shift+ArrowDown")  # …and the next, with the keyboard alone
    picked = ana.evaluate(
        "[...document.querySelector('#report-indicators').selectedOptions].map(o => o.value)"
    )
    assert len(picked) == 2
    with ana.expect_download() as download:
        ana.click("text=Download the goAML report")
    xml = Path(download.value.path()).read_text(encoding="utf-8")
    assert all(f"<indicator>{code}</indicator>" in xml for code in picked)
