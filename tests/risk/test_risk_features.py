"""The account features, checked by hand on a payment set small enough to count."""

from __future__ import annotations

import math

import pyarrow as pa
import pytest
from risk_builders import account_a, at, economy, load, pay

import jalur.risk as risk
from jalur.monitoring import HITS_SCHEMA
from jalur.monitoring.engines.duckdb import DuckDBEngine
from jalur.risk import RiskContext, account_features, alerts_table, feature_docs
from jalur.risk.features import EXPOSURE_COLUMNS
from jalur.store import Store


def features_of(store: Store, context: RiskContext | None = None) -> dict[str, dict[str, float]]:
    engine = DuckDBEngine(store)
    table = account_features(engine, context)
    engine.close()
    return {
        a: dict(zip(table.names, table.values[i], strict=True))
        for i, a in enumerate(table.accounts)
    }


def test_activity_and_amounts_counted_by_hand(store):
    a = features_of(load(store, account_a()))["A"]
    assert (a["payments"], a["payments_out"], a["payments_in"]) == (5, 3, 2)
    assert a["active_days"] == 4  # days 0, 3, 10, 20
    assert a["span_days"] == pytest.approx(20 - 10 / 24)
    assert (a["counterparties_out"], a["counterparties_in"]) == (2, 2)
    assert a["same_day_repeats"] == 1 and a["same_day_share"] == pytest.approx(0.2)
    assert a["round_share"] == pytest.approx(4 / 5)  # 100, 100, 5000, 9500; not 250
    assert a["near_threshold_share"] == pytest.approx(1 / 5)  # 9500: within 10% under 10,000
    assert a["repeated_amount_share"] == pytest.approx(2 / 5)  # the two 100s
    assert a["repeated_across_counterparties"] == 0  # both 100s went to B
    assert a["pass_through_ratio"] == pytest.approx(5200 / 9750)
    logs = [math.log(v) for v in (100, 100, 5000, 250, 9500)]
    mean = sum(logs) / 5
    assert a["amount_log_mean"] == pytest.approx(mean)
    assert a["amount_log_spread"] == pytest.approx(
        math.sqrt(sum((x - mean) ** 2 for x in logs) / 5)
    )
    assert a["fan_out_week_max"] == 2  # B and C in the first week
    assert a["fan_in_month_max"] == 2  # D and E within the first 30 days


def test_context_gives_alert_exposure_and_hit_features(store):
    load(store, account_a())
    context = RiskContext(
        alerts=alerts_table(
            [
                ("A", "cycle", "subject", 0.7),
                ("A", "fan_in", "involved", 0.4),
                ("A", "amount_anomaly", "subject", 0.9),
            ]
        ),
        exposure=pa.Table.from_pylist(
            [{"account": "A", "topic": "terror", "score": 0.3, "hops": 2, "amount": 100.0}],
            schema=EXPOSURE_COLUMNS,
        ),
        hits=pa.Table.from_pylist(
            [{"account": "A", "risk_class": "terror", "score": 0.9}], schema=HITS_SCHEMA
        ),
    )
    a = features_of(store, context)["A"]
    assert (a["alerts_cycle"], a["alert_score_cycle"]) == (1, 0.7)
    assert (a["alerts_fan_in"], a["alert_score_fan_in"]) == (1, 0.4)
    # a typology monitoring does not know yet flows in as two more features
    assert (a["alerts_amount_anomaly"], a["alert_score_amount_anomaly"]) == (1, 0.9)
    assert (a["alerts_subject"], a["alert_best"]) == (2, 0.9)
    assert (a["terror_exposure"], a["terror_exposure_closeness"]) == (0.3, 0.5)
    assert a["terror_exposure_amount"] == 100.0 and a["drug_exposure"] == 0
    assert (a["hit_score"], a["hit_topic"]) == (0.9, 3)
    assert features_of(store, context)["B"]["alert_best"] == 0


def test_every_feature_has_a_one_line_meaning(store):
    engine = DuckDBEngine(load(store, account_a()))
    table = account_features(engine)
    docs = feature_docs(table.names)
    assert set(docs) == set(table.names)
    assert all(doc and "\n" not in doc for doc in docs.values())
    fixed = [f.name for f in risk.FIXED]
    assert sorted(table.names[: len(fixed)]) == sorted(fixed)  # then two per typology
    assert len(table.names) == len(fixed) + 2 * len(
        [n for n in table.names if n.startswith("alert_score_")]
    )


def test_engine_stages_are_dropped_after(store):
    engine = DuckDBEngine(load(store, account_a()))
    account_features(engine)
    assert engine.tables() == frozenset()


def test_public_api_is_pinned():
    module = type(risk)
    public = [n for n in dir(risk) if not n.startswith("_") and n != "annotations"]
    assert sorted(risk.__all__) == sorted(
        n for n in public if not isinstance(getattr(risk, n), module)
    )


def test_neighbourhood_counted_by_hand(store):
    """A and B pay each other (100 twice, 50 back); A also pays C, C pays D, D pays E."""
    rows = [
        pay("m1", "A", "B", at(0), 100.0),
        pay("m2", "B", "A", at(1), 50.0),
        pay("m3", "A", "B", at(2), 100.0),
        pay("m4", "A", "C", at(3), 30.0),
        pay("m5", "C", "D", at(4), 30.0),
        pay("m6", "D", "E", at(5), 30.0),
    ]
    found = features_of(load(store, rows))
    a, c = found["A"], found["C"]
    assert (a["counterparties_mutual"], found["B"]["counterparties_mutual"]) == (1, 1)
    assert c["counterparties_mutual"] == 0
    assert a["same_counterparty_amount_repeats"] == 1  # the second 100 to B
    assert found["B"]["same_counterparty_amount_repeats"] == 1
    assert (a["neighbour_payments_mean"], a["neighbour_payments_max"]) == (2.5, 3.0)  # B 3, C 2
    assert c["neighbour_payments_mean"] == pytest.approx((4 + 2) / 2)  # A 4, D 2


def test_neighbour_rings_agree_with_the_counterparties_own_features(store):
    """Each ring aggregates the ring inside it: checked against the accounts' own columns."""
    rows = account_a() + economy(accounts=20, planted=("SMURF",))
    rows.append(pay("x1", "N3", "A", at(9), 4.0))  # A gets a tiny sum from the economy
    found = features_of(load(store, rows))
    cps: dict[str, set[str]] = {name: set() for name in found}
    for row in rows:
        if row["orig_account"] != row["bene_account"]:
            cps[row["orig_account"]].add(row["bene_account"])
            cps[row["bene_account"]].add(row["orig_account"])
    anomalous = {n for n, f in found.items() if f["anomalies_population"] > 0}
    assert anomalous  # the planted small sums stand out
    for name, f in found.items():
        around = cps[name]
        assert f["neighbour_anomalous"] == len(around & anomalous)
        assert f["neighbour_anomalous_share"] == pytest.approx(
            len(around & anomalous) / len(around)
        )
        second = [found[n]["neighbour_anomalous_share"] for n in around]
        assert f["second_ring_anomalous_share"] == pytest.approx(sum(second) / len(second))
        assert f["neighbour_payments_max"] == max(found[n]["payments"] for n in around)


def test_features_settle_the_last_bits_a_parallel_sum_leaves() -> None:
    """A mean summed in another order differs in its last bit; the settled feature does not,
    so rebuilding the features of the same payments trains the same model."""
    import numpy as np

    from jalur.risk.features import settle

    one = np.array([[0.1 + 0.2, 0.35044519827148820, 1e6 / 3, 0.0, -2.5, 7.0]])
    other = np.array([[0.3, 0.35044519827148823, (1e6 / 3) * (1 + 2e-16), 0.0, -2.5, 7.0]])
    assert not np.array_equal(one, other)
    assert np.array_equal(settle(one), settle(other))
    assert np.allclose(settle(one), one, rtol=1e-9, atol=0)
    assert settle(np.array([[123456.789012345]]))[0, 0] == 123456.789
