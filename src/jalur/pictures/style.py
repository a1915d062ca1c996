"""How an account and a payment look in every picture: one place for kinds, colours, shapes
and label text, so the still picture, the interactive view and the web UI agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Kind:
    """A kind of account in a picture: matplotlib marker, Cytoscape shape, colour, legend."""

    name: str
    marker: str
    shape: str
    colour: str
    size: int
    legend: str


#: Gravest first: an account both drug-flagged and terror-listed is drawn as terror-linked.
KINDS = (
    Kind("terror", "^", "triangle", "#c4122f", 1300, "terror-listed or terror-flagged account"),
    Kind("drug", "s", "round-rectangle", "#e08a00", 1000, "drug-flagged account"),
    Kind("source", "D", "diamond", "#f2c14e", 900, "other source account"),
    Kind("sink", "h", "hexagon", "#e7a1b0", 1000, "other sink account"),
    Kind("account", "o", "ellipse", "#d9d9d9", 800, "intermediary account"),
)


def kind_of(node: dict[str, Any]) -> str:
    """terror, drug, source, sink or account (an intermediary with no flag)."""
    flags = set(node.get("flags") or [])
    listed = node.get("listed") or {}
    if "terror" in flags or listed.get("risk_class") == "terror":
        return "terror"
    if "drug" in flags or listed.get("risk_class") == "drug":
        return "drug"
    role = str(node.get("role", ""))
    return role if role in ("source", "sink") else "account"


def node_label(node: dict[str, Any]) -> str:
    """Holder, account number, bank and country; and the listing that makes it suspect."""
    where = " · ".join(str(v) for v in (node.get("bank"), node.get("country")) if v)
    lines = [str(node.get("holder") or "(holder unknown)"), str(node["id"])]
    if where:
        lines.append(where)
    listed = node.get("listed") or {}
    if listed.get("list_name"):
        lines.append(f"listed: {listed['list_name']} {listed.get('source_id') or ''}".rstrip())
    elif node.get("flags"):
        lines.append("flagged: " + ", ".join(node["flags"]))
    return "\n".join(lines)


def money(amount: float, currency: str | None) -> str:
    """12,500 USD (no cents above 1,000: a picture is read, not reconciled)."""
    text = f"{amount:,.0f}" if abs(amount) >= 1000 else f"{amount:,.2f}"
    return f"{text} {currency}" if currency else text


def edge_label(edge: dict[str, Any], currency: str | None) -> str:
    """Traced amount and currency, then the date(s) and number of the carrying payments."""
    lines = [money(edge["amount"], currency)]
    first = str(edge.get("first_payment") or "")[:10]
    last = str(edge.get("last_payment") or first)[:10]
    count = len(edge.get("payments") or [])
    if first:
        days = first if first == last else f"{first} – {last}"
        lines.append(days if count < 2 else f"{days} ({count} payments)")
    return "\n".join(lines)
