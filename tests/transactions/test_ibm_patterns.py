"""IBM's own patterns file (HI-Small_Patterns.txt): laundering attempts between `BEGIN
LAUNDERING ATTEMPT - <SHAPE>` and `END LAUNDERING ATTEMPT` lines, rows without a header in IBM's
column order. `tx load --format ibm` refused it ("not an IBM AMLworld header")."""

from __future__ import annotations

from pathlib import Path

from jalur.store import Store

from .conftest import rows

FAN = [
    "2022/09/01 00:06,021174,800737690,012,80011F990,2848.96,Euro,2848.96,Euro,ACH,1\n",
    "2022/09/01 04:33,021174,800737690,020,80020C5B0,8630.40,Euro,8630.40,Euro,ACH,1\n",
]
CYCLE = [
    "2022/09/02 10:00,0119,811C597B0,0048,811C599A0,1000.00,US Dollar,1000.00,US Dollar,ACH,1\n"
]
PATTERNS = (
    "BEGIN LAUNDERING ATTEMPT - FAN-OUT:  Max 16-degree Fan-Out\n"
    + "".join(FAN)
    + "END LAUNDERING ATTEMPT - FAN-OUT\n"
    + "\n"
    + "BEGIN LAUNDERING ATTEMPT - CYCLE:  Max 10 hops\n"
    + "".join(CYCLE)
    + "END LAUNDERING ATTEMPT - CYCLE\n"
    + "2022/09/03 10:00,0119,A1,0048,B1,5.00,US Dollar,5.00,US Dollar,ACH,0\n"
)
HEADER = (
    "Timestamp,From Bank,Account,To Bank,Account,Amount Received,Receiving Currency,"
    "Amount Paid,Payment Currency,Payment Format,Is Laundering\n"
)


def test_the_patterns_file_loads_with_each_attempt_as_its_pattern(
    store: Store,
    tmp_path: Path,
    load,  # type: ignore[no-untyped-def]
) -> None:
    path = tmp_path / "HI-Small_Patterns.txt"
    path.write_text(PATTERNS, "utf-8")
    counts = load(path, "ibm")
    assert counts.as_dict() == {"read": 4, "accepted": 4, "rejected": 0, "duplicates": 0}
    found = {r["source_position"]: r["pattern_id"] for r in rows(store)}
    assert found == {
        "line 2": "ibm-attempt-1:FAN-OUT",
        "line 3": "ibm-attempt-1:FAN-OUT",
        "line 7": "ibm-attempt-2:CYCLE",
        "line 9": None,  # after the last END: in no attempt
    }
    euro = rows(store, "orig_account = '800737690' AND bene_bank = '012'")[0]
    assert (euro["amount"], euro["currency"], euro["label"]) == (2848.96, "EUR", True)


def test_an_attempt_payment_is_the_same_payment_as_in_the_transactions_file(
    store: Store,
    tmp_path: Path,
    load,  # type: ignore[no-untyped-def]
) -> None:
    patterns = tmp_path / "HI-Small_Patterns.txt"
    patterns.write_text(PATTERNS, "utf-8")
    trans = tmp_path / "HI-Small_Trans.csv"
    trans.write_text(HEADER + "".join(FAN + CYCLE), "utf-8")
    load(patterns, "ibm")
    assert load(trans, "ibm").duplicates == 3  # same content, same id: not counted twice


def test_ibms_own_patterns_file_loads(
    store: Store,
    shared_data: Path,
    load,  # type: ignore[no-untyped-def]
) -> None:
    path = shared_data / "monitoring" / "ibm_amlworld" / "HI-Small_Patterns.txt"
    lines = path.read_text("utf-8").splitlines()
    payments = [line for line in lines if line.strip() and "LAUNDERING ATTEMPT" not in line]
    begins = [line for line in lines if line.startswith("BEGIN LAUNDERING ATTEMPT")]
    counts = load(path, "ibm")
    assert counts.read == len(payments)
    assert counts.rejected == 0
    found = store.execute(
        "SELECT count(DISTINCT pattern_id), count(*) FILTER (WHERE pattern_id IS NULL) "
        "FROM transactions"
    ).fetchone()
    assert found == (len(begins), 0)
