"""High-risk corridors: cross-border payments to or from high-risk jurisdictions.

The jurisdictions are data (FATF black and grey lists by default) and reach the SQL as a
table. A payment counts when one side is in a listed jurisdiction and the other side is not in
the same country (or its country is unknown).
"""

from __future__ import annotations

import pyarrow as pa

from jalur.monitoring.detectors.base import (
    Feature,
    Finding,
    Params,
    Typology,
    account_finding,
    clip,
    money,
    of_full_amount,
    reporting,
    rows,
)
from jalur.monitoring.engines.base import Engine

COUNTRIES = "mon_risk_countries"

_SQL = """
WITH flows AS (
  SELECT e.orig AS account, e.bene AS other, e.bene_country AS country, e.tx_id, e.value
  FROM mon_edges e JOIN mon_risk_countries r ON e.bene_country = r.country
  WHERE COALESCE(e.orig_country, '') <> e.bene_country
  UNION ALL
  SELECT e.bene AS account, e.orig AS other, e.orig_country AS country, e.tx_id, e.value
  FROM mon_edges e JOIN mon_risk_countries r ON e.orig_country = r.country
  WHERE COALESCE(e.bene_country, '') <> e.orig_country
)
SELECT f.account, f.country, MAX(r.black) AS black, COUNT(*) AS transactions,
       SUM(f.value) AS amount, LIST(f.other) AS others, LIST(f.tx_id) AS tx_ids
FROM flows f JOIN mon_risk_countries r ON f.country = r.country
GROUP BY f.account, f.country HAVING SUM(f.value) >= $min_amount
"""


def countries_table(params: Params) -> pa.Table:
    black = sorted({str(c).upper() for c in params["black_list"]})
    grey = sorted({str(c).upper() for c in params["grey_list"]} - set(black))
    return pa.table(
        {
            "country": pa.array(black + grey, pa.string()),
            "black": pa.array([1] * len(black) + [0] * len(grey), pa.int32()),
        }
    )


def find(engine: Engine, params: Params) -> list[Finding]:
    engine.register(COUNTRIES, countries_table(params))
    found = [
        account_finding(
            "corridor",
            row,
            ("country", "black", "transactions", "amount"),
            others=row["others"],
            tx_ids=row["tx_ids"],
            key=f"{row['account']}|{row['country']}",
        )
        for row in rows(engine.query(_SQL, {"min_amount": float(params["min_amount"])}))
    ]
    engine.drop(COUNTRIES)
    return found


CORRIDOR = Typology(
    name="corridor",
    summary="Cross-border payments with high-risk jurisdictions (FATF black and grey lists).",
    find=find,
    headline=lambda f, p: (
        f"{f.account}: {f.facts['transactions']} payments "
        f"({money(f.facts['amount'], reporting(p))}) "
        f"with {f.facts['country']}"
    ),
    features=(
        Feature(
            "black_list",
            lambda f, p: 1.0 if f["black"] else 0.3,
            lambda f, p: (
                f"{f['country']} is on the {'FATF black list' if f['black'] else 'FATF grey list'}"
            ),
        ),
        Feature(
            "amount",
            of_full_amount,
            lambda f, p: f"{money(f['amount'], reporting(p))} in all",
        ),
        Feature(
            "transactions",
            lambda f, p: clip(f["transactions"] / 10.0),
            lambda f, p: f"{f['transactions']} payments",
        ),
    ),
)
