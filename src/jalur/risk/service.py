"""What the commands do, over a workspace: build features, train, score, keep the scores.

The CLI and any API call these same functions; they take an open store and a folder for the
model, and return plain results.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from jalur.monitoring import open_engine, require_payments
from jalur.risk.features import FeatureTable, account_features, context_of
from jalur.risk.labels import Labels
from jalur.risk.model import (
    EXPLAIN_TOP,
    has_model,
    load_model,
    save_model,
    score_accounts,
    train,
)
from jalur.risk.persist import save_scores
from jalur.risk.scorecard import score_card
from jalur.store import Store

SCORE_SCHEMA = pa.schema(
    [
        ("account", pa.string()),
        ("score", pa.float64()),
        ("flag", pa.bool_()),
        ("explanation", pa.string()),
    ]
)


@dataclass(frozen=True)
class Scoring:
    """Every account's score, flag and explanation, and what produced them."""

    table: pa.Table
    scorer: str
    #: Why these scores may not be what the card's metrics promise (None: no reason known).
    caution: str | None = None


@dataclass(frozen=True)
class PaymentsSeen:
    """The payments features were built from: how many, and a digest of which.

    The digest is the XOR of the MD5 of every payment id (order-free, one pass, no sort: an
    aggregate DuckDB streams), so a workspace whose payments were replaced by as many others
    is told apart from the one the model was trained on; payments are never edited in place
    (a load only inserts new ids), so their ids say which payments there are."""

    count: int
    digest: str


#: Which payments the workspace holds, as `PaymentsSeen.digest` (computed by the store's
#: DuckDB whatever the feature engine, so Spark and DuckDB runs compare alike).
_DIGEST_SQL = "SELECT count(*), coalesce(bit_xor(md5_number(tx_id)), 0) FROM transactions"


def workspace_features(
    store: Store, engine: str = "duckdb", spark: Mapping[str, Any] | None = None
) -> tuple[FeatureTable, PaymentsSeen]:
    """The features of every account with payments, and which payments there are."""
    opened = open_engine(engine, store, spark)
    try:
        require_payments(opened)
        table = account_features(opened, context_of(store))
    finally:
        opened.close()
    return table, payments_seen(store)


def payments_seen(store: Store) -> PaymentsSeen:
    """Which payments the workspace holds now (a workspace with no payment table: none)."""
    try:
        count, digest = store.con.execute(_DIGEST_SQL).fetchone() or (0, 0)
    except duckdb.CatalogException:
        count, digest = 0, 0
    return PaymentsSeen(int(count), f"{int(digest):032x}")


def card_caution(card: Mapping[str, Any], store: Store) -> str | None:
    """Why the card's threshold and metrics may not hold for this workspace's payments now
    (None: they are the payments it was trained on): what `model show` says with the card,
    as `model score` says it with the scores."""
    return _drift(card, payments_seen(store))


def train_model(
    features: FeatureTable, payments: PaymentsSeen, labels: Labels, folder: Path
) -> dict[str, Any]:
    """Train on the accepted labels, store model and card in `folder`; returns the card."""
    model = train(features, labels, payments.count, payments.digest)
    save_model(model, folder)
    return model.card


def score_workspace(
    store: Store,
    folder: Path,
    engine: str = "duckdb",
    scorecard: bool = False,
    explain: int | None = EXPLAIN_TOP,
    spark: Mapping[str, Any] | None = None,
) -> Scoring:
    """Score every account with the stored model (the scorecard when there is none or when
    asked), keep the scores in the workspace and return them, riskiest first.

    `explain`: besides the flagged accounts, how many of the highest scores get the model's
    contributions (None: every account; see `score_accounts`). `spark`: the workspace's
    `[monitoring.spark]` table (master, transactions, conf) for `engine="spark"`."""
    features, payments = workspace_features(store, engine, spark)
    scoring = (
        _with_scorecard(features) if scorecard else _with_model(features, folder, explain, payments)
    )
    save_scores(store, scoring.table, scoring.scorer)
    return scoring


def _with_model(
    features: FeatureTable, folder: Path, explain: int | None, payments: PaymentsSeen
) -> Scoring:
    """The scorecard stands in only where no model was trained: a model whose file no longer
    matches its card, or whose card cannot be read, is refused (`ModelError`), not replaced
    by another scorer without a word."""
    if not has_model(folder):
        return _with_scorecard(features)
    model = load_model(folder)
    found = score_accounts(model, features, explain=explain)
    table = _table(found.accounts, list(found.score), list(found.flag), found.explanations)
    return Scoring(table, f"model {str(model.card['hash'])[:12]}", _drift(model.card, payments))


def _drift(card: Mapping[str, Any], payments: PaymentsSeen) -> str | None:
    """Payments loaded since training change the population the threshold and the
    cross-validated metrics were measured on (and the features' robust z): the scores are
    still computed, with this said, since retraining is the analyst's call.

    Compared by content (`PaymentsSeen.digest`): the count alone missed payments replaced by
    as many others (a workspace rebuilt from another file). A card written before the digest
    was kept is compared by count."""
    data = card.get("data", {})
    trained_on, digest = data.get("payments"), data.get("payments_digest")
    if trained_on is None:
        return None
    if digest == payments.digest or (digest is None and int(trained_on) == payments.count):
        return None
    now = f"{payments.count}" if int(trained_on) != payments.count else "as many, other ones"
    return (
        f"the model was trained on {int(trained_on)} payments, the workspace now has "
        f"{now}: its threshold and card metrics were measured on other data "
        "(retrain with `jalur model train` to measure them again)"
    )


def _with_scorecard(features: FeatureTable) -> Scoring:
    card = score_card(features)
    explanations = [card.explanation(i) for i in range(len(card.accounts))]
    table = _table(card.accounts, list(card.score), list(card.flag), explanations)
    return Scoring(table, "scorecard")


def _table(accounts: list[str], score: list[float], flag: list[bool], why: list[str]) -> pa.Table:
    table = pa.table(
        {
            "account": accounts,
            "score": [round(float(s), 6) for s in score],
            "flag": [bool(f) for f in flag],
            "explanation": why,
        },
        schema=SCORE_SCHEMA,
    )
    return table.sort_by([("score", "descending"), ("account", "ascending")])
