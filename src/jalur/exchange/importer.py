"""`jalur exchange import`: verify, then store a partner's package with its provenance.

Nothing is stored unless every check passes (see `verify`); a rejection is still written to
the exchange log, because an FIU must be able to say what it refused and why. Imported
entities get namespaced ids (the partner's `p1` never collides with a local `p1`) and carry
the provenance and caveats in their FtM context; terror-listed subjects also become the
watchlist `exchange-<partner>`, which screening reads with every other current list.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pyarrow as pa
from followthemoney.namespace import Namespace
from followthemoney.proxy import EntityProxy
from followthemoney.types import registry

from jalur import lists
from jalur.exchange import log as exchange_log
from jalur.exchange.canonical import iso, sha256_hex, utcnow
from jalur.exchange.errors import ExchangeError, ImportFailedError, PackageRejectedError
from jalur.exchange.identity import Identity
from jalur.exchange.limits import ExchangeLimits
from jalur.exchange.package import (
    DEFAULT_CAVEATS,
    ENTITIES_FILE,
    Contents,
    Dropped,
    read_payload,
)
from jalur.exchange.resolve import EXCHANGE_LIST_PREFIX, Link, LocalIndex, link_subject
from jalur.exchange.subjects import is_subject
from jalur.exchange.tables import ensure_tables
from jalur.exchange.verify import Opened, open_sealed
from jalur.lists import ListLoadError, current_entities, load_entities
from jalur.model import TOPIC_TERROR, TRANSACTION_SCHEMA
from jalur.store import Store
from jalur.users import CLASSIFICATIONS, level

#: Dropped values listed in an import's summary (`--json`); all are counted, and each entity
#: keeps its own list in `context.exchange.dropped`.
MAX_DROPPED_LISTED = 1000


@dataclass
class ImportReport:
    package_id: str
    partner: str
    entities: int
    transactions: int
    caveats: list[str]
    classification: str
    links: list[Link] = field(default_factory=list)
    watchlist: str | None = None
    watchlist_entries: int = 0
    #: Values of the partner's entities that FtM did not keep (the entities are kept).
    dropped: list[Dropped] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "package_id": self.package_id,
            "partner": self.partner,
            "entities": self.entities,
            "transactions": self.transactions,
            "caveats": self.caveats,
            "classification": self.classification,
            "links": [link.__dict__ for link in self.links],
            "watchlist": self.watchlist,
            "watchlist_entries": self.watchlist_entries,
            "dropped_values": len(self.dropped),
            "dropped": [d.as_dict() for d in self.dropped[:MAX_DROPPED_LISTED]],
        }


def import_package(
    store: Store,
    identity: Identity,
    passphrase: str,
    data: bytes,
    source: str,
    now: datetime | None = None,
    limits: ExchangeLimits | None = None,
) -> ImportReport:
    """Verify, then store everything of the package in one transaction, or nothing.

    One transaction covers the package record, its entities, payments and links, the log
    entry and the partner's exchange watchlist: a crash at any point leaves the package not
    received, so importing the same file again completes it (no replay refusal, no lost
    terror-listed subject).
    """
    try:
        opened = open_sealed(store, identity, passphrase, data, source, "package", now)
        contents = read_payload(opened.payload, source, limits)
        _check_manifest(opened, contents, source)
        _check_entity_ids(contents.entities, source)
        _check_onward_handling(contents, source)
    except PackageRejectedError as exc:
        exchange_log.append(
            store,
            "import-rejected",
            None,
            None,
            {"file": source, "file_sha256": sha256_hex(data), "reason": exc.reason},
        )
        raise
    try:
        return _store(store, opened, contents, sha256_hex(data))
    except ExchangeError as exc:
        # the transaction rolled back: nothing of the package is kept, so a retry is no replay
        partner, package_id = opened.partner.partner, opened.envelope.header["id"]
        detail = {"file": source, "file_sha256": sha256_hex(data), "reason": str(exc)}
        exchange_log.append(store, "import-failed", partner, package_id, detail)
        raise ImportFailedError(str(exc), partner, package_id, detail) from exc


def _check_manifest(opened: Opened, contents: Contents, source: str) -> None:
    """The manifest inside must describe the envelope outside (no swapped manifests)."""
    header, manifest = opened.envelope.header, contents.manifest
    sender, listed = manifest.get("sender"), manifest.get("recipients")
    if not (
        isinstance(sender, dict)
        and isinstance(listed, list)
        and all(isinstance(r, dict) and isinstance(r.get("key_id"), str) for r in listed)
    ):  # signed or not, a list of strings here was an AttributeError traceback, unlogged
        raise PackageRejectedError(
            source, "the manifest's sender and recipients are not objects with key ids"
        )
    recipients = [r["key_id"] for r in listed]
    same = (
        manifest.get("package_id") == header["id"]
        and sender.get("key_id") == header["sender"]["key_id"]
        and manifest.get("created") == header["created"]
        and manifest.get("expires") == header["expires"]
        and sorted(recipients) == sorted(header["recipients"])
    )
    if not same:
        raise PackageRejectedError(
            source, "the manifest does not match its envelope (swapped manifest)"
        )
    claimed = sender.get("agency")
    if claimed != opened.partner.name:
        raise PackageRejectedError(
            source,
            f"the manifest names its sender {str(claimed)[:60]!r}, but the package is signed "
            f"by {opened.partner.name}'s key",
        )
    if not manifest.get("purpose") or not isinstance(manifest.get("caveats"), list):
        raise PackageRejectedError(source, "the manifest states no purpose or caveats")
    problem = manifest_values_problem(manifest)
    if problem:
        raise PackageRejectedError(source, f"the manifest's {problem}")


def _check_entity_ids(entities: list[EntityProxy], source: str) -> None:
    """Every entity has an FtM id, and no two have one (or a refusal).

    An id FtM does not accept (missing, `x' OR 1=1`, `../x`) namespaces to nothing and failed
    deep in the insert; two entities with one id became one watchlist entry, the other
    dropped. Ids that differ only after a dot (`dttot.1`, `dttot.2`) are two entities: the
    partner's namespace signs whole ids (`PartnerNamespace`).
    """
    first: dict[str, int] = {}
    for number, entity in enumerate(entities, start=1):
        where = f"{ENTITIES_FILE} line {number}: entity id {str(entity.id)[:60]!r}"
        if not isinstance(entity.id, str) or registry.entity.clean(entity.id) != entity.id:
            raise PackageRejectedError(source, f"{where} is not an FtM entity id")
        if entity.id in first:
            raise PackageRejectedError(
                source,
                f"{where} is the entity of line {first[entity.id]} again (one id per entity)",
            )
        first[entity.id] = number


def _check_onward_handling(contents: Contents, source: str) -> None:
    """Received data passed on comes under no lighter handling than each agency on its way
    gave it (or a refusal naming the entity's line).

    An entity a partner forwards carries its chain of senders (`forwarded_from`), each with
    the classification and caveats it was sent under. jalur's exporter passes data on at no
    lower a classification and with every caveat it came with; a package that does not (a
    hostile or broken exporter: SECRET passed on as RESTRICTED, a caveat left out) would
    have its data stored, used and passed on here under the lighter handling. Levels this
    installation does not know are not compared, as the exporter does not compare them.
    """
    manifest = contents.manifest
    stated = {*DEFAULT_CAVEATS, *manifest["caveats"]}
    for number, entity in enumerate(contents.entities, start=1):
        where = f"{ENTITIES_FILE} line {number}: entity {str(entity.id)[:60]!r}"
        chain = lists.senders(entity.context.get("exchange"))
        if chain is None:
            raise PackageRejectedError(
                source,
                f"{where} was forwarded through more than {lists.MAX_HOPS} agencies: whose "
                "handling binds it cannot be told",
            )
        for sender in chain:
            problem = _lighter(sender, manifest["classification"], stated)
            if problem:
                raise PackageRejectedError(source, f"{where}: {problem}")


def _lighter(sender: Mapping[str, Any], classification: str, stated: set[str]) -> str | None:
    """How this package hands on one sender's data under less than it sent it (or None)."""
    agency = sender.get("agency")
    name = lists.shown_agency(agency) if isinstance(agency, str) else "an earlier sender"
    came, now = (
        classification_level(sender.get("classification")),
        classification_level(classification),
    )
    if came is not None and now is not None and came > now:
        return (
            f"{name} sent it as {CLASSIFICATIONS[came]}; this package passes it on as "
            f"{classification} (received data is passed on at no lower a classification)"
        )
    caveats = sender.get("caveats")
    for caveat in caveats if isinstance(caveats, list) else []:
        if isinstance(caveat, str) and caveat not in stated:
            return (
                f"{name} sent it under the caveat {caveat[:80]!r}, which this package does "
                "not state (a caveat travels on with its data)"
            )
    return None


def classification_level(classification: object) -> int | None:
    """A classification's rank among this installation's levels (None: not one of them, as
    another agency's scheme may be: such a level is not compared)."""
    if not isinstance(classification, str):
        return None
    try:
        return level(classification)
    except ValueError:
        return None


class PartnerNamespace(Namespace):
    """A partner's namespace that signs an entity id whole: `dttot.1` → `dttot.1.<mark>`.

    FtM's `Namespace.sign` first drops the part after an id's last dot, taking it for an
    earlier namespace's mark, so a partner's `dttot.1` and `dttot.2` (or `a1` and `a1.x`)
    became one id. A partner's id is the partner's own: all of it is kept. An id without a
    dot signs as it always did, so subjects imported before keep their ids.
    """

    def sign(self, entity_id: str | None) -> str | None:
        clean = registry.entity.clean(entity_id) if entity_id is not None else None
        mark = self.signature(clean) if clean is not None else None
        return None if clean is None or mark is None else f"{clean}{self.SEP}{mark}"


#: What our exporter writes as a package id (`uuid4().hex`); anything else is not ours.
_PACKAGE_ID = re.compile(r"^[0-9a-f]{32}$")
MAX_CAVEATS = 50
MAX_TEXT = 2000


def manifest_values_problem(manifest: dict[str, Any]) -> str | None:
    """What in a signed manifest cannot be stored as the value it claims to be (or None).

    A signature says who sent a package, not that its values are sane: a partner's exporter
    may be broken or hostile. The id becomes a file name and a key, the texts become columns.
    """
    if not isinstance(manifest["package_id"], str) or not _PACKAGE_ID.match(manifest["package_id"]):
        return (
            f"package id {str(manifest['package_id'])[:40]!r} is not a package id (32 hex digits)"
        )
    classification = manifest.get("classification")
    if classification is None:
        # never a guess: kept as UNCLASSIFIED, a partner's RESTRICTED data lost its handling
        return "classification is missing (a package states how it must be handled)"
    if not _short_text(classification, 64):
        return f"classification {str(classification)[:40]!r} is not a short line of text"
    caveats = manifest["caveats"]
    if len(caveats) > MAX_CAVEATS or not all(_short_text(c, MAX_TEXT) for c in caveats):
        return f"caveats are not at most {MAX_CAVEATS} lines of text of {MAX_TEXT} characters"
    for name in ("purpose", "legal_basis", "in_reply_to", "consent"):
        value = manifest.get(name)
        if value is not None and not _short_text(value, MAX_TEXT):
            return f"{name} is not a line of text of at most {MAX_TEXT} characters"
    consents = manifest.get("consents")
    if consents is not None and not (
        isinstance(consents, dict)
        and len(consents) <= MAX_CAVEATS
        and all(_short_text(k, 200) and _short_text(v, MAX_TEXT) for k, v in consents.items())
    ):
        return (
            f"consents are not an object of at most {MAX_CAVEATS} originators, each with a "
            f"line of text of at most {MAX_TEXT} characters"
        )
    return None


def _short_text(value: object, limit: int) -> bool:
    """Text, not empty, not too long, and no control characters but line breaks and tabs."""
    return (
        isinstance(value, str)
        and 0 < len(value) <= limit
        and value.replace("\n", " ").replace("\t", " ").isprintable()
    )


def _provenance(opened: Opened, manifest: dict[str, Any], received: str) -> dict[str, Any]:
    return {
        "agency": opened.partner.name,
        "partner": opened.partner.partner,
        "country": opened.partner.country,
        "package_id": manifest["package_id"],
        "key_id": opened.sender_key.key_id,
        "created": manifest["created"],
        "expires": manifest["expires"],
        "received": received,
        "purpose": manifest["purpose"],
        "legal_basis": manifest.get("legal_basis"),
        "classification": manifest["classification"],
        # Egmont's principles bind every FIU exchange, listed or not: a manifest that leaves
        # them out does not make its data free to pass on or to use as evidence
        "caveats": list(dict.fromkeys([*DEFAULT_CAVEATS, *manifest["caveats"]])),
        "in_reply_to": manifest.get("in_reply_to"),
    }


def _incoming(
    entity: EntityProxy, ns: Namespace, provenance: dict[str, Any], dropped: list[Dropped]
) -> EntityProxy:
    original = str(entity.id)
    signed = ns.apply(entity)
    earlier = entity.context.get("exchange")
    signed.context = {"exchange": {**provenance, "original_id": original}}
    if isinstance(earlier, dict):
        signed.context["exchange"]["forwarded_from"] = earlier
    if dropped:  # the record says itself what of it FtM did not keep
        signed.context["exchange"]["dropped"] = [
            {"property": d.property, "value": d.value, "reason": d.reason} for d in dropped
        ]
    return signed


def _store(store: Store, opened: Opened, contents: Contents, digest: str) -> ImportReport:
    ensure_tables(store)
    manifest = contents.manifest
    provenance = _provenance(opened, manifest, iso(utcnow()))
    ns = PartnerNamespace(f"jalur-exchange:{opened.partner.partner}")
    by_line: dict[int, list[Dropped]] = {}
    for item in contents.dropped:
        by_line.setdefault(item.line, []).append(item)
    entities = [
        _incoming(e, ns, provenance, by_line.get(number, []))
        for number, e in enumerate(contents.entities, start=1)
    ]
    index = LocalIndex.build(store)
    links = [
        link
        for e in entities
        if is_subject(e)
        for link in link_subject(index, e, e.context["exchange"]["original_id"])
    ]
    report = ImportReport(
        manifest["package_id"],
        opened.partner.partner,
        len(entities),
        contents.transactions.num_rows,
        provenance["caveats"],
        provenance["classification"],
        links,
        dropped=list(contents.dropped),
    )
    with store.transaction() as con:
        con.execute(
            "INSERT INTO exchange_packages VALUES (?, 'in', 'package', ?, ?, ?, ?, now(), ?, ?)",
            [
                manifest["package_id"],
                opened.partner.partner,
                opened.sender_key.key_id,
                manifest["created"],
                manifest["expires"],
                digest,
                json.dumps(manifest),
            ],
        )
        _write_entities(con, entities, provenance)
        _write_transactions(con, contents.transactions, provenance)
        for link in links:
            con.execute(
                "INSERT INTO exchange_links VALUES (?, ?, ?, ?, ?)",
                [
                    manifest["package_id"],
                    link.entity_id,
                    link.local_list,
                    link.local_entity_id,
                    link.reason,
                ],
            )
        try:
            _update_watchlist(store, opened, entities, report)
        except ListLoadError as exc:
            raise ExchangeError(
                f"package {manifest['package_id']}: the exchange watchlist could not be "
                f"updated ({exc}); nothing of the package was stored"
            ) from exc
        exchange_log.append(
            store,
            "import",
            opened.partner.partner,
            manifest["package_id"],
            {
                "entities": report.entities,
                "transactions": report.transactions,
                "links": len(links),
                "caveats": report.caveats,
                "file_sha256": digest,
                "watchlist": report.watchlist,
                "watchlist_entries": report.watchlist_entries,
                "dropped_values": len(report.dropped),
            },
        )
    return report


def _write_entities(con: Any, entities: list[EntityProxy], provenance: dict[str, Any]) -> None:
    for entity in entities:
        con.execute(
            "INSERT INTO exchange_entities VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                provenance["package_id"],
                provenance["partner"],
                provenance["caveats"],
                provenance["classification"],
                entity.id,
                entity.context["exchange"]["original_id"],
                entity.schema.name,
                entity.caption,
                sorted(entity.get("topics", quiet=True)),
                json.dumps(entity.to_dict(), ensure_ascii=False),
            ],
        )


def _write_transactions(con: Any, table: pa.Table, provenance: dict[str, Any]) -> None:
    """Insert payments already validated to `TRANSACTION_SCHEMA` (`package.payment_table`).

    The column list is the canonical schema's, a constant of this code, matched BY NAME; no
    name from the partner's file is ever part of the SQL text.
    """
    if table.num_rows == 0:
        return
    if table.schema != TRANSACTION_SCHEMA:
        raise ExchangeError("payments must be validated against the canonical schema first")
    con.register("incoming_exchange_tx", table)
    try:
        con.execute(
            "INSERT INTO exchange_transactions BY NAME "
            "SELECT ? AS package_id, ? AS agency, ? AS caveats, ? AS classification, * "
            "FROM incoming_exchange_tx",
            [
                provenance["package_id"],
                provenance["partner"],
                provenance["caveats"],
                provenance["classification"],
            ],
        )
    finally:
        con.unregister("incoming_exchange_tx")


def _update_watchlist(
    store: Store, opened: Opened, entities: list[EntityProxy], report: ImportReport
) -> None:
    """Terror-listed subjects (and what points at them) join the partner's exchange watchlist."""
    terror = {
        str(e.id) for e in entities if is_subject(e) and TOPIC_TERROR in e.get("topics", quiet=True)
    }
    if not terror:
        return
    chosen = [
        e
        for e in entities
        if str(e.id) in terror or set(e.get_type_values(registry.entity)) & terror
    ]
    name = f"{EXCHANGE_LIST_PREFIX}{opened.partner.partner}"
    kept = {str(e.id): e for e in current_entities(store, lists=[name])}
    kept.update({str(e.id): e for e in chosen})
    loaded = load_entities(
        store,
        name,
        kept.values(),
        source=f"exchange package {report.package_id} from {opened.partner.name}",
    )
    report.watchlist, report.watchlist_entries = name, loaded.entities
