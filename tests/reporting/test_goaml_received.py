"""The payee's side says what the payee received, not what the payer sent.

A payment sent in USD may arrive in rupiah or euros (IBM's AML data, an MT103's 33B/32A pair
give both). `to_foreign_currency` is the beneficiary's foreign currency: it was stating the
payer's USD amount for a payee who received rupiah.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from goaml_cases import complete_case, payment
from lxml import etree

from jalur.reporting import build_report, load_profile

PPATK_XSD = "goaml/goAMLSchema_PPATK_4.0.2_2019-12-09.xsd"


def _transaction(shared_data: Path, rates: dict[str, Decimal], **row: Any) -> etree._Element:
    case = complete_case("ppatk-4.0.2", "LTKMT")
    sent = payment("r1", 100, "USD", **row)
    case = replace(case, payments=(sent,), exchange_rates=rates)
    document = etree.fromstring(build_report(case, load_profile("ppatk-4.0.2")))
    schema = etree.XMLSchema(etree.parse(str(shared_data / PPATK_XSD)))
    assert schema.validate(document), schema.error_log
    found = document.find("transaction")
    assert found is not None
    return found


def _foreign(transaction: etree._Element, side: str) -> tuple[str | None, ...] | None:
    sides = [c for c in transaction if str(c.tag).startswith(side)]  # or its _my_client
    found = sides[0].find(f"{side[2:]}_foreign_currency") if sides else None
    if found is None:
        return None
    names = ("foreign_currency_code", "foreign_amount", "foreign_exchange_rate")
    return tuple(found.findtext(n) for n in names)


def test_a_payee_who_received_rupiah_has_no_foreign_currency(shared_data: Path) -> None:
    found = _transaction(
        shared_data, {"USD": Decimal(16250)}, amount_received=1_600_000, currency_received="IDR"
    )
    assert _foreign(found, "t_from") == ("USD", "100.00", "16250")
    assert _foreign(found, "t_to") is None
    assert found.findtext("comments") == "received: 1600000.00 IDR"


def test_a_payee_who_received_euros_has_the_euros(shared_data: Path) -> None:
    rates = {"USD": Decimal(16250), "EUR": Decimal(17600)}
    found = _transaction(shared_data, rates, amount_received=92.5, currency_received="EUR")
    assert _foreign(found, "t_from") == ("USD", "100.00", "16250")
    assert _foreign(found, "t_to") == ("EUR", "92.50", "17600")


def test_euros_received_without_their_rate_are_told_in_the_comments_only(
    shared_data: Path,
) -> None:
    found = _transaction(
        shared_data, {"USD": Decimal(16250)}, amount_received=92.5, currency_received="EUR"
    )
    assert _foreign(found, "t_to") is None
    assert found.findtext("comments") == "received: 92.50 EUR"


def test_the_same_currency_received_is_the_payment_s_own(shared_data: Path) -> None:
    found = _transaction(shared_data, {"USD": Decimal(16250)})
    assert _foreign(found, "t_to") == ("USD", "100.00", "16250")
