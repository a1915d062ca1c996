"""Fan-in, fan-out and gather-scatter: many counterparties on one account within a window.

Fan-in (many payers into one account) is how collections for a cell are pooled; fan-out
(one account paying many) is how they are distributed; gather-scatter is both at one account
in one window. Accounts with more counterparties than `max_counterparties` in a window, or
that fan in (out) in more than `max_windows` windows of the period, act like merchants, payroll
or collection accounts, whose business this is, and are left out: a pattern is a burst.
"""

from __future__ import annotations

from collections.abc import Callable

from jalur.monitoring.detectors.base import (
    Facts,
    Feature,
    Finding,
    Params,
    Typology,
    clip,
    days,
    money,
    rows,
    sorted_ids,
)
from jalur.monitoring.detectors.windows import BUCKET, GRIDS, window_params
from jalur.monitoring.engines.base import Engine

_SIDE = {"fan_in": ("bene", "orig"), "fan_out": ("orig", "bene")}

_FAN_SQL = """
WITH sides AS (
  SELECT {account} AS account, {other} AS counterparty, ts, value, tx_id FROM mon_edges
), windowed AS (
  SELECT s.*, g.grid, {bucket} AS bucket FROM sides s CROSS JOIN {grids} g
), bursts AS (
  SELECT account, grid, bucket, COUNT(DISTINCT counterparty) AS n, SUM(value) AS total,
         STDDEV_POP(value) / NULLIF(AVG(value), 0) AS cv, MAX(ts) - MIN(ts) AS span
  FROM windowed GROUP BY account, grid, bucket
  HAVING COUNT(DISTINCT counterparty) BETWEEN $min_n AND $max_n
), members AS (
  SELECT w.account, LIST(w.counterparty) AS cps, LIST(w.tx_id) AS txs
  FROM windowed w JOIN bursts b
    ON w.account = b.account AND w.grid = b.grid AND w.bucket = b.bucket
  GROUP BY w.account
)
SELECT b.account, MAX(b.n) AS counterparties, MIN(b.cv) AS cv, MIN(b.span) AS span,
       MAX(b.total) AS total, COUNT(*) AS windows,
       ANY_VALUE(m.cps) AS accounts, ANY_VALUE(m.txs) AS tx_ids
FROM bursts b JOIN members m ON m.account = b.account
GROUP BY b.account
HAVING COUNT(*) <= $max_windows
"""


def _find_fan(typology: str) -> Callable[[Engine, Params], list[Finding]]:
    account, other = _SIDE[typology]
    sql = _FAN_SQL.format(account=account, other=other, bucket=BUCKET, grids=GRIDS)

    def find(engine: Engine, params: Params) -> list[Finding]:
        bind = {
            **window_params(params),
            "min_n": int(params["min_counterparties"]),
            "max_n": int(params["max_counterparties"]),
            "max_windows": int(params["max_windows"]),
        }
        return [
            Finding(
                typology=typology,
                key=row["account"],
                account=row["account"],
                accounts=sorted_ids([row["account"], *row["accounts"]]),
                tx_ids=sorted_ids(row["tx_ids"]),
                facts={k: row[k] for k in ("counterparties", "cv", "span", "total", "windows")},
            )
            for row in rows(engine.query(sql, bind))
        ]

    return find


def _counterparties(facts: Facts, params: Params) -> float:
    return clip(facts["counterparties"] / (2.0 * float(params["min_counterparties"])))


def _alike(facts: Facts, params: Params) -> float:
    return clip(1.0 - float(facts["cv"] or 0.0))


def _burst(facts: Facts, params: Params) -> float:
    return clip(1.0 - float(facts["span"]) / (float(params["window_days"]) * 86400.0))


FAN_FEATURES = (
    Feature(
        "counterparties",
        _counterparties,
        lambda f, p: (
            f"{f['counterparties']} distinct counterparties within "
            f"{p['window_days']} days (threshold {p['min_counterparties']})"
        ),
    ),
    Feature("amounts_alike", _alike, lambda f, p: f"amounts alike (variation {f['cv'] or 0:.2f})"),
    Feature("burst", _burst, lambda f, p: f"all within {days(float(f['span']))}"),
)


def _headline(direction: str) -> Callable[[Finding], str]:
    def headline(finding: Finding) -> str:
        facts = finding.facts
        return (
            f"{finding.account} {direction} {facts['counterparties']} counterparties "
            f"({money(facts['total'])} in the busiest window)"
        )

    return headline


FAN_IN = Typology(
    name="fan_in",
    summary="Many distinct payers into one account within a window.",
    find=_find_fan("fan_in"),
    headline=_headline("received from"),
    features=FAN_FEATURES,
)

FAN_OUT = Typology(
    name="fan_out",
    summary="One account paying many distinct payees within a window.",
    find=_find_fan("fan_out"),
    headline=_headline("paid"),
    features=FAN_FEATURES,
)
