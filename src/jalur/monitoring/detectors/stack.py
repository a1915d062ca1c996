"""Stack layering: many-to-many layers in sequence, the payees of one paying the next.

Built on the bipartite layers (each found within the stack's window; the chain may take longer,
and with the same settings as bipartite the layers are found once for both): layer A links to
layer B when at least `min_overlap` of A's payees are B's payers; linked layers form one stack.

IBM AMLworld's stacks are thinner: each account of the middle layer receives one payment and
passes about the same amount on to the next layer within days, and the layers' accounts share
nothing else (as printed for HI-Small, 11 relays are 33 distinct accounts). So a stack is also
found through its *relays*: accounts with at most `relay_max_payments` payments in and out (one
by default) over the whole data, whose payment out is `min_hop_ratio`..`max_hop_ratio` of a
payment in, no earlier and within `relay_window_days` of it. Relays that share a payer or a
payee are one stack; the relays are its subjects, their payers and payees context.
`relay_max_payments = 0` switches this off.
"""

from __future__ import annotations

from typing import Any

from jalur.monitoring.detectors.base import (
    Feature,
    Finding,
    Params,
    Typology,
    clip,
    rows,
    sorted_ids,
)
from jalur.monitoring.detectors.bipartite import Layer, find_layers
from jalur.monitoring.engines.base import Engine
from jalur.monitoring.params import DAY

#: A relay that pays on in another currency may move `$drift` times further (amounts compared
#: through a static rate table, not the rates the money was converted at).
_DRIFT = "(CASE WHEN COALESCE(a.currency, '') = COALESCE(b.currency, '') THEN 1.0 ELSE $drift END)"

_RELAYS_TEMPLATE = """
WITH sides AS (
  SELECT bene AS account, 1 AS i, 0 AS o FROM mon_edges
  UNION ALL
  SELECT orig AS account, 0 AS i, 1 AS o FROM mon_edges
), relays AS (
  SELECT account FROM sides GROUP BY account
  HAVING SUM(i) <= $relay_max AND SUM(o) <= $relay_max AND SUM(i) > 0 AND SUM(o) > 0
)
SELECT r.account, a.orig AS payer, b.bene AS payee, a.tx_id AS tx_in, b.tx_id AS tx_out
FROM relays r
JOIN mon_edges a ON a.bene = r.account
JOIN mon_edges b ON b.orig = r.account
WHERE b.ts >= a.ts AND b.ts <= a.ts + $window AND b.bene <> a.orig
  AND b.value >= a.value * $min_ratio / {drift} AND b.value <= a.value * $max_ratio * {drift}
"""
_RELAYS_SQL = _RELAYS_TEMPLATE.replace("{drift}", _DRIFT)


def stacks(layers: list[Layer], min_overlap: int) -> list[list[Layer]]:
    """Groups of layers chained payee-to-payer, each with two layers or more."""
    parent = list(range(len(layers)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, upper in enumerate(layers):
        for j, lower in enumerate(layers):
            if i != j and len(upper.payees & lower.payers) >= min_overlap:
                parent[root(i)] = root(j)
    chains: dict[int, list[Layer]] = {}
    for i, layer in enumerate(layers):
        chains.setdefault(root(i), []).append(layer)
    return [chain for chain in chains.values() if len(chain) >= 2]


def find(engine: Engine, params: Params) -> list[Finding]:
    layers = find_layers(engine, params, float(params["window_days"]))
    found = []
    for chain in stacks(layers, int(params["min_overlap"])):
        accounts = sorted_ids(a for layer in chain for a in layer.payers | layer.payees)
        payers = set().union(*(layer.payers for layer in chain))
        payees = set().union(*(layer.payees for layer in chain))
        found.append(
            Finding(
                typology="stack",
                key="|".join(accounts),
                account=min(payers - payees or payers),
                accounts=accounts,
                tx_ids=sorted_ids(tx for layer in chain for tx in layer.tx_ids),
                facts={"layers": len(chain) + 1, "accounts": len(accounts)},
            )
        )
    if int(params["relay_max_payments"]) > 0:
        found += _relay_stacks(engine, params, {a for f in found for a in f.accounts})
    return found


def _relay_stacks(engine: Engine, params: Params, known: set[str]) -> list[Finding]:
    """Stacks through relay accounts (IBM's form), grouped by shared payers and payees."""
    bind = {
        "relay_max": int(params["relay_max_payments"]),
        "window": int(float(params["relay_window_days"]) * DAY),
        "min_ratio": float(params["min_hop_ratio"]),
        "max_ratio": float(params["max_hop_ratio"]),
        "drift": float(params["currency_drift"]),
    }
    relays = [r for r in rows(engine.query(_RELAYS_SQL, bind)) if r["account"] not in known]
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for relay in relays:
        for other in (relay["payer"], relay["payee"]):
            parent[root(str(other))] = root(str(relay["account"]))
    groups: dict[str, list[dict[str, Any]]] = {}
    for relay in relays:
        groups.setdefault(root(str(relay["account"])), []).append(relay)
    return [_relay_finding(group) for _, group in sorted(groups.items())]


def _relay_finding(group: list[dict[str, Any]]) -> Finding:
    middle = sorted_ids(r["account"] for r in group)
    accounts = sorted_ids(a for r in group for a in (r["payer"], r["account"], r["payee"]))
    return Finding(
        typology="stack",
        key="relay|" + "|".join(middle),
        account=middle[0],
        accounts=accounts,
        tx_ids=sorted_ids(t for r in group for t in (r["tx_in"], r["tx_out"])),
        facts={
            "layers": 3,
            "accounts": len(accounts),
            "relays": len(middle),
            "subjects": list(middle),
        },
    )


STACK = Typology(
    name="stack",
    summary="Many-to-many layers in sequence: the payees of one layer pay the next.",
    find=find,
    headline=lambda f, p: (
        f"{f.facts['layers']} layers of payments, {f.facts['accounts']} accounts"
        + (f", {f.facts['relays']} relay account(s)" if f.facts.get("relays") else "")
    ),
    features=(
        Feature(
            "layers",
            lambda f, p: clip((f["layers"] - 2) / 2.0),
            lambda f, p: f"{f['layers']} layers in sequence",
        ),
        Feature(
            "accounts",
            lambda f, p: clip(f["accounts"] / 20.0),
            lambda f, p: f"{f['accounts']} accounts involved",
        ),
    ),
)
