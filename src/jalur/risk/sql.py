"""The feature SQL, written once in DuckDB's dialect and rendered for Spark by the engine.

Each statement is one stage over the payments seen from each side (`risk_legs`: one row per
account and payment). Values are bound as `$parameters`; table names are ours.

Accounts are numbered once (`risk_ids`) and every stage groups and joins on that number, not
on the account's text: nearly every leg is its own (account, counterparty, day) or (account,
amount) group, and hashing millions of integers is several times cheaper than hashing as many
strings. Only `FEATURES` turns the numbers back into accounts: every `account` and `cp` of
the stages is a number, and a statement that names accounts joins `risk_ids` (and orders by
`risk_ids.account`, as `FEATURES` does). Counts of distinct values are a
plain GROUP BY first (distinct pairs, then counted), and the costly distinct counts run only
where they can matter (an amount seen twice).
"""

from __future__ import annotations

#: Every account on either side of a payment, numbered (the order is only for determinism).
IDS = """
SELECT account, CAST(ROW_NUMBER() OVER (ORDER BY account) AS INTEGER) AS id
FROM (SELECT orig_account AS account FROM transactions WHERE orig_account IS NOT NULL
      UNION
      SELECT bene_account AS account FROM transactions WHERE bene_account IS NOT NULL) AS a
"""

LEGS = """
SELECT a.id AS account, c.id AS cp, s.is_out, s.ts, s.value,
       LN(GREATEST(s.value, 0.01)) AS lv,
       CAST(FLOOR(s.ts / 86400) AS BIGINT) AS day
FROM (
  SELECT orig_account AS account, bene_account AS cp, 1 AS is_out,
         epoch_seconds("timestamp") AS ts, COALESCE(amount_reporting, amount) AS value
  FROM transactions WHERE orig_account IS NOT NULL
  UNION ALL
  SELECT bene_account AS account, orig_account AS cp, 0 AS is_out,
         epoch_seconds("timestamp") AS ts, COALESCE(amount_reporting, amount) AS value
  FROM transactions WHERE bene_account IS NOT NULL
) AS s
JOIN risk_ids AS a ON a.account = s.account
LEFT JOIN risk_ids AS c ON c.account = s.cp
"""

#: The population's usual log amount: median and robust scale (1.4826 MAD, floored).
POPULATION = """
WITH m AS (SELECT MEDIAN(lv) AS med FROM risk_legs)
SELECT m.med AS med, GREATEST(MEDIAN(ABS(l.lv - m.med)) * 1.4826, 0.01) AS scale
FROM risk_legs AS l CROSS JOIN m GROUP BY m.med
"""

#: Each account's own usual log amount, the same way.
OWN = """
WITH m AS (SELECT account, MEDIAN(lv) AS med FROM risk_legs GROUP BY account)
SELECT m.account AS account, m.med AS med,
       GREATEST(MEDIAN(ABS(l.lv - m.med)) * 1.4826, $own_floor) AS scale
FROM risk_legs AS l JOIN m ON l.account = m.account GROUP BY m.account, m.med
"""

BASE = """
SELECT l.account AS account,
  COUNT(*) AS payments,
  SUM(l.is_out) AS payments_out,
  COUNT(*) - SUM(l.is_out) AS payments_in,
  (MAX(l.ts) - MIN(l.ts)) / CAST(86400 AS DOUBLE) AS span_days,
  SUM(CASE WHEN l.is_out = 1 THEN l.value ELSE 0 END) AS sent,
  SUM(CASE WHEN l.is_out = 0 THEN l.value ELSE 0 END) AS received,
  AVG(l.lv) AS m1, AVG(l.lv * l.lv) AS m2, AVG(l.lv * l.lv * l.lv) AS m3,
  (MIN(l.lv) - MAX(p.med)) / MAX(p.scale) AS min_z,
  (MAX(l.lv) - MAX(p.med)) / MAX(p.scale) AS max_z,
  AVG(CASE WHEN l.value >= $round_unit
           AND l.value = FLOOR(l.value / $round_unit) * $round_unit
           THEN CAST(1 AS DOUBLE) ELSE CAST(0 AS DOUBLE) END)
    AS round_share,
  AVG(CASE WHEN l.value >= $threshold * (1 - $near_margin) AND l.value < $threshold
           THEN CAST(1 AS DOUBLE) ELSE CAST(0 AS DOUBLE) END) AS near_threshold_share,
  SUM(CASE WHEN ABS(l.lv - p.med) > $z * p.scale THEN 1 ELSE 0 END) AS anomalies_population,
  SUM(CASE WHEN ABS(l.lv - o.med) > $z * o.scale THEN 1 ELSE 0 END) AS anomalies_own
FROM risk_legs AS l CROSS JOIN risk_population AS p JOIN risk_own AS o ON o.account = l.account
GROUP BY l.account
"""

#: Distinct days and distinct counterparties per account: each a plain GROUP BY of the
#: distinct pairs (faster than COUNT(DISTINCT) beside the other aggregates of `BASE`).
DAYS = """
SELECT account, COUNT(*) AS active_days FROM (SELECT DISTINCT account, day FROM risk_legs) AS d
GROUP BY account
"""

COUNTERPARTY_SIDES = """
SELECT DISTINCT account, is_out, cp FROM risk_legs WHERE cp IS NOT NULL
"""

COUNTERPARTIES = """
SELECT account,
  SUM(CASE WHEN is_out = 0 THEN 1 ELSE 0 END) AS counterparties_in,
  SUM(CASE WHEN is_out = 1 THEN 1 ELSE 0 END) AS counterparties_out
FROM risk_counterparty_sides GROUP BY account
"""

SAME_DAY = """
SELECT account, SUM(n - 1) AS same_day_repeats
FROM (SELECT account, cp, day, COUNT(*) AS n FROM risk_legs WHERE cp IS NOT NULL
      GROUP BY account, cp, day) AS d
GROUP BY account
"""

#: Amounts an account moves more than once (a plain count: most amounts are seen once).
AMOUNTS_TWICE = """
SELECT account, value, COUNT(*) AS n FROM risk_legs GROUP BY account, value HAVING COUNT(*) > 1
"""

#: Of those, the ones exchanged with two or more counterparties (distinct counts on the few).
REPEATS = """
SELECT t.account, MAX(t.repeated) AS repeated,
  SUM(CASE WHEN c.cps > 1 THEN 1 ELSE 0 END) AS repeated_across_counterparties
FROM (SELECT account, SUM(n) AS repeated FROM risk_amounts_twice GROUP BY account) AS t
LEFT JOIN (
  SELECT l.account, l.value, COUNT(DISTINCT l.cp) AS cps
  FROM risk_legs AS l SEMI JOIN risk_amounts_twice AS r
    ON r.account = l.account AND r.value = l.value
  GROUP BY l.account, l.value
) AS c ON c.account = t.account
GROUP BY t.account
"""

WINDOWS = """
SELECT account,
  MAX(CASE WHEN is_out = 0 AND span = 7 THEN k ELSE 0 END) AS fan_in_week_max,
  MAX(CASE WHEN is_out = 1 AND span = 7 THEN k ELSE 0 END) AS fan_out_week_max,
  MAX(CASE WHEN is_out = 0 AND span = 30 THEN k ELSE 0 END) AS fan_in_month_max,
  MAX(CASE WHEN is_out = 1 AND span = 30 THEN k ELSE 0 END) AS fan_out_month_max
FROM (
  SELECT account, is_out, 7 AS span, COUNT(*) AS k
  FROM (SELECT DISTINCT account, is_out, CAST(FLOOR((day + 3) / 7) AS BIGINT) AS w, cp
        FROM risk_legs WHERE cp IS NOT NULL) AS d
  GROUP BY account, is_out, w
  UNION ALL
  SELECT account, is_out, 30 AS span, COUNT(*) AS k
  FROM (SELECT DISTINCT account, is_out, CAST(FLOOR(day / 30) AS BIGINT) AS w, cp
        FROM risk_legs WHERE cp IS NOT NULL) AS d
  GROUP BY account, is_out, w
) AS w
GROUP BY account
"""

#: Per account before neighbours: `BASE` with same-day repeats, used by `NEIGHBOURS`.
ACCOUNTS = """
SELECT b.*, d.active_days AS active_days,
  COALESCE(c.counterparties_in, 0) AS counterparties_in,
  COALESCE(c.counterparties_out, 0) AS counterparties_out,
  COALESCE(s.same_day_repeats, 0) AS same_day_repeats,
  CASE WHEN b.m2 - b.m1 * b.m1 > 0 THEN SQRT(b.m2 - b.m1 * b.m1) ELSE CAST(0 AS DOUBLE) END
    AS spread
FROM risk_base AS b
JOIN risk_days AS d ON d.account = b.account
LEFT JOIN risk_counterparties AS c ON c.account = b.account
LEFT JOIN risk_same_day AS s ON s.account = b.account
"""

NEIGHBOURS = """
SELECT p.account AS account, AVG(a.spread) AS neighbour_spread_mean,
  AVG(CASE WHEN a.same_day_repeats > 0 THEN CAST(1 AS DOUBLE) ELSE CAST(0 AS DOUBLE) END)
    AS neighbour_same_day_share
FROM (SELECT DISTINCT account, cp FROM risk_counterparty_sides) AS p
JOIN risk_accounts AS a ON a.account = p.cp
GROUP BY p.account
"""

EXPOSURE = """
SELECT account,
  MAX(CASE WHEN topic = 'terror' THEN score ELSE 0 END) AS terror_exposure,
  MAX(CASE WHEN topic = 'terror' AND hops > 0 THEN CAST(1 AS DOUBLE) / hops ELSE 0 END)
    AS terror_exposure_closeness,
  SUM(CASE WHEN topic = 'terror' THEN amount ELSE 0 END) AS terror_exposure_amount,
  MAX(CASE WHEN topic = 'drug' THEN score ELSE 0 END) AS drug_exposure,
  MAX(CASE WHEN topic = 'drug' AND hops > 0 THEN CAST(1 AS DOUBLE) / hops ELSE 0 END)
    AS drug_exposure_closeness,
  SUM(CASE WHEN topic = 'drug' THEN amount ELSE 0 END) AS drug_exposure_amount
FROM risk_exposure GROUP BY account
"""

HITS = """
SELECT account, MAX(score) AS hit_score,
  MAX(CASE risk_class WHEN 'terror' THEN 3 WHEN 'drug' THEN 2 WHEN 'sanction' THEN 1 ELSE 0 END)
    AS hit_topic
FROM risk_hits WHERE account IS NOT NULL GROUP BY account
"""

ALERTS = """
SELECT account, typology, COUNT(*) AS n, MAX(score) AS best,
  SUM(CASE WHEN role = 'subject' THEN 1 ELSE 0 END) AS subject
FROM risk_alerts GROUP BY account, typology
"""

#: Everything fixed, one row per account, absent facts as 0 (see the registry for meanings).
FEATURES = """
SELECT i.account AS account,
  CAST(a.payments AS DOUBLE) AS payments,
  CAST(a.payments_out AS DOUBLE) AS payments_out,
  CAST(a.payments_in AS DOUBLE) AS payments_in,
  CAST(a.active_days AS DOUBLE) AS active_days,
  CAST(a.span_days AS DOUBLE) AS span_days,
  CAST(a.counterparties_in AS DOUBLE) AS counterparties_in,
  CAST(a.counterparties_out AS DOUBLE) AS counterparties_out,
  CAST(a.same_day_repeats AS DOUBLE) AS same_day_repeats,
  CAST(a.same_day_repeats AS DOUBLE) / a.payments AS same_day_share,
  a.m1 AS amount_log_mean,
  a.spread AS amount_log_spread,
  CASE WHEN a.spread > 0.000001
       THEN (a.m3 - 3 * a.m1 * a.m2 + 2 * a.m1 * a.m1 * a.m1) / (a.spread * a.spread * a.spread)
       ELSE CAST(0 AS DOUBLE) END AS amount_log_skew,
  GREATEST(-a.min_z, CAST(0 AS DOUBLE)) AS amount_min_log_z,
  GREATEST(a.max_z, CAST(0 AS DOUBLE)) AS amount_max_log_z,
  a.round_share AS round_share,
  a.near_threshold_share AS near_threshold_share,
  CAST(COALESCE(r.repeated, 0) AS DOUBLE) / a.payments AS repeated_amount_share,
  CAST(COALESCE(r.repeated_across_counterparties, 0) AS DOUBLE)
    AS repeated_across_counterparties,
  CAST(a.anomalies_population AS DOUBLE) AS anomalies_population,
  CAST(a.anomalies_own AS DOUBLE) AS anomalies_own,
  CAST(COALESCE(w.fan_in_week_max, 0) AS DOUBLE) AS fan_in_week_max,
  CAST(COALESCE(w.fan_out_week_max, 0) AS DOUBLE) AS fan_out_week_max,
  CAST(COALESCE(w.fan_in_month_max, 0) AS DOUBLE) AS fan_in_month_max,
  CAST(COALESCE(w.fan_out_month_max, 0) AS DOUBLE) AS fan_out_month_max,
  CASE WHEN a.sent > 0 AND a.received > 0
       THEN LEAST(a.sent, a.received) / GREATEST(a.sent, a.received) ELSE CAST(0 AS DOUBLE) END
    AS pass_through_ratio,
  COALESCE(n.neighbour_spread_mean, CAST(0 AS DOUBLE)) AS neighbour_spread_mean,
  COALESCE(n.neighbour_same_day_share, CAST(0 AS DOUBLE)) AS neighbour_same_day_share,
  CAST(COALESCE(e.terror_exposure, 0) AS DOUBLE) AS terror_exposure,
  CAST(COALESCE(e.terror_exposure_closeness, 0) AS DOUBLE) AS terror_exposure_closeness,
  CAST(COALESCE(e.terror_exposure_amount, 0) AS DOUBLE) AS terror_exposure_amount,
  CAST(COALESCE(e.drug_exposure, 0) AS DOUBLE) AS drug_exposure,
  CAST(COALESCE(e.drug_exposure_closeness, 0) AS DOUBLE) AS drug_exposure_closeness,
  CAST(COALESCE(e.drug_exposure_amount, 0) AS DOUBLE) AS drug_exposure_amount,
  CAST(COALESCE(h.hit_score, 0) AS DOUBLE) AS hit_score,
  CAST(COALESCE(h.hit_topic, 0) AS DOUBLE) AS hit_topic
FROM risk_accounts AS a
JOIN risk_ids AS i ON i.id = a.account
LEFT JOIN risk_repeats AS r ON r.account = a.account
LEFT JOIN risk_windows AS w ON w.account = a.account
LEFT JOIN risk_neighbours AS n ON n.account = a.account
LEFT JOIN risk_exposure_by_account AS e ON e.account = i.account
LEFT JOIN risk_hits_by_account AS h ON h.account = i.account
ORDER BY i.account
"""

#: Stages in the order they are made (name, SQL); later ones read earlier ones.
STAGES: tuple[tuple[str, str], ...] = (
    ("risk_ids", IDS),
    ("risk_legs", LEGS),
    ("risk_population", POPULATION),
    ("risk_own", OWN),
    ("risk_base", BASE),
    ("risk_days", DAYS),
    ("risk_counterparty_sides", COUNTERPARTY_SIDES),
    ("risk_counterparties", COUNTERPARTIES),
    ("risk_same_day", SAME_DAY),
    ("risk_amounts_twice", AMOUNTS_TWICE),
    ("risk_repeats", REPEATS),
    ("risk_windows", WINDOWS),
    ("risk_accounts", ACCOUNTS),
    ("risk_neighbours", NEIGHBOURS),
    ("risk_exposure_by_account", EXPOSURE),
    ("risk_hits_by_account", HITS),
)
