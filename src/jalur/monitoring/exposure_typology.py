"""Exposure as alerts: accounts whose money is largely traceable to listed or flagged parties.

An account is alerted for a topic when its exposure reaches `min_exposure` and the traced
amount reaches `min_amount`; seeds themselves are not alerted here (listed-counterparty and
the screening hit already cover them). Alert typologies: `terror_exposure`, `drug_exposure`.
"""

from __future__ import annotations

import pyarrow as pa

from jalur.monitoring.detectors.base import (
    Feature,
    Finding,
    Params,
    Typology,
    clip,
    money,
    reporting,
    sorted_ids,
)


def exposure_findings(exposure: pa.Table, params: Params) -> list[Finding]:
    found = []
    for row in exposure.to_pylist():
        if row["score"] < float(params["min_exposure"]):
            continue
        if row["amount"] < float(params["min_amount"]):
            continue
        found.append(
            Finding(
                typology=f"{row['topic']}_exposure",
                key=row["account"],
                account=row["account"],
                accounts=sorted_ids([row["account"], *row["seeds"]]),
                tx_ids=sorted_ids(row["tx_ids"]),
                facts={
                    k: row[k]
                    for k in ("topic", "score", "share_in", "share_out", "hops", "amount", "seeds")
                },
            )
        )
    return found


def _describe(facts: dict[str, object], params: Params) -> str:
    parts = []
    if facts["share_in"]:
        parts.append(f"{facts['share_in']:.0%} of its money in came from")
    if facts["share_out"]:
        parts.append(f"{facts['share_out']:.0%} of its money out went on to")
    seeds = ", ".join(facts["seeds"][:3])  # type: ignore[index]
    return (
        f"{' and '.join(parts)} {facts['topic']}-linked accounts ({seeds}) within "
        f"{facts['hops']} hop(s), weighted by hop"
    )


EXPOSURE = Typology(
    name="exposure",
    summary="Share of an account's money traceable to terror- or drug-linked accounts.",
    find=None,  # measured from seeds by the flow kernel (run.detect), not by a finder
    headline=lambda f, p: f"{f.account} is exposed to {f.facts['topic']}-linked money",
    features=(
        Feature("exposure", lambda f, p: clip(f["score"]), _describe),  # type: ignore[arg-type]
        Feature(
            "amount",
            lambda f, p: clip(f["amount"] / float(p["full_amount"])),
            lambda f, p: f"{money(f['amount'], reporting(p))} traced",
        ),
    ),
)
