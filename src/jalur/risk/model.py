"""The learned risk model: LightGBM on the account features, its threshold, and its card.

The operating threshold is chosen on out-of-fold predictions of a stratified cross-validation
on the training labels only (the threshold with the best F1), then the model is refitted on
all of them. The card records what went in (labels and their hash, payments, features with
their meaning), what came out (cross-validated metrics), when, and the model file's hash.
"""

from __future__ import annotations

import hashlib
import json
import logging
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import lightgbm as lgb
import numpy as np
from sklearn.metrics import average_precision_score, precision_recall_curve, roc_auc_score
from sklearn.model_selection import StratifiedKFold

from jalur.risk.features import FeatureTable
from jalur.risk.labels import Labels
from jalur.risk.registry import feature_docs

log = logging.getLogger(__name__)

#: Small trees and many samples per leaf: chosen by training on AMLSim 20K_fanin200 and testing
#: on 20K_cycle200 (and back); deeper trees fitted one sample's quirks and transferred worse.
PARAMS: dict[str, Any] = {
    "objective": "binary",
    "n_estimators": 200,
    "learning_rate": 0.05,
    "num_leaves": 15,
    "min_child_samples": 50,
    "subsample": 0.8,
    "subsample_freq": 1,
    "colsample_bytree": 0.8,
    "reg_lambda": 1.0,
    "random_state": 7,
    "n_jobs": 2,
    "verbose": -1,
    "deterministic": True,
}
FOLDS = 5
MODEL_FILE, CARD_FILE = "model.txt", "card.json"


class ModelError(RuntimeError):
    """No model to use, or labels that cannot train one."""


@dataclass(frozen=True)
class RiskModel:
    """A fitted booster, the feature names it reads, its threshold and its card."""

    booster: lgb.Booster
    names: list[str]
    threshold: float
    card: dict[str, Any]


@dataclass(frozen=True)
class Scored:
    """Scores, flags and explanations, one per account of the feature table."""

    accounts: list[str]
    score: np.ndarray
    flag: np.ndarray
    explanations: list[str]


def train(
    features: FeatureTable, labels: Labels, payments: int, payments_digest: str | None = None
) -> RiskModel:
    """Cross-validate for the threshold, refit on every label, write the card (with which
    payments the features came from, when `payments_digest` says: scoring compares it)."""
    problem = labels.problem()
    if problem:
        raise ModelError(problem)
    row_of = {a: i for i, a in enumerate(features.accounts)}
    x = features.values[[row_of[a] for a in sorted(labels.by_account)]]
    y = np.array([labels.by_account[a] for a in sorted(labels.by_account)], dtype=np.int64)
    oof = _out_of_fold(x, y)
    threshold = best_threshold(y, oof)
    booster = _fit(x, y).booster_
    if not booster.feature_importance("split").sum():
        raise ModelError(
            f"{labels.source}: {labels.positives} positive and {labels.negatives} negative "
            "labels are too few for the model to split on any feature: every account would "
            "get the same score (and be flagged or not, all alike); give more labels"
        )
    card = _card(features.names, labels, payments, metrics(y, oof, threshold), threshold)
    if payments_digest is not None:
        card["data"]["payments_digest"] = payments_digest
    card["hash"] = hashlib.sha256(booster.model_to_string().encode()).hexdigest()
    return RiskModel(booster, list(features.names), threshold, card)


def _fit(x: np.ndarray, y: np.ndarray) -> lgb.LGBMClassifier:
    """Leaves shrink with small label sets (a few dozen case decisions still split)."""
    leaf = max(5, min(int(PARAMS["min_child_samples"]), len(y) // 20))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # LightGBM's "no further splits" chatter
        return lgb.LGBMClassifier(**{**PARAMS, "min_child_samples": leaf}).fit(x, y)


def _out_of_fold(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    folds = max(2, min(FOLDS, int(min(y.sum(), len(y) - y.sum()))))
    oof = np.zeros(len(y))
    split = StratifiedKFold(folds, shuffle=True, random_state=7).split(x, y)
    for fit_rows, held in split:
        found = np.asarray(_fit(x[fit_rows], y[fit_rows]).predict_proba(x[held]))
        oof[held] = found[:, 1]
    return oof


def best_threshold(y: np.ndarray, score: np.ndarray) -> float:
    """The score at or above which F1 is highest on these labels."""
    precision, recall, cuts = precision_recall_curve(y, score)
    f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-12)
    return float(cuts[int(np.argmax(f1[:-1]))])


def metrics(y: np.ndarray, score: np.ndarray, threshold: float) -> dict[str, float]:
    """ROC-AUC, average precision, P/R/F1 at the threshold, precision at K = positives."""
    flag = score >= threshold
    tp = float((flag & (y == 1)).sum())
    precision = tp / float(flag.sum()) if flag.sum() else 0.0  # plain floats: a card prints
    recall = tp / float(y.sum()) if y.sum() else 0.0  # and compares the same after reading
    k = int(y.sum())
    top = np.argsort(-score, kind="stable")[:k]
    return {
        "roc_auc": round(float(roc_auc_score(y, score)), 4),
        "average_precision": round(float(average_precision_score(y, score)), 4),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(2 * precision * recall / (precision + recall) if tp else 0.0, 4),
        "precision_at_k": round(float(y[top].mean()) if k else 0.0, 4),
    }


def _card(
    names: list[str], labels: Labels, payments: int, cv: dict[str, float], threshold: float
) -> dict[str, Any]:
    docs = feature_docs(names)
    return {
        "model": "LightGBM gradient-boosted trees (binary)",
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "data": {**labels.as_dict(), "payments": payments},
        "features": [{"name": n, "doc": docs.get(n, "")} for n in names],
        "params": PARAMS,
        "threshold": round(threshold, 6),
        "threshold_rule": f"best F1 on {FOLDS}-fold out-of-fold predictions, training labels only",
        "cross_validation": cv,
    }


#: Besides every flagged account, how many of the highest scores are explained by default.
EXPLAIN_TOP = 1000


def score_accounts(
    model: RiskModel, features: FeatureTable, top: int = 3, explain: int | None = EXPLAIN_TOP
) -> Scored:
    """Every account's probability, flag and the features that moved it most.

    Exact per-prediction contributions (TreeSHAP) cost about 1,000 times a prediction (111 s
    for 200,000 accounts on a loaded 2-core machine, against 3 s to score them), so by default
    they are computed for every flagged account and the `explain` highest scores; the other
    accounts' explanation says that they were not explained and why. `explain=None`: all."""
    x = features.aligned(model.names)
    score = np.asarray(model.booster.predict(x))
    flag = score >= model.threshold
    rows = _to_explain(score, flag, explain)
    explanations = [
        f"not explained: score {score[i]:.3f} below the threshold {model.threshold:.3f}"
        for i in range(len(x))
    ]
    if len(rows):
        contrib = np.asarray(model.booster.predict(x[rows], pred_contrib=True))[:, :-1]
        for k, i in enumerate(rows):
            explanations[i] = _explain(model.names, x[i], contrib[k], top)
    return Scored(features.accounts, score, flag, explanations)


def _to_explain(score: np.ndarray, flag: np.ndarray, explain: int | None) -> np.ndarray:
    """Row numbers to explain: all, or the flagged ones and the `explain` highest scores."""
    if explain is None:
        return np.arange(len(score))
    highest = np.argsort(-score, kind="stable")[:explain]
    return np.union1d(np.flatnonzero(flag), highest).astype(np.int64)


def _explain(names: list[str], values: np.ndarray, contrib: np.ndarray, top: int) -> str:
    order = np.argsort(-np.abs(contrib), kind="stable")[:top]
    return "; ".join(f"{names[j]}={values[j]:.3g} ({contrib[j]:+.2f})" for j in order)


def save_model(model: RiskModel, folder: Path) -> Path:
    """Write the model and its card; the previous model in `folder` is replaced."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MODEL_FILE).write_text(model.booster.model_to_string(), encoding="utf-8")
    (folder / CARD_FILE).write_text(json.dumps(model.card, indent=2) + "\n", encoding="utf-8")
    return folder


def has_model(folder: Path) -> bool:
    """Whether a model was ever trained into `folder` (its card exists); a broken one counts."""
    return (folder / CARD_FILE).exists()


def load_card(folder: Path) -> dict[str, Any]:
    path = folder / CARD_FILE
    if not path.exists():
        raise ModelError(f"no risk model in {folder}: train one with `jalur model train`")
    try:
        card = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"{path} cannot be read ({exc}): retrain") from exc
    if not isinstance(card, dict) or not {"hash", "features", "threshold"} <= set(card):
        raise ModelError(f"{path} is not a model card (no hash, features, threshold): retrain")
    return card


def load_model(folder: Path) -> RiskModel:
    """The stored model, refused when its file no longer matches the card's hash."""
    card = load_card(folder)
    try:
        text = (folder / MODEL_FILE).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ModelError(f"{folder / MODEL_FILE} cannot be read ({exc}): retrain") from exc
    if hashlib.sha256(text.encode()).hexdigest() != card.get("hash"):
        raise ModelError(f"{folder / MODEL_FILE} does not match its card's hash: retrain")
    names = [f["name"] for f in card["features"]]
    return RiskModel(lgb.Booster(model_str=text), names, float(card["threshold"]), card)
