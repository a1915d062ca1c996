"""A fresh service's first read of the exchange log answers: its tables exist before requests.

A request reads inside one snapshot; a table a reader finds missing is created on a connection
of its own, which that snapshot does not see — so, before, the first GET of the log on a
server where nothing had been exchanged yet was a 500 (`audit_seals does not exist`)."""

from __future__ import annotations

from api_world import World


def test_the_first_request_of_a_fresh_service_reads_the_exchange_log(world: World) -> None:
    answer = world.get("ana", "/v1/exchange/log")
    assert answer.status_code == 200, answer.text
    assert answer.json()["entries"] == []
    assert world.get("ana", "/v1/exchange/packages").status_code == 200
