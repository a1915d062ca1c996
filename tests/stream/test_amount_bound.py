"""A payment above `MAX_AMOUNT` (as given, or once converted to the reporting currency) is
refused to the dead letters, as `tx load` quarantines it: a finite `1.7e308 GBP` is `inf` USD,
and the stream wrote "(inf USD)" in corridor alerts and kept `inf` in its counters."""

from __future__ import annotations

import asyncio
import json
import math
import warnings
from pathlib import Path

import pytest
from nats_server import nats_url, private_subjects, read_all
from small_lists import payment, small_decider

from jalur.config import Settings
from jalur.stream import Decider, config_of, payment_from_row
from jalur.stream.broker import Subjects, consume, ensure_streams
from jalur.stream.http import payments_router
from jalur.stream.payment import MalformedPaymentError, payment_from_json
from jalur.transactions import MAX_AMOUNT, MAX_AMOUNT_TEXT

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette asks for its `httpx2` fork
    from fastapi import FastAPI
    from fastapi.testclient import TestClient


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("amount", 1.7e308),
        ("amount", 1e308),
        ("amount", -1e308),
        ("amount", 10**16),
        ("amount_reporting", 1e308),
        ("amount_received", 1e308),
    ],
)
def test_an_amount_above_the_bound_is_refused_naming_field_value_and_bound(
    field: str, value: float
) -> None:
    body = json.dumps(payment("TX-BIG", **{field: value}))
    with pytest.raises(MalformedPaymentError, match=f"TX-BIG: {field} ") as refused:
        payment_from_json(body)
    assert MAX_AMOUNT_TEXT in refused.value.reason
    assert f"{value:.4g}" in refused.value.reason


def test_an_amount_at_the_bound_is_a_payment() -> None:
    read = payment_from_json(json.dumps(payment("TX-MAX", amount=MAX_AMOUNT, amount_received=5)))
    assert read.value == MAX_AMOUNT


def test_an_amount_above_the_bound_once_converted_is_refused(tmp_path: Path) -> None:
    """9e14 KWD is under the bound, 2.9e15 USD is not: the decider converts a payment without
    `amount_reporting` through its rates, and names it before it is decided."""
    decider = small_decider(tmp_path / "state.sqlite")
    big = payment_from_row(payment("KWD-1", amount=9e14, currency="KWD"))
    refusal = decider.refusal(big)
    assert refusal is not None
    reason = str(refusal)
    assert reason.startswith("KWD-1: amount 9e+14 KWD is 2.916e+15 USD")
    assert MAX_AMOUNT_TEXT in reason
    assert decider.refusal(payment_from_row(payment("KWD-2", amount=9e13, currency="KWD"))) is None
    given = payment_from_row(payment("KWD-3", amount=9e14, currency="KWD", amount_reporting=5))
    assert decider.refusal(given) is None  # the bank's own amount in USD is within the bound
    decider.close()


def test_http_refuses_an_amount_above_the_bound_once_converted(tmp_path: Path) -> None:
    decider = small_decider(tmp_path / "state.sqlite")
    app = FastAPI()
    app.include_router(payments_router(decider))
    answer = TestClient(app).post(
        "/v1/payments/decide", json=payment("KWD-1", amount=9e14, currency="KWD")
    )
    assert answer.status_code == 422, answer.text
    assert "KWD-1: amount 9e+14 KWD" in answer.json()["detail"]
    assert decider.state.decisions_of(["KWD-1"]) == {}
    decider.close()


def test_the_consumer_sends_amounts_above_the_bound_to_the_dead_letters(
    tmp_path: Path, decider: Decider
) -> None:
    url = nats_url()
    home = tmp_path / "workspace"
    private_subjects(home)
    subjects = Subjects.of(config_of(Settings.resolve(home)).section("nats"))
    messages = [
        payment("GBP-1", amount=1.7e308, currency="GBP"),
        payment("KWD-1", amount=9e14, currency="KWD"),
        payment("OK-1", amount=10.0),
    ]

    async def send() -> None:
        import nats

        nc = await nats.connect(url)
        js = nc.jetstream()
        await ensure_streams(js, subjects)
        for body in messages:
            await js.publish(subjects.payments, json.dumps(body).encode())
        await nc.close()

    asyncio.run(send())
    counts = asyncio.run(consume(url, decider, subjects, idle_exit=1.5))
    assert (counts.received, counts.decided, counts.dead) == (3, 1, 2)
    dead = read_all(url, f"{subjects.stream}_DEAD", subjects.dead_letter)
    reasons = [headers["Jalur-Reason"] for _, headers in dead]
    assert reasons[0].startswith("GBP-1: amount 1.7e+308")
    assert reasons[1].startswith("KWD-1: amount 9e+14 KWD is 2.916e+15 USD")
    assert all(MAX_AMOUNT_TEXT in r for r in reasons)
    assert all(math.isfinite(v) for v in decider.counters.values() if isinstance(v, float))
