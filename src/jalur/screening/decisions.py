"""Decided false positives stay decided — until either side changes.

An analyst who has cleared "customer C is not list entry E" should not see that hit again on
every screening. `clear` records the decision with who made it, when, why, and a fingerprint
(sha256 over a canonical form) of both sides: the customer's data as screened (name, birth
dates, country, identifier, schema) and what screening reads of the list entry
(`SCREENED_PROPERTIES`: a list's bookkeeping, such as its "last updated" date, is no change). Later
screenings suppress the pair while both fingerprints are unchanged, and show it again, marked
`previously_cleared` with the decision, as soon as either changed (a new alias or birth date on
the list, another birth date for the customer). Commercial screeners call this a good-guy list;
yente only takes a per-request list of excluded ids.

Decisions are kept, never overwritten: the newest one for a pair is in force.
"""

from __future__ import annotations

import codecs
import csv
import getpass
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any, Final, Literal

from jalur.cells import unguard_cell
from jalur.inputs import file_problem
from jalur.lists import current_entity_rows
from jalur.screening.entities import (
    BIRTH_PROPS,
    COUNTRY_PROPS,
    FAMILY_PROPS,
    GIVEN_PROPS,
    ID_PROPS,
    NAME_PROPS,
    WEAK_PROPS,
    clean_identifier,
)
from jalur.screening.features import Query
from jalur.screening.fields import inert
from jalur.screening.sniff import separator_hint, sniff_delimiter
from jalur.screening.store import ensure_tables
from jalur.store import Store

CLEARED: Final = "cleared"
PREVIOUSLY_CLEARED: Final = "previously_cleared"
#: Where the name of the user who decided came from: signed in to an account (a workspace
#: with user accounts), else claimed.
SIGNED_IN = "signed in"
USER_SOURCES = (SIGNED_IN, "--user", "JALUR_USER", "os login")

Status = Literal["cleared", "previously_cleared"]


class DecisionError(ValueError):
    """A decision that cannot be recorded (unknown customer or entry, no reason…)."""


class UnlistedEntityError(DecisionError):
    """The entry named is no current list entry (`entity_id` as given)."""

    def __init__(self, message: str, entity_id: str) -> None:
        super().__init__(message)
        self.entity_id = entity_id


@dataclass(frozen=True, slots=True)
class Decision:
    """One analyst's decision that a customer is not a list entry."""

    customer_id: str
    list_name: str
    entity_id: str
    reason: str
    decided_by: str
    user_source: str  # one of USER_SOURCES
    decided_at: datetime
    customer_fingerprint: str
    entity_fingerprint: str

    def as_dict(self) -> dict[str, str]:
        return {
            "customer_id": self.customer_id,
            "list_name": self.list_name,
            "entity_id": self.entity_id,
            "reason": self.reason,
            "decided_by": self.decided_by,
            "user_source": self.user_source,
            "decided_at": self.decided_at.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class Verdict:
    """What a decision makes of a hit: still cleared, or cleared before and changed since."""

    status: Status
    decision: Decision
    changed: tuple[str, ...] = ()  # "customer", "entry": the sides that changed

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.status, "changed": list(self.changed), **self.decision.as_dict()}

    def note(self) -> str:
        """One line for a hits file: the decision and what changed since."""
        decided = self.decision
        text = (  # the reason and the name come from a file or a prompt: written out
            f"cleared {decided.decided_at:%Y-%m-%dT%H:%MZ} by {inert(decided.decided_by)} "
            f"({decided.user_source}): {inert(decided.reason)}"
        )
        return text + (f"; changed since: {', '.join(self.changed)}" if self.changed else "")


def resolve_user(option: str | None, environ: Mapping[str, str]) -> tuple[str, str]:
    """Who decides, and where that came from: `--user`, else `JALUR_USER`, else the login."""
    if option and option.strip():
        return option.strip(), "--user"
    if environ.get("JALUR_USER", "").strip():
        return environ["JALUR_USER"].strip(), "JALUR_USER"
    return getpass.getuser(), "os login"


#: The prefix of a customer fingerprint that reads the name as matching does, letter case
#: aside (`UMAR PATEK` is `Umar Patek`: an export switched to upper case brought every cleared
#: pair back); one without it (v1) held the name as written and is still compared that way.
CUSTOMER_V2: Final = "v2:"


def customer_fingerprint(query: Query) -> str:
    """v2: sha256 over the customer's data as matching reads it (spacing, letter case and
    format aside)."""
    return CUSTOMER_V2 + _digest(
        _customer_canonical(query, " ".join(query.name.casefold().split()))
    )


def customer_fingerprint_v1(query: Query) -> str:
    """v1 (decisions recorded before v2): the name as written, spacing collapsed."""
    return _digest(_customer_canonical(query, " ".join(query.name.split())))


def customer_fingerprints(query: Query) -> tuple[str, str]:
    """The customer's fingerprint made each way a stored decision may hold (v2, v1)."""
    return customer_fingerprint(query), customer_fingerprint_v1(query)


def _customer_canonical(query: Query, name: str) -> dict[str, Any]:
    return {
        "name": name,
        "birth_dates": sorted(query.birth_dates),
        "country": _country_key(query),
        "identifier": clean_identifier(query.identifier) if query.identifier else None,
        "schema": query.schema,
    }


def _country_key(query: Query) -> str | list[str] | None:
    """The countries a fingerprint holds: the one code as before (fingerprints recorded with
    one country still match), the sorted codes of a customer of several nationalities."""
    codes = query.country_codes
    return codes[0] if len(codes) == 1 else sorted(codes) if codes else None


#: What screening reads of a list entry, so what a cleared pair's entry fingerprint covers: the
#: names it matches on (strong and weak, and the given and family names that tell their parts
#: apart), the birth dates, countries and identifiers it compares, and the topics it shows and
#: ranks the risk by (`entities.listed_entity`) — with the schema and the property the entry's
#: caption is taken from (`_caption_source`). Gender, addresses, programmes, remarks and the
#: list's bookkeeping (`modifiedAt`, `createdAt`, `sourceUrl`…) are not read: a list update that
#: changes only them (the UN list's "last updated" dates, OFAC's XML form for its CSV) must not
#: bring every cleared pair back, and a new alias or birth date must.
SCREENED_PROPERTIES: Final = (
    *NAME_PROPS, *WEAK_PROPS, *GIVEN_PROPS, *FAMILY_PROPS, *BIRTH_PROPS, *COUNTRY_PROPS,
    *ID_PROPS, "topics",
)  # fmt: skip
#: The prefix of an entry fingerprint over `SCREENED_PROPERTIES`; a stored one without it (v1)
#: covers every FtM property and is still compared that way, so the decisions taken before
#: stay as they were (neither all shown again once nor kept past a change v1 saw).
ENTRY_V2: Final = "v2:"


def entry_fingerprint(data: Mapping[str, Any]) -> str:
    """v2: sha256 over what screening reads of a list entry (`SCREENED_PROPERTIES`, the caption's
    property and the schema), each property's values as a set: order and repeats are no change."""
    properties: Mapping[str, Sequence[str]] = data.get("properties", {})
    schema = data.get("schema")
    read = set(SCREENED_PROPERTIES) | set(_caption_source(schema, properties))
    canonical = {
        "schema": schema,
        "properties": {
            prop: sorted(set(values))
            for prop, values in sorted(properties.items())
            if prop in read and values
        },
    }
    return ENTRY_V2 + _digest(canonical)


def entry_fingerprint_v1(data: Mapping[str, Any]) -> str:
    """v1 (decisions stored before v2): sha256 over the schema and every FtM property."""
    properties = data.get("properties", {})
    canonical = {
        "schema": data.get("schema"),
        "properties": {prop: sorted(values) for prop, values in sorted(properties.items())},
    }
    return _digest(canonical)


def entry_fingerprint_as(stored: str, data: Mapping[str, Any]) -> str:
    """The entry's fingerprint now, made the way `stored` (a decision's) was made."""
    return (entry_fingerprint if stored.startswith(ENTRY_V2) else entry_fingerprint_v1)(data)


def _caption_source(schema: str | None, properties: Mapping[str, Sequence[str]]) -> tuple[str, ...]:
    """The property a hit's caption comes from: FtM takes the first of the schema's caption
    properties that has a value (`name` for nearly every entry; a vessel without one shows its
    IMO number, a wallet its public key)."""
    for prop in _caption_properties(schema or ""):
        if properties.get(prop):
            return (prop,)
    return ()


@cache
def _caption_properties(schema: str) -> tuple[str, ...]:
    from followthemoney import model as ftm_model

    found = ftm_model.get(schema)
    return tuple(found.caption) if found is not None else ()


def _digest(canonical: Mapping[str, Any]) -> str:
    body = json.dumps(canonical, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def current_entries(store: Store, lists: list[str] | None = None) -> dict[str, dict[str, str]]:
    """entity id → {list name → fingerprint of its current version} (subjects only)."""
    entries: dict[str, dict[str, str]] = {}
    for list_name, entity_id, _, _, _, data in current_entity_rows(store, lists):
        entries.setdefault(entity_id, {})[list_name] = entry_fingerprint(json.loads(data))
    return entries


@dataclass(frozen=True)
class Clearing:
    """A decision to record: which customer (as screened), which entry, why, who."""

    customer_id: str
    customer: Query
    entity_id: str
    reason: str
    user: tuple[str, str]  # (name, source) from `resolve_user`
    list_name: str | None = None
    #: Every name the customer was screened under (a payment account may have several);
    #: `customer` is the one the decision fingerprints.
    names: tuple[Query, ...] = ()


def record(store: Store, clearing: Clearing, entries: dict[str, dict[str, str]]) -> Decision:
    """Check a clearing against the current list entries and keep it (raises DecisionError)."""
    if not clearing.reason.strip():
        raise DecisionError("a reason is required")
    list_name, fingerprint = _entry(clearing, entries)
    decision = Decision(
        customer_id=clearing.customer_id, list_name=list_name, entity_id=clearing.entity_id,
        reason=clearing.reason.strip(), decided_by=clearing.user[0], user_source=clearing.user[1],
        decided_at=datetime.now(UTC), customer_fingerprint=customer_fingerprint(clearing.customer),
        entity_fingerprint=fingerprint,
    )  # fmt: skip
    ensure_tables(store)
    store.execute(
        "INSERT INTO screening_decisions VALUES (?, ?, ?, 'cleared', ?, ?, ?, ?, ?, ?)",
        [decision.customer_id, decision.list_name, decision.entity_id, decision.reason,
         decision.decided_by, decision.user_source, decision.decided_at,
         decision.customer_fingerprint, decision.entity_fingerprint],
    )  # fmt: skip
    return decision


def _entry(clearing: Clearing, entries: dict[str, dict[str, str]]) -> tuple[str, str]:
    """(list, fingerprint) of the entry cleared: it must be listed, in one list or the named."""
    listed = entries.get(clearing.entity_id, {})
    if clearing.list_name is not None:
        listed = {k: v for k, v in listed.items() if k == clearing.list_name}
    if not listed:
        where = f" on list {clearing.list_name!r}" if clearing.list_name else ""
        raise UnlistedEntityError(
            f"entity {clearing.entity_id!r} is not listed{where}", clearing.entity_id
        )
    if len(listed) > 1:
        raise DecisionError(
            f"entity {clearing.entity_id!r} is on lists {sorted(listed)}: name one with --list"
        )
    return next(iter(listed.items()))


#: Columns of a bulk clearing file (`list` optional: needed only for an entry on several lists).
CLEAR_COLUMNS = ("customer", "entity", "reason")
#: Characters of the header line read to tell its separator.
MAX_LINE = 1 << 20
#: The key under which `read_clearings` gives why a row could not be read (no header has it).
_UNREADABLE = "\x00unreadable"


@dataclass
class ClearReport:
    """What a clearing run recorded; counts balance: read = recorded + rejected."""

    read: int = 0
    recorded: list[Decision] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "recorded": len(self.recorded),
            "rejected": len(self.errors),
            "errors": self.errors,
            "decisions": [d.as_dict() for d in self.recorded],
        }


def read_clearings(path: Path, encoding: str = "utf-8") -> Iterator[tuple[str, dict[str, str]]]:
    """(row label, row) of a CSV with columns customer,entity,reason[,list] (any case), separated
    by ',', ';', tab or '|'. Rows are numbered from the first below the header, blank lines
    counted (and passed over), so `row 7` is the seventh row in the file whatever is above it.
    A cell as a hits CSV guards it for a spreadsheet (`'=x`) is read as the value it guards
    (`=x`): the ids cleared are the ids screened.

    A file not in `encoding` (UTF-8, with or without a byte-order mark, unless told) is refused
    before its first row, naming its first bad line, as a customer file is: it stopped half-way
    with a traceback, the rows above the bad byte already recorded."""
    from jalur.screening.batch import (  # batch imports us
        BatchInputError,
        check_encoding,
        file_encoding,
    )

    if not path.exists():
        raise DecisionError(f"{path}: no such file")
    if problem := file_problem(path):
        raise DecisionError(f"{path}: {problem}")
    try:
        encoding = file_encoding(path, encoding)
        check_encoding(path, encoding)
    except BatchInputError as exc:
        raise DecisionError(str(exc)) from None
    codec = codecs.lookup(encoding).name
    with path.open(encoding="utf-8-sig" if codec == "utf-8" else codec, newline="") as handle:
        try:
            first = handle.readline(MAX_LINE)
            hint = separator_hint(first)  # Excel's `sep=;` line: the header comes after it
            delimiter = hint or sniff_delimiter(first.rstrip("\r\n"))
            if hint is None:
                handle.seek(0)
            reader = csv.reader(handle, delimiter=delimiter)
            fields = [name.strip().lower() for name in next(reader, [])]
        except csv.Error as exc:
            raise DecisionError(f"{path}: line 1: not a CSV header ({exc})") from None
        missing = set(CLEAR_COLUMNS) - set(fields)
        if missing:
            raise DecisionError(f"{path}: lacks column(s) {sorted(missing)}")
        number = 0
        while True:
            number += 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:  # a cell past the reader's 128 KiB: this row only
                yield f"row {number}", {_UNREADABLE: f"unreadable CSV row ({exc})"}
                continue
            if not cells:
                continue  # a blank line: no row to clear, but counted, as the rows after it are
            if len(cells) > len(fields):  # a separator inside an unquoted reason
                yield f"row {number}", {_UNREADABLE: _extra_cells(len(cells), fields, delimiter)}
                continue
            row = dict(zip(fields, cells, strict=False))
            yield (
                f"row {number}",
                {k: unguard_cell((row.get(k) or "").strip()) for k in fields if k},
            )


def _extra_cells(cells: int, fields: list[str], delimiter: str) -> str:
    """Why a row with more cells than the header is refused: recorded, its reason was cut to
    the header's cells and the rest dropped (`not him; born 1980` recorded as `not him`)."""
    return (
        f"{cells} cells where the header has {len(fields)}"
        f" (a {delimiter!r} inside a value not in quotes?): nothing recorded for this row"
    )


#: The (list, entity id) pairs a customer hits now, and the threshold they were found at.
Meets = Callable[[Query], set[tuple[str, str]]]


def clear_all(
    store: Store,
    rows: Iterable[tuple[str, Mapping[str, str]]],
    user: tuple[str, str],
    find: Callable[[str], Sequence[Query]],
    meets: tuple[Meets, float] | None = None,
) -> ClearReport:
    """Record each (label, customer/entity/reason[/list]) row; a bad row is named, the rest
    still recorded. `find` gives a customer's data as last screened, one per name (a payment
    account seen under several; none: never screened); with `meets`, a pair that no name of
    the customer hits now is refused (a mistyped entity id would otherwise be "cleared" while
    the hit meant stays, and a later hit on that pair be suppressed by a decision nobody took
    on it), and the decision fingerprints the name that hits."""
    report = ClearReport()
    entries = current_entries(store)
    for label, row in rows:
        report.read += 1
        try:
            clearing = _clearing(row, user, find)
            if meets is not None:
                clearing = _check_met(clearing, entries, *meets)
            report.recorded.append(record(store, clearing, entries))
        except UnlistedEntityError as exc:
            report.errors.append(f"{label}: {exc}{_source_id_hint(store, exc.entity_id)}")
        except DecisionError as exc:
            report.errors.append(f"{label}: {exc}")
    return report


def _source_id_hint(store: Store, given: str) -> str:
    """The entity ids of the entries whose own list id is `given`, as a hint to give one.

    `screen name` shows a hit by its list and the list's own id (`ofac-sdn 12599`), so that
    id is what an analyst types; `screen clear` wants the entity id (`ofac-12599`, or
    `id-dttot-ofac-12599` on a national list), and "not listed" alone did not say so."""
    found = [
        f"{entity_id} ({list_name})"
        for list_name, entity_id, _, source_id, _, _ in current_entity_rows(store)
        if source_id is not None and source_id.casefold() == given.strip().casefold()
    ]
    if not found:
        return ""
    return f"; it is the list's own id of {', '.join(found)}: give the entity id"


def _check_met(
    clearing: Clearing, entries: dict[str, dict[str, str]], meets: Meets, threshold: float
) -> Clearing:
    """`clearing` as the first of the customer's names that hits the entry (screened in name
    order); no name hits it: refused, naming every name screened."""
    if not clearing.reason.strip():
        return clearing  # `record` names the missing reason first
    list_name, _ = _entry(clearing, entries)
    names = clearing.names or (clearing.customer,)
    for name in names:
        if (list_name, clearing.entity_id) in meets(name):
            return replace(clearing, customer=name)
    screened = ", ".join(repr(name.name) for name in names)
    raise DecisionError(
        f"customer {clearing.customer_id!r} (screened as {screened}) has no hit on"
        f" {clearing.entity_id} ({list_name}) at threshold {threshold:g}: nothing to clear"
    )


def _clearing(
    row: Mapping[str, str], user: tuple[str, str], find: Callable[[str], Sequence[Query]]
) -> Clearing:
    if unreadable := row.get(_UNREADABLE):
        raise DecisionError(unreadable)
    customer_id, entity_id = row.get("customer", ""), row.get("entity", "")
    if not customer_id or not entity_id:
        raise DecisionError("customer and entity are required")
    names = tuple(find(customer_id))
    if not names:
        raise DecisionError(
            f"customer {customer_id!r} was never screened (screen batch, screen name "
            "--customer-id, or a payment party's account)"
        )
    list_name = row.get("list") or None
    reason = row.get("reason", "")
    return Clearing(customer_id, names[0], entity_id, reason, user, list_name, names)


def _decision(row: tuple[Any, ...]) -> Decision:
    customer, list_name, entity, reason, by, source, at, customer_fp, entity_fp = row
    return Decision(
        customer, list_name, entity, reason, by, source, at.astimezone(UTC), customer_fp, entity_fp
    )


def _entries_now(
    store: Store, stored: Mapping[tuple[str, str], set[str]]
) -> dict[tuple[str, str], frozenset[str]]:
    """The decided entries' fingerprints as listed now, each made as a decision on it was (a
    v1 decision compared the old way, a v2 the new); an entry no longer listed has none."""
    if not stored:
        return {}
    now: dict[tuple[str, str], frozenset[str]] = {}
    for list_name, entity_id, _, _, _, data in current_entity_rows(
        store, sorted({list_name for list_name, _ in stored})
    ):
        prints = stored.get((list_name, entity_id))
        if prints:
            entry = json.loads(data)
            now[(list_name, entity_id)] = frozenset(entry_fingerprint_as(p, entry) for p in prints)
    return now


@dataclass
class Tally:
    """Hits of decided pairs in one run: suppressed (still cleared), shown again (changed
    since), and still cleared but shown, marked, because `--include-cleared` asked (they were
    counted as suppressed while the hits file held them)."""

    suppressed: int = 0
    previously_cleared: int = 0
    cleared_shown: int = 0

    def count(self, verdict: Verdict, shown: bool = False) -> None:
        if verdict.status != CLEARED:
            self.previously_cleared += 1
        elif shown:
            self.cleared_shown += 1
        else:
            self.suppressed += 1

    def as_dict(self) -> dict[str, int]:
        return {
            "suppressed": self.suppressed,
            "previously_cleared": self.previously_cleared,
            "cleared_shown": self.cleared_shown,
        }


@dataclass(frozen=True)
class Decisions:
    """The decisions in force (the newest per pair) and the decided entries as listed now."""

    latest: Mapping[tuple[str, str, str], Decision]  # (customer, list, entity) → decision
    #: (list, entity) → its fingerprints now, made each way (v1, v2) a decision on it was made
    entries_now: Mapping[tuple[str, str], frozenset[str]]
    customers: frozenset[str]

    @classmethod
    def load(cls, store: Store) -> Decisions:
        ensure_tables(store)
        rows = store.execute(
            """SELECT customer_id, list_name, entity_id, reason, decided_by, user_source,
                      decided_at, customer_fingerprint, entity_fingerprint
               FROM screening_decisions ORDER BY decided_at"""
        ).fetchall()
        latest = {(r[0], r[1], r[2]): _decision(r) for r in rows}
        stored: dict[tuple[str, str], set[str]] = {}
        for (_, list_name, entity_id), decision in latest.items():
            stored.setdefault((list_name, entity_id), set()).add(decision.entity_fingerprint)
        return cls(latest, _entries_now(store, stored), frozenset(key[0] for key in latest))

    def __bool__(self) -> bool:
        return bool(self.latest)

    def sift(
        self,
        customer_id: str,
        customer: Query | tuple[str, ...] | None,
        rows: list[dict[str, Any]],
        tally: Tally,
        include_cleared: bool = False,
    ) -> list[dict[str, Any]]:
        """The hit rows of one customer to report: a cleared pair left out (or, with
        `include_cleared`, kept and marked), a pair cleared before and changed since kept and
        marked. Rows name their entry by `list` or `list_name`, and `entity_id`; a marked row
        gains `decision` (its status) and `decided` (the decision, and what changed)."""
        if customer_id not in self.customers:
            return rows
        prints = customer_fingerprints(customer) if isinstance(customer, Query) else customer
        kept = []
        for row in rows:
            list_name = row["list"] if "list" in row else row["list_name"]
            verdict = self.verdict(customer_id, prints, list_name, row["entity_id"])
            if verdict is not None:
                row = {**row, "decision": verdict.status, "decided": verdict.note()}
                tally.count(verdict, shown=include_cleared)
            if verdict is None or verdict.status != CLEARED or include_cleared:
                kept.append(row)
        return kept

    def verdict(
        self, customer_id: str, prints: tuple[str, ...] | None, list_name: str, entity_id: str
    ) -> Verdict | None:
        """The decision's word on a hit of `customer_id` (screened as `prints`: its fingerprint
        made each way, `customer_fingerprints`), if any."""
        decision = self.latest.get((customer_id, list_name, entity_id))
        if decision is None:
            return None
        changed = tuple(
            side
            for side, same in (
                ("customer", decision.customer_fingerprint in (prints or ())),
                ("entry", decision.entity_fingerprint
                 in self.entries_now.get((list_name, entity_id), ())),
            )
            if not same
        )  # fmt: skip
        return Verdict(PREVIOUSLY_CLEARED if changed else CLEARED, decision, changed)
