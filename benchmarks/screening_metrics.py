"""Precision, recall, F1, the precision/recall curve, threshold choice and a logistic fit."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

CURVE = [round(t, 2) for t in np.arange(0.30, 1.0, 0.05)]


def prf(scores: Sequence[float], labels: Sequence[bool], threshold: float) -> dict[str, float]:
    s = np.asarray(scores)
    y = np.asarray(labels, dtype=bool)
    predicted = s >= threshold
    tp = int(np.sum(predicted & y))
    fp = int(np.sum(predicted & ~y))
    fn = int(np.sum(~predicted & y))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "threshold": threshold, "precision": round(precision, 4), "recall": round(recall, 4),
        "f1": round(f1, 4), "tp": tp, "fp": fp, "fn": fn,
    }  # fmt: skip


def best_threshold(scores: Sequence[float], labels: Sequence[bool]) -> float:
    """The threshold (0.01 steps) with the best F1 on these cases."""
    grid = np.arange(0.05, 1.0, 0.01)
    return float(max(grid, key=lambda t: (prf(scores, labels, float(t))["f1"], -t)))


def recall_at_precision(
    scores: Sequence[float], labels: Sequence[bool], precision: float
) -> tuple[float, float]:
    """Highest recall with precision at least `precision`, and the threshold giving it."""
    best = (0.0, 1.0)
    for t in np.arange(0.05, 1.0, 0.01):
        m = prf(scores, labels, float(t))
        if m["precision"] >= precision and m["recall"] > best[0]:
            best = (m["recall"], float(round(t, 2)))
    return best


def curve(scores: Sequence[float], labels: Sequence[bool]) -> list[dict[str, float]]:
    return [prf(scores, labels, t) for t in CURVE]


def fit_logistic(
    x: np.ndarray,
    y: np.ndarray,
    l2: float = 1e-2,
    steps: int = 50,
    offset: np.ndarray | None = None,
) -> np.ndarray:
    """Weights (bias first) of a class-balanced logistic regression (Newton, small ridge).

    Balanced: matches and non-matches weigh the same in total, so the many easy matches of
    the list-alias set do not drown the hard non-matches. `offset` is a fixed part of each
    row's log-odds (features whose weights are held, not fitted).
    """
    fixed = np.zeros(x.shape[0]) if offset is None else offset
    design = np.hstack([np.ones((x.shape[0], 1)), x])
    positives = max(1.0, float(y.sum()))
    negatives = max(1.0, float(len(y) - y.sum()))
    sample = np.where(y > 0.5, len(y) / (2 * positives), len(y) / (2 * negatives))
    w = np.zeros(design.shape[1])
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(design @ w + fixed)))
        gradient = design.T @ (sample * (p - y)) + l2 * w
        curvature = sample * p * (1 - p)
        hessian = (design * curvature[:, None]).T @ design + l2 * np.eye(len(w))
        w -= np.linalg.solve(hessian, gradient)
    return w
