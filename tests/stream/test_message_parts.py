"""A payment message with several transactions and one bad one: the good ones are decided and
only the bad one is refused (a dead letter on NATS, `refused` over HTTP), named by message id,
transaction and reason; the counts balance per transaction. It used to refuse the whole message.
"""

from __future__ import annotations

import asyncio
import json
import re
import warnings
from pathlib import Path

import pytest
from nats_server import nats_url, private_subjects, read_all

from jalur.config import Settings
from jalur.stream import Decider, config_of
from jalur.stream.broker import Subjects, consume, ensure_streams

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette asks for its httpx2 fork
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

from jalur.stream.http import payments_router

_TX = """  <CdtTrfTxInf>
   <PmtId><InstrId>I-{n}</InstrId><EndToEndId>E2E-{n}</EndToEndId></PmtId>
   <IntrBkSttlmAmt Ccy="{ccy}">{amount}</IntrBkSttlmAmt>
   <IntrBkSttlmDt>2026-03-02</IntrBkSttlmDt>
   <ChrgBr>SHAR</ChrgBr>
   <Dbtr><Nm>Siti Rahmawati</Nm></Dbtr>
   <DbtrAcct><Id><IBAN>DE8937040044053201300{n}</IBAN></Id></DbtrAcct>
   <DbtrAgt><FinInstnId><BICFI>DEUTDEFFXXX</BICFI></FinInstnId></DbtrAgt>
   <CdtrAgt><FinInstnId><BICFI>BNINIDJAXXX</BICFI></FinInstnId></CdtrAgt>
   <Cdtr><Nm>Budi Santoso</Nm></Cdtr>
   <CdtrAcct><Id><Othr><Id>001234567{n}</Id></Othr></Id></CdtrAcct>
  </CdtTrfTxInf>
"""


def message(*transactions: tuple[str, str], msg_id: str = "MSG-M") -> bytes:
    """A pacs.008 with one credit transfer per (amount, currency)."""
    body = "".join(
        _TX.format(n=n, amount=amount, ccy=ccy)
        for n, (amount, ccy) in enumerate(transactions, start=1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08">\n'
        " <FIToFICstmrCdtTrf>\n"
        f"  <GrpHdr><MsgId>{msg_id}</MsgId><CreDtTm>2026-03-02T09:00:00Z</CreDtTm>"
        f"<NbOfTxs>{len(transactions)}</NbOfTxs></GrpHdr>\n"
        f"{body} </FIToFICstmrCdtTrf>\n</Document>\n"
    ).encode()


GOOD_BAD_GOOD = message(("100.00", "EUR"), ("lots", "EUR"), ("300.00", "EUR"))


def test_over_http_the_good_transactions_are_decided_and_the_bad_one_named(
    decider: Decider,
) -> None:
    app = FastAPI()
    app.include_router(payments_router(decider))
    answer = TestClient(app).post(
        "/v1/payments/decide", content=GOOD_BAD_GOOD, headers={"content-type": "application/xml"}
    )
    assert answer.status_code == 200, answer.text
    found = answer.json()
    assert [p["tx_id"] for p in found["payments"]] == ["pacs008:MSG-M:I-1", "pacs008:MSG-M:I-3"]
    [refused] = found["refused"]
    assert "message MSG-M transaction 2" in refused["position"]
    assert "EndToEndId E2E-2" in refused["position"]
    assert "lots" in refused["reason"]


def test_a_message_whose_every_transaction_is_bad_is_still_refused_over_http(
    decider: Decider,
) -> None:
    app = FastAPI()
    app.include_router(payments_router(decider))
    answer = TestClient(app).post(
        "/v1/payments/decide",
        content=message(("lots", "EUR")),
        headers={"content-type": "application/xml"},
    )
    assert answer.status_code == 422
    assert "E2E-1" in answer.json()["detail"]


def test_on_nats_only_the_bad_transaction_goes_to_the_dead_letters(
    tmp_path: Path, decider: Decider
) -> None:
    url = nats_url()
    home = tmp_path / "workspace"
    private_subjects(home)
    subjects = Subjects.of(config_of(Settings.resolve(home)).section("nats"))

    async def send() -> None:
        import nats

        nc = await nats.connect(url)
        js = nc.jetstream()
        await ensure_streams(js, subjects)
        await js.publish(subjects.payments, GOOD_BAD_GOOD)
        await js.publish(
            subjects.payments,
            message(("", "EUR"), ("2.00", "ZZZ"), ("3.00", "EUR"), msg_id="MSG-N"),
        )
        await nc.close()

    asyncio.run(send())
    counts = asyncio.run(consume(url, decider, subjects, idle_exit=1.5))
    decided = read_all(url, f"{subjects.stream}_DECISIONS", subjects.decisions)
    assert sorted(json.loads(body)["tx_id"] for body, _ in decided) == [
        "pacs008:MSG-M:I-1", "pacs008:MSG-M:I-3", "pacs008:MSG-N:I-2", "pacs008:MSG-N:I-3",
    ]  # fmt: skip
    dead = read_all(url, f"{subjects.stream}_DEAD", subjects.dead_letter)
    reasons = [headers["Jalur-Reason"] for _, headers in dead]
    assert len(reasons) == 2
    assert "message MSG-M transaction 2" in reasons[0] and "E2E-2" in reasons[0]
    assert "lots" in reasons[0]
    assert "message MSG-N transaction 1" in reasons[1] and "missing amount" in reasons[1]
    unknown = [json.loads(body) for body, _ in decided if b"MSG-N:I-2" in body]
    assert [r["code"] for r in unknown[0]["reasons"]] == ["currency:unknown"]  # reviewed, as JSON
    assert b"E2E-2" in dead[0][0] and b"E2E-1" not in dead[0][0]  # the bad transaction alone
    assert (counts.received, counts.decided, counts.dead) == (6, 4, 2)
    assert counts.received == counts.decided + counts.repeated + counts.dead


@pytest.mark.parametrize("fmt", ["pacs008"])
def test_the_batch_loader_takes_the_good_transactions_of_the_same_message(
    tmp_path: Path, fmt: str
) -> None:
    from jalur.store import Store
    from jalur.transactions import load_transactions, quarantine_rows

    path = tmp_path / "message.xml"
    path.write_bytes(GOOD_BAD_GOOD)
    with Store(":memory:") as store:
        counts = load_transactions(store, path, fmt)
        [bad] = quarantine_rows(store)
    assert counts.as_dict() == {"read": 3, "accepted": 2, "rejected": 1, "duplicates": 0}
    assert "transaction 2" in bad["source_position"] and "lots" in bad["reason"]


def _pain001(shared_data: Path, tmp_path: Path) -> bytes:
    """The real pain.001 sample (RUB, one credit transfer) with its transaction three times,
    the second with an amount that is not a number."""
    text = (shared_data / PAIN001).read_text(encoding="utf-8-sig")
    start, end = text.index("<CdtTrfTxInf>"), text.index("</CdtTrfTxInf>") + len("</CdtTrfTxInf>")
    one = text[start:end]
    copies = [
        one.replace("<EndToEndId>", f"<EndToEndId>{n}-").replace("<InstrId>", f"<InstrId>{n}-")
        for n in (1, 2, 3)
    ]
    copies[1] = re.sub(r'(<InstdAmt Ccy="RUB">)[^<]*', r"\1lots", copies[1])
    return (text[:start] + "".join(copies) + text[end:]).encode()


PAIN001 = "payments/iso20022/pain.001.001.03_RUB_international_payment.xml"


def test_a_pain001_with_several_transactions_is_read_as_pain001(
    decider: Decider, shared_data: Path, tmp_path: Path
) -> None:
    """It used to be read as a pacs.008 (both carry CdtTrfTxInf): no group header where a
    pacs.008 has it, so every transaction was refused for a missing time, `message None`."""
    app = FastAPI()
    app.include_router(payments_router(decider))
    answer = TestClient(app).post(
        "/v1/payments/decide",
        content=_pain001(shared_data, tmp_path),
        headers={"content-type": "application/xml"},
    )
    assert answer.status_code == 200, answer.text
    found = answer.json()
    assert len(found["payments"]) == 2
    [refused] = found["refused"]
    assert "message MSGID0003" in refused["position"] and "transaction 2" in refused["position"]
    assert "EndToEndId 2-" in refused["position"]
    assert refused["reason"] == "amount is not a number: lots"


def test_a_statement_is_no_payment_to_decide(decider: Decider, shared_data: Path) -> None:
    app = FastAPI()
    app.include_router(payments_router(decider))
    answer = TestClient(app).post(
        "/v1/payments/decide",
        content=(shared_data / "payments/iso20022/camt.053.001.02_statement_1.xml").read_bytes(),
        headers={"content-type": "application/xml"},
    )
    assert answer.status_code == 422
    assert "BkToCstmrStmt" in answer.json()["detail"]


def test_a_negative_amount_or_unknown_currency_in_a_message_is_reviewed_as_in_json(
    decider: Decider,
) -> None:
    """What `tx load` quarantines but the stream decides and reviews (docs/realtime.md: a
    negative amount, a currency outside ISO 4217, a time before 1900) is reviewed in a pacs.008
    too, not refused: its parties are still screened."""
    app = FastAPI()
    app.include_router(payments_router(decider))
    body = message(
        ("100.00", "EUR"), ("-5.00", "EUR"), ("7.00", "ZZZ"), ("8.00", "EUR"), msg_id="MSG-R"
    )
    fourth = body.rindex(b"<IntrBkSttlmDt>")  # dated year 1: a default or a typo
    body = body[:fourth] + b"<AccptncDtTm>0001-01-01T00:00:00Z</AccptncDtTm>" + body[fourth:]
    answer = TestClient(app).post(
        "/v1/payments/decide", content=body, headers={"content-type": "application/xml"}
    )
    assert answer.status_code == 200, answer.text
    found = answer.json()
    assert "refused" not in found
    codes = {p["tx_id"]: [r["code"] for r in p["reasons"]] for p in found["payments"]}
    assert codes == {
        "pacs008:MSG-R:I-1": [],
        "pacs008:MSG-R:I-2": ["amount:negative"],
        "pacs008:MSG-R:I-3": ["currency:unknown"],
        "pacs008:MSG-R:I-4": ["timestamp:past"],
    }
    assert found["decision"] == "review"


def test_an_amount_finer_than_its_currency_is_reviewed_not_refused(decider: Decider) -> None:
    """`tx load` quarantines 100.123 EUR (EUR has 2 decimals); the stream decides and reviews
    it, as a negative amount, its parties screened (docs/realtime.md)."""
    app = FastAPI()
    app.include_router(payments_router(decider))
    body = message(("100.00", "EUR"), ("100.123", "EUR"), msg_id="MSG-D")
    answer = TestClient(app).post(
        "/v1/payments/decide", content=body, headers={"content-type": "application/xml"}
    )
    assert answer.status_code == 200, answer.text
    found = answer.json()
    assert "refused" not in found
    codes = {p["tx_id"]: [r["code"] for r in p["reasons"]] for p in found["payments"]}
    assert codes == {"pacs008:MSG-D:I-1": [], "pacs008:MSG-D:I-2": ["amount:decimals"]}
    assert found["decision"] == "review"


def test_a_message_with_a_refused_transaction_is_never_answered_pass(decider: Decider) -> None:
    """Two ordinary transactions pass on their own; the message they came in with a third that
    could not be read is answered review at least, since that one was never screened."""
    app = FastAPI()
    app.include_router(payments_router(decider))
    client = TestClient(app)
    good = client.post(
        "/v1/payments/decide",
        content=message(("100.00", "EUR"), ("300.00", "EUR"), msg_id="MSG-G"),
        headers={"content-type": "application/xml"},
    ).json()
    assert good["decision"] == "pass", good
    found = client.post(
        "/v1/payments/decide",
        content=message(("100.00", "EUR"), ("lots", "EUR"), msg_id="MSG-R"),
        headers={"content-type": "application/xml"},
    ).json()
    assert found["decision"] == "review", found
    assert "message:part_refused" in [r["code"] for r in found["reasons"]]
    assert len(found["refused"]) == 1
