"""The stream reads a currency as `tx load` does: `Rp` is IDR (it was `RP`, a currency with
no rate nor threshold, and the payment was decided on its unconverted amount)."""

from __future__ import annotations

from small_lists import payment

from jalur.stream import payment_from_row


def test_a_currency_is_read_as_tx_load_reads_it() -> None:
    assert payment_from_row(payment("X2", currency="Rp")).currency == "IDR"
    assert payment_from_row(payment("X3", currency="eur")).currency == "EUR"
