"""The decision on one payment: pass, review or hold, and why.

`decide` is pure: it reads the payment, the state before it (`Context`) and what screening says
of its parties, and returns the decision with its reasons, the alerts it raises for the first
time and the counter values it would write. Applying those (and indexing the payment) is the
caller's job (`jalur.stream.engine`), so the same function serves the stream, the HTTP
endpoint and the tests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from jalur.monitoring import alert_id
from jalur.stream.config import StreamConfig
from jalur.stream.context import Context
from jalur.stream.paths import cycle, drug_to_terror
from jalur.stream.payment import Payment
from jalur.stream.typologies import (
    Found,
    cash_funnel,
    corridor,
    fan,
    gather_scatter,
    listed_counterparty,
    pass_through,
    scatter_gather,
    structuring,
)
from jalur.stream.watch import Listed

PASS, REVIEW, HOLD = "pass", "review", "hold"

#: A risk model's hook: the probability that the payment is illicit, None when no model is
#: trained. Another capability (jalur.risk) provides one; the stream does not depend on it.
RiskScorer = Callable[[Payment], float | None]

Detector = Callable[[Payment, Context], list[Found]]
DETECTORS: dict[str, Detector] = {
    "structuring": structuring,
    "fan_in": fan("fan_in"),
    "fan_out": fan("fan_out"),
    "gather_scatter": gather_scatter,
    "cycle": cycle,
    "scatter_gather": scatter_gather,
    "pass_through": pass_through,
    "cash_funnel": cash_funnel,
    "corridor": corridor,
    "listed_counterparty": listed_counterparty,
}


@dataclass(frozen=True)
class Decision:
    """What was decided about one payment, why, and what it alerted."""

    key: str
    tx_id: str
    decision: str
    reasons: list[dict[str, Any]]
    alerts: list[dict[str, Any]]
    risk_score: float | None = None
    writes: dict[str, Any] = field(default_factory=dict, compare=False)

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "tx_id": self.tx_id,
            "decision": self.decision,
            "reasons": self.reasons,
            "alerts": self.alerts,
            "risk_score": self.risk_score,
        }


def decide(
    p: Payment,
    ctx: Context,
    listed: list[Listed],
    config: StreamConfig,
    risk: RiskScorer | None = None,
    notes: Iterable[dict[str, Any]] = (),
) -> Decision:
    """Decide one payment from the state before it and its parties' screening matches;
    `notes`: findings on the payment itself that the caller made (an implausible time)."""
    reasons = list(notes) + [_screening_reason(item, config) for item in listed]
    found = _typologies(p, ctx, listed, config)
    reasons += [_typology_reason(f) for f in found]
    score = risk(p) if risk is not None else None
    if score is not None:
        reasons += _risk_reasons(score, config)
    alerts = _new_alerts(p, ctx, found, listed)
    return Decision(
        key=p.key,
        tx_id=p.tx_id,
        decision=_verdict(reasons, config),
        reasons=reasons,
        alerts=alerts,
        risk_score=score,
        writes=dict(ctx.scratch.writes),
    )


def _typologies(
    p: Payment, ctx: Context, listed: list[Listed], config: StreamConfig
) -> list[Found]:
    found: list[Found] = []
    for name in config.typologies:
        if name == "drug_to_terror":
            terror = frozenset(
                str(p.bene_account) for item in listed
                if item.risk == "terror" and item.role in ("creditor", "creditor account")
            )  # fmt: skip
            found += drug_to_terror(p, ctx, terror)
        else:
            found += DETECTORS[name](p, ctx)
    return found


def _screening_reason(item: Listed, config: StreamConfig) -> dict[str, Any]:
    code = f"{'screening' if item.how == 'name' else 'identifier'}:{item.risk}"
    strong = item.how == "identifier" or item.score >= float(
        config.section("decision")["hold_hit_score"]
    )
    return {
        "code": code if strong else f"{code}:weak",
        "kind": "screening",
        "role": item.role,
        "value": item.value,
        "entity_id": item.entity_id,
        "listed_as": item.caption,
        "list": item.list_name,
        "risk": item.risk,
        "score": item.score,
        "detail": f"{item.role} {item.value!r} matches {item.risk}-listed {item.caption!r} "
        f"({item.list_name}, score {item.score:.2f}): {item.explanation}",
    }


def _typology_reason(found: Found) -> dict[str, Any]:
    return {
        "code": found.typology,
        "kind": "typology",
        "typology": found.typology,
        "alert_id": alert_id(found.typology, found.key),
        "account": found.account,
        "detail": found.detail,
    }


def _risk_reasons(score: float, config: StreamConfig) -> list[dict[str, Any]]:
    section = config.section("risk")
    if score >= float(section["hold_score"]):
        code = "risk"
    elif score >= float(section["review_score"]):
        code = "risk:review"
    else:
        return []
    return [{"code": code, "kind": "risk", "score": score, "detail": f"risk score {score:.2f}"}]


def _verdict(reasons: Iterable[dict[str, Any]], config: StreamConfig) -> str:
    section = config.section("decision")
    hold, review = set(section["hold"]), set(section["review"])
    codes = [str(r["code"]) for r in reasons]
    if any(code in hold for code in codes):
        return HOLD
    if codes and ("*" in review or any(code in review for code in codes)):
        return REVIEW
    return PASS


def _new_alerts(
    p: Payment, ctx: Context, found: list[Found], listed: list[Listed]
) -> list[dict[str, Any]]:
    """Alerts for what is found for the first time: each typology finding once (its batch id),
    each listed party once per payment."""
    alerts = []
    for f in found:
        alert = alert_id(f.typology, f.key)
        if ctx.scratch.get(f"alert|{alert}") is None:
            ctx.scratch.put(f"alert|{alert}", p.tx_id)
            alerts.append(_alert(alert, f.typology, f.account, f.accounts, f.tx_ids, f.detail))
    for item in listed:
        alert = alert_id("listed_party", f"{p.key}|{item.role}|{item.entity_id}")
        if ctx.scratch.get(f"alert|{alert}") is None:
            ctx.scratch.put(f"alert|{alert}", p.tx_id)
            accounts = tuple(a for a in (p.orig_account, p.bene_account) if a)
            detail = f"{item.role} {item.value!r} matches {item.risk}-listed {item.caption!r}"
            alerts.append(
                _alert(
                    alert,
                    "listed_party",
                    accounts[0] if accounts else "",
                    accounts,
                    (p.tx_id,),
                    detail,
                )
            )
    return alerts


def _alert(
    alert: str,
    typology: str,
    account: str,
    accounts: tuple[str, ...],
    txs: tuple[str, ...],
    text: str,
) -> dict[str, Any]:
    return {
        "alert_id": alert,
        "typology": typology,
        "account": account,
        "accounts": list(accounts),
        "transactions": list(txs),
        "explanation": text,
    }
