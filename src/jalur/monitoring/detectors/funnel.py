"""Cash funnel: many cash deposits pooled in one account and wired on within weeks.

A money transfer business or a funnel account (FATF's cash-intensive MTB typology, FinCEN's
funnel accounts) takes cash in over the counter, often in pieces, and moves the pool on by
wire, often abroad. Structuring sees only the pieces and names only the account; here the
deposits (cash with no paying account) are counted per window, and the payments the account
made from its first deposit of the window until `window_days` after its last are set against
them: at least `min_deposits` deposits, and at least `min_passed` of their amount paid on. An
account that does this in more than `max_windows` windows is a cash business at work, like
the merchants fans leave out. The alert names the account and whom it paid.
"""

from __future__ import annotations

from jalur.monitoring.detectors.base import (
    Feature,
    Finding,
    Params,
    Typology,
    account_finding,
    clip,
    money,
    reporting,
    rows,
    twice_minimum,
)
from jalur.monitoring.detectors.windows import BUCKET, GRIDS, window_params
from jalur.monitoring.engines.base import Engine

_SQL = f"""
WITH deposits AS (
  SELECT bene_account AS account, epoch_seconds("timestamp") AS ts, tx_id,
         COALESCE(amount_reporting, amount) AS value
  FROM transactions
  WHERE orig_account IS NULL AND bene_account IS NOT NULL
    AND LOWER(COALESCE(channel, '')) = 'cash'
), pools AS (
  SELECT d.account, g.grid, {BUCKET} AS bucket, COUNT(*) AS deposits, SUM(d.value) AS cash,
         MIN(d.ts) AS t_first, MAX(d.ts) AS t_last, LIST(d.tx_id) AS deposit_txs
  FROM deposits d CROSS JOIN {GRIDS} g
  GROUP BY d.account, g.grid, {BUCKET}
  HAVING COUNT(*) >= $min_deposits
), busy AS (
  SELECT account FROM pools GROUP BY account HAVING COUNT(*) <= $max_windows
), paid AS (
  SELECT p.account, p.grid, p.bucket, SUM(e.value) AS paid, LIST(e.bene) AS payees,
         LIST(e.tx_id) AS paid_txs,
         SUM(CASE WHEN e.bene_country IS NOT NULL
                   AND e.bene_country <> COALESCE(e.orig_country, '')
                  THEN e.value ELSE 0 END) AS abroad
  FROM pools p JOIN busy b ON b.account = p.account
  JOIN mon_edges e ON e.orig = p.account AND e.ts >= p.t_first AND e.ts <= p.t_last + $window
  GROUP BY p.account, p.grid, p.bucket
), passed AS (
  SELECT p.account, p.deposits, p.cash, p.deposit_txs, o.paid, o.payees, o.paid_txs, o.abroad
  FROM pools p JOIN paid o ON o.account = p.account AND o.grid = p.grid AND o.bucket = p.bucket
  WHERE o.paid > 0 AND o.paid >= $min_passed * p.cash
)
SELECT account, MAX(deposits) AS deposits, MAX(cash) AS cash,
       MAX(paid / cash) AS passed, MAX(abroad / paid) AS abroad,
       FLATTEN(LIST(payees)) AS payees,
       FLATTEN(LIST(deposit_txs)) AS deposit_txs, FLATTEN(LIST(paid_txs)) AS paid_txs
FROM passed GROUP BY account
"""

_FACTS = ("deposits", "cash", "passed", "abroad")


def find(engine: Engine, params: Params) -> list[Finding]:
    bind = {
        **window_params(params),
        "min_deposits": int(params["min_deposits"]),
        "min_passed": float(params["min_passed"]),
        "max_windows": int(params["max_windows"]),
    }
    return [
        account_finding(
            "cash_funnel",
            row,
            _FACTS,
            others=row["payees"],
            tx_ids=[*row["deposit_txs"], *row["paid_txs"]],
            payees=len(set(row["payees"])),
        )
        for row in rows(engine.query(_SQL, bind))
    ]


CASH_FUNNEL = Typology(
    name="cash_funnel",
    summary="Many cash deposits pooled in one account and paid on by wire within weeks.",
    find=find,
    headline=lambda f, p: (
        f"{f.account} pooled {f.facts['deposits']} cash deposits "
        f"({money(f.facts['cash'], reporting(p))}) "
        f"and paid {f.facts['passed']:.0%} of it on to {f.facts['payees']} accounts"
    ),
    features=(
        Feature(
            "deposits",
            twice_minimum("deposits", "min_deposits"),
            lambda f, p: f"{f['deposits']} cash deposits within {p['window_days']} days",
        ),
        Feature(
            "passed_on",
            lambda f, p: clip(f["passed"]),
            lambda f, p: f"{min(1.0, f['passed']):.0%} of the cash paid on",
        ),
        Feature(
            "abroad",
            lambda f, p: clip(f["abroad"]),
            lambda f, p: f"{f['abroad']:.0%} of what was paid on went abroad",
        ),
    ),
)
