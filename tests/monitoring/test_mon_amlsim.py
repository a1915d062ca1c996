"""Account-level precision, recall and F1 on IBM AMLSim samples (real third-party data).

AMLSim labels accounts (nodes.csv isFraud). Fan-in is scored on 20K_fanin200 and cycles on
20K_cycle200. The figures are printed (`pytest -s`) and reported in docs/monitoring.md; the
assertions hold the measured level so a regression fails.
"""

from __future__ import annotations

import pytest
from amlsim_eval import amlsim_payments, fraud_accounts, prf
from monitoring_builders import load, no_seeds

from jalur.monitoring import detect, load_params

pytestmark = pytest.mark.slow


def scores(store, engine, folder, typology):
    load(store, amlsim_payments(folder))
    alerts = detect(engine, load_params(), no_seeds(), [typology]).alerts
    truth = fraud_accounts(folder)
    found = prf({a for alert in alerts for a in alert.accounts}, truth)
    subjects = prf({s for alert in alerts for s in alert.subjects}, truth)
    print(f"\nAMLSim {folder.name} {typology}: accounts {found}, subjects {subjects}")
    return found, subjects, len(truth) / 20_000


def test_fan_in_on_amlsim_fanin200(store, engine, shared_data):
    folder = shared_data / "monitoring" / "amlsim" / "20K_fanin200"
    found, _, base_rate = scores(store, engine, folder, "fan_in")
    # Measured at the defaults, every account an alert names: precision 0.07 (base rate
    # 0.048), recall 0.28 (0.29 before fan_in.min_share; 0.23 with it at 0.2). AMLSim's
    # fan-ins are ~4 payers on one day among accounts with a median of 4 payers in all; the
    # defaults were chosen on the generator, whose fan-ins are larger. The subjects alone
    # (hubs): precision 0.23, recall 0.12 with the same-amount case (0.15, 0.07 without).
    assert found["precision"] > base_rate  # better than alerting at random
    assert found["recall"] >= 0.25


def test_cycles_on_amlsim_cycle200(store, engine, shared_data):
    folder = shared_data / "monitoring" / "amlsim" / "20K_cycle200"
    _, subjects, _ = scores(store, engine, folder, "cycle")
    # AMLSim's sample schedules the payments of a cycle in no time order (e.g. steps 28, 113,
    # 84, 59, 78 round one ring), with the same amount at every hop. The time-respecting search
    # alone found one ring (4 accounts); the any-order search over quiet accounts finds 97
    # subjects at precision 0.91, recall 0.09 (the rest run through busier accounts).
    assert subjects["alerted"] >= 50
    assert subjects["precision"] >= 0.8
    assert subjects["recall"] >= 0.07


@pytest.mark.parametrize(
    ("sample", "precision", "recall"),
    # Measured at the defaults (subjects, all typologies): 0.278 / 0.726 and 0.250 / 0.623;
    # before amount anomalies, split payments and the long-horizon searches, counting every
    # account an alert named: 0.068 / 0.347 and 0.072 / 0.374.
    [("20K_fanin200", 0.25, 0.70), ("20K_cycle200", 0.22, 0.58)],
)
def test_all_typologies_on_amlsim_subjects(store, engine, shared_data, sample, precision, recall):
    folder = shared_data / "monitoring" / "amlsim" / sample
    load(store, amlsim_payments(folder))
    alerts = detect(engine, load_params(), no_seeds()).alerts
    found = prf({s for alert in alerts for s in alert.subjects}, fraud_accounts(folder))
    print(f"\nAMLSim {sample} all typologies, subjects: {found}")
    assert found["precision"] >= precision
    assert found["recall"] >= recall
