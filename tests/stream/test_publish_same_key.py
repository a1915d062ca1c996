"""`jalur stream publish` with two different payments under one key (new-user trial, round 7).

The publisher sent each payment with its key (UETR, else tx_id) as `Nats-Msg-Id`, so the
broker dropped the second of two payments sharing a tx_id as a copy of the first ("1 it
already had"): a reused id with another payee, a listed one, was never screened, though the
consumer reviews exactly that case (`repeat:conflict`). The message id now carries what the
payment moves too: the same payment sent twice is still taken once; another is delivered and
decided."""

from __future__ import annotations

import asyncio
from pathlib import Path

from nats_server import nats_url, private_subjects

from jalur.config import Settings
from jalur.stream import Decider, config_of, payment_from_row
from jalur.stream.broker import Subjects, consume, publish_payments

ROW = {
    "tx_id": "SAME-ID", "timestamp": "2026-01-05T10:00:00Z", "amount": 10.0, "currency": "USD",
    "orig_account": "A-1", "bene_account": "B-1",
}  # fmt: skip


def test_another_payment_under_a_key_already_sent_is_delivered(
    tmp_path: Path, decider: Decider
) -> None:
    url = nats_url()
    home = tmp_path / "workspace"
    private_subjects(home)
    subjects = Subjects.of(config_of(Settings.resolve(home)).section("nats"))
    first = payment_from_row(ROW)
    other = payment_from_row({**ROW, "bene_account": "B-2", "amount": 9_500.0})
    assert asyncio.run(publish_payments(url, [first, first], subjects)) == (1, 1)
    assert asyncio.run(publish_payments(url, [other], subjects)) == (1, 0)
    counts = asyncio.run(consume(url, decider, subjects, idle_exit=1.0))
    assert (counts.received, counts.decided) == (2, 2)
    codes = [r["code"] for r in _reasons(decider, "SAME-ID#" + other.digest[:16])]
    assert "repeat:conflict" in codes


def _reasons(decider: Decider, key: str) -> list[dict[str, object]]:
    stored = decider.state.decision(key)
    assert stored is not None, f"no decision under {key}"
    return list(stored["reasons"])
