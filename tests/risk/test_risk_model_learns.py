"""A model that learned nothing is not stored: with too few labels LightGBM makes no split, so
every account got the same score (0.5), the threshold was 0.5 and every account was flagged,
each "explained" by features that moved nothing (+0.00). Now training refuses, saying why."""

from __future__ import annotations

import numpy as np
import pytest
from risk_builders import economy, load

from jalur.config import Settings
from jalur.risk import ModelError
from jalur.risk.features import FeatureTable
from jalur.risk.labels import Labels
from jalur.risk.model import train
from jalur.risk.service import workspace_features
from jalur.store import Store

PLANTED = tuple(f"SMURF{i}" for i in range(8))


@pytest.fixture(scope="module")
def features(tmp_path_factory: pytest.TempPathFactory) -> FeatureTable:
    home = tmp_path_factory.mktemp("risk") / "home"
    with Store.open(Settings.resolve(home)) as store:
        load(store, economy(planted=PLANTED))
        table, _ = workspace_features(store)
    return table


def test_four_labels_train_nothing(features: FeatureTable) -> None:
    labels = Labels(source="few.csv", by_account={"SMURF0": 1, "SMURF1": 1, "N1": 0, "N2": 0})
    with pytest.raises(ModelError, match="too few for the model to split"):
        train(features, labels, 100)


def test_enough_labels_still_train(features: FeatureTable) -> None:
    by_account = {f"N{i}": 0 for i in range(60)} | dict.fromkeys(PLANTED, 1)
    model = train(features, Labels(source="ok.csv", by_account=by_account), 100)
    assert model.booster.feature_importance("split").sum() > 0
    assert np.isfinite(model.threshold)
