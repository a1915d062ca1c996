"""Partner data that tries to rewrite the page: a payer's name with a right-to-left override,
markup and a script, a word thousands of letters long, all in payments an analyst reads."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from typing import Any

import pytest
from web_world import prepare, served

from case_story import ok

ALERT = re.compile(r'/ui/alerts/(ALR-[0-9a-f]+)"')
RLO = "\u202e"
#: Reads "Budi Sentosa" with the override: the letters after it are stored backwards.
TURNED = f"Budi {RLO}asotneS"
SCRIPT = "<script>alert(1)</script><img src=x onerror=alert(2)>"
#: A payer and a payee both written in Arabic letters (no direction control at all)
PAYER, PAYEE = "محمد الأمين", "علي حسن"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    folder = tmp_path_factory.mktemp("web")
    settings = prepare(folder / "home")
    payments = folder / "hostile.csv"
    with payments.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["tx_id", "timestamp", "orig_account", "orig_name", "bene_account",
                      "bene_name", "amount", "currency"])  # fmt: skip
        out.writerow(["T-RLO", "2025-03-09T10:00:00Z", "ACC-TURN", TURNED, "ACC-SHOP",
                      "Toko Sembako", "8500000", "IDR"])  # fmt: skip
        out.writerow(["T-HTML", "2025-03-09T11:00:00Z", "ACC-HTML", SCRIPT, "ACC-SHOP",
                      "Toko Sembako", "1000", "IDR"])  # fmt: skip
        out.writerow(["T-RTL", "2025-03-09T12:00:00Z", "ACC-AR1", PAYER, "ACC-AR2", PAYEE,
                      "2000000", "IDR"])  # fmt: skip
    ok(settings, "tx", "load", str(payments), "--format", "csv")
    for _app, person in served(settings):
        yield person


def _case_with_payments(person: Any, *payments: str) -> str:
    page = person.get("/ui/alerts", params={"typology": "terror_exposure"}).text
    case = str(person.post(f"/ui/alerts/{ALERT.findall(page)[0]}/case", {}).headers["location"])
    for tx_id in payments:
        added = person.post(f"{case}/add", {"kind": "payment", "ref": tx_id}, case)
        assert added.status_code == 303, added.text
    return case


def test_a_right_to_left_override_in_a_name_ends_with_the_name(hostile: Any) -> None:
    # The override was left open: the arrow, the payee and the amount after the payer's name
    # on the case's evidence line were shown backwards ("… 00.000,005,8 · okabmeS okoT ←").
    ana = hostile("ana")
    page = ana.get(_case_with_payments(ana, "T-RLO")).text
    line = re.search(re.escape(TURNED) + r"(.*?)→ <bdi>Toko Sembako", page, re.S)
    assert line, "the payment's evidence line is missing"
    assert line.group(1).startswith("\u202c")  # closed right after the name, before the arrow
    account = ana.get("/ui/accounts/ACC-TURN").text
    assert TURNED + "\u202c" in account  # stored and shown as the data has it, closed


def test_markup_and_script_in_a_name_are_shown_as_text(hostile: Any) -> None:
    ana = hostile("ana")
    page = ana.get(_case_with_payments(ana, "T-HTML")).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;" in page
    assert "<script>alert" not in page and "<img src=x" not in page


def test_right_to_left_names_on_a_payment_line_keep_payer_before_payee(hostile: Any) -> None:
    # "PAYER → PAYEE" with both in Arabic letters was one right-to-left run: the browser drew
    # the payee first and the payer after the arrow, the money shown flowing backwards. Each
    # name is isolated (<bdi>), so the line reads payer → payee whatever the names' letters.
    ana = hostile("ana")
    page = ana.get(_case_with_payments(ana, "T-RTL")).text
    assert f"<bdi>{PAYER}</bdi> → <bdi>{PAYEE}</bdi>" in page
