"""Rapid pass-through: money in and nearly the same amount out again within hours.

A mule or funnel account keeps nothing: what arrives leaves again, the same amount give or
take `tolerance`, within `max_hours`. One such pair happens in ordinary life; `min_pairs` of
them on one account is the pattern.
"""

from __future__ import annotations

from jalur.monitoring.detectors.base import (
    Feature,
    Finding,
    Params,
    Typology,
    account_finding,
    clip,
    days,
    money,
    of_full_amount,
    reporting,
    rows,
    twice_minimum,
)
from jalur.monitoring.detectors.hops import hop_params, next_hops
from jalur.monitoring.engines.base import Engine
from jalur.monitoring.params import HOUR

_SQL_TEMPLATE = """
WITH pairs AS (
  SELECT e1.bene AS account, e1.tx_id AS tx_in, e.tx_id AS tx_out, e1.orig AS payer,
         e.bene AS payee, e1.value AS v_in, e.ts - e1.ts AS delay
  FROM {hops}
  WHERE e.ts >= e1.ts AND e.ts <= e1.ts + $max_seconds AND e1.value >= $min_amount
    AND ABS(e.value - e1.value) <= $tolerance * e1.value AND e.tx_id <> e1.tx_id
)
SELECT account, COUNT(DISTINCT tx_in) AS pairs, SUM(v_in) AS amount, MIN(delay) AS fastest,
       LIST(payer) AS payers, LIST(payee) AS payees, LIST(tx_in) AS txs_in,
       LIST(tx_out) AS txs_out
FROM pairs GROUP BY account HAVING COUNT(DISTINCT tx_in) >= $min_pairs
"""
_SQL = _SQL_TEMPLATE.replace(
    "{hops}", next_hops("mon_edges", "e1", "bene", "ts", "value", "bene_id")
)


def find(engine: Engine, params: Params) -> list[Finding]:
    bind = {
        "max_seconds": int(float(params["max_hours"]) * HOUR),
        "min_amount": float(params["min_amount"]),
        "tolerance": float(params["tolerance"]),
        "min_pairs": int(params["min_pairs"]),
    }
    # |out - in| <= tolerance * in: out is (1 - tolerance)..(1 + tolerance) times in.
    low = max(1.0 - bind["tolerance"], 1e-9)
    bind.update(hop_params(low, 1.0 + bind["tolerance"], bind["max_seconds"]))
    return [
        account_finding(
            "pass_through",
            row,
            ("pairs", "amount", "fastest"),
            others=[*row["payers"], *row["payees"]],
            tx_ids=[*row["txs_in"], *row["txs_out"]],
        )
        for row in rows(engine.query(_SQL, bind))
    ]


PASS_THROUGH = Typology(
    name="pass_through",
    summary="Money in and nearly the same amount out again within hours.",
    find=find,
    headline=lambda f, p: (
        f"{f.account} passed on {f.facts['pairs']} payments "
        f"({money(f.facts['amount'], reporting(p))}) "
        f"within hours of receiving them"
    ),
    features=(
        Feature(
            "pairs",
            twice_minimum("pairs", "min_pairs"),
            lambda f, p: (
                f"{f['pairs']} payments out matched payments in "
                f"(±{float(p['tolerance']):.0%}, within {p['max_hours']} h)"
            ),
        ),
        Feature(
            "amount",
            of_full_amount,
            lambda f, p: f"{money(f['amount'], reporting(p))} passed through",
        ),
        Feature(
            "speed",
            lambda f, p: clip(1.0 - f["fastest"] / (float(p["max_hours"]) * HOUR)),
            lambda f, p: f"fastest onward payment after {days(float(f['fastest']))}",
        ),
    ),
)
