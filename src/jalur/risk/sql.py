"""The feature SQL, written once in DuckDB's dialect and rendered for Spark by the engine.

Each statement is one stage over the payments seen from each side (`risk_legs`: one row per
account and payment). Values are bound as `$parameters`; table names are ours.
"""

from __future__ import annotations

LEGS = """
SELECT account, cp, is_out, ts, value,
       LN(GREATEST(value, 0.01)) AS lv,
       CAST(FLOOR(ts / 86400) AS BIGINT) AS day
FROM (
  SELECT orig_account AS account, bene_account AS cp, 1 AS is_out,
         epoch_seconds("timestamp") AS ts, COALESCE(amount_reporting, amount) AS value
  FROM transactions WHERE orig_account IS NOT NULL
  UNION ALL
  SELECT bene_account AS account, orig_account AS cp, 0 AS is_out,
         epoch_seconds("timestamp") AS ts, COALESCE(amount_reporting, amount) AS value
  FROM transactions WHERE bene_account IS NOT NULL
) AS sides
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
  COUNT(DISTINCT l.day) AS active_days,
  (MAX(l.ts) - MIN(l.ts)) / CAST(86400 AS DOUBLE) AS span_days,
  COUNT(DISTINCT CASE WHEN l.is_out = 0 THEN l.cp END) AS counterparties_in,
  COUNT(DISTINCT CASE WHEN l.is_out = 1 THEN l.cp END) AS counterparties_out,
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

SAME_DAY = """
SELECT account, SUM(n - 1) AS same_day_repeats
FROM (SELECT account, cp, day, COUNT(*) AS n FROM risk_legs WHERE cp IS NOT NULL
      GROUP BY account, cp, day) AS d
GROUP BY account
"""

REPEATS = """
SELECT account,
  SUM(CASE WHEN n > 1 THEN n ELSE 0 END) AS repeated,
  SUM(CASE WHEN cps > 1 THEN 1 ELSE 0 END) AS repeated_across_counterparties
FROM (SELECT account, value, COUNT(*) AS n, COUNT(DISTINCT cp) AS cps FROM risk_legs
      GROUP BY account, value) AS r
GROUP BY account
"""

WINDOWS = """
SELECT account,
  MAX(CASE WHEN is_out = 0 AND span = 7 THEN k ELSE 0 END) AS fan_in_week_max,
  MAX(CASE WHEN is_out = 1 AND span = 7 THEN k ELSE 0 END) AS fan_out_week_max,
  MAX(CASE WHEN is_out = 0 AND span = 30 THEN k ELSE 0 END) AS fan_in_month_max,
  MAX(CASE WHEN is_out = 1 AND span = 30 THEN k ELSE 0 END) AS fan_out_month_max
FROM (
  SELECT account, is_out, 7 AS span, COUNT(DISTINCT cp) AS k FROM risk_legs
  GROUP BY account, is_out, CAST(FLOOR((day + 3) / 7) AS BIGINT)
  UNION ALL
  SELECT account, is_out, 30 AS span, COUNT(DISTINCT cp) AS k FROM risk_legs
  GROUP BY account, is_out, CAST(FLOOR(day / 30) AS BIGINT)
) AS w
GROUP BY account
"""

#: Per account before neighbours: `BASE` with same-day repeats, used by `NEIGHBOURS`.
ACCOUNTS = """
SELECT b.*, COALESCE(s.same_day_repeats, 0) AS same_day_repeats,
  CASE WHEN b.m2 - b.m1 * b.m1 > 0 THEN SQRT(b.m2 - b.m1 * b.m1) ELSE CAST(0 AS DOUBLE) END
    AS spread
FROM risk_base AS b LEFT JOIN risk_same_day AS s ON s.account = b.account
"""

NEIGHBOURS = """
SELECT p.account AS account, AVG(a.spread) AS neighbour_spread_mean,
  AVG(CASE WHEN a.same_day_repeats > 0 THEN CAST(1 AS DOUBLE) ELSE CAST(0 AS DOUBLE) END)
    AS neighbour_same_day_share
FROM (SELECT DISTINCT account, cp FROM risk_legs WHERE cp IS NOT NULL) AS p
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
SELECT a.account AS account,
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
LEFT JOIN risk_repeats AS r ON r.account = a.account
LEFT JOIN risk_windows AS w ON w.account = a.account
LEFT JOIN risk_neighbours AS n ON n.account = a.account
LEFT JOIN risk_exposure_by_account AS e ON e.account = a.account
LEFT JOIN risk_hits_by_account AS h ON h.account = a.account
ORDER BY a.account
"""

#: Stages in the order they are made (name, SQL); later ones read earlier ones.
STAGES: tuple[tuple[str, str], ...] = (
    ("risk_legs", LEGS),
    ("risk_population", POPULATION),
    ("risk_own", OWN),
    ("risk_base", BASE),
    ("risk_same_day", SAME_DAY),
    ("risk_repeats", REPEATS),
    ("risk_windows", WINDOWS),
    ("risk_accounts", ACCOUNTS),
    ("risk_neighbours", NEIGHBOURS),
    ("risk_exposure_by_account", EXPOSURE),
    ("risk_hits_by_account", HITS),
)
