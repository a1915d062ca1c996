"""Four eyes over the API as on the command line (reports10 found the holes through the CLI):
the proposer takes a proposal back (`withdraw`), an approval names the proposal its approver
read (`proposed_at`) and is refused when another stands now, and a report built from an
approval replaced meanwhile is not recorded."""

from __future__ import annotations

from typing import Any

import pytest
from api_world import World, open_on_alert

from jalur import cases


def _open(world: World) -> str:
    answer, _ = open_on_alert(
        world, "ana", {"title": "drug money to a listed man", "typology": "drug-terror"},
        [{"kind": "subject", "ref": "dttot-rusdan"}],
    )  # fmt: skip
    assert answer.status_code == 201, answer.text
    return str(answer.json()["case_id"])


def _propose(world: World, url: str, decision: str = "report") -> dict[str, Any]:
    body = {"decision": decision, "reason": "listed beneficiary"}
    if decision == "report":
        body["report_type"] = "LTKMT"
    proposed = world.post("ana", f"{url}/propose", json=body)
    assert proposed.status_code == 200, proposed.text
    return dict(proposed.json()["decision"])


def test_the_proposer_withdraws_over_the_api(world: World) -> None:
    url = f"/v1/cases/{_open(world)}"
    _propose(world, url)
    assert world.post("sue", f"{url}/withdraw", json={"reason": "mine"}).status_code in (403, 409)
    assert world.post("ana", f"{url}/withdraw", json={}).status_code == 400  # needs a reason
    taken = world.post("ana", f"{url}/withdraw", json={"reason": "evidence to add"})
    assert taken.status_code == 200, taken.text
    assert taken.json()["status"] == "investigating"
    assert world.post("sue", f"{url}/approve", json={}).status_code == 409  # nothing to approve


def test_an_approval_of_a_replaced_proposal_is_refused(world: World) -> None:
    url = f"/v1/cases/{_open(world)}"
    read = _propose(world, url)
    assert world.post("sue", f"{url}/return", json={"reason": "close it"}).status_code == 200
    _propose(world, url, "close")
    as_read = {"proposed_at": read["proposed_at"], "decision": read["decision"]}
    stale = world.post("sue", f"{url}/approve", json=as_read)
    assert stale.status_code == 409, stale.text
    assert world.get("ana", url).json()["status"] != "closed"
    now = world.get("ana", url).json()["decision"]
    as_read = {"proposed_at": now["proposed_at"], "decision": now["decision"]}
    assert world.post("sue", f"{url}/approve", json=as_read).status_code == 200


def test_a_report_built_from_a_replaced_approval_is_not_recorded(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened, _ = open_on_alert(world, "ana", {"title": "report probe"}, typology="terror_exposure")
    case_id = opened.json()["case_id"]
    url = f"/v1/cases/{case_id}"
    _propose(world, url)
    assert world.post("sue", f"{url}/approve", json={}).status_code == 200
    recorded: list[Any] = []
    real = cases.record_report

    def meanwhile(*args: Any, **kwargs: Any) -> None:
        recorded.append(kwargs.get("built_from"))
        real(*args, **kwargs)

    monkeypatch.setattr(cases, "record_report", meanwhile)
    made = world.post("ana", f"{url}/report")
    assert made.status_code == 200, made.text
    assert recorded and recorded[0] is not None and recorded[0]["case_id"] == case_id
