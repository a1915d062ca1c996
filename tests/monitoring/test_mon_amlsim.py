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
    subjects = prf({alert.account for alert in alerts}, truth)
    print(f"\nAMLSim {folder.name} {typology}: accounts {found}, subjects {subjects}")
    return found, subjects, len(truth) / 20_000


def test_fan_in_on_amlsim_fanin200(store, engine, shared_data):
    folder = shared_data / "monitoring" / "amlsim" / "20K_fanin200"
    found, _, base_rate = scores(store, engine, folder, "fan_in")
    # Measured at the defaults: precision 0.07 (base rate 0.048), recall 0.28 (0.29 before
    # fan_in.min_share; 0.23 with it at 0.2). AMLSim's fan-ins are ~4 payers on one day among
    # accounts with a median of 4 payers in all; the defaults were chosen on the generator,
    # whose fan-ins are larger.
    assert found["precision"] > base_rate  # better than alerting at random
    assert found["recall"] >= 0.25


def test_cycles_on_amlsim_cycle200(store, engine, shared_data):
    folder = shared_data / "monitoring" / "amlsim" / "20K_cycle200"
    found, _, _ = scores(store, engine, folder, "cycle")
    # AMLSim's sample schedules the payments of a cycle in no time order (e.g. steps 28, 113,
    # 84, 59, 78 round one ring), so a time-respecting detector finds few of its cycles; what
    # it alerts must still be mostly fraud. It does find one: a ring of four accounts (two of
    # them planted, steps 29-38) that runs forward in time; nothing found is a regression.
    assert found["alerted"] >= 1
    assert found["precision"] >= 0.5
    assert found["recall"] < 0.2
