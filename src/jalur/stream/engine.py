"""A decider: the decision path with its state, deciding payments one by one, idempotently.

`Decider.decide_many` decides a batch in order (each payment sees the ones before it), writes
the batch to the state file in one transaction and returns each decision with whether it is
new. A payment whose key (UETR, else id) was decided before gets that first decision back and
changes nothing: no second alert. After a restart the window index is rebuilt from the
payments the state file kept (those inside the horizon).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jalur.monitoring import money
from jalur.monitoring.params import DAY, HOUR
from jalur.stream.config import StreamConfig
from jalur.stream.context import Context, Scratch, Seeds
from jalur.stream.decide import Decision, RiskScorer, decide
from jalur.stream.payment import MalformedPaymentError, Payment, beyond_bound
from jalur.stream.state import ConsumerLock, Decided, StateStore
from jalur.stream.typologies import half_of, is_deposit, structuring_accounts, thresholds_for
from jalur.stream.watch import Watch
from jalur.stream.window import Mark, WindowIndex
from jalur.transactions import known_currencies, minor_units

log = logging.getLogger(__name__)

#: The finding on a payment dated later than `[stream.state] future_hours` after the clock.
FUTURE = "timestamp:future"
#: A payment `tx load` would quarantine: decided (screened) but reviewed, kept out of windows.
NEGATIVE = "amount:negative"
UNKNOWN_CURRENCY = "currency:unknown"
DECIMALS = "amount:decimals"
#: A payment without a reporting-currency amount whose currency has no rate in the table.
UNCONVERTED = "amount:unconverted"
#: The finding on a payment dated before `EARLIEST` (year 0001, 1899: a typo or a default).
PAST = "timestamp:past"
#: Payments dated before this (1900-01-01 UTC, the bound `tx load` quarantines by) are absurd.
EARLIEST = int(datetime(1900, 1, 1, tzinfo=UTC).timestamp())
#: A payment (not cash) that names neither party, account nor identifier on one side.
MISSING_PARTY = "party:missing"
#: A message whose key (UETR, else id) was decided before with other content.
CONFLICT = "repeat:conflict"

#: Payments between two prunings of the in-memory counters.
PRUNE_EVERY = 50_000


@dataclass(frozen=True)
class Outcome:
    """A decision and whether this call made it (False: a repeat got its first answer), with
    the decision as JSON when this call encoded it (the broker publishes the stored text)."""

    decision: dict[str, Any]
    fresh: bool
    text: str | None = None

    def as_json(self) -> str:
        return self.text if self.text is not None else json.dumps(self.decision)


class Decider:
    """The decision path bound to one state file, one watch and one configuration."""

    def __init__(
        self,
        state: StateStore,
        config: StreamConfig,
        seeds: Seeds,
        watch: Watch,
        risk: RiskScorer | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.state, self.config, self.seeds, self.watch, self.risk = (
            state,
            config,
            seeds,
            watch,
            risk,
        )
        self.clock = clock
        self._ahead_s = float(config.section("state")["future_hours"]) * HOUR
        self.index = WindowIndex(horizon=config.horizon)
        stored = state.counters()
        self.counters: dict[str, Any] = {k: value for k, (value, _) in stored.items()}
        self._counter_ts: dict[str, int] = {k: ts for k, (_, ts) in stored.items()}
        self._halves = self._tally_halves()
        self._since_prune = 0
        self._replay()

    @classmethod
    def open(
        cls, path: Path | str, config: StreamConfig, seeds: Seeds, watch: Watch,
        risk: RiskScorer | None = None, writer: ConsumerLock | None = None,
    ) -> Decider:  # fmt: skip
        """A decider on the state file `path`, which it holds until closed (`writer`: the
        file's lock where the caller took it already); `StateInUseError` where another
        process holds it."""
        state = StateStore(path, str(config.section("state")["synchronous"]), writer)
        return cls(state, config, seeds, watch, risk)

    def close(self) -> None:
        self.state.close()

    def decide_one(self, payment: Payment) -> Outcome:
        return self.decide_many([payment])[0]

    def decide_many(self, payments: Sequence[Payment]) -> list[Outcome]:
        """Decide in order, store the batch, then answer (nothing is answered unstored)."""
        outcomes: list[Outcome] = []
        done: list[Decided] = []
        kept_out: dict[str, int] = {}
        earlier = self.state.decisions_of([p.key for p in payments])
        for given in payments:
            payment, unconverted = self._reported(given)
            digest = payment.digest
            key = self._key_for(payment, digest, earlier)
            first = earlier.get(key)
            if first is not None:
                outcomes.append(Outcome(first[0], fresh=False))
                continue
            notes = (
                self._implausible_time(payment)
                + _implausible_money(payment, self.config.rates.reporting)
                + unconverted
            )
            notes += _missing_parties(payment)
            if key != payment.key:
                notes.append(_conflict(payment))
            decided = self._decide(payment, notes)
            if key != payment.key:
                decided = replace(decided, key=key)
            if notes:  # decided outside the windows: not stored among their payments
                kept_out[payment.tx_id] = int(self.clock())
            answer = decided.as_dict()
            text = json.dumps(answer)
            earlier[key] = (answer, digest)  # a repeat within the batch gets this answer
            done.append((payment, decided, text))
            outcomes.append(Outcome(answer, fresh=True, text=text))
        if done:
            watermark = self.index.watermark
            self.state.save(
                done,
                forget_before=watermark - self.index.horizon,
                counters_before=watermark - self._counter_days(),
                decisions_before=watermark - self._decision_days(),
                kept_out=kept_out,
            )
        return outcomes

    def _key_for(
        self, payment: Payment, digest: str, earlier: dict[str, tuple[dict[str, Any], str | None]]
    ) -> str:
        """The key a message's decision is kept under: the payment's own, unless that was
        decided for other content — then one of its own (`key#digest`), so the message gets
        neither the other payment's answer (a passed payment's UETR reused for a payment to a
        listed party would pass it unscreened) nor takes its place."""
        first = earlier.get(payment.key)
        if first is None or first[1] is None or first[1] == digest:
            return payment.key
        key = f"{payment.key}#{digest[:16]}"
        if key not in earlier:
            earlier.update(self.state.decisions_of([key]))
        return key

    def history(self, payment: Payment) -> None:
        """Take a payment into the windows and counters without deciding or storing it
        (benchmarks preload history this way), in the reporting currency as a decided one is."""
        payment, _ = self._reported(payment)
        decided = decide(payment, self._context(), [], self.config, None)
        self._apply(payment, decided)

    def _decide(self, payment: Payment, notes: list[dict[str, Any]]) -> Decision:
        listed = self.watch.parties(payment)
        decided = decide(payment, self._context(), listed, self.config, self.risk, notes)
        if not notes:
            self._apply(payment, decided)
        return decided

    def refusal(self, payment: Payment) -> MalformedPaymentError | None:
        """Why a payment without `amount_reporting` is no payment once converted through the
        rates (9e14 KWD is 2.9e15 USD: beyond `MAX_AMOUNT`), or None. Asked before deciding, so
        the consumer sends it to the dead letters as it does an amount beyond the bound as
        given (`payment_from_row`): `tx load` quarantines both."""
        if payment.reported:
            return None
        factor = self.config.rates.factor(payment.currency)
        value = None if factor is None else payment.amount * factor
        beyond = None if value is None else beyond_bound(value)
        if value is None or beyond is None:
            return None
        reporting, currency = self.config.rates.reporting, payment.currency[:20]
        return MalformedPaymentError(
            payment.tx_id,
            f"amount {payment.amount:.4g} {currency} is {value:.4g} {reporting}, {beyond}",
        )

    def _reported(self, payment: Payment) -> tuple[Payment, list[dict[str, Any]]]:
        """The payment with `value` in the reporting currency: a message without
        `amount_reporting` is converted through the configured rates (the table `tx load`
        uses), so no threshold compares 10 million rupiah as 10 million dollars. A currency
        with no rate cannot be: reviewed (`amount:unconverted`), kept out of the windows. An
        unknown currency already says so (`currency:unknown`)."""
        if payment.reported:
            return payment, []
        factor = self.config.rates.factor(payment.currency)
        if factor is not None:
            return replace(payment, value=round(payment.amount * factor, 4), reported=True), []
        if payment.currency not in known_currencies():
            return payment, []
        reporting = self.config.rates.reporting
        detail = (
            f"no amount in {reporting} given and no rate for {payment.currency[:20]!r} in the "
            "rate table: decided without the windows"
        )
        note = {"code": UNCONVERTED, "kind": "input", "value": payment.currency[:20]}
        return payment, [{**note, "detail": detail}]

    def _implausible_time(self, payment: Payment) -> list[dict[str, Any]]:
        """A payment dated later than the clock allows is still screened and decided, but
        kept out of the windows and counters: its time would move the windows' watermark and
        evict every payment before it (one message dated 2099 would empty them). Sent for
        review, with the reason. One dated before 1900 (year 0001: a default or a typo) is no
        time at all for the windows: the same, with `timestamp:past`."""
        if payment.ts < EARLIEST:
            when = datetime.fromtimestamp(payment.ts, UTC).isoformat()
            detail = f"payment time {when} is before 1900: decided without the windows"
            return [{"code": PAST, "kind": "input", "value": when, "detail": detail}]
        if payment.ts <= self.clock() + self._ahead_s:
            return []
        when = datetime.fromtimestamp(payment.ts, UTC).isoformat()
        detail = (
            f"payment time {when} is more than {self._ahead_s / HOUR:g} hours after this "
            "server's clock: decided without the windows and kept out of them"
        )
        return [{"code": FUTURE, "kind": "input", "value": when, "detail": detail}]

    def _context(self) -> Context:
        return Context(self.config.monitoring, self.index, self.seeds, Scratch(self.counters))

    def _apply(self, payment: Payment, decided: Decision) -> None:
        for key, value in decided.writes.items():
            self.counters[key] = value
            self._counter_ts[key] = payment.ts
        self._index(payment)
        self._since_prune += 1
        if self._since_prune >= PRUNE_EVERY:
            self._prune()

    def _index(self, payment: Payment) -> None:
        """Put the payment into every window it counts in (the marks undo it on eviction)."""
        marks: list[Mark] = []
        index, params = self.index, self.config.monitoring
        if payment.edge:
            orig, bene = str(payment.orig_account), str(payment.bene_account)
            for half in self._halves:
                marks += index.count("bene", bene, orig, half, payment.ts)
                marks += index.count("orig", orig, bene, half, payment.ts)
        structuring = params.of("structuring")
        for currency, threshold in thresholds_for(payment, structuring):
            for account in structuring_accounts(payment):
                key = (account, currency, threshold, half_of(structuring))
                marks += index.piece(key, payment.ts)
        if is_deposit(payment):
            half = half_of(params.of("cash_funnel"))
            marks += index.deposit(str(payment.bene_account), half, payment.ts, payment.value)
        index.add(payment, tuple(marks))

    def _tally_halves(self) -> tuple[int, ...]:
        of = self.config.monitoring.of
        return tuple(
            sorted({half_of(of(name)) for name in ("fan_in", "fan_out", "gather_scatter")})
        )

    def _counter_days(self) -> int:
        return int(float(self.config.section("state")["counter_days"]) * DAY)

    def _decision_days(self) -> int:
        return int(float(self.config.section("state")["decision_days"]) * DAY)

    def _prune(self) -> None:
        self._since_prune = 0
        cutoff = self.index.watermark - self._counter_days()
        for key in [k for k, ts in self._counter_ts.items() if ts < cutoff]:
            self.counters.pop(key, None)
            del self._counter_ts[key]

    def _replay(self) -> None:
        """Rebuild the windows from the stored payments inside the horizon."""
        # a state file written before payments dated in the future were kept out may hold one
        latest = int(self.clock() + self._ahead_s)
        since = min(self.state.watermark(), latest) - self.index.horizon
        replayed = 0
        for payment in self.state.payments_since(since):
            self._index(payment)
            replayed += 1
        if replayed:
            log.info("stream state: %s payments replayed into the windows", replayed)


def _conflict(payment: Payment) -> dict[str, Any]:
    return {
        "code": CONFLICT, "kind": "input", "value": payment.key[:80],
        "detail": f"{payment.key[:80]!r} was decided before for a message with other content:"
        " decided on its own, without the windows",
    }  # fmt: skip


_SIDES = (("orig", "debtor"), ("bene", "creditor"))


def _missing_parties(payment: Payment) -> list[dict[str, Any]]:
    """A side with no name, account, identifier or ultimate party cannot be screened: the
    payment is decided on what it has, sent for review with the reason and kept out of the
    windows. Cash has no account on its counter side (a deposit's payer, a withdrawal's
    payee), so a cash payment is not reviewed for it."""
    if (payment.channel or "").lower() == "cash":
        return []
    notes = []
    for side, role in _SIDES:
        fields = ("account", "name", "identifier", "ultimate")
        if not any(getattr(payment, f"{side}_{name}") for name in fields):
            notes.append({
                "code": MISSING_PARTY, "kind": "input", "value": role,
                "detail": f"the {role} has no name, account or identifier: it cannot be "
                "screened; decided without the windows",
            })  # fmt: skip
    return notes


def _implausible_money(payment: Payment, reporting: str) -> list[dict[str, Any]]:
    """A negative amount or a currency outside ISO 4217 (what `tx load` quarantines) is still
    screened and decided, but sent for review with the reason and kept out of the windows: a
    negative deposit would lower a cash funnel's sum, an unknown currency has no threshold.
    The amount is written with its currency (the payment's, or `reporting` for a negative
    reporting amount) as monitoring's explanations write it; an unknown code is quoted."""
    notes = []
    known = payment.currency in known_currencies()
    if payment.amount < 0 or payment.value < 0:
        own = payment.amount < 0
        amount = payment.amount if own else payment.value
        currency = payment.currency[:20] if known else repr(payment.currency[:20])
        notes.append({
            "code": NEGATIVE, "kind": "input", "value": amount,
            "detail": f"amount {money(amount, currency if own else reporting)} is negative: "
            "decided without the windows",
        })  # fmt: skip
    if not known:
        notes.append({
            "code": UNKNOWN_CURRENCY, "kind": "input", "value": payment.currency[:20],
            "detail": f"currency {payment.currency[:20]!r} is not an ISO 4217 code jalur knows:"
            " decided without the windows",
        })  # fmt: skip
    digits = minor_units(payment.currency) if known else None
    if digits is not None and _finer_than(payment.amount, digits):
        notes.append({
            "code": DECIMALS, "kind": "input", "value": payment.amount,
            "detail": f"amount {payment.amount!r} has more decimals than {payment.currency} "
            f"has ({digits}): decided without the windows",
        })  # fmt: skip
    return notes


def _finer_than(amount: float, digits: int) -> bool:
    """An amount with more decimals than its currency has (`100.123 USD`, `5.5 JPY`), which
    `tx load` quarantines and no payment system sends; the tolerance is `tx load`'s (a few
    float64 roundings of the amount in minor units)."""
    scaled = float(amount) * 10.0**digits
    return bool(abs(scaled - round(scaled)) > 1e-9 + abs(scaled) * 1e-14)
