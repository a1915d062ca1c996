"""Chains (layering, IBM's "random walk"): money passed on from account to account, each hop
roughly the amount of the one before, whether or not the payments run in time order.

Built on `paths.py`: every chain of `min_payments` amount-matched payments through distinct
quiet accounts is found, and chains that share a payment are one finding (a longer walk is the
union of its overlapping pieces). A chain whose payments all run forward in time within the
window scores higher than one pieced together across the whole data. The subjects are the
accounts that received and passed the money on; the first payer and last payee are context.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from jalur.monitoring.detectors.base import (
    Feature,
    Finding,
    Params,
    Typology,
    clip,
    sorted_ids,
)
from jalur.monitoring.detectors.paths import open_paths, path_params, stage_quiet
from jalur.monitoring.engines.base import Engine


def find(engine: Engine, params: Params) -> list[Finding]:
    bind = path_params(params)
    stage_quiet(engine, bind)
    paths = open_paths(engine, bind, int(params["min_payments"]))
    return [_finding(group) for group in _components(paths)]


def _components(paths: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Paths grouped by shared payments (union-find on tx ids)."""
    parent: dict[str, str] = {}

    def root(tx: str) -> str:
        while parent.setdefault(tx, tx) != tx:
            parent[tx] = parent[parent[tx]]
            tx = parent[tx]
        return tx

    for path in paths:
        txs = [str(t) for t in path["txs"]]
        for tx in txs[1:]:
            parent[root(tx)] = root(txs[0])
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for path in paths:
        groups[root(str(path["txs"][0]))].append(path)
    return [groups[k] for k in sorted(groups)]


def _headline(facts: Mapping[str, Any]) -> str:
    """The count is of every account that passed the money on in the chain's component; the
    path shown is one of its paths, said as such when it does not show them all (it read
    "through 5 accounts: A → B → C → D")."""
    path, passed = facts["path"], int(facts["intermediaries"])
    shown = " → ".join(path)
    text = (
        f"money passed on through {passed} accounts: {shown}"
        if passed == len(path) - 2
        else f"money passed on by {passed} accounts, one of its paths: {shown}"
    )
    return text + ("" if facts["ordered"] else " (not in time order)")


def _finding(paths: list[dict[str, Any]]) -> Finding:
    passed_on = sorted_ids(n for p in paths for n in p["nodes"][1:-1])
    accounts = sorted_ids(n for p in paths for n in p["nodes"])
    txs = sorted_ids(t for p in paths for t in p["txs"])
    ordered = any(bool(p["ordered"]) for p in paths)
    first = min(paths, key=lambda p: (not p["ordered"], [str(t) for t in p["txs"]]))
    return Finding(
        typology="chain",
        key="|".join(txs),
        account=str(first["nodes"][1]),
        accounts=accounts,
        tx_ids=txs,
        facts={
            "payments": len(txs),
            "intermediaries": len(passed_on),
            "ordered": ordered,
            "path": [str(n) for n in first["nodes"]],
            "subjects": list(passed_on),
        },
    )


CHAIN = Typology(
    name="chain",
    summary="Money passed on hop after hop at about the same amount (layering, random walks).",
    find=find,
    headline=lambda f, p: _headline(f.facts),
    features=(
        Feature(
            "hops",
            lambda f, p: clip(f["intermediaries"] / (2.0 * (float(p["min_payments"]) - 1))),
            lambda f, p: (
                f"{f['payments']} amount-matched payments, "
                f"{f['intermediaries']} accounts passed the money on"
            ),
        ),
        Feature(
            "in_time_order",
            lambda f, p: 1.0 if f["ordered"] else 0.0,
            lambda f, p: (
                "each hop after the one before" if f["ordered"] else "hops not in time order"
            ),
        ),
    ),
)
