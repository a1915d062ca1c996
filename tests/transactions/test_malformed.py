"""Hypothesis feeds every reader malformed input: no crash, bad records quarantined, counts balance.

A reader may refuse a whole file only with `TransactionLoadError` (e.g. a header that is not the
format's); everything else must come back as counts where read = accepted + rejected +
duplicates and every rejected record sits in quarantine with a reason.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jalur.store import Store
from jalur.transactions import LoadCounts, TransactionLoadError, load_transactions

SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_PLAIN = st.text(
    st.characters(blacklist_characters=',"\r\n', blacklist_categories=["Cs"]), max_size=12
)
DATES = st.one_of(
    st.just("2022/09/01 10:00"),
    st.just("2022/13/45 99:99"),
    st.just(""),
    st.just("1 Sept 2022"),
    _PLAIN,
)
AMOUNTS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.integers(-(10**6), 10**6).map(str),
    st.just("12,5"),
    _PLAIN,
)
CURRENCIES = st.one_of(st.sampled_from(["US Dollar", "Euro", "Bitcoin", "ZZZ", "", "usd"]), _PLAIN)
ROW = st.tuples(DATES, _PLAIN, _PLAIN, AMOUNTS, CURRENCIES, st.sampled_from(["0", "1", "x"]))


def _load(data: bytes, name: str, fmt: str) -> tuple[LoadCounts | None, int]:
    """Load bytes as a file; the counts (None if refused as a whole) and quarantine size."""
    with tempfile.TemporaryDirectory() as folder, Store(":memory:") as store:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            counts = load_transactions(store, path, fmt)
        except TransactionLoadError:
            return None, 0
        (kept,) = store.execute("SELECT count(*) FROM tx_quarantine").fetchone() or (0,)
        (blank,) = store.execute(
            "SELECT count(*) FROM tx_quarantine WHERE reason IS NULL OR reason = ''"
        ).fetchone() or (0,)
        assert blank == 0
        assert counts.read == counts.accepted + counts.rejected + counts.duplicates
        return counts, int(kept)


@SETTINGS
@given(st.lists(ROW, min_size=1, max_size=8), st.binary(max_size=6))
def test_ibm_rows_with_bad_dates_amounts_currencies_and_bytes(
    rows: list[tuple[str, ...]], junk: bytes
) -> None:
    lines = [
        f"{d},1,A{i},2,B,{a},{c},{a},{c},{fmt or 'Wire'},{label}\n"
        for i, (d, fmt, _, a, c, label) in enumerate(rows)
    ]
    junk = junk.replace(b",", b"").replace(b"\n", b"").replace(b"\r", b"").replace(b'"', b"")
    data = (
        "Timestamp,From Bank,Account,To Bank,Account,Amount Received,Receiving Currency,"
        "Amount Paid,Payment Currency,Payment Format,Is Laundering\n" + "".join(lines)
    ).encode() + (b"2022/09/01 10:00,1,X," + junk + b",B,1,Euro,1,Euro,Wire,0\n")
    counts, kept = _load(data, "ibm.csv", "ibm")
    assert counts is not None
    assert counts.read == len(rows) + 1
    assert kept == counts.rejected


def _sample(samples: Path, name: str) -> bytes:
    return next(samples.rglob(name)).read_bytes()


XML = {
    "pacs008": "pacs.008*.xml",
    "pain001": "pain.001*.xml",
    "camt053": "camt.053*.xml",
    "mt103": "MT103*.fin",
}


@SETTINGS
@given(
    st.sampled_from(sorted(XML)),
    st.floats(0.0, 1.0),
    st.binary(max_size=4),
    st.sampled_from(["cut", "garble", "utf-16", "latin-1"]),
)
def test_messages_truncated_garbled_or_in_wrong_encoding(
    shared_data: Path, fmt: str, where: float, noise: bytes, damage: str
) -> None:
    data = _sample(shared_data / "payments", XML[fmt])
    at = int(len(data) * where)
    if damage == "cut":
        data = data[:at]
    elif damage == "garble":
        data = data[:at] + noise + data[at + len(noise) :]
    elif damage == "utf-16":
        data = data.decode("utf-8-sig").encode("utf-16")
    else:
        data = data.decode("utf-8-sig").encode("latin-1", "replace")
    counts, kept = _load(data, "message", fmt)
    if counts is not None:
        assert kept <= counts.rejected


PACS = """<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"><FIToFICstmrCdtTrf>
<GrpHdr><MsgId>M1</MsgId><CreDtTm>{date}</CreDtTm></GrpHdr>
<CdtTrfTxInf><PmtId><EndToEndId>E1</EndToEndId></PmtId>
<IntrBkSttlmAmt Ccy="{ccy}">{amount}</IntrBkSttlmAmt>
<Dbtr><Nm>Budi Santoso</Nm></Dbtr><Cdtr><Nm>Иванов Сергей</Nm></Cdtr></CdtTrfTxInf>
</FIToFICstmrCdtTrf></Document>"""


@SETTINGS
@given(
    st.sampled_from(["2021-04-09T07:20:00+07:00", "2021-02-30", "yesterday", ""]),
    st.sampled_from(["100.50", "-3", "1e400", "abc", ""]),
    st.sampled_from(["IDR", "RUB", "XYZ", ""]),
)
def test_pacs008_field_values(date: str, amount: str, ccy: str) -> None:
    from xml.sax.saxutils import escape

    data = PACS.format(date=escape(date), amount=escape(amount), ccy=ccy).encode()
    counts, kept = _load(data, "p.xml", "pacs008")
    assert counts is not None and counts.read == 1
    good = date.startswith("2021-04") and amount == "100.50" and ccy in ("IDR", "RUB")
    assert counts.accepted == int(good)
    assert kept == counts.rejected == int(not good)


MT = (
    "{{1:F01BANKIDJAXXXX0000000000}}{{2:I103BANKRUMMXXXXN}}{{4:\r\n:20:REF1\r\n"
    ":23B:CRED\r\n:32A:{value}\r\n:50K:/123\r\nBUDI SANTOSO\r\n:59:/456\r\nIVANOV\r\n"
    ":71A:SHA\r\n-}}"
)


@SETTINGS
@given(
    st.sampled_from(["210409IDR1000000,", "210230IDR5,", "210409ZZZ1,", "210409IDR", "garbage", ""])
)
def test_mt103_value_field(value: str) -> None:
    counts, kept = _load(MT.format(value=value).encode(), "m.fin", "mt103")
    assert counts is not None and counts.read == 1
    good = value == "210409IDR1000000,"
    assert counts.accepted == int(good) and kept == int(not good)


@SETTINGS
@given(
    st.lists(
        st.tuples(_PLAIN, _PLAIN, AMOUNTS, st.one_of(st.integers(-5, 400).map(str), _PLAIN)),
        min_size=1,
        max_size=8,
    )
)
def test_amlsim_graph_rows(rows: list[tuple[str, str, str, str]]) -> None:
    with tempfile.TemporaryDirectory() as folder, Store(":memory:") as store:
        base = Path(folder)
        lines = "".join(f"{s},{t},{v},{step}\n" for s, t, v, step in rows)
        (base / "transactions.csv").write_text("sourceNodeId,targetNodeId,value,time\n" + lines)
        (base / "nodes.csv").write_text("nodeid,isFraud,init_balance,fraudStep\n1,1,5.0,3\n")
        counts = load_transactions(store, base, "amlsim")
        assert counts.read == len(rows)
        assert counts.read == counts.accepted + counts.rejected + counts.duplicates
        (kept,) = store.execute("SELECT count(*) FROM tx_quarantine").fetchone() or (0,)
        assert kept == counts.rejected


@SETTINGS
@given(
    st.lists(st.tuples(DATES, AMOUNTS, CURRENCIES), min_size=1, max_size=8),
    st.sampled_from(["csv", "parquet"]),
)
def test_mapped_csv_and_parquet_with_text_columns(
    rows: list[tuple[str, str, str]], fmt: str
) -> None:
    import pyarrow as pa
    import pyarrow.csv as pv
    import pyarrow.parquet as pq

    table = pa.table(
        {"When": [r[0] for r in rows], "Amt": [r[1] for r in rows], "Ccy": [r[2] for r in rows]}
    )
    with tempfile.TemporaryDirectory() as folder, Store(":memory:") as store:
        path, mapping = Path(folder) / f"t.{fmt}", Path(folder) / "m.yaml"
        (pv.write_csv if fmt == "csv" else pq.write_table)(table, path)
        mapping.write_text(
            "columns:\n  timestamp: When\n  amount: Amt\n  currency: Ccy\n"
            "timestamp_format: '%Y/%m/%d %H:%M'\n"
        )
        counts = load_transactions(store, path, fmt, mapping=mapping)
        assert counts.read == len(rows)
        assert counts.read == counts.accepted + counts.rejected + counts.duplicates
        (kept,) = store.execute("SELECT count(*) FROM tx_quarantine").fetchone() or (0,)
        assert kept == counts.rejected


def test_a_block_4_without_fields_is_a_rejection_not_a_crash() -> None:
    """Found by the property test above: a message cut right after ``{4:`` and a colon."""
    from jalur.transactions.readers.mt103 import fields_of

    assert fields_of("\r\n:") == {}


def test_a_header_in_another_separator_says_which_and_how_to_map_it(
    store: Store, tmp_path: Path
) -> None:
    """Without a mapping a ';' export is one column: the error names the columns it saw and
    the separator the header uses, not only 'no column for timestamp'."""
    import pytest

    path = tmp_path / "export.csv"
    path.write_text(
        "tx_id;timestamp;orig_account;bene_account;amount;currency\nT1;2025-01-01;A;B;1;IDR\n"
    )
    with pytest.raises(TransactionLoadError, match=r"separated by ';'.*delimiter: \";\""):
        load_transactions(store, path, "csv")


def _mt_cut_before(marker: str) -> bytes:
    text = MT.format(value="210409IDR1000000,")
    return text[: text.index(marker)].encode()


def test_a_cut_mt103_is_quarantined_not_loaded_without_its_beneficiary() -> None:
    """A message cut before its end ('-}') lost fields: loaded, it is a payment with no
    beneficiary that no screening or monitoring would ever see for who received it."""
    for cut in (":59:", ":71A:", "-}"):
        counts, kept = _load(_mt_cut_before(cut), "m.fin", "mt103")
        assert counts is not None and (counts.read, counts.accepted, kept) == (1, 0, 1), cut


def test_an_mt103_without_a_party_is_quarantined() -> None:
    text = MT.format(value="210409IDR1000000,").replace(":59:/456\r\nIVANOV\r\n", "")
    counts, kept = _load(text.encode(), "m.fin", "mt103")
    assert counts is not None and (counts.accepted, kept) == (0, 1)
