"""`jalur exchange export`: select, package, seal to the named partners, record.

The package is encrypted to the active key of each named partner only and signed with this
agency's active key. What left, to whom, under which caveats is written to the exchange log in
the same transaction as the package record, so the log never misses an export.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

import pyarrow as pa
from followthemoney.proxy import EntityProxy

from jalur import lists
from jalur.exchange import log as exchange_log
from jalur.exchange.canonical import iso, sha256_hex, utcnow
from jalur.exchange.envelope import seal
from jalur.exchange.errors import ExchangeError
from jalur.exchange.identity import Identity, slug
from jalur.exchange.importer import classification_level, manifest_values_problem
from jalur.exchange.package import (
    DEFAULT_CAVEATS,
    DEFAULT_CLASSIFICATION,
    DEFAULT_LEGAL_BASIS,
    build_payload,
)
from jalur.exchange.partners import Partner
from jalur.exchange.related_tx import related_transactions
from jalur.exchange.select import Selection, exchange_provenance
from jalur.exchange.tables import ensure_tables
from jalur.exchange.verify import MAX_VALID_DAYS
from jalur.model import TRANSACTION_SCHEMA
from jalur.store import Store
from jalur.users import CLASSIFICATIONS


@dataclass(frozen=True)
class ExportRequest:
    """What the analyst asked for on the command line."""

    purpose: str
    caveats: tuple[str, ...] = ()
    legal_basis: str = DEFAULT_LEGAL_BASIS
    classification: str = DEFAULT_CLASSIFICATION
    in_reply_to: str | None = None
    expires_days: int = 90
    include_transactions: bool = True
    consent: str | None = None  # consent without an originator: a selection of one originator
    #: `ORG=TEXT` per originator (partner handle or name): each one's consent to pass it on
    consents: tuple[str, ...] = ()
    confirm: int | None = None  # the number of subjects the analyst confirmed (--confirm N)
    confirm_above: int = 50  # larger selections need that confirmation


def export_package(
    store: Store,
    identity: Identity,
    passphrase: str,
    recipients: list[Partner],
    selection: Selection,
    request: ExportRequest,
    transactions: pa.Table | None = None,
) -> tuple[dict[str, Any], bytes]:
    """The sealed package bytes and its manifest; the export is logged.

    The payments are those touching the selected subjects, unless the caller names them
    (`transactions`, in `TRANSACTION_SCHEMA`: a case's own payments).
    """
    if not request.purpose.strip():
        raise ExchangeError("a package needs a --purpose (Egmont: information is used for it only)")
    if not 1 <= request.expires_days <= MAX_VALID_DAYS:
        raise ExchangeError(f"--expires-days must be between 1 and {MAX_VALID_DAYS}")
    # one recipient per partner: `--to rosfinmonitoring --to Rosfinmonitoring` is one partner
    recipients = list({p.partner: p for p in recipients}.values())
    consents = originator_consents(selection.entities, request)
    _refuse_downgrade(selection.entities, request.classification)
    request = replace(request, caveats=_onward_caveats(selection.entities, request.caveats))
    _require_confirmation(selection, request)
    secret = identity.unlock(identity.active.key_id, passphrase)
    entities = [_outgoing(e) for e in selection.entities]
    if not request.include_transactions:
        transactions = TRANSACTION_SCHEMA.empty_table()
    elif transactions is None:
        transactions = related_transactions(store, selection.entities)
    created = utcnow()
    header = {
        "kind": "package",
        "id": uuid.uuid4().hex,
        "sender": {"agency": identity.name, "country": identity.country, "key_id": secret.key_id},
        "created": iso(created),
        "expires": iso(created + timedelta(days=request.expires_days)),
    }
    fields = {
        **_manifest(header, identity, recipients, request),
        **_consent_fields(request, consents),
        "selection": _selection(selection),
    }
    _require_importable(fields)
    manifest, payload = build_payload(fields, entities, transactions)
    sealed = seal(header, payload, secret, [p.active for p in recipients])
    _record(store, header, recipients, manifest, sealed)
    return manifest, sealed


#: The option that gave each manifest field, to name it in a refusal.
_OPTIONS = {
    "classification": "--classification",
    "caveats": "--caveat",
    "purpose": "--purpose",
    "legal_basis": "--legal-basis",
    "in_reply_to": "--in-reply-to",
    "consent": "--consent",
    "consents": "--consent",
}


def _require_importable(manifest: dict[str, Any]) -> None:
    """The manifest as every jalur importer takes it, or a refusal naming the option.

    The importer refuses texts that are empty, longer than it stores or hold control
    characters, and a classification none of its clearances compares with; a package sealed
    with one went out (logged as an export) only for the partner to refuse it."""
    problem = manifest_values_problem(manifest)
    if problem is None and classification_level(manifest["classification"]) is None:
        problem = (
            f"classification {str(manifest['classification'])[:40]!r} is none of "
            f"{', '.join(CLASSIFICATIONS)}"
        )
    if problem:
        option = _OPTIONS.get(problem.split(" ", 1)[0], "an option")
        raise ExchangeError(
            f"{option}: the manifest's {problem}; every jalur partner would refuse the package"
        )


def _selection(selection: Selection) -> dict[str, Any]:
    return {
        "terms": list(selection.terms),
        "subjects": len(selection.subjects),
        "related": len(selection.related),
    }


def _manifest(
    header: dict[str, Any], identity: Identity, recipients: list[Partner], request: ExportRequest
) -> dict[str, Any]:
    caveats = list(dict.fromkeys([*DEFAULT_CAVEATS, *request.caveats]))
    return {
        "package_id": header["id"],
        "sender": header["sender"],
        "recipients": [
            {"agency": p.name, "country": p.country, "key_id": p.active.key_id} for p in recipients
        ],
        "created": header["created"],
        "expires": header["expires"],
        "purpose": request.purpose,
        "legal_basis": request.legal_basis,
        "classification": request.classification,
        "caveats": caveats,
        "in_reply_to": request.in_reply_to,
        "sender_workspace": identity.slug,
    }


def _require_confirmation(selection: Selection, request: ExportRequest) -> None:
    """A large export is a decision: the analyst states the number that will leave."""
    count = len(selection.subjects)
    if count > request.confirm_above and request.confirm != count:
        stated = "" if request.confirm is None else f" (--confirm {request.confirm} was given)"
        raise ExchangeError(
            f"the selection {' AND '.join(selection.terms) or '(none)'} holds {count} subjects, "
            f"more than {request.confirm_above} that may leave without confirmation{stated}: "
            f"check it, then repeat with --confirm {count}"
        )


def originators(entities: list[EntityProxy]) -> dict[str, str]:
    """Every agency the selection's received data came from, by handle → name: the sender
    of each entity and each agency it was forwarded through (`forwarded_from`), since the
    caveats of each bind it (Egmont: no onward dissemination without prior consent)."""
    found: dict[str, str] = {}
    for entity in entities:
        chain = lists.senders(exchange_provenance(entity))
        if chain is None:
            raise ExchangeError(
                f"{entity.caption} ({entity.id}) was forwarded through more than "
                f"{lists.MAX_HOPS} agencies: whose consent it needs cannot be told; it is not "
                "passed on"
            )
        for sender in chain:
            name = sender.get("agency")
            if isinstance(name, str) and name.strip():
                found.setdefault(_handle(name), lists.shown_agency(name))
    return dict(sorted(found.items(), key=lambda item: item[1]))


def originator_consents(entities: list[EntityProxy], request: ExportRequest) -> dict[str, str]:
    """Each originator's consent (name → text), or a refusal naming those without one.

    `ORG=TEXT` names its originator by handle or name; a text without one is consent only
    when the selection has a single originator (one text never covers several). A consent for
    an agency the selection holds nothing of is refused: a typo would consent to nothing.
    """
    sources = originators(entities)
    named, plain = _parse_consents(request, sources)
    if len(plain) > 1:
        raise ExchangeError(
            "several --consent texts name no originator; give one per originator as "
            "--consent ORG=TEXT"
        )
    if plain and len(sources) == 1:
        named.setdefault(next(iter(sources)), plain[0])
    missing = [name for handle, name in sources.items() if handle not in named]
    if missing:
        several = f" ({len(sources)} originators: one consent each)" if len(sources) > 1 else ""
        raise ExchangeError(
            f"the selection holds information received from {', '.join(sources.values())}; "
            "their caveats forbid onward dissemination without prior consent, and it would "
            f"leave without the consent of {', '.join(missing)}{several}: narrow --entities "
            "or record each originator's consent with --consent ORG=TEXT"
        )
    return {sources[handle]: text for handle, text in sorted(named.items())}


def _parse_consents(
    request: ExportRequest, sources: dict[str, str]
) -> tuple[dict[str, str], list[str]]:
    named: dict[str, str] = {}
    plain = [request.consent.strip()] if request.consent and request.consent.strip() else []
    for item in request.consents:
        org, sep, text = item.partition("=")
        handle = _handle(org) if sep and org.strip() else None
        if handle is None or (handle not in sources and " " in org.strip()):
            plain.append(item.strip())  # `letter ref=12`: a text, not an agency
            continue
        if handle not in sources:
            known = ", ".join(sources.values()) or "none"
            raise ExchangeError(
                f"--consent {org.strip()[:60]}=…: {org.strip()[:60]} is none of the "
                f"originators in the selection: {known}"
            )
        if not text.strip():
            raise ExchangeError(f"--consent {org.strip()[:60]}= states no consent")
        named[handle] = text.strip()
    return named, plain


def _handle(name: str) -> str:
    try:
        return slug(name)
    except ExchangeError:
        return name.strip().lower()


def _consent_fields(request: ExportRequest, consents: dict[str, str]) -> dict[str, Any]:
    """`consents` (originator → text) and `consent`, one line of them, as before per-originator
    consent was kept (an older importer reads that field only). With no received data in the
    selection, a plain consent (an own list's no-onward caveat) is written as it was given."""
    if not consents:
        _, plain = _parse_consents(request, {})
        return {"consent": plain[0] if len(plain) == 1 else None}
    return {
        "consent": "; ".join(f"{name}: {text}" for name, text in consents.items()),
        "consents": consents,
    }


def _refuse_downgrade(entities: list[EntityProxy], classification: str) -> None:
    """Received data leaves (with consent) at no lower a classification than it came with.

    Consent lets a partner's information go on, not lose its handling: PPATK's SECRET subject
    forwarded at the default RESTRICTED, or as UNCLASSIFIED, would be a re-labelling. Levels
    this installation does not know (another agency's scheme) are not compared.
    """
    wanted = classification_level(classification)
    if wanted is None:
        return
    for entity in entities:
        provenance = exchange_provenance(entity)
        if not provenance:
            continue
        came = classification_level(provenance.get("classification"))
        if came is not None and came > wanted:
            raise ExchangeError(
                f"the selection holds {entity.caption} ({entity.id}); "
                f"{provenance.get('agency')} sent it as {CLASSIFICATIONS[came]}: it may not "
                f"be passed on as {classification}; give --classification {CLASSIFICATIONS[came]}"
            )


def _onward_caveats(entities: list[EntityProxy], own: tuple[str, ...]) -> tuple[str, ...]:
    """The request's caveats and every caveat the originators of received data stated:
    they travel on with their data (and the recipient sees them on the package)."""
    received = [
        str(c) for e in entities if (p := exchange_provenance(e)) for c in p.get("caveats") or []
    ]
    return tuple(dict.fromkeys([*own, *received]))


def _outgoing(entity: EntityProxy) -> EntityProxy:
    """The entity as sent: this workspace's own bookkeeping context stays home."""
    clean = entity.clone()
    clean.context = {k: v for k, v in clean.context.items() if k == "exchange"}
    return clean


def _record(
    store: Store,
    header: dict[str, Any],
    recipients: list[Partner],
    manifest: dict[str, Any],
    sealed: bytes,
) -> None:
    ensure_tables(store)
    digest = sha256_hex(sealed)
    with store.transaction() as con:
        for partner in recipients:
            con.execute(
                "INSERT INTO exchange_packages "
                "VALUES (?, 'out', 'package', ?, ?, ?, ?, now(), ?, ?)",
                [
                    header["id"],
                    partner.partner,
                    partner.active.key_id,
                    header["created"],
                    header["expires"],
                    digest,
                    json.dumps(manifest),
                ],
            )
        exchange_log.append(
            store,
            "export",
            ",".join(p.partner for p in recipients),
            header["id"],
            {
                "entities": manifest["contents"]["entities"]["count"],
                "transactions": manifest["contents"]["transactions"]["rows"],
                "purpose": manifest["purpose"],
                "caveats": manifest["caveats"],
                "classification": manifest["classification"],
                "selection": manifest["selection"],
                **({"consents": manifest["consents"]} if manifest.get("consents") else {}),
                "file_sha256": digest,
            },
        )
