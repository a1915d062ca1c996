"""Payments as the channel graph that `jalur.pictures` draws (accounts, legs, paths): what the
API's channel and case graphs answer and the web UI's network view shows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from itertools import pairwise
from typing import Any

_MAX_PATHS = 40


def network_graph(
    payments: Iterable[Mapping[str, Any]],
    given: list[tuple[str, list[str]]],
    flags: Mapping[str, list[str]],
    listed: Mapping[str, Mapping[str, Any]],
) -> dict[str, Any]:
    """Payments as the channel graph `jalur.pictures` draws: accounts, legs, paths.

    A traced channel's paths are drawn as given; without one, the money's own paths (from
    accounts nobody paid to accounts that paid nobody) are the channels, largest first, so the
    picture still reads left to right and the heaviest path is highlighted."""
    rows = sorted(payments, key=lambda p: (str(p.get("timestamp") or ""), str(p.get("tx_id"))))
    holders: dict[str, dict[str, Any]] = {}
    legs: dict[tuple[str, str], list[Mapping[str, Any]]] = defaultdict(list)
    currency = next((str(p["currency"]) for p in rows if p.get("currency")), None)
    for p in rows:
        orig, bene = p.get("orig_account"), p.get("bene_account")
        for side, account in (("orig", orig), ("bene", bene)):
            if account:
                holders.setdefault(str(account), {
                    k: p.get(f"{side}_{k}") for k in ("name", "bank", "country")
                })  # fmt: skip
        if orig and bene:
            legs[(str(orig), str(bene))].append(p)
    edges: list[dict[str, Any]] = [
        {
            "source": orig, "target": bene, "currency": currency,
            "amount": round(sum(_amount(p) for p in paid), 2),
            "payments": [{"tx_id": p.get("tx_id"), "time": str(p.get("timestamp") or ""),
                          "amount": _amount(p), "currency": p.get("currency")} for p in paid],
            "first_payment": str(paid[0].get("timestamp") or ""),
            "last_payment": str(paid[-1].get("timestamp") or ""),
            "channels": [],
        }
        for (orig, bene), paid in sorted(legs.items())
    ]  # fmt: skip
    amounts: dict[tuple[str, str], float] = {(e["source"], e["target"]): e["amount"] for e in edges}
    found = given or [(f"path-{n + 1}", p) for n, p in enumerate(money_paths(list(amounts)))]
    channels: list[dict[str, Any]] = []
    for channel_id, path in found:
        carried = [amounts.get((a, b), 0.0) for a, b in pairwise(path)]
        channels.append({"channel_id": channel_id, "path": path,
                         "amount": min(carried, default=0.0), "hops": len(path) - 1})  # fmt: skip
    channels.sort(key=lambda c: (-c["amount"], c["channel_id"]))
    for edge in edges:
        edge["channels"] = [
            c["channel_id"] for c in channels
            if (edge["source"], edge["target"]) in pairwise(c["path"])
        ]  # fmt: skip
    paid_in = {e["target"] for e in edges}
    paid_out = {e["source"] for e in edges}
    accounts = sorted(set(holders) | {a for _, p in found for a in p})
    nodes = [
        {
            "id": account,
            "role": "source" if account not in paid_in else
                    "sink" if account not in paid_out else "intermediate",
            "holder": holders.get(account, {}).get("name"),
            "bank": holders.get(account, {}).get("bank"),
            "country": holders.get(account, {}).get("country"),
            "flags": sorted(set(flags.get(account, []))),
            "listed": dict(listed[account]) if account in listed else None,
        }
        for account in accounts
    ]  # fmt: skip
    total = sum(c["amount"] for c in channels)
    return {
        "directed": True, "allocation": "payments", "max_hops": max(
            (c["hops"] for c in channels), default=0), "currency": currency,
        "emitted": total, "arrived": total, "nodes": nodes, "edges": edges,
        "channels": channels,
    }  # fmt: skip


def money_paths(legs: list[tuple[str, str]]) -> list[list[str]]:
    """Every simple path from an account nobody paid (or the start of a cycle) to one that
    paid nobody, at most `_MAX_PATHS` of them; a leg on no such path is a path of its own."""
    out: dict[str, list[str]] = defaultdict(list)
    for orig, bene in legs:
        out[orig].append(bene)
    paid_in = {b for _, b in legs}
    starts = sorted({o for o, _ in legs} - paid_in) or sorted({o for o, _ in legs})[:1]
    paths: list[list[str]] = []

    def walk(path: list[str]) -> None:
        if len(paths) >= _MAX_PATHS:
            return
        onward = [b for b in sorted(out[path[-1]]) if b not in path]
        if not onward:
            if len(path) > 1:
                paths.append(path)
            return
        for bene in onward:
            walk([*path, bene])

    for start in starts:
        walk([start])
    covered = {leg for p in paths for leg in pairwise(p)}
    paths += [[o, b] for o, b in legs if (o, b) not in covered][: max(_MAX_PATHS - len(paths), 0)]
    return paths


def _amount(payment: Mapping[str, Any]) -> float:
    try:
        return float(payment.get("amount") or 0.0)
    except (TypeError, ValueError):
        return 0.0
