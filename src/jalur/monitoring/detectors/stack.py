"""Stack layering: many-to-many layers in sequence, the payees of one paying the next.

Built on the bipartite layers (each found within the stack's window; the chain may take
longer, and with the same settings as bipartite the layers are found once for both): layer A
links to layer B when at least `min_overlap` of A's payees are B's payers; linked layers form
one stack.
"""

from __future__ import annotations

from jalur.monitoring.detectors.base import (
    Feature,
    Finding,
    Params,
    Typology,
    clip,
    sorted_ids,
)
from jalur.monitoring.detectors.bipartite import Layer, find_layers
from jalur.monitoring.engines.base import Engine


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
    return found


STACK = Typology(
    name="stack",
    summary="Many-to-many layers in sequence: the payees of one layer pay the next.",
    find=find,
    headline=lambda f: f"{f.facts['layers']} layers of payments, {f.facts['accounts']} accounts",
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
