"""`POST /v1/payments/decide` mounted in the service: the served workspace's lists decide it,
and only the installation's own agency may ask (a hold would tell another what it holds)."""

from __future__ import annotations

from typing import Any

from api_world import World


def _payment(tx_id: str, bene_name: str) -> dict[str, Any]:
    return {
        "tx_id": tx_id, "timestamp": "2026-03-02T10:00:00Z",
        "orig_account": "ID-DEC-1", "orig_name": "Siti Rahmawati", "orig_country": "ID",
        "bene_account": "ID-DEC-2", "bene_name": bene_name, "bene_country": "ID",
        "amount": 1000.0, "currency": "USD", "channel": "wire",
    }  # fmt: skip


def test_a_payment_to_a_listed_person_is_held_and_a_repeat_gets_the_first_answer(
    world: World,
) -> None:
    first = world.post("ana", "/v1/payments/decide", json=_payment("DEC-1", "Abu Rusdan"))
    assert first.status_code == 200, first.text
    answer = first.json()
    assert answer["decision"] == "hold"
    assert any(r.get("entity_id") == "dttot-rusdan" for r in answer["reasons"]), answer
    again = world.post("ana", "/v1/payments/decide", json=_payment("DEC-1", "Abu Rusdan")).json()
    assert again["repeated"] is True and again["decision"] == "hold"


def test_an_ordinary_payment_passes(world: World) -> None:
    answer = world.post("ana", "/v1/payments/decide", json=_payment("DEC-2", "Budi Santoso"))
    assert answer.json()["decision"] == "pass", answer.text


def test_another_agency_may_not_ask_and_learns_nothing(world: World) -> None:
    answer = world.post("bob", "/v1/payments/decide", json=_payment("DEC-3", "Abu Rusdan"))
    assert answer.status_code == 403
    assert "rusdan" not in answer.text.lower() and "hold" not in answer.text


def test_a_malformed_payment_is_a_clear_422(world: World) -> None:
    answer = world.post("ana", "/v1/payments/decide", json={"tx_id": "DEC-4"})
    assert answer.status_code == 422, answer.text
