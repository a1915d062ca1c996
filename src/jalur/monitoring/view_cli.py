"""`jalur alerts show ID` and `jalur accounts show ID`: one alert or one account, in full."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from jalur.clikit import (
    JsonFlag,
    console,
    not_found,
    open_store,
    plain,
    print_json,
    print_table,
    score_text,
)
from jalur.monitoring.case_notes import case_text, cases_of, cases_read
from jalur.monitoring.views import account_view, alert_view


def show_alert(ctx: typer.Context, alert_id: str, as_json: bool) -> None:
    """Print one alert; exit 1 when no monitoring pass found it."""
    with open_store(ctx) as store:
        view = alert_view(store, alert_id)
    if view is None:
        raise not_found("alert", alert_id, "`jalur alerts show` lists the latest pass's alerts")
    if cases_read():
        view["cases"] = cases_of(ctx, [alert_id])[alert_id]
    if as_json:
        print_json(view)
        return
    console.print(
        f"[bold]{plain(view['alert_id'])}[/] {plain(view['typology'])} "
        f"on {plain(view['account'])}: "
        f"score {score_text(view['score'])} (run {plain(view['run_id'])})",
        highlight=False,
    )
    console.print(view["explanation"], highlight=False, soft_wrap=True, markup=False)
    if "cases" in view:
        console.print(f"cases: {case_text(view['cases']) or 'none'}", markup=False)
    if view["features"]:
        console.print(
            "features: " + ", ".join(f"{k} {v:+.3f}" for k, v in view["features"].items()),
            markup=False,
        )
    console.print("accounts:")
    print_table(
        ("account", "role", "holder", "bank", "country"),
        [(a["account"], a["role"], _joined(a, "names"), _joined(a, "banks"),
          _joined(a, "countries")) for a in view["accounts"]],
    )  # fmt: skip
    _print_payments(view["payments"])
    _print_alerts("related alerts (same accounts)", view["related_alerts"])


def account_show_command(
    ctx: typer.Context,
    account: Annotated[str, typer.Argument(help="The account number, as in the payments.")],
    as_json: JsonFlag = False,
) -> None:
    """Holder, payments summary, alerts, exposure, flags and screening hits of one account.

    Exit 1 when no payment, alert or flag mentions the account."""
    with open_store(ctx) as store:
        view = account_view(store, account)
    if view is None:
        raise not_found("account", account, "it appears in no loaded payment, alert or flag")
    if as_json:
        print_json(view)
        return
    holder = view["holder"]
    console.print(
        f"[bold]{plain(account)}[/] held by {plain(_joined(holder, 'names') or 'unknown')}; bank "
        f"{plain(_joined(holder, 'banks') or '-')}; "
        f"country {plain(_joined(holder, 'countries') or '-')}",
        highlight=False,
    )
    _print_summary(view["payments"])
    _print_alerts("alerts", view["alerts"])
    _print_exposure(view["exposure"], view["flags"])
    _print_hits(view["screening_hits"])


def _joined(row: dict[str, Any], key: str) -> str:
    return ", ".join(str(v) for v in row.get(key) or [])


def _print_payments(payments: list[dict[str, Any]], title: str = "payments") -> None:
    console.print(f"{title}:" if payments else f"{title}: none", markup=False)
    if payments:
        print_table(
            ("tx", "time", "from", "from name", "to", "to name", "amount", "currency"),
            [(p["tx_id"], p["timestamp"], p["orig_account"], p["orig_name"], p["bene_account"],
              p["bene_name"], f"{p['amount']:,.2f}", p["currency"]) for p in payments],
        )  # fmt: skip


def _print_alerts(title: str, alerts: list[dict[str, Any]]) -> None:
    console.print(f"{title}:" if alerts else f"{title}: none", markup=False)
    if alerts:
        print_table(
            ("alert", "typology", "subject", "score", "run", "accounts"),
            [(a["alert_id"], a["typology"], a["subject"], score_text(a["score"]), a["run_id"],
              ", ".join(a["shared_accounts"])) for a in alerts],
        )  # fmt: skip


def _print_summary(summary: dict[str, Any]) -> None:
    console.print(f"{summary['payments']} payments:", markup=False)
    print_table(
        ("direction", "currency", "payments", "amount", "counterparties", "first", "last"),
        [(r["direction"], r["currency"], r["payments"], f"{r['amount']:,.2f}",
          r["counterparties"], r["first"], r["last"]) for r in summary["by_direction"]],
    )  # fmt: skip
    _print_payments(summary["recent"], "latest payments")


def _print_exposure(exposure: list[dict[str, Any]], flags: list[dict[str, Any]]) -> None:
    for flag in flags:
        console.print(
            f"flagged {flag['topic']}: {flag['reason']} ({flag['flagged_at']})", markup=False
        )
    console.print("exposure:" if exposure else "exposure: none measured")
    if exposure:
        print_table(
            ("topic", "score", "share in", "share out", "hops", "amount", "seeds"),
            [(e["topic"], score_text(e["score"]), score_text(e["share_in"]),
              score_text(e["share_out"]), e["hops"], f"{e['amount'] or 0:,.2f}",
              ", ".join(e["seeds"] or [])) for e in exposure],
        )  # fmt: skip


def _print_hits(hits: list[dict[str, Any]]) -> None:
    console.print("screening hits:" if hits else "screening hits: none stored")
    if hits:
        print_table(
            ("score", "name", "entity", "list", "source id", "class", "matched alias"),
            [(score_text(h["score"]), h["party_name"], h["entity_id"], h["list_name"],
              h["source_id"], h["risk_class"], h["matched_alias"]) for h in hits],
        )  # fmt: skip
