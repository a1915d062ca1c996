"""A name thousands of letters long, without a space, in a real browser: the pages that show it
keep to the window's width (the analyst reads the rest of the row without scrolling sideways).
Chromium and uvicorn as in test_browser.py; skips without /usr/bin/chromium, fails under CI."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from typing import Any

import pytest
from test_browser import ARGS, _chromium, _signed_in, uvicorn_on
from web_world import prepare

from case_story import ok

WORD = "Kartel" + "Narkoba" * 400  # 2,806 letters, no place to break
#: A payer and a payee both named in Arabic letters
PAYER, PAYEE = "محمد الأمين", "علي حسن"
ALERT = re.compile(r'/ui/alerts/(ALR-[0-9a-f]+)"')


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The story's workspace served, with a payment whose payer's name is one long word."""
    _chromium()
    settings = prepare(tmp_path_factory.mktemp("browser") / "home")
    payments = settings.home.parent / "long.csv"
    with payments.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["tx_id", "timestamp", "orig_account", "orig_name", "bene_account",
                      "bene_name", "amount", "currency"])  # fmt: skip
        out.writerow(["T-LONG", "2025-03-09T10:00:00Z", "ACC-LONG", WORD, "ACC-SHOP",
                      "Toko Sembako", "8500000", "IDR"])  # fmt: skip
        out.writerow(["T-RTL", "2025-03-09T12:00:00Z", "ACC-AR1", PAYER, "ACC-AR2", PAYEE,
                      "2000000", "IDR"])  # fmt: skip
    ok(settings, "tx", "load", str(payments), "--format", "csv")
    yield from uvicorn_on(settings)


@pytest.fixture(scope="module")
def browser(server: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=str(_chromium()), args=ARGS)
        try:
            yield launched
        finally:
            launched.close()


#: Where on the screen a text starts (its left edge), the first text node that holds it.
_LEFT_OF = """(text) => {
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walk.nextNode(); node; node = walk.nextNode()) {
    const at = node.data.indexOf(text);
    if (at >= 0) {
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + text.length);
      return range.getBoundingClientRect().left;
    }
  }
  return null;
}"""


def _wider_than_window(page: Any) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def test_a_long_word_in_a_name_keeps_the_page_to_the_window(browser: Any, server: str) -> None:
    page = _signed_in(browser, server, "ana")
    page.goto(f"{server}/ui/accounts/ACC-LONG")
    assert WORD[:40] in page.content()
    assert _wider_than_window(page) <= 0, "the account page scrolls sideways"
    page.goto(f"{server}/ui/alerts?typology=terror_exposure")
    alert = ALERT.findall(page.content())[0]
    page.goto(f"{server}/ui/alerts/{alert}")
    page.click("text=Open a case")
    page.fill("#add input[name=ref]", "T-LONG")
    page.select_option("#add select[name=kind]", "payment")
    page.click("#add button")
    assert WORD[:40] in page.content()
    assert _wider_than_window(page) <= 0, "the case page scrolls sideways"


def test_right_to_left_names_on_a_payment_line_read_payer_then_payee(
    browser: Any, server: str
) -> None:
    # Both names in Arabic letters made "PAYER → PAYEE" one right-to-left run: the payee was
    # drawn on the left, before the arrow, and the money read as flowing back to the payer.
    page = _signed_in(browser, server, "ana")
    page.goto(f"{server}/ui/alerts?typology=drug_exposure")  # an alert with no case yet
    page.goto(f"{server}/ui/alerts/{ALERT.findall(page.content())[0]}")
    page.click("text=Open a case")
    page.fill("#add input[name=ref]", "T-RTL")
    page.select_option("#add select[name=kind]", "payment")
    page.click("#add button")
    payer, payee = page.evaluate(_LEFT_OF, PAYER), page.evaluate(_LEFT_OF, PAYEE)
    assert payer is not None and payee is not None, "the payment's line is missing"
    assert payer < payee, "the payee is drawn before the payer"
