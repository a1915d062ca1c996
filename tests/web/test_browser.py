"""The UI in a real browser: Debian's Chromium driven by Playwright against uvicorn on
127.0.0.1, on the story's workspace.

Sign in, work the top alert into a case, propose as the analyst, approve as the supervisor,
download the goAML report, open the network view and click through to an account; a user of
another agency gets 404 for the case's URL. With JALUR_WEB_SCREENSHOTS=DIR the alert queue,
the case page and the network view are saved there as PNG (docs/screenshots/ is made so).
Without /usr/bin/chromium (scripts/ensure-chromium.sh installs it) the test skips, and fails
under CI.
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from web_world import prepare

from case_story import PW
from jalur.api import ServiceSettings, create_app
from jalur.config import Settings
from shared_folder import in_ci

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


def _chromium() -> Path:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing (scripts/ensure-chromium.sh installs it)"
        if in_ci():
            pytest.fail(f"{message}, but CI={os.environ['CI']!r}", pytrace=False)
        pytest.skip(message)
    return CHROMIUM


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """uvicorn on 127.0.0.1 and a free port, serving the story's workspace."""
    _chromium()
    yield from uvicorn_on(prepare(tmp_path_factory.mktemp("browser") / "home"))


def uvicorn_on(settings: Settings) -> Iterator[str]:
    """The app on `settings` served by uvicorn on 127.0.0.1 and a free port: its address."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(create_app(ServiceSettings.of(settings)), host="127.0.0.1",
                            port=port, log_level="warning", lifespan="on")  # fmt: skip
    served = uvicorn.Server(config)
    thread = threading.Thread(target=served.run, daemon=True)
    thread.start()
    started = threading.Event()
    while thread.is_alive() and not served.started:
        started.wait(0.05)
    assert served.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        served.should_exit = True
        thread.join()


@pytest.fixture(scope="module")
def browser(server: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=str(_chromium()), args=ARGS)
        try:
            yield launched
        finally:
            launched.close()


def _signed_in(browser: Any, server: str, name: str) -> Any:
    context = browser.new_context(viewport={"width": 1440, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.goto(f"{server}/ui/alerts")
    assert "/ui/sign-in" in page.url  # not signed in: sent to the sign-in page
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", PW)
    page.click("button.primary")
    page.wait_for_url(f"{server}/ui/alerts")
    return page


def _shot(page: Any, name: str, full_page: bool = False) -> None:
    folder = os.environ.get("JALUR_WEB_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / name), full_page=full_page)


def test_an_alert_becomes_a_reported_case_with_four_eyes(browser: Any, server: str) -> None:
    ana = _signed_in(browser, server, "ana")
    rows = ana.locator("table.alerts tbody tr")
    assert rows.count() >= 2
    scores = [float(s.replace(",", ".")) for s in ana.locator("td.num .score").all_inner_texts()]
    assert scores == sorted(scores, reverse=True)  # best first
    _shot(ana, "alert-queue.png")

    mule = ana.locator("table.alerts tbody tr", has_text="ACC-MULE")
    drug_alert = mule.filter(has_text="drug_exposure").locator("small.mono").inner_text()
    mule.filter(has_text="terror_exposure").locator("button", has_text="Open a case").click()
    ana.wait_for_url(f"{server}/ui/cases/CASE-*")
    case_url = ana.url
    assert "Abu Rusdan" in ana.content()  # the evidence: the payment to the listed man
    ana.select_option("#add select[name=kind]", "alert")
    ana.fill("#add input[name=ref]", drug_alert)  # where the mule's money came from
    ana.click("#add button")
    ana.wait_for_url(case_url)
    assert "Kartel Narkoba Jaya" in ana.content()
    ana.fill("#comment textarea", "Mule forwards drug money to a DTTOT-listed man within a day.")
    ana.click("#comment button")
    ana.select_option("#propose select[name=decision]", "report")
    ana.select_option("#propose select[name=report_type]", "LTKMT")
    ana.fill("#propose textarea", "Drug proceeds reach a terror-listed person via a mule.")
    ana.click("#propose button")
    ana.wait_for_url(case_url)
    assert ana.locator("dl.facts .status.proposed").count() == 1
    assert ana.locator("#approve").count() == 0  # the proposer is offered no approval

    sam = _signed_in(browser, server, "sam")
    sam.goto(case_url)
    sam.click("#approve button")
    sam.wait_for_url(case_url)
    assert sam.locator("dl.facts .status.approved").count() == 1

    ana.goto(case_url)
    _shot(ana, "case.png", full_page=True)
    with ana.expect_download() as download:
        ana.click("text=Download the goAML report")
    saved = Path(download.value.path())
    xml = saved.read_text(encoding="utf-8")
    assert xml.startswith("<?xml") and "<report_code>LTKMT</report_code>" in xml
    assert download.value.suggested_filename.endswith("-LTKMT.xml")

    ana.click("text=Network view")
    ana.wait_for_function("window.jalurNetwork && window.jalurNetwork.nodes().length > 0")
    accounts = ana.evaluate("window.jalurNetwork.nodes().map(n => n.id()).sort()")
    assert {"ACC-CELL", "ACC-DRUG", "ACC-MULE"} <= set(accounts)
    kinds = ana.evaluate(
        "Object.fromEntries(window.jalurNetwork.nodes().map(n => [n.id(), n.data('kind')]))"
    )
    assert kinds["ACC-DRUG"] == "drug" and kinds["ACC-CELL"] == "terror"
    assert ana.evaluate("window.jalurNetwork.edges('.highlight').length") >= 2
    _shot(ana, "network.png")
    box = ana.locator("#network").bounding_box()
    spot = ana.evaluate("window.jalurNetwork.$id('ACC-MULE').renderedPosition()")
    ana.mouse.click(box["x"] + spot["x"], box["y"] + spot["y"])
    ana.wait_for_url(f"{server}/ui/accounts/ACC-MULE")
    assert "Budi Hartono" in ana.content()

    bob = _signed_in(browser, server, "bob")
    answer = bob.goto(case_url)
    assert answer is not None and answer.status == 404
    assert "ACC-MULE" not in bob.content()
    bob.goto(f"{server}/ui/alerts")
    assert bob.locator("table.alerts tbody tr", has_text="ACC-MULE").count() == 0
