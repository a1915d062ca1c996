"""The account features, declared as data: one name, one group and one line of meaning each.

As followthemoney documents its property types, every feature says in the domain's words what
it measures, so the model card, the scorecard's terms and an explanation can all name it. The
SQL in `features` computes exactly these columns; the alert features are made per typology
from the alerts that are there (a new typology adds two features, and no code here changes).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class RiskFeature:
    """One per-account number: its column name, its group and what it means."""

    name: str
    group: str
    doc: str


def _declare(group: str, lines: str) -> tuple[RiskFeature, ...]:
    """`name: meaning` lines as features of one group."""
    found = []
    for line in lines.strip().splitlines():
        name, _, doc = line.partition(":")
        found.append(RiskFeature(name.strip(), group, doc.strip()))
    return tuple(found)


ACTIVITY = _declare(
    "activity",
    """
payments: payments the account sent or received (cash and unknown counterparties included)
payments_out: payments the account sent
payments_in: payments the account received
active_days: calendar days (UTC) with at least one payment
span_days: days between the account's first and last payment
counterparties_in: distinct accounts that paid it
counterparties_out: distinct accounts it paid
same_day_repeats: payments beyond the first with the same counterparty on the same day
same_day_share: same_day_repeats as a share of payments
""",
)

AMOUNTS = _declare(
    "amounts",
    """
amount_log_mean: mean of log amounts (reporting currency)
amount_log_spread: standard deviation of log amounts: one account, very different sums
amount_log_skew: skewness of log amounts: a few sums far below or above the usual
amount_min_log_z: how far the smallest amount lies below the population's median, in robust z
amount_max_log_z: how far the largest amount lies above the population's median, in robust z
round_share: share of amounts that are whole multiples of the round unit (100)
near_threshold_share: share of amounts within 10% below a reporting threshold (10,000)
repeated_amount_share: share of payments whose exact amount the account pays or gets again
repeated_across_counterparties: distinct amounts the account exchanged with two or more others
anomalies_population: payments more than 3 robust z from the population's usual log amount
anomalies_own: payments more than 3 robust z from the account's own usual log amount
""",
)

GRAPH = _declare(
    "graph",
    """
fan_in_week_max: most distinct payers in one calendar week (Monday to Sunday, UTC)
fan_out_week_max: most distinct payees in one calendar week (Monday to Sunday, UTC)
fan_in_month_max: most distinct payers in one 30-day period (counted from 1970-01-01)
fan_out_month_max: most distinct payees in one 30-day period (counted from 1970-01-01)
pass_through_ratio: smaller of money in and out over the larger: money that only passes
neighbour_spread_mean: mean amount_log_spread of the account's counterparties
neighbour_same_day_share: share of counterparties with same-day repeats of their own
terror_exposure: share of the account's money traced to or from terror-listed accounts
terror_exposure_closeness: 1 / hops to the nearest terror-listed account (0: not reached)
terror_exposure_amount: money traced to or from terror-listed accounts (reporting currency)
drug_exposure: share of the account's money traced to or from drug-flagged accounts
drug_exposure_closeness: 1 / hops to the nearest drug-flagged account (0: not reached)
drug_exposure_amount: money traced to or from drug-flagged accounts (reporting currency)
""",
)

NEIGHBOURHOOD = _declare(
    "neighbourhood",
    """
counterparties_mutual: counterparties the account both paid and was paid by (money both ways)
same_counterparty_amount_repeats: payments repeating an amount already exchanged with that party
neighbour_payments_mean: mean payments of the account's counterparties
neighbour_payments_max: most payments of any one of its counterparties
neighbour_anomalous: counterparties with a payment 3 robust z from the population's usual amount
neighbour_anomalous_share: neighbour_anomalous as a share of the account's counterparties
neighbour_repeats_share: share of counterparties repeating an amount with two or more others
neighbour_fan_max: widest fan (payers or payees in 30 days) of any of its counterparties
second_ring_anomalous_share: mean neighbour_anomalous_share of its counterparties (two hops)
""",
)

SCREENING = _declare(
    "screening",
    """
hit_score: best screening score of the account's holder against a list entry (0: no hit)
hit_topic: gravest list topic of the hit: 3 terror, 2 drug, 1 sanction, 0 none
""",
)

ALERTS = _declare(
    "alerts",
    """
alerts_subject: alerts of any typology with the account as subject
alert_best: best alert score naming the account, any typology and role
""",
)

#: Every fixed feature, in column order (typology features follow, see `typology_features`).
FIXED: tuple[RiskFeature, ...] = ACTIVITY + AMOUNTS + GRAPH + NEIGHBOURHOOD + SCREENING + ALERTS


def typology_features(typologies: Iterable[str]) -> tuple[RiskFeature, ...]:
    """Two features per typology: how many of its alerts name the account, and the best."""
    found: list[RiskFeature] = []
    for name in sorted(set(typologies)):
        found.append(RiskFeature(f"alerts_{name}", "alerts", f"{name} alerts naming the account"))
        found.append(
            RiskFeature(f"alert_score_{name}", "alerts", f"best {name} alert score naming it")
        )
    return tuple(found)


def feature_docs(names: Iterable[str]) -> dict[str, str]:
    """The one-line meaning of each named feature (typology ones made on the fly)."""
    fixed = {f.name: f.doc for f in FIXED}
    docs: dict[str, str] = {}
    for name in names:
        if name in fixed:
            docs[name] = fixed[name]
        elif name.startswith("alert_score_"):
            docs[name] = f"best {name.removeprefix('alert_score_')} alert score naming it"
        elif name.startswith("alerts_"):
            docs[name] = f"{name.removeprefix('alerts_')} alerts naming the account"
    return docs
