"""The decision path on a NATS JetStream stream: payments in, decisions, alerts, dead letters out.

Delivery: the consumer is durable and acknowledges each message (`AckPolicy.EXPLICIT`) once
its batch is stored and published. For each batch it (1) decides and commits the decisions to the
state file, (2) publishes each new decision and its alerts
with a `Nats-Msg-Id` derived from the payment key and the alert id and waits for the broker's
confirmation, (3) records them as published, (4) acknowledges the payments. Killed between
(1) and (4), it gets the batch again: the state file answers each payment with its first
decision (no second alert is made), and a decision not yet recorded as published is published
again under the same message id, which JetStream's duplicate window drops. A message that is
not a payment goes to the dead-letter subject with the reason and is acknowledged: it never
blocks the stream.

Latency: steps (2)–(4) of a batch wait on the broker, so they run while the next batch is
fetched and decided (at most `IN_FLIGHT` batches await confirmation); each batch's own order —
stored, then published, then confirmed, then recorded, then acknowledged — is kept. A
payment's wait is the batch before it, so a batch is whatever has arrived (the fetch returns
as soon as one payment is there) and nothing per payment waits on the network on its own.
"""

from __future__ import annotations

import asyncio
import gc
import json
import logging
import re
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import nats
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, StreamConfig
from nats.js.errors import NotFoundError

from jalur.stream.engine import Decider, Outcome
from jalur.stream.payment import MalformedPaymentError, Payment, payment_from_json
from jalur.stream.sources import Read, read_message
from jalur.transactions import TransactionLoadError

log = logging.getLogger(__name__)

#: Seconds to wait for the server when connecting (a busy host answers slowly).
CONNECT_TIMEOUT = 15.0

#: Tries (a second apart) to reach the server before giving up, at start or after losing it.
RECONNECTS = 10

#: Seconds to wait for JetStream's answer to a request or a publish.
API_TIMEOUT = 30.0

#: JetStream drops a message whose Nats-Msg-Id it saw within this many seconds.
DUPLICATE_WINDOW = 600.0

#: Batches whose publishes may await the broker's confirmation while the next one is decided
#: (with the one being decided, at most 3 × `batch` payments unacknowledged: under the 1,000
#: JetStream allows a consumer by default at the default batch of 200).
IN_FLIGHT = 2

#: Seconds one fetch waits for a first payment (it returns as soon as one is there).
FETCH_WAIT = 1.0

#: Payments between two `gc.freeze()`s (see `_Collector`).
FREEZE_EVERY = 2_000


@dataclass(frozen=True)
class Subjects:
    """Where payments come from and where decisions, alerts and dead letters go."""

    stream: str
    payments: str
    decisions: str
    alerts: str
    dead_letter: str
    durable: str
    ack_wait: float
    batch: int

    @classmethod
    def of(cls, section: Mapping[str, Any]) -> Subjects:
        return cls(
            stream=str(section["stream"]),
            payments=str(section["subject"]),
            decisions=str(section["decisions"]),
            alerts=str(section["alerts"]),
            dead_letter=str(section["dead_letter"]),
            durable=str(section["durable"]),
            ack_wait=float(section["ack_wait"]),
            batch=int(section["batch"]),
        )

    def streams(self) -> dict[str, str]:
        """Stream name → subject: one stream per subject, so each keeps its own count."""
        return {
            self.stream: self.payments,
            f"{self.stream}_DECISIONS": self.decisions,
            f"{self.stream}_ALERTS": self.alerts,
            f"{self.stream}_DEAD": self.dead_letter,
        }


async def connect(url: str, name: str) -> Client:
    """A connection that waits a little for a busy or restarting server, not for ever.

    Each failed try is one warning line: nats-py's own callback logs each with its traceback
    (an unreachable server printed some 300 lines before the command's one-line error)."""

    async def said(exc: Exception) -> None:
        log.warning("NATS at %s: %s %s", url, type(exc).__name__, exc)

    return await nats.connect(
        url,
        name=name,
        connect_timeout=CONNECT_TIMEOUT,
        max_reconnect_attempts=RECONNECTS,
        reconnect_time_wait=1.0,
        error_cb=said,
    )


async def ensure_streams(js: JetStreamContext, subjects: Subjects) -> None:
    """Create the streams that are missing (an existing stream is left as configured)."""
    for name, subject in subjects.streams().items():
        try:
            await js.stream_info(name)
        except NotFoundError:
            await js.add_stream(
                StreamConfig(name=name, subjects=[subject], duplicate_window=DUPLICATE_WINDOW)
            )


@dataclass
class Counts:
    """What a consumer did, per payment (a transaction of a message with several counts on
    its own): `received = decided + repeated + dead`."""

    received: int = 0
    decided: int = 0
    repeated: int = 0
    dead: int = 0
    alerts: int = 0


Printer = Callable[[dict[str, Any]], None]


async def consume(
    url: str,
    decider: Decider,
    subjects: Subjects,
    idle_exit: float | None = None,
    on_decision: Printer | None = None,
) -> Counts:
    """Decide the stream's payments until stopped (or idle for `idle_exit` seconds)."""
    nc = await connect(url, "jalur-stream")
    counts = Counts()
    collector = _Collector()
    flights: deque[asyncio.Task[None]] = deque()  # batches awaiting the broker's confirmation
    try:
        js = nc.jetstream(timeout=API_TIMEOUT)
        await ensure_streams(js, subjects)
        sub = await js.pull_subscribe(
            subjects.payments,
            durable=subjects.durable,
            stream=subjects.stream,
            # EXPLICIT: each message is acknowledged on its own, after its batch is stored. Not
            # ALL: after a restart the broker hands out new messages before it redelivers the
            # killed consumer's unacknowledged batch (that waits for ack_wait), and acknowledging
            # the newer batch's last message would acknowledge the older, undecided one too — a
            # kill test lost exactly one batch of 50 that way.
            config=ConsumerConfig(ack_policy=AckPolicy.EXPLICIT, ack_wait=subjects.ack_wait),
        )
        await _redeliveries_first(sub, subjects.ack_wait)
        last = time.monotonic()
        while idle_exit is None or time.monotonic() - last < idle_exit:
            try:
                messages = await sub.fetch(subjects.batch, timeout=FETCH_WAIT)
            except TimeoutError:  # nothing came (nats-py raises its own or asyncio's)
                continue
            confirm = await _handle(js, decider, subjects, messages, counts, on_decision)
            flights.append(asyncio.ensure_future(confirm))
            collector.after(len(messages))
            while flights and (len(flights) > IN_FLIGHT or flights[0].done()):
                await _land(flights.popleft())
            last = time.monotonic()
        while flights:
            await _land(flights.popleft())
    finally:
        for flight in flights:  # stopped: unacknowledged, so delivered again
            flight.cancel()
        await nc.close()
    return counts


async def _redeliveries_first(sub: Any, ack_wait: float) -> None:
    """After a restart, decide the payments a killed consumer had taken before any newer one.

    The broker hands a killed consumer's unacknowledged payments out again only once their
    `ack_wait` has passed, and until then gives newer payments to whoever fetches. Decided in
    that order, a fan-in's or a cycle's later payment comes before its earlier ones and the
    windowed typologies can find other alerts than they find in time order (a kill test saw
    two alerts go missing so). So a consumer that finds payments still pending waits out
    `ack_wait` once: the broker then redelivers them ahead of anything new. (A peer consumer
    of the same durable that is alive holds pending payments too: then the wait is only lost
    time, once, at start.)"""
    pending = (await sub.consumer_info()).num_ack_pending or 0
    if pending:
        log.warning(
            "%s payments taken before a restart are not acknowledged: waiting %.1f s for the "
            "broker to deliver them again, before any newer one",
            pending,
            ack_wait,
        )
        await asyncio.sleep(ack_wait)


class _Collector:
    """Keeps Python's cycle collector off the long-lived state.

    The windows, the counters and the screening index live as long as the consumer; a full
    collection walks every object (>100 ms with 1M payments of history, >290 ms seen in a
    benchmark run), and it comes whenever enough new objects have survived — the payments
    the windows take in. So the state is frozen at start and what has survived since is frozen
    again every `FREEZE_EVERY` payments: a collection then walks only the objects of the last
    few batches. A frozen object that is dropped later is still freed (by reference counting:
    the windows hold no reference cycles); only a cycle frozen while alive would stay."""

    def __init__(self) -> None:
        gc.collect()
        gc.freeze()
        self.since = 0

    def after(self, payments: int) -> None:
        self.since += payments
        if self.since >= FREEZE_EVERY:
            self.since = 0
            gc.freeze()


async def _land(flight: asyncio.Task[None]) -> None:
    """Wait for a batch's confirmation, record and acknowledge (done inside the task)."""
    try:
        await flight
    except TimeoutError:
        # decided and stored, not all published: unacknowledged, so delivered again
        log.warning("the broker did not confirm in time; the batch comes again")


async def _handle(
    js: JetStreamContext,
    decider: Decider,
    subjects: Subjects,
    messages: list[Msg],
    counts: Counts,
    on_decision: Printer | None,
) -> Awaitable[None]:
    """Decide and store a batch and send its decisions; returns what is left to await: the
    broker's confirmations, then recording them, then the acknowledgements."""
    payments: list[Payment] = []
    for message in messages:
        try:
            read = _payments(message.data)
        except MalformedPaymentError as exc:  # named by its tx_id (or UETR) where it has one
            await _dead(js, subjects, message, exc.reason if exc.record == "message" else str(exc))
            counts.received += 1
            counts.dead += 1
            continue
        dead = [(f"{r['position']}: {r['reason']}", r.get("raw")) for r in read.refused]
        for payment in read.payments:
            refusal = decider.refusal(payment)  # beyond the bound once converted
            if refusal is None:
                payments.append(payment)
            else:
                dead.append((str(refusal), None))
        for number, (reason, raw) in enumerate(dead, start=1):
            await _dead(js, subjects, message, reason, number, raw)
        counts.received += len(read.payments) + len(read.refused)
        counts.dead += len(dead)
    outcomes = decider.decide_many(payments)
    keys, sent = await _publish(js, decider, subjects, outcomes, counts, on_decision)
    return _settle(decider, keys, sent, messages)


async def _settle(
    decider: Decider, keys: list[str], sent: list[asyncio.Future[Any]], messages: list[Msg]
) -> None:
    await asyncio.wait_for(asyncio.gather(*sent), timeout=API_TIMEOUT)
    decider.state.mark_published(keys)
    for message in messages:  # each only queues a line for the socket: no task per message
        await message.ack()


def _payments(body: bytes) -> Read:
    """The payments of one message and its transactions refused; raises when the message as a
    whole is no payment (not JSON, neither pacs.008 nor pain.001, no transaction in it)."""
    if body.lstrip().startswith(b"<"):
        try:
            read = read_message(body)
        except TransactionLoadError as exc:
            raise MalformedPaymentError("message", f"not a payment message: {exc}") from exc
        if not read.payments and not read.refused:
            raise MalformedPaymentError("message", "the message holds no payment")
        return read
    return Read(payments=[payment_from_json(body)])


#: C0 and C1 controls, DEL and the bidi overrides: written escaped in a dead letter's reason,
#: which reaches the consumer's log line and the `Jalur-Reason` header as it is.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


async def _dead(
    js: JetStreamContext,
    subjects: Subjects,
    message: Msg,
    reason: str,
    part: int | None = None,
    raw: str | None = None,
) -> None:
    """Send a message, or one refused transaction of it (`part`, with its own XML as the body
    where the reader kept it), to the dead letters with the reason."""
    sequence = message.metadata.sequence.stream
    reason = _CONTROL.sub(lambda m: ascii(m[0])[1:-1], reason)  # a MsgId may hold a line break
    msg_id = f"dead:{sequence}" if part is None else f"dead:{sequence}:{part}"
    headers = {"Nats-Msg-Id": msg_id, "Jalur-Reason": reason[:1000]}
    body = raw.encode() if raw else message.data
    await js.publish(subjects.dead_letter, body, headers=headers)
    log.warning("payment message %s to the dead letters: %s", sequence, reason)


async def _publish(
    js: JetStreamContext,
    decider: Decider,
    subjects: Subjects,
    outcomes: Iterable[Outcome],
    counts: Counts,
    on_decision: Printer | None,
) -> tuple[list[str], list[asyncio.Future[Any]]]:
    """Send the decisions not yet confirmed (and their alerts); returns their keys and the
    broker's confirmations to await."""
    sent: list[asyncio.Future[Any]] = []
    keys: list[str] = []
    for outcome in outcomes:
        decision = outcome.decision
        key = str(decision["key"])
        if not outcome.fresh:
            counts.repeated += 1
            if key in keys or decider.state.published(key):
                continue
        keys.append(key)
        counts.decided += outcome.fresh
        sent.append(await _send(js, subjects.decisions, f"decision:{key}", outcome.as_json()))
        for alert in decision["alerts"]:
            counts.alerts += 1
            text = json.dumps(alert)
            sent.append(await _send(js, subjects.alerts, f"alert:{alert['alert_id']}", text))
        if on_decision is not None:
            on_decision(decision)
    return keys, sent


async def _send(js: JetStreamContext, subject: str, msg_id: str, text: str) -> asyncio.Future[Any]:
    """Send one message; the future is the broker's confirmation (one timeout per batch
    waits for them all, not a request and a timer per message)."""
    headers = {"Nats-Msg-Id": msg_id}
    return await js.publish_async(subject, text.encode(), headers=headers)


async def publish_payments(
    url: str, payments: Iterable[Payment], subjects: Subjects
) -> tuple[int, int]:
    """Send payments to the stream as canonical JSON, each with its key and what it moves as
    Nats-Msg-Id (`message_id`: a file sent twice is taken once within the duplicate window).
    Returns (sent, duplicates): how many the broker took and how many it already had."""
    nc = await connect(url, "jalur-stream-publish")
    acks: list[Any] = []
    try:
        js = nc.jetstream(timeout=API_TIMEOUT)
        await ensure_streams(js, subjects)
        chunk: list[Any] = []
        for payment in payments:
            body = json.dumps(payment.as_json()).encode()
            headers = {"Nats-Msg-Id": message_id(payment)}
            chunk.append(js.publish(subjects.payments, body, headers=headers))
            if len(chunk) >= 500:
                acks += await asyncio.gather(*chunk)
                chunk = []
        acks += await asyncio.gather(*chunk)
    finally:
        await nc.close()
    duplicates = sum(1 for ack in acks if ack.duplicate)
    return len(acks) - duplicates, duplicates


def message_id(payment: Payment) -> str:
    """The payment's key and a digest of what it moves (`Payment.digest`). The key alone made
    the broker drop another payment under a key it had seen as a copy: a reused tx_id with
    another payee was never screened, where the consumer reviews it (`repeat:conflict`)."""
    return f"{payment.key}#{payment.digest[:16]}"
