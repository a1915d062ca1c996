"""The typologies one payment completes or extends, found incrementally with the batch's rules.

Each function here reads the payment and the state before it and returns `Found`s keyed
exactly as the batch detector keys its findings (so the alert id is the same alert id the
batch gives: `jalur.monitoring.alert_id`). Windows are the batch's hopping windows
(`window.windows_of`), hops the batch's hop conditions. Conditions the batch can only judge on
the whole period are judged on what has been seen so far: `max_windows` counts the busy
windows up to now (an account under the limit at the end was under it all along); `min_share`
(fans) sets the window's payments against the account's payments up to now (at the window's
last payment that share is at least the batch's). So the stream alerts whatever the batch
alerts, and may alert earlier or more.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from jalur.monitoring import burst_key, money
from jalur.monitoring.params import DAY, HOUR, threshold_of
from jalur.stream.context import Context
from jalur.stream.payment import Payment
from jalur.stream.window import Tally, Window, first_busy_start, windows_of

Params = Mapping[str, Any]


@dataclass(frozen=True)
class Found:
    """One typology the payment completes or extends."""

    typology: str
    key: str
    account: str
    accounts: tuple[str, ...]
    tx_ids: tuple[str, ...]
    detail: str
    facts: dict[str, Any] = field(default_factory=dict)


def half_of(params: Params) -> int:
    return int(float(params["window_days"]) * DAY) // 2


def _ids(*groups: object) -> tuple[str, ...]:
    found: set[str] = set()
    for group in groups:
        if isinstance(group, str):
            found.add(group)
        elif group is not None:
            found.update(str(v) for v in group if v is not None)  # type: ignore[attr-defined]
    return tuple(sorted(found))


def _busy(ctx: Context, name: str, account: str, window: tuple[int, int], limit: int) -> bool:
    """Record `window` as busy for (name, account); whether the account is still within
    `limit` busy windows (seen so far)."""
    key = f"busy|{name}|{account}"
    held: list[str] = list(ctx.scratch.get(key, []))
    mark = f"{window[0]}:{window[1]}"
    if mark not in held:
        held.append(mark)
        ctx.scratch.put(key, held[: limit + 1])
    return len(held) <= limit


# --- structuring ---------------------------------------------------------------------------


_THRESHOLDS: dict[int, tuple[float, dict[str, list[tuple[str, float]]]]] = {}


def _thresholds(params: Params) -> tuple[float, dict[str, list[tuple[str, float]]]]:
    """The margin and the thresholds by currency as (channel, threshold), read once."""
    held = _THRESHOLDS.get(id(params))
    if held is None:
        by_currency: dict[str, list[tuple[str, float]]] = {}
        for item in params["thresholds"]:
            currency, channel, threshold = threshold_of(item)
            by_currency.setdefault(currency, []).append((channel, threshold))
        held = _THRESHOLDS[id(params)] = (float(params["margin"]), by_currency)
    return held


def thresholds_for(p: Payment, params: Params) -> list[tuple[str, float]]:
    """The (currency, threshold) pairs the payment's amount sits just under."""
    margin, by_currency = _thresholds(params)
    candidates = by_currency.get(p.currency)
    if not candidates:
        return []
    channel = (p.channel or "").lower()
    return [
        (p.currency, threshold)
        for wanted, threshold in candidates
        if wanted in ("*", channel) and threshold * (1 - margin) <= p.amount < threshold
    ]


def structuring_accounts(p: Payment) -> list[str]:
    accounts = [p.orig_account] if p.orig_account else []
    if p.bene_account and p.bene_account != (p.orig_account or ""):
        accounts.append(p.bene_account)
    return accounts


def structuring(p: Payment, ctx: Context) -> list[Found]:
    params = ctx.params.of("structuring")
    half = half_of(params)
    found = []
    for currency, threshold in thresholds_for(p, params):
        for account in structuring_accounts(p):
            hit = _pieces(p, ctx, params, (account, currency, threshold, half))
            if hit is not None:
                found.append(hit)
    return found


def _pieces(
    p: Payment, ctx: Context, params: Params, key: tuple[str, str, float, int]
) -> Found | None:
    """Structuring on one account, currency and threshold (`key`, with the half-window): the
    payment's pieces in its busiest window, keyed by the burst they belong to."""
    account, currency, threshold, half = key
    own, least = windows_of(p.ts, half), int(params["min_transactions"])

    def pieces_in(w: Window) -> int:
        return ctx.index.pieces.get((*key, w), 0) + (1 if w in own else 0)

    pieces = max(pieces_in(w) for w in own)
    if pieces < least:
        return None
    start = first_busy_start(
        [w for w in own if pieces_in(w) >= least], lambda w: pieces_in(w) >= least
    )
    return Found(
        "structuring",
        burst_key(f"{account}|{currency}|{threshold:.0f}", start, half),
        account,
        (account,),
        (p.tx_id,),
        f"{pieces} payments just under the {money(threshold, currency)} "
        f"threshold within {params['window_days']} days on {account}",
        {"pieces": pieces},
    )


# --- fans and gather-scatter ---------------------------------------------------------------

_FAN_SIDE = {"fan_in": ("bene", "orig"), "fan_out": ("orig", "bene")}


def _side(p: Payment, side: str) -> str:
    return str(p.bene_account if side == "bene" else p.orig_account)


def _parties(ctx: Context, side: str, account: str, half: int, window: tuple[int, int]) -> set[str]:
    tally = ctx.index.tally(side, account, half, window)
    return set(tally.parties) if tally else set()


def fan(typology: str) -> Callable[[Payment, Context], list[Found]]:
    side, other = _FAN_SIDE[typology]

    def detect(p: Payment, ctx: Context) -> list[Found]:
        if not p.edge:
            return []
        params = ctx.params.of(typology)
        half, account = half_of(params), _side(p, side)
        low, high = int(params["min_counterparties"]), int(params["max_counterparties"])
        total = int(ctx.scratch.get(f"n|{side}|{account}", 0)) + 1
        ctx.scratch.put(f"n|{side}|{account}", total)
        own = windows_of(p.ts, half)

        def parties_in(w: Window) -> set[str]:
            tally = ctx.index.tally(side, account, half, w)
            held = set(tally.parties) if tally else set()
            return held | {_side(p, other)} if w in own else held

        def counted(w: Window) -> bool:
            return low <= len(parties_in(w)) <= high

        hits: list[Window] = []
        for window in own:
            if not counted(window):
                continue
            tally = ctx.index.tally(side, account, half, window)
            payments = (sum(tally.parties.values()) if tally else 0) + 1
            if payments < float(params["min_share"]) * total:
                continue
            if _busy(ctx, typology, account, window, int(params["max_windows"])):
                hits.append(window)
        if not hits:
            return []
        parties = parties_in(hits[0])
        verb = "received from" if typology == "fan_in" else "paid"
        start = first_busy_start([w for w in own if counted(w)], counted)
        return [
            Found(
                typology,
                burst_key(account, start, half),
                account,
                _ids(account, parties),
                (p.tx_id,),
                f"{account} {verb} {len(parties)} distinct counterparties within "
                f"{params['window_days']} days",
                {"counterparties": len(parties)},
            )
        ]

    return detect


def gather_scatter(p: Payment, ctx: Context) -> list[Found]:
    if not p.edge:
        return []
    params = ctx.params.of("gather_scatter")
    half = half_of(params)
    found = []
    for account in (str(p.bene_account), str(p.orig_account)):
        ctx.scratch.put(f"gs|n|{account}", int(ctx.scratch.get(f"gs|n|{account}", 0)) + 1)
        hits = [
            (window, hit)
            for window in windows_of(p.ts, half)
            if (hit := _gathered(p, ctx, params, account, half, window)) is not None
        ]
        if hits:
            start = first_busy_start([w for w, _ in hits], _marked(ctx, account))
            found.append(replace(hits[0][1], key=burst_key(account, start, half)))
    return found


def _marked(ctx: Context, account: str) -> Callable[[Window], bool]:
    """Whether a window is among the account's gather-scatter windows seen busy so far."""
    busy = set(ctx.scratch.get(f"busy|gather_scatter|{account}", []))
    return lambda w: f"{w[0]}:{w[1]}" in busy


def _gathered(
    p: Payment, ctx: Context, params: Params, account: str, half: int, window: tuple[int, int]
) -> Found | None:
    ins, outs = (
        ctx.index.tally("bene", account, half, window),
        ctx.index.tally("orig", account, half, window),
    )
    payers = set(ins.parties) if ins else set()
    payees = set(outs.parties) if outs else set()
    first_in = ins.first if ins else None
    last_out = outs.last if outs else None
    times = [_times(ins), _times(outs)]  # (sum, count) of the payments' times in, out
    if p.bene_account == account:
        payers.add(str(p.orig_account))
        first_in = p.ts if first_in is None else min(first_in, p.ts)
        times[0] = (times[0][0] + p.ts, times[0][1] + 1)
    else:
        payees.add(str(p.bene_account))
        last_out = p.ts if last_out is None else max(last_out, p.ts)
        times[1] = (times[1][0] + p.ts, times[1][1] + 1)
    high = int(params["max_counterparties"])
    if len(payers) > high or len(payees) > high:
        return None
    big = len(payers) >= int(params["min_payers"]) and len(payees) >= int(params["min_payees"])
    if not big and not _burst(ctx, params, account, (ins, outs), (payers, payees)):
        return None
    if first_in is None or last_out is None or not first_in < last_out:
        return None
    if not _gathered_first(*times):
        return None
    if not _busy(ctx, "gather_scatter", account, window, int(params["max_windows"])):
        return None
    return Found(
        "gather_scatter",
        account,
        account,
        _ids(account, payers, payees),
        (p.tx_id,),
        f"{account} gathered from {len(payers)} payers and paid {len(payees)} payees within "
        f"{params['window_days']} days",
        {"payers": len(payers), "payees": len(payees)},
    )


def _times(tally: Tally | None) -> tuple[int, int]:
    """The sum of a window side's payment times and how many they are."""
    return (tally.ts_total, tally.payments) if tally else (0, 0)


def _gathered_first(ins: tuple[int, int], outs: tuple[int, int]) -> bool:
    """The payments in come on average before the payments out (gathered, then scattered),
    as the batch asks (mean times compared without division: counts are positive)."""
    return ins[1] > 0 and outs[1] > 0 and ins[0] * outs[1] < outs[0] * ins[1]


def _burst(
    ctx: Context,
    params: Params,
    account: str,
    tallies: tuple[Tally | None, Tally | None],
    sides: tuple[set[str], set[str]],
) -> bool:
    """A small gather-scatter as the batch takes it: enough payers and payees, and the
    window's payments (this one included) `min_share` of the account's payments so far (at
    least the batch's share over the whole data)."""
    side = int(params["burst_min_side"])
    if min(len(sides[0]), len(sides[1])) < side:
        return False
    if len(sides[0]) + len(sides[1]) < int(params["burst_min_counterparties"]):
        return False
    held = sum(sum(t.parties.values()) for t in tallies if t is not None) + 1
    return held >= float(params["min_share"]) * int(ctx.scratch.get(f"gs|n|{account}", 1))


# --- hops: pass-through, scatter-gather ----------------------------------------------------


def pass_through(p: Payment, ctx: Context) -> list[Found]:
    if not p.edge or p.value <= 0:
        return []
    params = ctx.params.of("pass_through")
    limit = int(float(params["max_hours"]) * HOUR)
    tol, least = float(params["tolerance"]), float(params["min_amount"])
    found = []
    # the payment as the way out of its payer (money that came in shortly before) …
    ins = [
        e.tx_id
        for e in ctx.index.incoming(p.orig_account)
        if e.value >= least
        and e.value > 0
        and e.ts <= p.ts <= e.ts + limit
        and abs(p.value - e.value) <= tol * e.value
        and e.tx_id != p.tx_id
    ]
    if ins:
        found += _pairs(ctx, params, str(p.orig_account), ins, p)
    # … and as the way in to its payee (when a payment out at the same second came first)
    if p.value >= least:
        outs = [
            e.tx_id
            for e in ctx.index.outgoing(p.bene_account)
            if e.value > 0
            and p.ts <= e.ts <= p.ts + limit
            and abs(e.value - p.value) <= tol * p.value
            and e.tx_id != p.tx_id
        ]
        if outs:
            found += _pairs(ctx, params, str(p.bene_account), [p.tx_id], p)
    return found


def _pairs(ctx: Context, params: Params, account: str, ins: list[str], p: Payment) -> list[Found]:
    key = f"pairs|{account}"
    held = list(ctx.scratch.get(key, []))
    fresh = [tx for tx in ins if tx not in held]
    if fresh:
        held = (held + fresh)[-64:]
        ctx.scratch.put(key, held)
    if len(held) < int(params["min_pairs"]):
        return []
    return [
        Found(
            "pass_through",
            account,
            account,
            (account,),
            _ids(ins, p.tx_id),
            f"{account} passed on {len(held)} payments within {params['max_hours']} h "
            f"of receiving them (±{float(params['tolerance']):.0%})",
            {"pairs": len(held)},
        )
    ]


def scatter_gather(p: Payment, ctx: Context) -> list[Found]:
    """The payment as a mule's onward leg: sources that paid this mule shortly before."""
    if not p.edge or p.value <= 0:
        return []
    params = ctx.params.of("scatter_gather")
    window = int(float(params["window_days"]) * DAY)
    low, high = float(params["min_hop_ratio"]), float(params["max_hop_ratio"])
    mule, target = str(p.orig_account), str(p.bene_account)
    found = []
    sources = {
        str(e.orig_account)
        for e in ctx.index.incoming(mule)
        if e.value > 0
        and e.ts <= p.ts <= e.ts + window
        and e.value * low <= p.value <= e.value * high
        and e.orig_account != target
    }
    for source in sorted(sources):
        key = f"mules|{source}|{target}"
        mules = set(ctx.scratch.get(key, []))
        if mule not in mules:
            mules.add(mule)
            ctx.scratch.put(key, sorted(mules)[:64])
        if len(mules) >= int(params["min_intermediaries"]):
            found.append(
                Found(
                    "scatter_gather",
                    f"{source}|{target}",
                    source,
                    _ids(source, target, mules),
                    (p.tx_id,),
                    f"{source} paid {len(mules)} intermediaries who each passed it on to {target}",
                    {"mules": len(mules)},
                )
            )
    return found


# --- cash funnel ---------------------------------------------------------------------------


def is_deposit(p: Payment) -> bool:
    return (
        p.orig_account is None
        and p.bene_account is not None
        and (p.channel or "").lower() == "cash"
    )


def cash_funnel(p: Payment, ctx: Context) -> list[Found]:
    params = ctx.params.of("cash_funnel")
    half = half_of(params)
    if is_deposit(p):
        account = str(p.bene_account)
        checks = [(w, True) for w in windows_of(p.ts, half)]
    elif p.edge:
        account = str(p.orig_account)
        checks = [(w, False) for w in _pool_windows(p.ts, half)]
    else:
        return []
    for window, deposit in checks:
        found = _funnel(p, ctx, params, account, half, window, deposit)
        if found:
            return [found]
    return []


def _pool_windows(ts: int, half: int) -> list[tuple[int, int]]:
    """Windows whose pool may still be paid on at `ts` (paid on until a window after the last
    deposit: the pool's window and the two before it)."""
    seen: list[tuple[int, int]] = []
    for back in range(0, 5):
        for window in windows_of(ts - back * half, half):
            if window not in seen:
                seen.append(window)
    return seen


def _funnel(
    p: Payment,
    ctx: Context,
    params: Params,
    account: str,
    half: int,
    window: tuple[int, int],
    deposit: bool,
) -> Found | None:
    pool = ctx.index.pools.get((account, half, window))
    deposits = (pool.deposits if pool else 0) + (1 if deposit else 0)
    cash = (pool.cash if pool else 0.0) + (p.value if deposit else 0.0)
    first = min(pool.t_first, p.ts) if pool and deposit else (pool.t_first if pool else p.ts)
    last = max(pool.t_last, p.ts) if pool and deposit else (pool.t_last if pool else p.ts)
    if deposits < int(params["min_deposits"]):
        return None
    wait = 2 * half
    if not deposit and not first <= p.ts <= last + wait:
        return None
    paid = sum(e.value for e in ctx.index.outgoing(account) if first <= e.ts <= last + wait)
    paid += 0.0 if deposit else p.value
    if not _busy(ctx, "cash_funnel", account, window, int(params["max_windows"])):
        return None
    if paid <= 0 or paid < float(params["min_passed"]) * cash:
        return None
    return Found(
        "cash_funnel",
        account,
        account,
        (account,),
        (p.tx_id,),
        f"{account} pooled {deposits} cash deposits "
        f"({money(cash, ctx.params.reporting_currency)}) and paid on {paid / cash:.0%}",
        {"deposits": deposits, "cash": cash, "paid": paid},
    )


# --- corridor, listed counterparty ---------------------------------------------------------


def corridor(p: Payment, ctx: Context) -> list[Found]:
    if not p.edge:
        return []
    params = ctx.params.of("corridor")
    black = {str(c).upper() for c in params["black_list"]}
    risky = black | {str(c).upper() for c in params["grey_list"]}
    found = []
    legs = (
        (str(p.orig_account), str(p.bene_account), p.bene_country, p.orig_country),
        (str(p.bene_account), str(p.orig_account), p.orig_country, p.bene_country),
    )
    for account, other, country, home in legs:
        if country is None or country not in risky or (home or "") == country:
            continue
        key = f"corridor|{account}|{country}"
        amount, count = ctx.scratch.get(key, [0.0, 0])
        amount, count = float(amount) + p.value, int(count) + 1
        ctx.scratch.put(key, [amount, count])
        if amount >= float(params["min_amount"]):
            listing = "black" if country in black else "grey"
            found.append(
                Found(
                    "corridor",
                    f"{account}|{country}",
                    account,
                    _ids(account, other),
                    (p.tx_id,),
                    f"{account}: {count} payments "
                    f"({money(amount, ctx.params.reporting_currency)}) with {country} "
                    f"(FATF {listing} list)",
                    {"country": country, "amount": amount, "transactions": count},
                )
            )
    return found


def listed_counterparty(p: Payment, ctx: Context) -> list[Found]:
    if not p.edge:
        return []
    least = float(ctx.params.of("listed_counterparty")["min_hit_score"])
    found = []
    for account, listed in ((p.orig_account, p.bene_account), (p.bene_account, p.orig_account)):
        hit = ctx.seeds.hits.get(str(listed))
        if hit is None or float(hit.get("score") or 0.0) < least:
            continue
        found.append(
            Found(
                "listed_counterparty",
                f"{account}|{listed}",
                str(account),
                _ids(account, listed),
                (p.tx_id,),
                f"{account} transacted with {listed}, matched to {hit.get('risk_class')}-listed "
                f"{hit.get('party_name')!r} ({hit.get('list_name')})",
                {"listed": listed, "risk_class": hit.get("risk_class")},
            )
        )
    return found
