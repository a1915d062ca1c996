"""The decision path on NATS JetStream: crash safety, dead letters, repeats."""

from __future__ import annotations

import asyncio
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from nats_server import count, nats_url, private_subjects, read_all
from stream_economy import payments_in_time_order

from jalur.config import Settings
from jalur.stream import Decider, Payment, StateStore, Watch, config_of, payment_from_row, seeds_of
from jalur.stream.broker import Subjects, consume, publish_payments


def _subjects(home: Path) -> Subjects:
    return Subjects.of(config_of(Settings.resolve(home)).section("nats"))


def _some_payments(economy: Path, n: int) -> list[Payment]:
    """The planted patterns' payments and ordinary ones around them, `n` in all, in time order."""
    rows = payments_in_time_order(economy)
    planted = [r for r in rows if r["pattern_id"]]
    ordinary = [r for r in rows if not r["pattern_id"]][: max(0, n - len(planted))]
    chosen = sorted(planted + ordinary, key=lambda r: (r["timestamp"], r["tx_id"]))
    return [payment_from_row(r) for r in chosen]


def _consumer(home: Path, url: str, idle_exit: float) -> subprocess.Popen[bytes]:
    """`jalur stream run` in its own process (its log in the workspace's consumer.log)."""
    command = [sys.executable, "-m", "jalur.cli", "--home", str(home), "stream", "run"]
    command += ["--nats", url, "--idle-exit", str(idle_exit)]
    return subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=(home / "consumer.log").open("ab"),
        env=os.environ.copy(),
    )


def _wait_for_more(url: str, stream: str, than: int, proc: subprocess.Popen[bytes]) -> int:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        now = count(url, stream)
        if now > than:
            return now
        time.sleep(0.1)
    return count(url, stream)


def _uninterrupted_alerts(economy: Path, payments: list[Payment], state: Path) -> set[str]:
    decider = Decider(
        StateStore(state),
        config_of(Settings.resolve(state.parent / "plain")),
        seeds_of(_no_seeds()),
        Watch.of(None),
    )
    decider.decide_many(payments)
    found = {str(a["alert_id"]) for a in decider.state.alerts()}
    decider.close()
    return found


def _no_seeds() -> Any:
    from jalur.monitoring import HITS_SCHEMA, Seeds

    return Seeds({"terror": frozenset(), "drug": frozenset()}, HITS_SCHEMA.empty_table())


@pytest.mark.slow
def test_a_consumer_killed_at_random_points_loses_no_payment_and_repeats_nothing(
    economy: Path, tmp_path: Path
) -> None:
    url = nats_url()
    home = tmp_path / "workspace"
    private_subjects(home, ack_wait=2.0, batch=50)
    subjects = _subjects(home)
    payments = _some_payments(economy, 4000)
    asyncio.run(publish_payments(url, payments, subjects))
    decisions_stream = f"{subjects.stream}_DECISIONS"
    rng = random.Random(18)
    seen = 0
    for _ in range(3):  # killed three times part way, each time after some progress
        proc = _consumer(home, url, idle_exit=30)
        seen = _wait_for_more(url, decisions_stream, seen, proc)
        time.sleep(rng.uniform(0.0, 0.6))
        proc.kill()
        proc.wait()
    last = _consumer(home, url, idle_exit=6)
    assert last.wait(timeout=600) == 0, (home / "consumer.log").read_text()[-3000:]
    decided = [json.loads(body) for body, _ in read_all(url, decisions_stream, subjects.decisions)]
    keys = [d["key"] for d in decided]
    assert len(keys) == len(set(keys)) == len(payments)  # every payment once, none twice
    assert set(keys) == {p.key for p in payments}
    alerts = [
        json.loads(b)["alert_id"]
        for b, _ in read_all(url, f"{subjects.stream}_ALERTS", subjects.alerts)
    ]
    assert len(alerts) == len(set(alerts))
    # and they are the alerts of the same payments decided without interruption
    assert set(alerts) == _uninterrupted_alerts(economy, payments, tmp_path / "plain.sqlite")
    assert alerts


def test_a_malformed_message_goes_to_the_dead_letters_and_the_stream_goes_on(
    tmp_path: Path, decider: Decider
) -> None:
    url = nats_url()
    home = tmp_path / "workspace"
    private_subjects(home)
    subjects = _subjects(home)
    good = payment_from_row(
        {"tx_id": "OK-1", "timestamp": "2026-01-05T10:00:00Z", "amount": 10.0, "currency": "USD",
         "orig_account": "A-1", "bene_account": "B-1"}
    )  # fmt: skip

    async def send() -> None:
        import nats

        nc = await nats.connect(url)
        js = nc.jetstream()
        from jalur.stream.broker import ensure_streams

        await ensure_streams(js, subjects)
        await js.publish(subjects.payments, b"{not json", headers={"Nats-Msg-Id": "bad-1"})
        await js.publish(subjects.payments, b'{"tx_id": "NO-TIME", "amount": 1, "currency": "EUR"}')
        await nc.close()
        await publish_payments(url, [good], subjects)

    asyncio.run(send())
    counts = asyncio.run(consume(url, decider, subjects, idle_exit=1.5))
    dead = read_all(url, f"{subjects.stream}_DEAD", subjects.dead_letter)
    assert [(body, headers["Jalur-Reason"][:29]) for body, headers in dead] == [
        (b"{not json", "not JSON: Expecting property "),
        (b'{"tx_id": "NO-TIME", "amount": 1, "currency": "EUR"}', "NO-TIME: timestamp is missing"),
    ]  # the reason names the payment where the message has one (it said only the reason)
    assert (counts.decided, counts.dead) == (1, 2)
    assert [
        json.loads(b)["key"]
        for b, _ in read_all(url, f"{subjects.stream}_DECISIONS", subjects.decisions)
    ] == ["OK-1"]


def test_a_payment_sent_again_after_the_duplicate_window_is_answered_not_redecided(
    tmp_path: Path, decider: Decider
) -> None:
    url = nats_url()
    home = tmp_path / "workspace"
    private_subjects(home)
    subjects = _subjects(home)
    payment = payment_from_row(
        {"tx_id": "TWICE", "timestamp": "2026-01-05T10:00:00Z", "amount": 10.0, "currency": "USD",
         "orig_account": "A-1", "bene_account": "B-1"}
    )  # fmt: skip
    assert asyncio.run(publish_payments(url, [payment], subjects)) == (1, 0)
    # sent again at once: the broker knows the message id and drops the copy
    assert asyncio.run(publish_payments(url, [payment], subjects)) == (0, 1)
    first = asyncio.run(consume(url, decider, subjects, idle_exit=1.0))

    async def resend() -> None:  # as a sender would after the broker forgot the message id
        import nats

        nc = await nats.connect(url)
        body = json.dumps(payment.as_json()).encode()
        await nc.jetstream().publish(subjects.payments, body, headers={"Nats-Msg-Id": "resent"})
        await nc.close()

    asyncio.run(resend())
    second = asyncio.run(consume(url, decider, subjects, idle_exit=1.0))
    decisions = read_all(url, f"{subjects.stream}_DECISIONS", subjects.decisions)
    assert [json.loads(b)["key"] for b, _ in decisions] == ["TWICE"]
    assert (first.decided, second.decided, second.repeated) == (1, 0, 1)


def test_after_a_restart_the_payments_a_killed_consumer_took_are_decided_first(
    economy: Path, tmp_path: Path, decider: Decider
) -> None:
    """In time order, not newer ones first while the older wait out the broker's ack_wait."""
    from nats.js.api import AckPolicy, ConsumerConfig

    url = nats_url()
    home = tmp_path / "workspace"
    private_subjects(home, ack_wait=1.0, batch=10)
    subjects = _subjects(home)
    payments = _some_payments(economy, 30)[:30]
    asyncio.run(publish_payments(url, payments, subjects))

    async def killed_consumer() -> None:  # takes a batch and dies before acknowledging it
        import nats

        nc = await nats.connect(url)
        sub = await nc.jetstream().pull_subscribe(
            subjects.payments, durable=subjects.durable, stream=subjects.stream,
            config=ConsumerConfig(ack_policy=AckPolicy.EXPLICIT, ack_wait=subjects.ack_wait),
        )  # fmt: skip
        assert len(await sub.fetch(10, timeout=5)) == 10
        await nc.close()

    asyncio.run(killed_consumer())
    counts = asyncio.run(consume(url, decider, subjects, idle_exit=3.0))
    assert counts.decided == len(payments)
    decided = read_all(url, f"{subjects.stream}_DECISIONS", subjects.decisions)
    assert [json.loads(b)["key"] for b, _ in decided] == [p.key for p in payments]
