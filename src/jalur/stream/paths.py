"""Typologies that follow money over several hops: cycles closed, drug money reaching terror.

A cycle is found when its last payment arrives: the payment a→b closes a cycle when money left
b earlier and reached a through payments each no earlier than the one before, all within the
window of the first, each between `min_hop_ratio` and `max_hop_ratio` of the one before (the
batch's rules, `jalur.monitoring.detectors.cycles`). The search runs backwards from a over the
recent payments into each account, so it touches only money that could have come round.
"""

from __future__ import annotations

from collections.abc import Iterator

from jalur.monitoring.params import DAY
from jalur.stream.context import Context
from jalur.stream.payment import Payment
from jalur.stream.typologies import Found, Params

#: Paths searched per payment before giving up (a hub with many similar payments in).
MAX_PATHS = 20_000


def cycle(p: Payment, ctx: Context) -> list[Found]:
    if not p.edge or p.value <= 0:
        return []
    params = ctx.params.of("cycle")
    found: dict[str, Found] = {}
    for hops in _paths_back(p, ctx, params):
        nodes = [str(h.orig_account) for h in hops] + [str(p.orig_account)]
        accounts = tuple(sorted(set(nodes)))
        key = "|".join(accounts)
        if key not in found:
            path = " → ".join([*nodes, str(p.bene_account)])
            found[key] = Found(
                "cycle",
                key,
                str(p.bene_account),
                accounts,
                tuple(sorted({h.tx_id for h in hops} | {p.tx_id})),
                f"money went round {len(accounts)} accounts and back: {path}",
                {"length": len(accounts), "path": path},
            )
    return list(found.values())


def _paths_back(p: Payment, ctx: Context, params: Params) -> Iterator[list[Payment]]:
    """Chains of earlier payments start → … → p.orig that p closes into a cycle (start =
    p.bene), oldest first."""
    window = int(float(params["window_days"]) * DAY)
    low, high = float(params["min_hop_ratio"]), float(params["max_hop_ratio"])
    most, least = int(params["max_length"]), int(params["min_length"])
    start = str(p.bene_account)
    budget = [MAX_PATHS]

    def back(hop: Payment, chain: list[Payment], seen: set[str]) -> Iterator[list[Payment]]:
        # `hop` is the payment after the chain's first; find payments into hop.orig before it
        for e in ctx.index.incoming(hop.orig_account):
            budget[0] -= 1
            if budget[0] < 0:
                return
            if not (
                e.value > 0 and e.ts <= hop.ts and e.value * low <= hop.value <= e.value * high
            ):
                continue
            if p.ts > e.ts + window or e.tx_id == hop.tx_id:
                continue
            origin = str(e.orig_account)
            if origin == start:
                if _first_ok(e, [*chain], p, params) and len(chain) + 2 >= least:
                    yield [e, *chain]
                continue
            if origin in seen or len(chain) + 2 >= most:
                continue
            yield from back(e, [e, *chain], seen | {origin})

    yield from back(p, [], {start, str(p.orig_account)})


def _first_ok(first: Payment, rest: list[Payment], p: Payment, params: Params) -> bool:
    """The batch's conditions on the first payment: its amount, and that every later payment
    is after it in time (or at the same second with a larger id)."""
    if first.value < float(params["min_amount"]):
        return False
    return all(e.ts > first.ts or e.tx_id > first.tx_id for e in [*rest, p])


def drug_to_terror(p: Payment, ctx: Context, terror_parties: frozenset[str]) -> list[Found]:
    """A payment from an account that drug money reached (within the exposure hops) to a
    terror-listed account or party: the drug–terror nexus, while the money moves."""
    if not p.edge:
        return []
    hops = int(ctx.params.of("exposure")["max_hops"])
    orig, bene = str(p.orig_account), str(p.bene_account)
    reached = _exposure(ctx, orig)
    if reached is None:
        return []
    distance, seed = reached
    if distance < hops and _exposure(ctx, bene) is None:
        ctx.scratch.put(f"drug|{bene}", [distance + 1, seed])
    if bene not in ctx.seeds.of("terror") and bene not in terror_parties:
        return []
    return [
        Found(
            "drug_to_terror",
            f"{orig}|{bene}",
            orig,
            tuple(sorted({orig, bene, seed})),
            (p.tx_id,),
            f"money from drug-linked {seed} ({distance} hop(s) back) reaches terror-listed {bene}",
            {"seed": seed, "hops": distance},
        )
    ]


def _exposure(ctx: Context, account: str) -> tuple[int, str] | None:
    if account in ctx.seeds.of("drug"):
        return 0, account
    held = ctx.scratch.get(f"drug|{account}")
    return (int(held[0]), str(held[1])) if held else None
