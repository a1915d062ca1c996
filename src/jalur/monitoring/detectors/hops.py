"""The next hop of money: payments out of an account soon after money came in, of a similar
amount, found with an equi-join on binned amount and time instead of every pair.

Cycles, scatter-gather and pass-through all follow money one hop on: from a payment (or path)
into an account to that account's payments within `window` seconds of it, of `min_ratio` to
`max_ratio` times its amount. Joining on the account alone pairs a merchant's thousands of
receipts with its hundreds of payments before any filter, the bulk of the time. Instead the
log-amount is cut into bins one ratio range wide (plus a margin against rounding) and time into
bins one window wide: the next hop lies in one of two amount bins and one of two time bins of
the incoming payment, so each incoming row is copied four times and joined on (account, amount
bin, time bin). Every pair is found exactly once (a payment has one bin, the four copies have
different ones) and the exact conditions are still applied after the join, so the bins only
decide which pairs are compared, never which are kept. Non-positive amounts have no log and
never chain.
"""

from __future__ import annotations

import math
from typing import Any

#: Margin (in log-amount) against rounding when binning.
_MARGIN = 0.001

#: The incoming side: `{rows}` with columns `{account}`, `{t}`, `{v}`, copied into the bins
#: its next hop may fall in.
_PROBE = """
SELECT x.*,
       CAST(FLOOR((LN(x.{v}) + $hop_lo) / $hop_width) AS BIGINT) + dv.d AS hop_vbin,
       CAST(FLOOR(x.{t} / $hop_window) AS BIGINT) + dt.d AS hop_tbin
FROM {rows} x
CROSS JOIN (SELECT 0 AS d UNION ALL SELECT 1 AS d) dv
CROSS JOIN (SELECT 0 AS d UNION ALL SELECT 1 AS d) dt
WHERE x.{v} > 0
"""

#: The outgoing side: every payment with its bins. Kept inline: on DuckDB a materialized copy
#: made the join choose its sides worse and run twice as long.
_EDGES = """
SELECT e.*, CAST(FLOOR(LN(e.value) / $hop_width) AS BIGINT) AS hop_vbin,
       CAST(FLOOR(e.ts / $hop_window) AS BIGINT) AS hop_tbin
FROM mon_edges e WHERE e.value > 0
"""


def next_hops(
    rows: str, alias: str, account: str, t: str, v: str, account_id: str | None = None
) -> str:
    """A FROM clause: `rows` (as `alias`) joined to `mon_edges` (as `e`) where `e.orig` is
    `alias.account` and `e` may be the next hop (bind `hop_params`; the caller still states
    the exact time and amount conditions in its WHERE). `account_id`: a column of `rows`
    holding the account's number (`mon_ids`), joined on instead of the account's text (the
    join probes every row four times; integers compare faster)."""
    probe = _PROBE.format(rows=rows, account=account, t=t, v=v)
    on = f"e.orig_id = {alias}.{account_id}" if account_id else f"e.orig = {alias}.{account}"
    return (
        f"({probe}) {alias} JOIN ({_EDGES}) e ON {on} "
        f"AND e.hop_vbin = {alias}.hop_vbin AND e.hop_tbin = {alias}.hop_tbin"
    )


def hop_params(min_ratio: float, max_ratio: float, window: float) -> dict[str, Any]:
    """Bin widths for next hops of `min_ratio`..`max_ratio` times the amount, within `window`
    seconds (the bins are wider than the ranges, so any positive ones work)."""
    if not 0 < min_ratio <= max_ratio:
        raise ValueError(f"hop ratios must satisfy 0 < min <= max, not {min_ratio}, {max_ratio}")
    return {
        "hop_lo": math.log(min_ratio) - _MARGIN,
        "hop_width": math.log(max_ratio / min_ratio) + 4 * _MARGIN,
        "hop_window": max(1, int(window)),
    }
