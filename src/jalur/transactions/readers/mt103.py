"""SWIFT MT103 single customer credit transfers (FIN text, one or many messages per file).

Blocks 1–5 are split out; block 3 tag 121 is the UETR (the id, shared with the pacs.008 of the
same payment). Block 4 fields: 20 reference, 23B operation code, 32A value date/currency/amount
(the canonical amount), 33B instructed amount, 50a ordering customer (A/F/K), 52a ordering
institution, 56a intermediary, 57a account-with institution, 59a beneficiary (no letter/A/F),
70 remittance, 71A charges, 72 sender-to-receiver information (`/INS/` = a previous instructing
bank, kept with the intermediaries). The timestamp is the 32A value date at the input time of
block 2 when present (midnight UTC otherwise); its two-digit year is this century's unless
that lies more than `YEARS_AHEAD` years ahead. 33B, 71A and 23B are parsed (see `parse_message`)
but the canonical table has no column for them.

A file is streamed: its text is decoded a block at a time and cut into messages at each `{1:`,
so memory holds one message and one chunk of rows, not the file. A message past
`MAX_MESSAGE_CHARS` is quarantined unread and the reading resumes at the next message.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from jalur.transactions.errors import TransactionLoadError
from jalur.transactions.options import LoadOptions
from jalur.transactions.raw import Col, FieldMap, Part, RawChunk
from jalur.transactions.schema import COLUMNS

_BLOCK = re.compile(r"\{([1-5]):")
_FIELD = re.compile(r"^:(\d{2}[A-Z]?):", re.MULTILINE)
_32A = re.compile(r"^(\d{2})(\d{2})(\d{2})([A-Z]{3})(\d[\d,]*)$")
_BIC = re.compile(r"^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$")
#: Field 20, the sender's reference: what the sending bank knows the message by.
_REFERENCE = re.compile(r"^:20:([^\r\n{}]*)", re.MULTILINE)


def split_blocks(message: str) -> dict[str, str]:
    """Top-level blocks {1:…}…{5:…} by number (braces balanced, block 4 ends with '-}')."""
    blocks: dict[str, str] = {}
    position = 0
    while (match := _BLOCK.search(message, position)) is not None:
        depth, end = 1, match.end()
        while end < len(message) and depth:
            depth += {"{": 1, "}": -1}.get(message[end], 0)
            end += 1
        blocks[match.group(1)] = message[match.end() : end - 1]
        position = end
    return blocks


def fields_of(block4: str) -> dict[str, str]:
    """Block-4 fields by tag, values with their line breaks (last occurrence wins)."""
    body = block4.replace("\r\n", "\n").strip("\n").removesuffix("-").rstrip("\n")
    marks = list(_FIELD.finditer(body))
    fields = {}
    for mark, following in zip(marks, [*marks[1:], None], strict=False):  # none: no fields
        end = following.start() if following else len(body)
        fields[mark.group(1)] = body[mark.end() : end].strip("\n")
    return fields


#: Fields MT103 lets a message repeat (sender's correspondent time indications, sender's charges).
_REPEATABLE = {"13C", "71F"}
#: Fields with letter options (50A/F/K, 52A/D, 56A/C/D, 57A/B/C/D, 59/59A/59F).
_OPTIONS = {"50", "52", "53", "54", "55", "56", "57", "59"}


def repeated(block4: str) -> str | None:
    """Why a message holds a field twice, or None. `fields_of` keeps the last: a second 59a
    would hide the first beneficiary from screening, so such a message is quarantined. A
    field's letter options count as one field (50K and 50F are both the ordering customer)."""
    seen: dict[str, int] = {}
    for mark in _FIELD.finditer(block4.replace("\r\n", "\n")):
        tag = mark.group(1)
        if tag in _REPEATABLE:
            continue
        key = tag[:2] + "a" if tag[:2] in _OPTIONS else tag
        seen[key] = seen.get(key, 0) + 1
    twice = [f"{tag} ({count} times)" for tag, count in seen.items() if count > 1]
    return (
        f"field repeated: {', '.join(twice)}; which one is meant cannot be told" if twice else None
    )


def _party(fields: dict[str, str], tag: str) -> dict[str, str | None]:
    """Account, BIC, name, country, identifier and address of a 50a/59a party."""
    option = next((t for t in fields if t[:2] == tag), None)
    out: dict[str, str | None] = dict.fromkeys(
        ["account", "bic", "name", "country", "identifier", "address"]
    )
    if option is None:
        return out
    lines = fields[option].split("\n")
    if lines and lines[0].startswith("/"):
        out["account"] = lines.pop(0)[1:].strip() or None
    elif option.endswith("F") and lines and re.match(r"^[A-Z]{4}/", lines[0]):
        out["identifier"] = lines.pop(0)
    if option.endswith("A"):
        out["bic"] = lines[0].strip() if lines else None
        return out
    if option.endswith("F"):
        numbered = [(line[:1], line[2:]) for line in lines if line[1:2] == "/"]
        out["name"] = " ".join(v for k, v in numbered if k == "1") or None
        # 7: national identity number, 6: customer number (both `CC/…`), when line 1 was
        # an account and not the party identifier
        out["identifier"] = out["identifier"] or next(
            (v for code in "76" for k, v in numbered if k == code), None
        )
        out["address"] = ", ".join(v for k, v in numbered if k in "23") or None
        place = next((v for k, v in numbered if k == "3"), None)
        out["country"] = place.split("/")[0] if place else None
        return out
    out["name"] = lines[0].strip() if lines else None
    out["address"] = ", ".join(line.strip() for line in lines[1:]) or None
    return out


def _bank(fields: dict[str, str], tag: str) -> str | None:
    option = next((t for t in fields if t[:2] == tag), None)
    if option is None:
        return None
    lines = [line for line in fields[option].split("\n") if not line.startswith("/")]
    return lines[0].strip() if lines else None


def parse_message(message: str) -> dict[str, str | None]:
    """One MT103 as canonical text fields (plus `_reject` when it cannot be a payment)."""
    blocks = split_blocks(message)
    kind = blocks.get("2", "")[1:4] if blocks.get("2", "")[:1] in ("I", "O") else ""
    if kind and kind != "103":  # a gateway's file holds every message type of the day
        return {"_reject": f"an MT{kind}, not an MT103: not a customer credit transfer"}
    if "4" not in blocks:
        return {"_reject": "no block 4 (text block)"}
    fields = fields_of(blocks["4"])
    uetr = (re.search(r"\{121:([^}]*)\}", blocks.get("3", "")) or [None, None])[1]
    header = blocks.get("2", "")
    sender, receiver = _addresses(blocks.get("1", ""), header)
    value = _32A.match(fields.get("32A", "").strip())
    orig, bene = _party(fields, "50"), _party(fields, "59")
    record: dict[str, str | None] = {
        "tx_id": uetr.lower() if uetr else f"mt103:{sender[:8]}:{fields.get('20', '-')}",
        "uetr": uetr,
        "channel": "wire",
        "purpose": " ".join(fields.get("70", "").split("\n")) or None,
        "orig_bank": _bank(fields, "52") or _bic(sender),
        "bene_bank": _bank(fields, "57") or _bic(receiver),
        "intermediary_banks": "; ".join(
            v
            for v in [*re.findall(r"/INS/([A-Z0-9]+)", fields.get("72", "")), _bank(fields, "56")]
            if v
        )
        or None,
        "instructed_amount": fields.get("33B"),
        "charges": fields.get("71A"),
        "operation": fields.get("23B"),
    }
    for prefix, side in (("orig", orig), ("bene", bene)):
        for key in ("account", "name", "country", "identifier", "address"):
            record[f"{prefix}_{key}"] = side[key]
        if side["bic"] and not record[f"{prefix}_name"]:
            record[f"{prefix}_name"] = side["bic"]
    if side["bic"] and not record["bene_bank"]:  # a message without its headers
        record["bene_bank"] = side["bic"]
    for prefix, side in (("orig", orig), ("bene", bene)):
        record[f"{prefix}_country"] = (
            side["country"] or _bic_country(side["bic"]) or _bic_country(record[f"{prefix}_bank"])
        )
    problem = _incomplete(blocks["4"], fields) or repeated(blocks["4"]) or _nameless(fields, record)
    if problem is not None:
        record["_reject"] = problem
        return record
    if value is None:
        record["_reject"] = f"field 32A missing or not YYMMDDCCYamount: {fields.get('32A')!r}"
        return record
    yy, mm, dd, currency, amount = value.groups()
    time = header[4:8] if header.startswith("O") else "0000"
    record["timestamp"] = f"{_century(yy)}{yy}-{mm}-{dd} {time[:2]}:{time[2:]}:00"
    record["currency"], record["amount"] = currency, amount.replace(",", ".")
    return record


#: How many years ahead a two-digit value date may lie before it is the last century's (as
#: date libraries read two-digit years, Java's 80–20 window that SWIFT libraries use).
YEARS_AHEAD = 20


def _century(yy: str) -> str:
    """The century of 32A's two-digit year: this one, unless that is more than
    `YEARS_AHEAD` years ahead (an archive's `991231` is 1999, not 2099)."""
    return "20" if 2000 + int(yy) <= dt.date.today().year + YEARS_AHEAD else "19"


def _addresses(block1: str, block2: str) -> tuple[str, str]:
    """The logical terminal addresses of the Sender and the Receiver (12 characters each, or
    empty). An input message (`{2:I103…}`, as the sender's gateway writes it) has the sender
    in block 1 and the receiver in block 2; an output message (`{2:O103…}`, as the receiver's
    gateway writes it) the receiver in block 1 and the sender in block 2's MIR."""
    own = block1[3:15] if len(block1) >= 15 else ""
    if block2.startswith("O") and len(block2) >= 26:
        return block2[14:26], own
    if block2.startswith("I") and len(block2) >= 16:
        return own, block2[4:16]
    return own, ""


def _bic(address: str) -> str | None:
    """The BIC of a logical terminal address (its 9th character names the terminal).

    SWIFT's MT103 rules: without 52a the Sender is the ordering institution, without 57a the
    Receiver is the account-with institution (the beneficiary's bank). Without the latter a
    payment into a bank abroad had no beneficiary bank at all."""
    return address[:8] + address[9:12] if len(address) == 12 else None


def _bic_country(bic: str | None) -> str | None:
    """The country of a BIC (letters 5–6), or None for anything else (a 57D bank's name).

    50K and 59 carry no country: as in ISO 20022 (`xmlparty.party`) a party without one gets
    its own BIC's (50A/59A) or its bank's, so the same payment as MT103 and as pacs.008 is
    seen going to the same country (the MT103 had none)."""
    return bic[4:6] if bic and _BIC.match(bic) else None


def _incomplete(block4: str, fields: dict[str, str]) -> str | None:
    """Why a message is not whole: cut before its end, or without a payer or payee field.

    Loaded, such a message is a payment whose beneficiary (or originator) no screening or
    monitoring would ever see; quarantined, it is named and can be fetched again.
    """
    if not block4.rstrip().endswith("-"):
        return "block 4 does not end with '-}': the message is cut short"
    for tag, party in (("50", "ordering customer"), ("59", "beneficiary")):
        if not any(name.startswith(tag) for name in fields):
            return f"field {tag}a ({party}) missing"
    return None


def _nameless(fields: dict[str, str], record: dict[str, str | None]) -> str | None:
    """Why a payer or payee is an account alone: 50K, 50F, 59 and 59F must name the party
    (SWIFT's format); loaded, the payment is to or from nobody that screening can see."""
    for tag, prefix, party in (("50", "orig", "ordering customer"), ("59", "bene", "beneficiary")):
        option = next((t for t in fields if t[:2] == tag), tag)
        if not record.get(f"{prefix}_name"):
            return f"field {option} ({party}) has no name: a payment nobody can screen by name"
    return None


_SCHEMA = pa.schema([(c, pa.string()) for c in [*COLUMNS, "_pos", "_raw", "_reject", "_e2e"]])


#: Bytes read (and decoded) at a time: the file is streamed, message by message.
_BLOCK_CHARS = 1 << 16
#: The longest message read: a FIN message is at most 10,000 characters; past this bound
#: (a hundred times that) a message is quarantined unread and its text skipped to the next.
MAX_MESSAGE_CHARS = 1_000_000
#: The first characters of a record the quarantine keeps (as `normalize.MAX_TEXT`).
_KEEP_CHARS = 4000
_START = "{1:"


@dataclass(frozen=True)
class Message:
    """One message of a FIN file: its first line, its text (the first `MAX_MESSAGE_CHARS`
    only when `whole` is false: the rest was skipped unread)."""

    line: int
    text: str
    whole: bool = True


def messages(blocks: Iterable[str]) -> Iterator[Message]:
    """Each message of the text arriving in `blocks`: a message starts at a `{1:` block.

    Text before the first message is a (broken) record of its own, not noise; blank text
    there is skipped. Only one message (at most `MAX_MESSAGE_CHARS` and a block) is held.
    """
    buffer, line, first, skipping = "", 1, True, False
    partial = len(_START) - 1  # a start may be cut between two blocks
    for block in blocks:
        searched = max(1, len(buffer) - partial)
        buffer += block
        while buffer:
            if skipping:  # the rest of a message too long to read, up to the next one
                found = buffer.find(_START)
                if found < 0:
                    cut = max(0, len(buffer) - partial)
                    line += buffer.count("\n", 0, cut)
                    buffer = buffer[cut:]
                    break
                line += buffer.count("\n", 0, found)
                buffer, skipping, searched = buffer[found:], False, 1
            following = buffer.find(_START, searched)
            if following < 0:
                if len(buffer) > MAX_MESSAGE_CHARS:
                    if buffer.strip() or not first:
                        yield Message(line, buffer[:MAX_MESSAGE_CHARS], whole=False)
                    cut = len(buffer) - partial
                    line += buffer.count("\n", 0, cut)
                    buffer, first, skipping = buffer[cut:], False, True
                break
            text, buffer = buffer[:following], buffer[following:]
            if text.strip() or not first:
                yield Message(line, text)
            line += text.count("\n")
            first, searched = False, 1
    if not skipping and (buffer.strip() or (buffer and not first)):
        yield Message(line, buffer)


def _text_blocks(path: Path, encoding: str | None) -> Iterator[str]:
    """The file's text, decoded a block at a time (bytes invalid in the encoding become
    U+FFFD, which rejects their message); a byte-order mark is dropped."""
    decoder = codecs.getincrementaldecoder(encoding or "utf-8")(errors="replace")
    with path.open("rb") as file:
        first = True
        while data := file.read(_BLOCK_CHARS):
            text = decoder.decode(data)
            if first:
                text, first = text.removeprefix("\ufeff"), False
            yield text
        yield decoder.decode(b"", final=True)


def _record(message: Message) -> dict[str, str | None]:
    if not message.whole:
        record: dict[str, str | None] = {
            "_reject": f"message longer than {MAX_MESSAGE_CHARS:,} characters (a FIN message "
            "is at most 10,000): not read; the rest of it is skipped to the next message"
        }
    else:
        record = parse_message(message.text)
    if "\ufffd" in message.text and "_reject" not in record:
        record["_reject"] = "bytes that are not valid text (wrong encoding?)"
    return {**record, "_e2e": sender_reference(message.text)}


def sender_reference(text: str) -> str | None:
    """The message's field 20 (the sender's reference), kept with a quarantined message as
    ISO 20022's EndToEndId is: the position alone is nothing the sending bank can look up."""
    found = _REFERENCE.search(text)
    return found.group(1).strip() or None if found else None


def mt_chunks(path: Path, size: int, encoding: str | None) -> Iterator[RawChunk]:
    rows = []
    for number, message in enumerate(messages(_text_blocks(path, encoding)), start=1):
        rows.append(
            {
                **_record(message),
                "_pos": f"message {number} (line {message.line})",
                "_raw": message.text[:_KEEP_CHARS],
            }
        )
        if len(rows) >= size:
            yield RawChunk(pa.Table.from_pylist(rows, _SCHEMA))
            rows = []
    if rows:
        yield RawChunk(pa.Table.from_pylist(rows, _SCHEMA))


def open_mt103(path: Path, options: LoadOptions) -> list[Part]:
    if not path.is_file():
        raise TransactionLoadError(str(path), "path", "expected one FIN file")
    fields = FieldMap({c: Col(c) for c in COLUMNS}, id_prefix="mt103")
    return [Part(str(path), fields, lambda: mt_chunks(path, options.chunk_rows, options.encoding))]
