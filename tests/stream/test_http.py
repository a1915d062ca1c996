"""`POST /v1/payments/decide` on a bare FastAPI app: decisions, repeats, pacs.008, errors."""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI, Header, HTTPException

with warnings.catch_warnings():
    # starlette asks for its `httpx2` fork; the pinned httpx works the same for these tests
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient
from small_lists import LISTED_BIC, LISTED_PERSON, payment, small_decider

from jalur.stream import Decider
from jalur.stream.http import payments_router

PACS008 = """<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08">
 <FIToFICstmrCdtTrf>
  <GrpHdr><MsgId>MSG-1</MsgId><CreDtTm>2026-03-02T09:00:00Z</CreDtTm><NbOfTxs>1</NbOfTxs>
   <SttlmInf><SttlmMtd>INDA</SttlmMtd></SttlmInf></GrpHdr>
  <CdtTrfTxInf>
   <PmtId><InstrId>I-1</InstrId><EndToEndId>E2E-1</EndToEndId>
    <UETR>0d4c2a58-3e3b-4a0e-9a34-6a1c1c0b7e11</UETR></PmtId>
   <IntrBkSttlmAmt Ccy="EUR">2500.00</IntrBkSttlmAmt>
   <IntrBkSttlmDt>2026-03-02</IntrBkSttlmDt>
   <ChrgBr>SHAR</ChrgBr>
   <IntrmyAgt1><FinInstnId><BICFI>{bic}</BICFI></FinInstnId></IntrmyAgt1>
   <Dbtr><Nm>Siti Rahmawati</Nm></Dbtr>
   <DbtrAcct><Id><IBAN>DE89370400440532013000</IBAN></Id></DbtrAcct>
   <DbtrAgt><FinInstnId><BICFI>DEUTDEFFXXX</BICFI></FinInstnId></DbtrAgt>
   <CdtrAgt><FinInstnId><BICFI>BNINIDJAXXX</BICFI></FinInstnId></CdtrAgt>
   <Cdtr><Nm>{creditor}</Nm></Cdtr>
   <CdtrAcct><Id><Othr><Id>0012345678</Id></Othr></Id></CdtrAcct>
  </CdtTrfTxInf>
 </FIToFICstmrCdtTrf>
</Document>
"""


@pytest.fixture
def decider(tmp_path: Path) -> Iterator[Decider]:
    opened = small_decider(tmp_path / "state.sqlite")
    yield opened
    opened.close()


@pytest.fixture
def client(decider: Decider) -> TestClient:
    app = FastAPI()
    app.include_router(payments_router(decider))
    return TestClient(app)


def _post(client: TestClient, body: dict[str, object]) -> dict[str, object]:
    answer = client.post("/v1/payments/decide", json=body)
    assert answer.status_code == 200, answer.text
    found: dict[str, object] = answer.json()
    return found


def test_an_ordinary_payment_passes(client: TestClient) -> None:
    answer = _post(client, payment("TX-1"))
    assert (answer["decision"], answer["reasons"], answer["repeated"]) == ("pass", [], False)


def test_a_payment_to_a_terror_listed_creditor_is_held_with_the_match_as_reason(
    client: TestClient,
) -> None:
    answer = _post(client, payment("TX-2", bene_name=LISTED_PERSON))
    assert answer["decision"] == "hold"
    [reason] = answer["reasons"]  # type: ignore[misc]
    assert (reason["code"], reason["role"], reason["entity_id"]) == (
        "screening:terror", "creditor", "T-1",
    )  # fmt: skip


def test_a_repeated_payment_gets_its_first_answer_and_no_second_alert(
    client: TestClient, decider: Decider
) -> None:
    first = _post(client, payment("TX-3", bene_name=LISTED_PERSON))
    again = _post(client, payment("TX-3", bene_name=LISTED_PERSON))
    assert again["repeated"] is True  # the same message (another content: test_repeat_conflict)
    assert {k: v for k, v in again.items() if k != "repeated"} == {
        k: v for k, v in first.items() if k != "repeated"
    }
    assert len(decider.state.alerts()) == 1


def test_the_uetr_makes_two_messages_one_payment(client: TestClient) -> None:
    uetr = "8a562c67-ca16-48ba-b074-65581be6f001"
    first = _post(client, payment("BANK-A-1", uetr=uetr))
    again = _post(client, payment("BANK-B-77", uetr=uetr))
    assert (first["repeated"], again["repeated"], again["tx_id"]) == (False, True, "BANK-A-1")


def test_a_pacs008_message_is_read_and_decided_once(client: TestClient) -> None:
    body = PACS008.format(bic="COBADEFFXXX", creditor="Budi Santoso").encode()
    headers = {"content-type": "application/xml"}
    first = client.post("/v1/payments/decide", content=body, headers=headers).json()
    again = client.post("/v1/payments/decide", content=body, headers=headers).json()
    assert (first["decision"], first["repeated"]) == ("pass", False)
    assert first["key"] == "0d4c2a58-3e3b-4a0e-9a34-6a1c1c0b7e11"
    assert again["repeated"] is True


def test_a_listed_intermediary_agent_holds_a_pacs008_payment(client: TestClient) -> None:
    body = PACS008.format(bic=LISTED_BIC, creditor="Budi Santoso").encode()
    answer = client.post(
        "/v1/payments/decide", content=body, headers={"content-type": "application/xml"}
    ).json()
    assert answer["decision"] == "hold"
    assert [(r["code"], r["role"]) for r in answer["reasons"]] == [
        ("identifier:sanction", "intermediary agent")
    ]


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"{not json", "not JSON"),
        (json.dumps({"tx_id": "TX-9", "amount": 1, "currency": "USD"}).encode(), "timestamp"),
        (json.dumps(payment("TX-8", amount="lots")).encode(), "'lots' is not a number"),
    ],
)
def test_a_malformed_payment_is_refused_with_the_reason(
    client: TestClient, body: bytes, reason: str
) -> None:
    answer = client.post(
        "/v1/payments/decide", content=body, headers={"content-type": "application/json"}
    )
    assert answer.status_code == 422
    assert reason in answer.json()["detail"]


def test_the_services_authentication_guards_the_route(decider: Decider) -> None:
    def token(authorization: str = Header(default="")) -> None:
        if authorization != "Bearer good":
            raise HTTPException(401, "who are you?")

    app = FastAPI()
    app.include_router(payments_router(decider, auth=token))
    client = TestClient(app)
    refused = client.post("/v1/payments/decide", json=payment("TX-5"))
    allowed = client.post(
        "/v1/payments/decide", json=payment("TX-5"), headers={"authorization": "Bearer good"}
    )
    assert (refused.status_code, allowed.status_code) == (401, 200)
