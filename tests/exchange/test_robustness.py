"""Hostile or odd input: random bytes as packages, broken cards, odd transaction tables."""

from __future__ import annotations

from datetime import UTC, datetime

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jalur.exchange import ExchangeError, PackageRejectedError, parse_card
from jalur.exchange.envelope import MAGIC, parse
from jalur.exchange.package import read_payload
from jalur.exchange.related_tx import related_transactions
from jalur.model import TRANSACTION_SCHEMA, make_entity
from jalur.store import Store


@settings(max_examples=80, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_are_rejected_with_a_reason(data: bytes) -> None:
    for candidate in (data, MAGIC + data):
        with pytest.raises(PackageRejectedError) as caught:
            parse(candidate, "f")
        assert caught.value.reason


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=300))
def test_random_payloads_are_rejected(data: bytes) -> None:
    with pytest.raises(PackageRejectedError):
        read_payload(data, "f")


@settings(max_examples=40, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["format", "name", "keys", "issued", "signatures"]),
        st.one_of(st.text(max_size=5), st.lists(st.text(max_size=3), max_size=2)),
    )
)
def test_broken_cards_are_refused(data: dict[str, object]) -> None:
    with pytest.raises(ExchangeError):
        parse_card({**data, "format": "jalur-card/1"})


def _abu() -> list:
    person = make_entity("Person", "p1")
    person.add("name", "Abu Rusdan")
    person.add("idNumber", "1608600001")
    return [person]


def test_no_transactions_table_means_no_payments(store: Store) -> None:
    assert related_transactions(store, _abu()).num_rows == 0


def test_a_table_with_fewer_columns_is_read_defensively(store: Store) -> None:
    store.execute(
        "CREATE TABLE transactions (tx_id VARCHAR, timestamp TIMESTAMPTZ, orig_name VARCHAR, "
        "bene_identifier VARCHAR, amount DOUBLE, currency VARCHAR)"
    )
    when = datetime(2025, 1, 2, tzinfo=UTC)
    rows = [
        ("t1", when, "RUSDAN, Abu", None, 10.0, "IDR"),
        ("t2", when, "x", "1608-6000-01", 20.0, "IDR"),
        ("t3", when, "Abu Rusdani", None, 30.0, "IDR"),
    ]
    for row in rows:
        store.execute("INSERT INTO transactions VALUES (?, ?, ?, ?, ?, ?)", list(row))
    table = related_transactions(store, _abu())
    assert table.schema.names == TRANSACTION_SCHEMA.names
    assert table.column("tx_id").to_pylist() == ["t1", "t2"]
    assert table.column("bene_name").null_count == 2
    assert isinstance(table, pa.Table)
