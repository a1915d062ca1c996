"""A package sent through the API carries only payments its sender sees.

The export read the related payments (and a case's) through the service's writer connection,
which sees every agency's payments: PPATK's analyst exporting Abu Rusdan sealed to AUSTRAC a
payment BNN had loaded for itself (marked BNN, never shared), because it named Abu Rusdan.
The connection is now narrowed to the caller's payments while the package is built, as a
monitoring run's is.
"""

from __future__ import annotations

from typing import Any

import pytest
from api_world import World
from exchange_world import Partner, keys_unlocked, make_partner

from jalur.exchange import import_package

HEADER = b"tx_id,timestamp,orig_account,orig_name,bene_account,bene_name,amount,currency\n"
#: BNN's own payment to the listed person, under an id of its own
BNN_PAYMENT = (
    HEADER + b"B-9,2025-05-09T10:00:00Z,ACC-B-SRC,Bandar Satu,ACC-B-CELL,Abu Rusdan,7,IDR\n"
)


@pytest.fixture(scope="module")
def partner(world: World, tmp_path_factory: pytest.TempPathFactory) -> Partner:
    return make_partner(world, tmp_path_factory.mktemp("partners"))


def _load(world: World, who: str, content: bytes) -> dict[str, Any]:
    answer = world.post(who, "/v1/payments", files={"file": ("pay.csv", content)},
                        data={"format": "csv"})  # fmt: skip
    assert answer.status_code == 202, answer.text
    world.wait(answer.json()["job_id"])
    found: dict[str, Any] = world.get(who, f"/v1/jobs/{answer.json()['job_id']}").json()
    assert found["status"] == "done", found
    return found


def test_another_agencys_payments_do_not_leave_in_our_package(
    world: World, partner: Partner
) -> None:
    _load(world, "bob", BNN_PAYMENT)
    with keys_unlocked():
        sent = world.post("ana", "/v1/exchange/packages", json={
            "to": ["AUSTRAC"], "purpose": "CTF enquiry", "entities": ["id:dttot-rusdan"],
        })  # fmt: skip
    assert sent.status_code == 201, sent.text
    assert sent.json()["manifest"]["contents"]["transactions"]["rows"] == 1
    data = world.get("ana", sent.json()["download"]).content
    report = import_package(partner.store, partner.identity, partner.passphrase, data, "p")
    rows = partner.store.execute(
        "SELECT tx_id FROM exchange_transactions WHERE package_id = ?", [report.package_id]
    ).fetchall()
    assert rows == [("T2",)]  # PPATK's payment to Abu Rusdan; BNN's B-9 stays home
