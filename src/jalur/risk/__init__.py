"""Risk: a score for every account, from its payments, alerts, exposure and list hits.

`account_features` computes the features of the registry (`FIXED`, plus two per typology) on
DuckDB or Spark; `score_card` ranks every account without labels; `train` fits a LightGBM
model on `account,label` files or case dispositions, its threshold cross-validated on those
labels only, and `score_accounts` explains each score by its largest feature contributions.
The commands (`jalur model train|show|score`) keep the model with its card in the workspace
and the latest scores in `account_risk`, which orders monitoring's alerts.
"""

from __future__ import annotations

import typer

from jalur.risk.features import (
    ALERT_SCHEMA,
    FeatureTable,
    RiskContext,
    account_features,
    alerts_table,
    context_of,
)
from jalur.risk.labels import LabelFileError, Labels, read_labels
from jalur.risk.model import (
    ModelError,
    RiskModel,
    best_threshold,
    load_model,
    metrics,
    save_model,
    score_accounts,
    train,
)
from jalur.risk.persist import RISK_TABLE
from jalur.risk.registry import FIXED, RiskFeature, feature_docs, typology_features
from jalur.risk.scorecard import FLAG_SHARE, TERMS, CardScores, score_card
from jalur.risk.service import score_workspace, train_model, workspace_features


def register_cli(app: typer.Typer) -> None:
    """Add `jalur model …` to the root app."""
    from jalur.risk.commands import register_cli as register

    register(app)


__all__ = [
    "ALERT_SCHEMA",
    "FIXED",
    "FLAG_SHARE",
    "RISK_TABLE",
    "TERMS",
    "CardScores",
    "FeatureTable",
    "LabelFileError",
    "Labels",
    "ModelError",
    "RiskContext",
    "RiskFeature",
    "RiskModel",
    "account_features",
    "alerts_table",
    "best_threshold",
    "context_of",
    "feature_docs",
    "load_model",
    "metrics",
    "read_labels",
    "register_cli",
    "save_model",
    "score_accounts",
    "score_card",
    "score_workspace",
    "train",
    "train_model",
    "typology_features",
    "workspace_features",
]
