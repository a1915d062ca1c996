"""Fan-in, fan-out and gather-scatter: many counterparties on one account within a window.

Fan-in (many payers into one account) is how collections for a cell are pooled; fan-out
(one account paying many) is how they are distributed; gather-scatter is both at one account
in one window. Accounts with more counterparties than `max_counterparties` in a window, or
that fan in (out) in more than `max_windows` windows of the period, act like merchants, payroll
or collection accounts, whose business this is, and are left out: a pattern is a burst. So
is an account whose busiest such window holds less than `min_share` of all its payments on
that side in the data: many counterparties in a week is news for a quiet account, not for a
busy one.

Fan-in is also looked for over the whole data, beside the windows: the same amount (to the
cent, in the reporting currency) from at least `same_amount_min_payers` distinct payers into an
account with at most `same_amount_max_payers` payers in all. AMLSim's fan-ins are two to four
payers weeks apart paying identical small amounts, which no window sees.

Smaller fans, of `small_min_counterparties` up to one below `min_counterparties` (0 switches
them off), alert only on evidence beyond their degree: every payment of the account on that
side falls within `window_days` (the fan is all it ever did on that side), and each
counterparty is seen in no other payment of the data (one-off accounts opened or used for this
one payment). IBM AMLworld's small fans are such (loaded on their own); two to four
counterparties of accounts with a history, or of counterparties that trade with others, are
everyday life, and neither AMLSim's accounts nor the generator's ordinary ones show this.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jalur.monitoring.detectors.base import (
    Facts,
    Feature,
    Finding,
    Params,
    Typology,
    clip,
    days,
    money,
    reporting,
    rows,
    sorted_ids,
)
from jalur.monitoring.detectors.windows import (
    burst_key,
    numbered_bursts,
    stage_legs,
    stage_windows,
    totals,
    window_params,
)
from jalur.monitoring.engines.base import Engine
from jalur.monitoring.params import DAY

#: The column of the account a fan is about: the payee of a fan-in, the payer of a fan-out.
_SIDE = {"fan_in": "bene", "fan_out": "orig"}

WINDOWS, LEGS = "mon_fan_windows", "mon_fan_legs"

_FAN_SQL = """
WITH bursts AS (
  SELECT account, grid, bucket, COUNT(DISTINCT counterparty) AS n, COUNT(*) AS payments,
         SUM(value) AS total, STDDEV_POP(value) / NULLIF(AVG(value), 0) AS cv,
         MAX(ts) - MIN(ts) AS span
  FROM mon_fan_legs GROUP BY account, grid, bucket
  HAVING COUNT(DISTINCT counterparty) BETWEEN $min_n AND $max_n
), hubs AS (
  SELECT b.account, MAX(b.n) AS counterparties, MIN(b.cv) AS cv, MIN(b.span) AS span,
         MAX(b.total) AS total, COUNT(*) AS windows,
         MAX(CAST(b.payments AS DOUBLE) / t.payments) AS share
  FROM bursts b JOIN {totals} t ON t.account = b.account
  GROUP BY b.account
  HAVING COUNT(*) <= $max_windows
     AND MAX(CAST(b.payments AS DOUBLE) / t.payments) >= $min_share
), busy AS (
  {numbered}
), episodes AS (
  SELECT account, burst, MIN(start) AS start, MAX(n) AS counterparties, MIN(cv) AS cv,
         MIN(span) AS span, MAX(total) AS total
  FROM busy GROUP BY account, burst
), members AS (
  SELECT l.account, w.burst, LIST(l.counterparty) AS cps, LIST(l.tx_id) AS txs
  FROM mon_fan_legs l
  JOIN busy w ON l.account = w.account AND l.grid = w.grid AND l.bucket = w.bucket
  GROUP BY l.account, w.burst
)
SELECT e.account, e.start, e.counterparties, e.cv, e.span, e.total, h.windows, h.share,
       m.cps AS accounts, m.txs AS tx_ids
FROM episodes e JOIN hubs h ON h.account = e.account
JOIN members m ON m.account = e.account AND m.burst = e.burst
"""

#: The busy windows of the accounts kept, numbered into bursts: each burst is one finding.
_BUSY = numbered_bursts(
    "(SELECT * FROM bursts WHERE account IN (SELECT account FROM hubs))", "account"
)

_FACTS = ("counterparties", "cv", "span", "total", "windows", "share")

#: `repeated` first keeps only the (payee, amount) pairs paid at least $min_payers times (a
#: plain count, necessary for as many distinct payers), so the distinct counts and lists run on
#: the few payments that repeat an amount, not on every payment.
_SAME_AMOUNT_SQL = """
WITH repeated AS (
  SELECT bene, ROUND(value, 2) AS v FROM mon_edges
  GROUP BY bene, ROUND(value, 2) HAVING COUNT(*) >= $min_payers
), payees AS (
  SELECT bene AS account, COUNT(*) AS payments FROM mon_edges
  WHERE bene IN (SELECT bene FROM repeated) GROUP BY bene
  HAVING COUNT(DISTINCT orig) <= $max_payers
), same AS (
  SELECT e.bene AS account, ROUND(e.value, 2) AS v, COUNT(DISTINCT e.orig) AS n,
         SUM(e.value) AS total, MAX(e.ts) - MIN(e.ts) AS span, LIST(e.orig) AS cps,
         LIST(e.tx_id) AS txs
  FROM mon_edges e JOIN payees p ON p.account = e.bene
  SEMI JOIN repeated r ON r.bene = e.bene AND r.v = ROUND(e.value, 2)
  GROUP BY e.bene, ROUND(e.value, 2)
  HAVING COUNT(DISTINCT e.orig) >= $min_payers AND COUNT(*) >= $same_share * MAX(p.payments)
     AND COUNT(DISTINCT CAST(FLOOR(e.ts / 86400) AS BIGINT)) <= $max_days_per_payer
         * COUNT(DISTINCT e.orig)
)
SELECT account, MAX(n) AS counterparties, MIN(span) AS span, MAX(total) AS total,
       FLATTEN(LIST(cps)) AS accounts, FLATTEN(LIST(txs)) AS tx_ids
FROM same GROUP BY account
"""


def _same_amount(engine: Engine, params: Params, known: set[str]) -> list[Finding]:
    """Fan-ins of one amount from distinct payers over the whole data (not in `known`)."""
    bind = {
        "min_payers": int(params["same_amount_min_payers"]),
        "max_payers": int(params["same_amount_max_payers"]),
        "same_share": float(params["same_amount_min_share"]),
        "max_days_per_payer": 2,
    }
    return [
        _whole_data_finding("fan_in", row, cv=0.0, windows=0, same_amount=True)
        for row in rows(engine.query(_SAME_AMOUNT_SQL, bind))
        if row["account"] not in known
    ]


def _whole_data_finding(typology: str, row: dict[str, Any], **facts: Any) -> Finding:
    """A fan found over the whole data (not per window): one finding on its account."""
    return Finding(
        typology=typology,
        key=row["account"],
        account=row["account"],
        accounts=sorted_ids([row["account"], *row["accounts"]]),
        tx_ids=sorted_ids(row["tx_ids"]),
        facts={
            "counterparties": row["counterparties"],
            "cv": facts.pop("cv"),
            "span": row["span"],
            "total": row["total"],
            "windows": facts.pop("windows"),
            "share": 1.0,
            **facts,
        },
    )


#: `{hub}` is the fan's account column, `{cp}` the counterparty's. `hubs` keeps the accounts
#: whose every payment on that side lies within $span with $small_min..$small_max distinct
#: counterparties; `once` the accounts of a single payment in all the data.
_SMALL_SQL = """
WITH sides AS (
  SELECT {hub} AS account, {cp} AS counterparty, ts, value, tx_id FROM mon_edges
), hubs AS (
  SELECT account FROM sides GROUP BY account
  HAVING COUNT(DISTINCT counterparty) BETWEEN $small_min AND $small_max
     AND MAX(ts) - MIN(ts) <= $span
), legs AS (
  SELECT s.account, s.counterparty, s.ts, s.value, s.tx_id
  FROM sides s JOIN hubs h ON h.account = s.account
), once AS (
  SELECT account FROM (SELECT orig AS account FROM mon_edges
                       UNION ALL SELECT bene AS account FROM mon_edges) a
  WHERE account IN (SELECT counterparty FROM legs)
  GROUP BY account HAVING COUNT(*) = 1
)
SELECT l.account, COUNT(DISTINCT l.counterparty) AS counterparties,
       STDDEV_POP(l.value) / NULLIF(AVG(l.value), 0) AS cv, MAX(l.ts) - MIN(l.ts) AS span,
       SUM(l.value) AS total, LIST(l.counterparty) AS accounts, LIST(l.tx_id) AS tx_ids
FROM legs l LEFT JOIN once o ON o.account = l.counterparty
GROUP BY l.account HAVING COUNT(o.account) = COUNT(*)
"""


def _small(engine: Engine, params: Params, side: str, known: set[str]) -> list[Finding]:
    """Fans below `min_counterparties` that are all their account did on that side, to
    one-off counterparties (not in `known`)."""
    cp = "orig" if side == "bene" else "bene"
    bind = {
        "small_min": int(params["small_min_counterparties"]),
        "small_max": int(params["min_counterparties"]) - 1,
        "span": int(float(params["window_days"]) * DAY),
    }
    sql = _SMALL_SQL.replace("{hub}", side).replace("{cp}", cp)
    typology = "fan_in" if side == "bene" else "fan_out"
    return [
        _whole_data_finding(typology, row, cv=row["cv"], windows=1, one_off=True)
        for row in rows(engine.query(sql, bind))
        if row["account"] not in known
    ]


def _find_fan(typology: str) -> Callable[[Engine, Params], list[Finding]]:
    side = _SIDE[typology]

    def find(engine: Engine, params: Params) -> list[Finding]:
        bind = {
            **window_params(params),
            "min_n": int(params["min_counterparties"]),
            "max_n": int(params["max_counterparties"]),
            "max_windows": int(params["max_windows"]),
            "min_share": float(params["min_share"]),
        }
        stage_windows(engine, WINDOWS, side, bind, bind["min_n"], bind["max_n"])
        stage_legs(engine, LEGS, side, WINDOWS, bind)
        sql = _FAN_SQL.replace("{totals}", totals(side, bind)).replace("{numbered}", _BUSY)
        found = [
            Finding(
                typology=typology,
                key=burst_key(row["account"], row["start"], bind["half"]),
                account=row["account"],
                accounts=sorted_ids([row["account"], *row["accounts"]]),
                tx_ids=sorted_ids(row["tx_ids"]),
                facts={k: row[k] for k in _FACTS},
            )
            for row in rows(engine.query(sql, bind))
        ]
        engine.drop(WINDOWS)
        engine.drop(LEGS)
        if typology == "fan_in" and int(params["same_amount_min_payers"]) > 0:
            found += _same_amount(engine, params, {f.account for f in found})
        if int(params["small_min_counterparties"]) > 0:
            found += _small(engine, params, side, {f.account for f in found})
        return found

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
            f"{p['window_days']} days (threshold {p['min_counterparties']}"
            + (
                f", {p['small_min_counterparties']} to one-off accounts)"
                if f.get("one_off")
                else ")"
            )
        ),
    ),
    Feature("amounts_alike", _alike, lambda f, p: f"amounts alike (variation {f['cv'] or 0:.2f})"),
    Feature(
        "burst",
        _burst,
        lambda f, p: (
            f"the same amount over {days(float(f['span']))}"
            if f.get("same_amount")
            else f"all its payments on that side within {days(float(f['span']))}, each "
            "counterparty in no other payment"
            if f.get("one_off")
            else f"all within {days(float(f['span']))}"
        ),
    ),
)


def _headline(direction: str) -> Callable[[Finding, Params], str]:
    def headline(finding: Finding, params: Params) -> str:
        facts = finding.facts
        return (
            f"{finding.account} {direction} {facts['counterparties']} counterparties "
            f"({money(facts['total'], reporting(params))} in the busiest window)"
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
