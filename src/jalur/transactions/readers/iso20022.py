"""ISO 20022 payment messages: pacs.008 (bank to bank), pain.001 (customer to bank), camt.053
(statement). Streamed with lxml's pull parser, one transaction element at a time; every complete
element no parser reads (whatever else the file holds) is dropped as the reading goes, so a
large file never sits in memory. A business application header envelope and a byte-order mark
are fine.

The id is the UETR where the message carries one (so the same payment seen as MT103 and as
pacs.008 is one row), else `<format>:<message id>:<transaction reference>`. A file that stops
being well-formed XML part way quarantines one record naming the line and the parser's reason;
the complete transactions before it still load.

The file is a sender's data: entities are not expanded, nothing is fetched, and libxml2 keeps
its limits (`huge_tree` off: a text node over 10 MB, nesting deeper than 256 elements or an
entity bomb ends the reading there, as broken XML does). A file of any size still streams:
the limits are per node, not per file (a 114 MB pacs.008 of 600,000 transactions parses).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

import pyarrow as pa
from lxml import etree

from jalur.transactions.errors import TransactionLoadError
from jalur.transactions.normalize import escape_controls
from jalur.transactions.options import LoadOptions
from jalur.transactions.raw import Col, FieldMap, Part, RawChunk, Rejected
from jalur.transactions.readers.xmlparty import (
    Element,
    agents,
    child,
    content,
    party,
    remittance,
    snippet,
    text,
)
from jalur.transactions.schema import COLUMNS

Record = dict[str, str | None]
_INTERMEDIARIES = (
    "PrvsInstgAgt1",
    "PrvsInstgAgt2",
    "PrvsInstgAgt3",
    "IntrmyAgt1",
    "IntrmyAgt2",
    "IntrmyAgt3",
)


def _amount(node: Element | None, path: str) -> tuple[str | None, str | None]:
    found = child(node, path)
    if found is None:
        return None, None
    return content(found).strip() or None, found.get("Ccy")


def _ref(node: Element, *paths: str) -> str | None:
    for path in paths:
        value = text(node, path)
        if value and value.upper() != "NOTPROVIDED":
            return value
    return None


def _tx_id(fmt: str, uetr: str | None, *parts: str | None) -> str:
    if uetr:
        return uetr.lower()
    return ":".join([fmt, *(part or "-" for part in parts)])


_ROLES = {"Cdtr": "creditor", "Dbtr": "debtor"}


def _unscreened(tx: Element, names: tuple[str, ...], side: str) -> str | None:
    """Why a transaction cannot be loaded for want of a party, or None: none of the elements
    `names` that identify its payer or payee is there (pacs.008 requires Dbtr and Cdtr; a
    pain.001 transaction needs its Cdtr or CdtrAcct). Loaded, it was a payment with no payer
    or no payee, which no screening sees; MT103 quarantines a message without 50a or 59a."""
    if any(child(tx, name) is not None for name in names):
        return None
    first = f"{names[0]} ({_ROLES[names[0]]})"
    missing = " and ".join([first, *names[1:]])
    return f"{missing} missing: a payment whose {side} nobody screens"


def _place(where: str, within: int, line: int | None, **references: str | None) -> str:
    """A record's position as a user finds it: its group (`message M`, `message M payment B`,
    `statement S`), its place within that group and the sender's references it has
    (`message M2 transaction 1 (TxId T7, line 40)`). The place used to count through the
    whole file, so the first transaction of a second message was `transaction 3`."""
    named = [f"{key} {escape_controls(value)}" for key, value in references.items() if value]
    return f"{where} {within} ({', '.join([*named, f'line {line}'])})"


def pacs008(tx: Element, index: int, within: int) -> Record:
    root = tx.getparent()
    header = child(root, "GrpHdr")
    amount, currency = _amount(tx, "IntrBkSttlmAmt")
    uetr = text(tx, "PmtId/UETR")
    return {
        "tx_id": _tx_id(
            "pacs008",
            uetr,
            text(header, "MsgId"),
            _ref(tx, "PmtId/TxId", "PmtId/InstrId", "PmtId/EndToEndId") or str(index),
        ),
        "timestamp": text(tx, "AccptncDtTm")
        or text(header, "CreDtTm")
        or text(tx, "IntrBkSttlmDt"),
        **party("orig", child(tx, "Dbtr"), child(tx, "DbtrAcct"), child(tx, "DbtrAgt")),
        **party("bene", child(tx, "Cdtr"), child(tx, "CdtrAcct"), child(tx, "CdtrAgt")),
        "amount": amount,
        "currency": currency,
        "channel": "wire",
        "purpose": remittance(tx),
        "uetr": uetr,
        "orig_ultimate": text(tx, "UltmtDbtr/Nm"),
        "bene_ultimate": text(tx, "UltmtCdtr/Nm"),
        "intermediary_banks": agents(tx, *_INTERMEDIARIES),
        "_e2e": text(tx, "PmtId/EndToEndId"),
        "_pos": _place(
            f"message {text(header, 'MsgId')} transaction",
            within,
            tx.sourceline,
            TxId=text(tx, "PmtId/TxId"),
        ),
        "_reject": _unscreened(tx, ("Cdtr",), "beneficiary")
        or _unscreened(tx, ("Dbtr",), "originator"),
    }


def pain001(tx: Element, index: int, within: int) -> Record:
    batch = tx.getparent()
    header = child(batch.getparent(), "GrpHdr")
    # `Amt` is a choice: the instructed amount, or an equivalent amount in the debtor's
    # currency to be paid in `CcyOfTrf` (read as the debtor pays it; it was left unread and
    # the transfer quarantined as `missing amount`).
    amount, currency = _amount(tx, "Amt/InstdAmt")
    if amount is None and currency is None:
        amount, currency = _amount(tx, "Amt/EqvtAmt/Amt")
    uetr = text(tx, "PmtId/UETR")
    when = text(batch, "ReqdExctnDt/DtTm") or text(batch, "ReqdExctnDt/Dt")
    return {
        "tx_id": _tx_id(
            "pain001",
            uetr,
            text(header, "MsgId"),
            text(batch, "PmtInfId"),
            _ref(tx, "PmtId/InstrId", "PmtId/EndToEndId") or str(index),
        ),
        "timestamp": when or text(batch, "ReqdExctnDt") or text(header, "CreDtTm"),
        **party("orig", child(batch, "Dbtr"), child(batch, "DbtrAcct"), child(batch, "DbtrAgt")),
        **party("bene", child(tx, "Cdtr"), child(tx, "CdtrAcct"), child(tx, "CdtrAgt")),
        "amount": amount,
        "currency": currency,
        "channel": "wire",
        "purpose": remittance(tx),
        "uetr": uetr,
        "orig_ultimate": text(tx, "UltmtDbtr/Nm") or text(batch, "UltmtDbtr/Nm"),
        "bene_ultimate": text(tx, "UltmtCdtr/Nm"),
        "intermediary_banks": agents(tx, "IntrmyAgt1", "IntrmyAgt2", "IntrmyAgt3"),
        "_e2e": text(tx, "PmtId/EndToEndId"),
        "_pos": _place(
            f"message {text(header, 'MsgId')} payment {text(batch, 'PmtInfId')} transaction",
            within,
            tx.sourceline,
            InstrId=text(tx, "PmtId/InstrId"),
        ),
        "_reject": _unscreened(tx, ("Cdtr", "CdtrAcct"), "beneficiary"),
    }


_FAMILY_CHANNEL = {
    "RCDT": "wire",
    "ICDT": "wire",
    "RDDT": "ach",
    "IDDT": "ach",
    "CCRD": "card",
    "RCHQ": "cheque",
    "ICHQ": "cheque",
    "CNTR": "cash",
    "MDOP": "fee",
}


def camt053(entry: Element, index: int, within: int) -> list[Record]:
    """One record per transaction detail of a statement entry (one if it has none); `index`
    counts entries through the file (ids of entries without a reference keep it), `within`
    through the statement (the position a user finds it by)."""
    statement = entry.getparent()
    account = child(statement, "Acct")
    owner, servicer = child(account, "Ownr"), child(account, "Svcr")
    indicator = text(entry, "CdtDbtInd")
    debit = indicator == "DBIT"
    wrong_way = _direction_problem(indicator)
    # A reversal (a returned transfer) names the parties of the payment it reverses and
    # moves the money the other way: a CRDT reversal returns what the owner paid.
    reversal = (text(entry, "RvslInd") or "").lower() in ("true", "1")
    paid = debit != reversal  # the owner was the payer of the payment the parties describe
    details = entry.findall("{*}NtryDtls/{*}TxDtls") or [entry]
    family = text(entry, "BkTxCd/Domn/Fmly/Cd")
    records = []
    for number, tx in enumerate(details, start=1):
        related = child(tx, "RltdPties")
        orig = party(
            "orig",
            _related(related, "Dbtr"),
            child(related, "DbtrAcct"),
            child(tx, "RltdAgts/DbtrAgt"),
        )
        bene = party(
            "bene",
            _related(related, "Cdtr"),
            child(related, "CdtrAcct"),
            child(tx, "RltdAgts/CdtrAgt"),
        )
        own = party("orig" if paid else "bene", owner, account, servicer)
        side = orig if paid else bene
        for key, value in own.items():
            side[key] = side[key] or value
        ultimate = (
            text(_related(related, "UltmtDbtr"), "Nm"),
            text(_related(related, "UltmtCdtr"), "Nm"),
        )
        if reversal:  # the money goes back: the payee of the original pays
            orig, bene = _as("orig", bene), _as("bene", orig)
            ultimate = ultimate[::-1]
        amount, currency, unsplit = _detail_amount(entry, tx, len(details))
        uetr = text(tx, "Refs/UETR")
        ref = _ref(tx, "Refs/AcctSvcrRef", "Refs/TxId", "Refs/EndToEndId", "Refs/InstrId")
        records.append(
            {
                "tx_id": _tx_id(
                    "camt053",
                    uetr,
                    text(statement, "Id"),
                    _ref(entry, "NtryRef", "AcctSvcrRef") or str(index),
                    ref or str(number),
                ),
                "timestamp": text(entry, "BookgDt/DtTm")
                or text(entry, "BookgDt/Dt")
                or text(entry, "ValDt/Dt"),
                **orig,
                **bene,
                "amount": amount,
                "currency": currency,
                "channel": _FAMILY_CHANNEL.get(family or "", (family or "").lower() or None),
                "purpose": remittance(tx) or text(entry, "AddtlNtryInf"),
                "uetr": uetr,
                "orig_ultimate": ultimate[0],
                "bene_ultimate": ultimate[1],
                "intermediary_banks": _intermediaries(child(tx, "RltdAgts")),
                "_e2e": text(tx, "Refs/EndToEndId"),
                "_reject": wrong_way or unsplit,
                "_pos": f"statement {text(statement, 'Id')} entry {within} detail {number} "
                f"(line {tx.sourceline})",
            }
        )
    return records


def _direction_problem(indicator: str | None) -> str | None:
    """Why an entry's `CdtDbtInd` (mandatory, CRDT or DBIT) tells no direction, or None.
    Anything else was read as a credit: the owner became the payee of what it may have paid."""
    if indicator in ("DBIT", "CRDT"):
        return None
    shown = escape_controls(indicator) if indicator else "missing"
    return f"CdtDbtInd is neither DBIT (debit) nor CRDT (credit): {shown}"


def _as(prefix: str, side: Record) -> Record:
    """One side's `orig_*` or `bene_*` fields under the other prefix."""
    return {f"{prefix}_{key.split('_', 1)[1]}": value for key, value in side.items()}


def _related(related: Element | None, name: str) -> Element | None:
    """A related party as `party` reads it (`Nm`, `PstlAdr`, `Id`): camt.053.001.02 writes
    the party itself (`<Cdtr><Nm>`); from .03 on it is a choice, `<Cdtr><Pty><Nm>` or, for a
    bank, `<Cdtr><Agt><FinInstnId><Nm>`. Read as .02, every later statement's counterparty
    lost its name, address and id: nothing was left to screen."""
    node = child(related, name)
    for choice in ("Pty", "Agt/FinInstnId"):
        if (found := child(node, choice)) is not None:
            return found
    return node


def _detail_amount(
    entry: Element, tx: Element, details: int
) -> tuple[str | None, str | None, str | None]:
    """Amount, currency and (when they cannot be told) why not, of one transaction detail.

    A detail's own amount is `Amt` (camt.053.001.03 on) or `AmtDtls/TxAmt/Amt` (.02). An entry
    with one detail, or none, has the entry's amount. A batch-booked entry whose details carry
    no amounts of their own cannot be split: each detail was given the whole entry's amount
    (three payments of 100, 200 and 300 read as three of 600), so they are quarantined.
    """
    for path in ("Amt", "AmtDtls/TxAmt/Amt"):
        amount, currency = _amount(tx, path) if tx is not entry else (None, None)
        if amount is not None:
            return amount, currency, None
    amount, currency = _amount(entry, "Amt")
    if details <= 1:
        return amount, currency, None
    return (
        amount,
        currency,
        f"entry of {details} transaction details without an amount of their own: the "
        f"entry's {amount} {currency} cannot be split between them",
    )


def _intermediaries(related_agents: Element | None) -> str | None:
    if related_agents is None:
        return None
    return agents(related_agents, "IntrmyAgt1", "IntrmyAgt2", "IntrmyAgt3")


#: A format's parser: the transaction element, its number in the file (ids without a reference
#: of their own keep it) and its number within its message, batch or statement (positions).
Parser = Callable[[Element, int, int], Record | list[Record]]
#: format → (transaction element, parser, what the file should be)
MESSAGES: dict[str, tuple[str, Parser, str]] = {
    "pacs008": ("CdtTrfTxInf", pacs008, "pacs.008 FIToFICstmrCdtTrf"),
    "pain001": ("CdtTrfTxInf", pain001, "pain.001 CstmrCdtTrfInitn"),
    "camt053": ("Ntry", camt053, "camt.053 BkToCstmrStmt"),
}
_FIELDS = FieldMap({c: Col(c) for c in COLUMNS}, id_prefix="iso20022")
_SCHEMA = pa.schema([(c, pa.string()) for c in [*COLUMNS, "_pos", "_raw", "_reject", "_e2e"]])


#: What each format's parser reads outside the transaction element, by local name: the
#: children of the transaction's message, payment batch or statement that stay in memory
#: (the first of each name; `child` reads the first too). Everything else that is not a
#: transaction is dropped once complete.
_CONTEXT: dict[str, frozenset[str]] = {
    "pacs008": frozenset({"GrpHdr"}),
    "pain001": frozenset(
        {"GrpHdr", "PmtInfId", "ReqdExctnDt", "Dbtr", "DbtrAcct", "DbtrAgt", "UltmtDbtr"}
    ),
    "camt053": frozenset({"Acct", "Id"}),
}
#: Bytes fed to the parser between two prunings of the tree read so far.
_BLOCK_BYTES = 1 << 16
#: A file whose first MiB holds neither a `Document` nor a transaction is no ISO 20022 message
#: (a business application header is a few KB): it is refused there, unread further.
_FIND_DOCUMENT_BYTES = 1 << 20


def _records(path: Path, fmt: str) -> Iterator[Record | Rejected]:
    tag, parse, _ = MESSAGES[fmt]
    index = within = 0
    group: Element | None = None  # the message, batch or statement `within` counts in
    broken = False  # the reading stopped at an error, already named: not "no transaction"
    try:
        for element in _transactions(path, fmt):
            index += 1
            parent = element.getparent()
            within = within + 1 if parent is group else 1
            group = parent
            raw = snippet(element)
            try:
                parsed = parse(element, index, within)
            except (ValueError, AttributeError, TypeError) as exc:
                yield Rejected(
                    _place(f"{_group_name(element, fmt)}transaction", within, element.sourceline),
                    f"unreadable {tag}: {exc}",
                    raw,
                    *_references(element),
                )
                continue
            for record in parsed if isinstance(parsed, list) else [parsed]:
                yield {**record, "_raw": raw}
            element.clear(keep_tail=True)
            while (previous := element.getprevious()) is not None and _is(previous, tag):
                element.getparent().remove(previous)
    except etree.XMLSyntaxError as exc:
        broken = True
        yield Rejected(
            f"line {exc.lineno}",
            f"XML not well-formed ({exc.msg}); nothing after this point could be read",
            None,
        )
    except OSError as exc:  # lxml reports bytes invalid in the declared encoding this way
        broken = True
        yield Rejected(
            f"after transaction {index}",
            f"file unreadable as XML text ({exc}); nothing after this point could be read",
            None,
        )
    if index == 0 and not broken:
        raise TransactionLoadError(
            str(path), "file", f"no {tag} element: is this a {MESSAGES[fmt][2]} message?"
        )


def _parser(tag: str) -> Any:
    return etree.XMLPullParser(
        events=("start", "end"),
        tag=[f"{{*}}{tag}", "{*}Document"],
        huge_tree=False,
        resolve_entities=False,
        no_network=True,
    )


#: Begins each document of a file that holds several, one after another (a gateway's export).
_DECLARATION = b"<?xml"
_BLANK = b" \t\r\n\xef\xbb\xbf"


def _segments(file: BinaryIO) -> Iterator[bytes | None]:
    """The file's bytes, a block at a time, with None where another XML document begins: an
    XML declaration after the first document's bytes. A gateway writes a day's messages one
    after another so; read as one document, all but the first were lost at the second
    declaration ("XML declaration allowed only at the start of the document")."""
    keep = len(_DECLARATION) - 1  # a declaration may be cut between two blocks
    pending, begun = b"", False
    while True:
        block = file.read(_BLOCK_BYTES)
        data = pending + block
        end = len(data) - keep if block else len(data)
        cursor = search = 0
        while 0 <= (found := data.find(_DECLARATION, search)) < end:
            if begun or data[cursor:found].strip(_BLANK):
                if found > cursor:
                    yield data[cursor:found]
                yield None
                cursor = found
            begun, search = True, found + 1
        cut = max(cursor, end)
        begun = begun or bool(data[cursor:cut].strip(_BLANK))
        if cut > cursor:
            yield data[cursor:cut]
        pending = data[cut:]
        if not block:
            return


def _transactions(path: Path, fmt: str) -> Iterator[Element]:
    """Each complete transaction element of the file, in order; the tree read so far is
    pruned after every block, so memory holds the open elements, the message context
    (`_CONTEXT`) and one block's worth, whatever else the file holds. A file of several
    documents one after another (`_segments`) is read one document at a time, each line
    counted in the file (`sourceline`, and a syntax error's line).

    Parsed with libxml2's limits (`huge_tree` off: text ≤ 10 MB, depth ≤ 256), entities
    unexpanded, nothing fetched (see the module docstring). A syntax error is raised after
    the transactions complete before it.
    """
    tag = MESSAGES[fmt][0]
    parser = _parser(tag)
    top: Element | None = None
    done = offset = lines = 0  # bytes of this document; lines before it; lines fed
    with path.open("rb") as file:
        for segment in _segments(file):
            error: etree.XMLSyntaxError | None = None
            try:
                if segment is not None:
                    parser.feed(segment)
                else:
                    parser.close()
            except etree.XMLSyntaxError as exc:
                error = exc
            for event, element in parser.read_events():
                top = top if top is not None else _top(element)
                if event == "end" and _is(element, tag):
                    yield _placed(element, offset)
            if error is not None:
                raise _in_file(error, offset)
            if segment is None:  # the next document
                parser, top, done, offset = _parser(tag), None, 0, lines
                continue
            done += len(segment)
            lines += segment.count(b"\n")
            if top is None and done >= _FIND_DOCUMENT_BYTES:
                raise TransactionLoadError(
                    str(path),
                    "file",
                    f"neither a Document nor a {tag} element in the first "
                    f"{_FIND_DOCUMENT_BYTES >> 20} MiB: is this a {MESSAGES[fmt][2]} message?",
                )
            if top is not None:
                _prune(top, _CONTEXT[fmt], tag)
        try:
            parser.close()
        except etree.XMLSyntaxError as exc:
            error = exc
        else:
            error = None
        for event, element in parser.read_events():
            if event == "end" and _is(element, tag):
                yield _placed(element, offset)
        if error is not None:
            raise _in_file(error, offset)


def _placed(element: Element, offset: int) -> Element:
    """A transaction of a later document, its lines counted from the file's start."""
    if offset:
        for node in element.iter():
            node.sourceline = (node.sourceline or 0) + offset
    return element


def _in_file(error: etree.XMLSyntaxError, offset: int) -> etree.XMLSyntaxError:
    """A syntax error of a later document, its lines counted from the file's start."""
    if offset:
        error.lineno = (error.lineno or 0) + offset
        error.msg = re.sub(
            r", line (\d+), column", lambda m: f", line {int(m[1]) + offset}, column", error.msg
        )
    return error


def _top(element: Element) -> Element:
    while (parent := element.getparent()) is not None:
        element = parent
    return element


def _prune(node: Element, context: frozenset[str], tag: str) -> None:
    """Drop every complete element no parser will read, down the open path of the tree.

    Each open element is the last child of its parent, so every other child is complete:
    a handled transaction, a sibling the parsers never read (`<Other>`, a header envelope,
    a finished payment batch) or context (kept, the first of each name). The walk stops at
    a transaction or context element, whose insides are its parser's.
    """
    while len(node):
        *complete, last = node
        kept: set[str] = set()
        for item in complete:
            name = etree.QName(item).localname if isinstance(item.tag, str) else None
            if name in context and name not in kept:
                kept.add(name)
            else:
                node.remove(item)
        if not isinstance(last.tag, str) or etree.QName(last).localname in context | {tag}:
            return
        node = last


def _group_name(tx: Element, fmt: str) -> str:
    """`message M ` (`message M payment B `, `statement S `) of a transaction no parser
    could read, where its ids can be read, else nothing."""
    parent = tx.getparent()
    try:
        if fmt == "camt053":
            return f"statement {text(parent, 'Id')} "
        if fmt == "pain001":
            batch = text(parent, "PmtInfId")
            parent = parent.getparent() if parent is not None else None
            return f"message {text(child(parent, 'GrpHdr'), 'MsgId')} payment {batch} "
        return f"message {text(child(parent, 'GrpHdr'), 'MsgId')} "
    except ValueError:  # an id itself is what cannot be read
        return ""


def _references(tx: Element) -> tuple[str | None, str | None]:
    """The EndToEndId and UETR of a transaction no parser could read, where they can be read:
    what the sender knows the quarantined record by."""
    found: list[str | None] = []
    for name in ("EndToEndId", "UETR"):
        try:
            found.append(text(tx, f"PmtId/{name}") or text(tx, f"Refs/{name}"))
        except ValueError:  # the reference itself is what cannot be read
            found.append(None)
    return found[0], found[1]


def _is(node: Element, tag: str) -> bool:
    return isinstance(node.tag, str) and etree.QName(node).localname == tag


def xml_chunks(path: Path, fmt: str, size: int) -> Iterator[RawChunk]:
    rows: list[Record] = []
    rejected: list[Rejected] = []
    for item in _records(path, fmt):
        if isinstance(item, Rejected):
            rejected.append(item)
        else:
            rows.append(item)
        if len(rows) + len(rejected) >= size:
            yield RawChunk(pa.Table.from_pylist(rows, _SCHEMA), rejected)
            rows, rejected = [], []
    if rows or rejected:
        yield RawChunk(pa.Table.from_pylist(rows, _SCHEMA), rejected)


def open_iso20022(fmt: str) -> Callable[[Path, LoadOptions], list[Part]]:
    def opener(path: Path, options: LoadOptions) -> list[Part]:
        if path.is_dir():
            raise TransactionLoadError(str(path), "path", "expected one XML file")
        fields = FieldMap(_FIELDS.fields, id_prefix=fmt)
        return [Part(str(path), fields, lambda: xml_chunks(path, fmt, options.chunk_rows))]

    return opener
