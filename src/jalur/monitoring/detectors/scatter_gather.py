"""Scatter-gather: one source pays several intermediaries who each pass it on to one target.

The intermediaries (mules) break the direct link between source and target; each forwards
roughly what it received (`min_hop_ratio`..`max_hop_ratio`) within the window of receiving it.
"""

from __future__ import annotations

from jalur.monitoring.detectors.base import (
    Feature,
    Finding,
    Params,
    Typology,
    clip,
    money,
    reporting,
    rows,
    sorted_ids,
)
from jalur.monitoring.detectors.hops import hop_params, next_hops
from jalur.monitoring.engines.base import Engine
from jalur.monitoring.params import DAY

_SQL_TEMPLATE = """
WITH legs AS (
  SELECT e1.orig AS source, e.bene AS target, e1.bene AS mule, e1.tx_id AS tx1,
         e.tx_id AS tx2, e1.value AS v1, e.value AS v2
  FROM {hops}
  WHERE e.ts >= e1.ts AND e.ts <= e1.ts + $window AND e.bene <> e1.orig
    AND e.value >= e1.value * $min_ratio AND e.value <= e1.value * $max_ratio
), pairs AS (
  SELECT source, target FROM legs GROUP BY source, target
  HAVING COUNT(DISTINCT mule) >= $min_mules
)
SELECT l.source, l.target, COUNT(DISTINCT l.mule) AS mules, SUM(l.v1) AS sent,
       SUM(l.v2) AS arrived, LIST(l.mule) AS mule_list, LIST(l.tx1) AS tx1s, LIST(l.tx2) AS tx2s
FROM legs l JOIN pairs p ON l.source = p.source AND l.target = p.target
GROUP BY l.source, l.target
"""
_SQL = _SQL_TEMPLATE.replace(
    "{hops}", next_hops("mon_edges", "e1", "bene", "ts", "value", "bene_id")
)


def find(engine: Engine, params: Params) -> list[Finding]:
    bind = {
        "window": int(float(params["window_days"]) * DAY),
        "min_ratio": float(params["min_hop_ratio"]),
        "max_ratio": float(params["max_hop_ratio"]),
        "min_mules": int(params["min_intermediaries"]),
    }
    bind.update(hop_params(bind["min_ratio"], bind["max_ratio"], bind["window"]))
    return [
        Finding(
            typology="scatter_gather",
            key=f"{row['source']}|{row['target']}",
            account=row["source"],
            accounts=sorted_ids([row["source"], row["target"], *row["mule_list"]]),
            tx_ids=sorted_ids([*row["tx1s"], *row["tx2s"]]),
            facts={
                "target": row["target"],
                "mules": row["mules"],
                "sent": row["sent"],
                "kept": min(1.0, row["arrived"] / row["sent"]) if row["sent"] else 0.0,
            },
        )
        for row in rows(engine.query(_SQL, bind))
    ]


SCATTER_GATHER = Typology(
    name="scatter_gather",
    summary="A source paying several intermediaries who each pass it on to the same target.",
    find=find,
    headline=lambda f, p: (
        f"{f.account} reached {f.facts['target']} through {f.facts['mules']} intermediaries"
    ),
    features=(
        Feature(
            "intermediaries",
            lambda f, p: clip(f["mules"] / (2.0 * float(p["min_intermediaries"]))),
            lambda f, p: (
                f"{f['mules']} intermediaries each passed the money on "
                f"within {p['window_days']} days"
            ),
        ),
        Feature(
            "amount_kept",
            lambda f, p: clip(f["kept"]),
            lambda f, p: (
                f"{f['kept']:.0%} of {money(f['sent'], reporting(p))} arrived at the target"
            ),
        ),
    ),
)
