"""Per-account features on either engine: the payments in SQL, the alerts pivoted per typology.

`account_features` stages the payments seen from each side, runs the stages of `sql` on the
engine (DuckDB or Spark, the same SQL), and adds two columns per typology from the alerts of
the latest monitoring pass. What monitoring knows besides payments (alerts, exposure, the best
screening hit) comes in as a `RiskContext`, read from the workspace by `context_of`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa

import jalur.risk.neighbourhood as neighbourhood
import jalur.risk.sql as sql
from jalur.monitoring import HITS_SCHEMA, TYPOLOGIES, Engine, alert_rows, load_seeds
from jalur.risk.registry import FIXED, typology_features
from jalur.store import Store

ALERT_SCHEMA = pa.schema(
    [
        ("account", pa.string()),
        ("typology", pa.string()),
        ("role", pa.string()),
        ("score", pa.float64()),
    ]
)
EXPOSURE_COLUMNS = pa.schema(
    [
        ("account", pa.string()),
        ("topic", pa.string()),
        ("score", pa.float64()),
        ("hops", pa.int32()),
        ("amount", pa.float64()),
    ]
)

#: Typologies that always get columns (alerts or not), so models trained on one data set
#: score another. The exposure measure raises alerts under these two names.
EXPOSURE_TYPOLOGIES = ("drug_exposure", "terror_exposure")

#: Where amounts count as round, near a threshold or anomalous. The round unit and the 10,000
#: threshold are the structuring detector's (USD/EUR/GBP cash reporting); 3 robust z is the
#: usual outlier line; the floor keeps an account with one repeated amount from calling every
#: other amount anomalous.
DEFAULTS: dict[str, float] = {
    "round_unit": 100.0,
    "threshold": 10_000.0,
    "near_margin": 0.1,
    "z": 3.0,
    "own_floor": 0.25,
}


@dataclass(frozen=True)
class RiskContext:
    """What monitoring knows about accounts besides their payments."""

    alerts: pa.Table = field(default_factory=ALERT_SCHEMA.empty_table)
    exposure: pa.Table = field(default_factory=EXPOSURE_COLUMNS.empty_table)
    hits: pa.Table = field(default_factory=HITS_SCHEMA.empty_table)


@dataclass(frozen=True)
class FeatureTable:
    """Accounts (sorted) by features: the matrix the scorecard and the model read."""

    accounts: list[str]
    names: list[str]
    values: np.ndarray  # float64, accounts x names

    def column(self, name: str) -> np.ndarray:
        return np.asarray(self.values[:, self.names.index(name)])

    def aligned(self, names: list[str]) -> np.ndarray:
        """The matrix with columns in `names` order; a feature this table lacks is 0."""
        out = np.zeros((len(self.accounts), len(names)))
        index = {n: i for i, n in enumerate(self.names)}
        for j, name in enumerate(names):
            if name in index:
                out[:, j] = self.values[:, index[name]]
        return out

    def as_arrow(self) -> pa.Table:
        columns: dict[str, Any] = {"account": pa.array(self.accounts, pa.string())}
        for j, name in enumerate(self.names):
            columns[name] = pa.array(self.values[:, j], pa.float64())
        return pa.table(columns)


def account_features(
    engine: Engine, context: RiskContext | None = None, params: Mapping[str, float] | None = None
) -> FeatureTable:
    """Every account of the engine's `transactions`, with every feature of the registry."""
    context = context or RiskContext()
    settings = {**DEFAULTS, **(params or {})}
    engine.register("risk_exposure", context.exposure.select(EXPOSURE_COLUMNS.names))
    engine.register("risk_hits", context.hits.select(["account", "risk_class", "score"]))
    engine.register("risk_alerts", context.alerts.select(ALERT_SCHEMA.names))
    try:
        for name, statement in (*sql.STAGES, *neighbourhood.STAGES):
            engine.materialize(name, statement, settings)
        fixed = _beside(engine.query(sql.FEATURES), engine.query(neighbourhood.FEATURES))
        per_typology = engine.query(sql.ALERTS)
    finally:
        staged = (n for n, _ in (*sql.STAGES, *neighbourhood.STAGES))
        for name in ["risk_exposure", "risk_hits", "risk_alerts", *staged]:
            engine.drop(name)
    return _assemble(fixed, per_typology, _typologies(context.alerts))


def _beside(fixed: pa.Table, more: pa.Table) -> pa.Table:
    """The columns of `more` after those of `fixed`: the same accounts in the same order."""
    if fixed.column("account").to_pylist() != more.column("account").to_pylist():
        raise RuntimeError("feature stages disagree on the accounts")  # a bug, not bad input
    for name in more.column_names[1:]:
        fixed = fixed.append_column(name, more.column(name))
    return fixed


def _typologies(alerts: pa.Table) -> list[str]:
    seen = {str(t) for t in alerts.column("typology").to_pylist()}
    return sorted(seen | set(TYPOLOGIES) | set(EXPOSURE_TYPOLOGIES))


def _assemble(fixed: pa.Table, per_typology: pa.Table, typologies: list[str]) -> FeatureTable:
    """The SQL's fixed columns, then the alert columns pivoted per typology."""
    accounts = [str(a) for a in fixed.column("account").to_pylist()]
    sql_names = [f.name for f in FIXED if f.group != "alerts"]
    extra = [f.name for f in typology_features(typologies)]
    names = [*sql_names, "alerts_subject", "alert_best", *extra]
    values = np.zeros((len(accounts), len(names)))
    for j, name in enumerate(sql_names):
        values[:, j] = fixed.column(name).to_numpy(zero_copy_only=False)
    row_of = {a: i for i, a in enumerate(accounts)}
    col_of = {n: j for j, n in enumerate(names)}
    for hit in per_typology.to_pylist():
        i = row_of.get(str(hit["account"]))
        if i is None:
            continue  # an alert on an account with no payment left in the data
        _add_alert(values[i], col_of, hit)
    return FeatureTable(accounts, names, settle(np.nan_to_num(values)))


#: Significant digits a feature keeps (`settle`).
SIGNIFICANT = 10


def settle(values: np.ndarray) -> np.ndarray:
    """Feature values rounded to `SIGNIFICANT` significant digits.

    Why: a parallel SQL sum or mean adds in whatever order its threads finish, so the same
    payments gave features that differed in the last bit from one run to the next (measured:
    2 of 80 features on AMLSim, by 3e-16), and LightGBM, which bins the distinct values, then
    learnt a different model — the same labels and payments gave another operating point.
    Ten digits keep every difference that means something and make a rebuild reproducible."""
    nonzero = values != 0
    magnitude = np.zeros_like(values)
    np.floor(np.log10(np.abs(values), where=nonzero, out=magnitude), where=nonzero, out=magnitude)
    scale = 10.0 ** (SIGNIFICANT - 1 - magnitude)
    return np.where(nonzero, np.round(values * scale) / scale, 0.0)


def _add_alert(row: np.ndarray, col_of: dict[str, int], hit: Mapping[str, Any]) -> None:
    typology, best = str(hit["typology"]), float(hit["best"] or 0.0)
    row[col_of[f"alerts_{typology}"]] += float(hit["n"])
    score_col = col_of[f"alert_score_{typology}"]
    row[score_col] = max(row[score_col], best)
    row[col_of["alerts_subject"]] += float(hit["subject"])
    row[col_of["alert_best"]] = max(row[col_of["alert_best"]], best)


def context_of(store: Store) -> RiskContext:
    """Alerts of the latest monitoring pass, the latest exposure, the best screening hits."""
    alerts = [
        {"account": r[2], "typology": r[1], "role": r[3], "score": r[4]} for r in alert_rows(store)
    ]
    return RiskContext(
        alerts=pa.Table.from_pylist(alerts, schema=ALERT_SCHEMA),
        exposure=_exposure(store),
        hits=load_seeds(store).hits,
    )


def _exposure(store: Store) -> pa.Table:
    known = store.execute(
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'account_exposure'"
    ).fetchone()
    if not known or not known[0]:
        return EXPOSURE_COLUMNS.empty_table()
    found = store.con.execute(
        "SELECT account, topic, score, hops, amount FROM account_exposure"
    ).to_arrow_table()
    return found.cast(EXPOSURE_COLUMNS)


def alerts_table(rows: Iterable[tuple[str, str, str, float]]) -> pa.Table:
    """(account, typology, role, score) rows as the context's alert table."""
    listed = list(rows)
    return pa.table(
        {n: [r[i] for r in listed] for i, n in enumerate(ALERT_SCHEMA.names)}, schema=ALERT_SCHEMA
    )
