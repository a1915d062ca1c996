"""Ma3tch-like matching between two agencies: `match-offer` on one side, `match` on the other.

The offering agency encodes its subjects under a key only it and the named partner can derive
(X25519 between their current keys, then HKDF with the offer id), shuffles them, gives each
an opaque reference, and seals the encodings to the partner like a package. The partner
encodes its own subjects under the same key, compares locally and learns only which of its
subjects resemble which references, with a similarity; to learn more it sends a normal request
naming the references, which the offering agency resolves (`--entities ref:R`) and answers
with a package. Nothing but bit vectors, keyed tokens of birth dates and identifiers (and so
their number per subject) and one "written in an abjad" bit per name leave the offering agency.
"""

from __future__ import annotations

import io
import json
import math
import re
import secrets
import uuid
import zipfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from jalur.exchange import log as exchange_log
from jalur.exchange.canonical import iso, loads, sha256_hex, utcnow
from jalur.exchange.envelope import seal
from jalur.exchange.errors import ExchangeError, PackageRejectedError
from jalur.exchange.identity import Identity
from jalur.exchange.keys import PublicKeys, SecretKeys
from jalur.exchange.limits import ExchangeLimits
from jalur.exchange.package import check_directory, check_members, read_member
from jalur.exchange.partners import Partner
from jalur.exchange.pprl import THRESHOLD, Encoded, Encoder, Scheme, compare
from jalur.exchange.resolve import EXCHANGE_LIST_PREFIX
from jalur.exchange.subjects import SubjectKeys, subject_keys
from jalur.exchange.tables import ensure_tables
from jalur.exchange.verify import MAX_VALID_DAYS, Opened, open_sealed
from jalur.lists import current_entity_rows
from jalur.model import entity_from_dict
from jalur.store import Store

#: /2: name parts travel as keyed tokens and part filters besides the whole-name filters.
#: /3: skeletons fold more spellings and the whole-name skeleton is of the name as one word.
#: /4: skeletons of abjad-written names keep letter pairs that are two letters there (`ts`,
#: `zh`), and the whole-name skeleton leaves out articles joined to a word (`shms aldyn`).
#: /5: an abjad-written name is also encoded under its other Latin readings (ث `th`/`s`, ذ and
#: ض `dh`/`z`, final ة `h`/`t`), each as one more name of its subject; ض is written `dh`.
#: /6: ظ is written `dh` too (read `dh`/`z`), and ʿayn (ع) as the vowel `a`, not dropped or a
#: word break (`aly`, `sayd` where /5 had `ly`, `s yd`).
#: /7: a part's skeleton token is marked when the word opens with a vowel (`part_skeleton`:
#: `amr` عمر meets `omar`, no longer `mire`), and titles that open a name (rigour's `Dr`,
#: `Prof`…, Arabic دكتور, أستاذ…) are left out of every name (`untitled`).
OFFER_FORMAT = "jalur-match-offer/7"
_ARRAYS = (
    "name_owner",
    "names",
    "skeletons",
    "vowelless",
    "tokens",
    "token_skeletons",
    "token_count",
    "part_filters",
    "dates",
    "date_count",
    "id_owner",
    "ids",
)


@dataclass(frozen=True)
class LocalSubject:
    list_name: str
    entity_id: str
    caption: str
    keys: SubjectKeys


def match_key(mine: SecretKeys, theirs: PublicKeys, offer_id: str) -> bytes:
    """The same 32 bytes on both sides: X25519(mine, theirs) through HKDF, bound to the offer."""
    shared = mine.encrypt.exchange(X25519PublicKey.from_public_bytes(theirs.encrypt_public))
    salt = hashes.Hash(hashes.SHA256())
    salt.update("|".join(sorted([mine.key_id, theirs.key_id])).encode())
    info = b"jalur-pprl-v1 match key " + offer_id.encode()
    return HKDF(hashes.SHA256(), 32, salt=salt.finalize(), info=info).derive(shared)


def local_subjects(store: Store, lists: list[str] | None = None) -> list[LocalSubject]:
    """This agency's own current subjects with a name (partners' data is never re-offered)."""
    found = []
    for row in current_entity_rows(store, lists=lists, subjects_only=True):
        if row[0].startswith(EXCHANGE_LIST_PREFIX):
            continue
        entity = entity_from_dict(json.loads(row[5]))
        keys = subject_keys(entity)
        if keys.names:
            found.append(LocalSubject(row[0], row[1], entity.caption, keys))
    return found


def make_offer(
    store: Store,
    identity: Identity,
    passphrase: str,
    partner: Partner,
    subjects: list[LocalSubject],
    purpose: str,
    expires_days: int = 30,
) -> tuple[dict[str, Any], bytes]:
    """Seal the encodings of `subjects` to `partner`; remember which reference is whom."""
    if not subjects:
        raise ExchangeError("no subjects to offer (load a list, or check --lists)")
    if not 1 <= expires_days <= MAX_VALID_DAYS:
        raise ExchangeError(f"--expires-days must be between 1 and {MAX_VALID_DAYS}")
    if not (purpose.strip() and len(purpose) <= MAX_PURPOSE and purpose.isprintable()):
        # the partner's `match` refuses it (`_manifest_problem`): never seal one it would
        raise ExchangeError(
            f"--purpose: an offer's purpose is one line of printable text of at most "
            f"{MAX_PURPOSE} characters; the partner would refuse the offer"
        )
    secret = identity.unlock(identity.active.key_id, passphrase)
    offer_id = uuid.uuid4().hex
    order = np.random.default_rng(secrets.randbits(64)).permutation(len(subjects))
    chosen = [subjects[i] for i in order]
    refs = [secrets.token_hex(8) for _ in chosen]
    scheme = Scheme()
    encoded = Encoder(match_key(secret, partner.active, offer_id), scheme).encode(
        [s.keys for s in chosen]
    )
    created = utcnow()
    header = {
        "kind": "match-offer",
        "id": offer_id,
        "sender": {"agency": identity.name, "country": identity.country, "key_id": secret.key_id},
        "created": iso(created),
        "expires": iso(created + timedelta(days=expires_days)),
    }
    manifest = {
        "format": OFFER_FORMAT,
        "offer_id": offer_id,
        "purpose": purpose,
        "sender": header["sender"],
        "recipient_key": partner.active.key_id,
        "created": header["created"],
        "expires": header["expires"],
        "scheme": scheme.as_dict(),
        "subjects": len(chosen),
        "names": int(encoded.names.shape[0]),
        "refs": refs,
    }
    sealed = seal(header, _offer_payload(manifest, encoded), secret, [partner.active])
    _record_offer(store, partner, offer_id, chosen, refs, sealed)
    return manifest, sealed


def _offer_payload(manifest: dict[str, Any], encoded: Encoded) -> bytes:
    arrays = io.BytesIO()
    np.savez(arrays, **{name: getattr(encoded, name) for name in _ARRAYS})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("offer.json", json.dumps(manifest))
        archive.writestr("encodings.npz", arrays.getvalue())
    return buffer.getvalue()


def _record_offer(
    store: Store,
    partner: Partner,
    offer_id: str,
    chosen: list[LocalSubject],
    refs: list[str],
    sealed: bytes,
) -> None:
    ensure_tables(store)
    with store.transaction() as con:
        con.executemany(
            "INSERT INTO exchange_offer_refs VALUES (?, ?, ?, ?, ?)",
            [
                [offer_id, partner.partner, r, s.list_name, s.entity_id]
                for r, s in zip(refs, chosen, strict=True)
            ],
        )
        exchange_log.append(
            store,
            "match-offer",
            partner.partner,
            offer_id,
            {"subjects": len(chosen), "file_sha256": sha256_hex(sealed)},
        )


def read_offer(payload: bytes, source: str) -> tuple[dict[str, Any], Encoded]:
    """The manifest and encodings of an offer, checked as hostile data (see `_check_offer`)."""
    try:
        check_directory(payload)
        with zipfile.ZipFile(io.BytesIO(payload)) as archive:
            if sum(i.file_size for i in archive.infolist()) > ExchangeLimits.max_payload_bytes:
                raise PackageRejectedError(source, "match offer too large once unpacked")
            check_members(archive, ("offer.json", "encodings.npz"))
            manifest = loads(read_member(archive, "offer.json"))
            if not isinstance(manifest, dict):
                raise PackageRejectedError(source, "not a match offer: its manifest is no object")
            if manifest.get("format") != OFFER_FORMAT:
                raise PackageRejectedError(
                    source,
                    f"match offer format {manifest.get('format')!r} is not {OFFER_FORMAT!r}: "
                    "its encodings cannot be compared with this version's; ask the partner "
                    "for a new offer",
                )
            encoded = Encoded(**_encodings(read_member(archive, "encodings.npz")))
    except (zipfile.BadZipFile, KeyError, ValueError, EOFError, json.JSONDecodeError) as exc:
        raise PackageRejectedError(source, f"not a match offer: {exc}") from exc
    problem = _arrays_problem(encoded) or _manifest_problem(manifest, encoded)
    if problem:
        raise PackageRejectedError(source, f"malformed match offer: {problem}")
    return manifest, encoded


def _encodings(npz: bytes) -> dict[str, np.ndarray]:
    """The arrays of `encodings.npz`, each read only once its header is found to state as
    many bytes as its member holds.

    The npz is a zip inside the offer's zip, so it gets the checks the offer's zip gets, and
    more: `np.savez` stores each array uncompressed, so a member is as large as its array; a
    deflated one inflated without bound, and a header claiming more elements than its bytes
    made numpy allocate what it claimed (terabytes: `MemoryError`, a traceback)."""
    try:
        check_directory(npz)
        with zipfile.ZipFile(io.BytesIO(npz)) as archive:
            check_members(archive, tuple(f"{name}.npy" for name in _ARRAYS))
            for info in archive.infolist():
                _check_array_member(archive, info)
    except zipfile.BadZipFile as exc:
        raise zipfile.BadZipFile(f"encodings.npz: {exc}") from exc
    loaded = np.load(io.BytesIO(npz), allow_pickle=False)
    return {name: loaded[name] for name in _ARRAYS}


def _check_array_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """A stored `.npy` member whose header states exactly the bytes that follow it."""
    name = repr(info.filename)
    if info.compress_type != zipfile.ZIP_STORED:
        raise zipfile.BadZipFile(
            f"member {name} is compressed (np.savez stores arrays: an array is as large as "
            "its member)"
        )
    with archive.open(info) as member:
        try:
            version = np.lib.format.read_magic(member)
            read_header = (
                np.lib.format.read_array_header_1_0
                if version == (1, 0)
                else np.lib.format.read_array_header_2_0
            )
            shape, _, dtype = read_header(member)
        except (ValueError, SyntaxError, TypeError) as exc:
            raise zipfile.BadZipFile(f"member {name} has no array header: {exc}") from exc
        stated = math.prod(shape) * dtype.itemsize
        held = info.file_size - member.tell()
    if stated != held:
        raise zipfile.BadZipFile(
            f"member {name} states {stated} bytes of array ({shape}, {dtype}) but holds "
            f"{held} bytes"
        )


#: A purpose is one line of text of at most this many characters.
MAX_PURPOSE = 2000
_REF = re.compile(r"^[0-9a-f]{16}$")


def _manifest_problem(manifest: dict[str, Any], encoded: Encoded) -> str | None:
    """What is wrong with a partner's manifest, or None.

    The scheme must be this version's own (the format pins the encoding, and a scheme's sizes
    are allocations made here: 8 billion bits a filter is a denial of service); references
    are the opaque hex tokens `make_offer` writes, one per subject, so nothing a partner puts
    there is shown as text or markup.
    """
    if manifest.get("scheme") != Scheme().as_dict():
        return f"its encoding scheme is not this version's ({Scheme().as_dict()})"
    refs = manifest.get("refs")
    if not isinstance(refs, list) or not all(isinstance(r, str) and _REF.match(r) for r in refs):
        return "references must be a list of 16 hex digits each"
    if len(set(refs)) != len(refs) or len(refs) != encoded.subjects:
        return f"{len(refs)} references (some repeated?) for {encoded.subjects} subjects"
    if manifest.get("subjects") != encoded.subjects:
        return f"says {manifest.get('subjects')!r} subjects but encodes {encoded.subjects}"
    names = manifest.get("names", encoded.names.shape[0])
    if names != encoded.names.shape[0]:
        return f"says {names!r} names but encodes {encoded.names.shape[0]}"
    purpose = manifest.get("purpose")
    if purpose is not None and not (
        isinstance(purpose, str) and len(purpose) <= MAX_PURPOSE and purpose.isprintable()
    ):
        return f"the purpose is not one line of text of at most {MAX_PURPOSE} characters"
    return None


def _arrays_problem(encoded: Encoded) -> str | None:
    """What is wrong with the arrays, or None: each must have the type and shape this version's
    encoder gives (rows per name, per subject or per identifier), owners must be offered
    subjects and counts within their slots; else the comparison fails deep inside."""
    single = [name for name in _ARRAYS if getattr(encoded, name).ndim == 0]
    if single:
        return f"{single[0]} is a single value, not an array"
    reference = Encoder(bytes(32), Scheme()).encode([])
    rows = {"subjects": encoded.subjects, "names": len(encoded.name_owner), "ids": len(encoded.ids)}
    per = {"dates": "subjects", "date_count": "subjects", "id_owner": "ids", "ids": "ids"}
    for name in _ARRAYS:
        got, want = getattr(encoded, name), getattr(reference, name)
        shape = (rows[per.get(name, "names")], *want.shape[1:])
        if got.dtype != want.dtype or got.shape != shape:
            return f"{name} is {got.dtype} {got.shape}, not {want.dtype} {shape}"
    scheme = Scheme()
    bounds = (
        ("name_owner", encoded.name_owner, encoded.subjects - 1),
        ("id_owner", encoded.id_owner, encoded.subjects - 1),
        ("token_count", encoded.token_count, scheme.max_tokens),
        ("date_count", encoded.date_count, scheme.max_dates),
    )
    for name, values, most in bounds:
        if values.size and (int(values.min()) < 0 or int(values.max()) > most):
            return f"{name} holds values outside 0–{most}"
    return None


def match_offer(
    store: Store,
    identity: Identity,
    passphrase: str,
    data: bytes,
    source: str,
    lists: list[str] | None = None,
    threshold: float = THRESHOLD,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Compare a partner's offer with this agency's subjects; only candidate hits come out."""
    try:
        opened = open_sealed(store, identity, passphrase, data, source, "match-offer", now)
        manifest, offered = read_offer(opened.payload, source)
        if manifest.get("offer_id") != opened.envelope.header["id"]:
            raise PackageRejectedError(source, "the offer's manifest does not match its envelope")
    except PackageRejectedError as exc:
        exchange_log.append(
            store,
            "import-rejected",
            None,
            None,
            {
                "file": source,
                "kind": "match-offer",
                "file_sha256": sha256_hex(data),
                "reason": exc.reason,
            },
        )
        raise
    mine = next(k for k in identity.keys if k.key_id in opened.envelope.recipient_keys)
    key = match_key(
        identity.unlock(mine.key_id, passphrase), opened.sender_key, manifest["offer_id"]
    )
    subjects = local_subjects(store, lists)
    local = Encoder(key, Scheme(**manifest["scheme"])).encode([s.keys for s in subjects])
    pairs = compare(offered, local, threshold=threshold)
    scores = pairs.score
    hits = sorted(
        (
            {
                "ref": manifest["refs"][int(o)],
                "local_list": subjects[int(loc)].list_name,
                "local_entity_id": subjects[int(loc)].entity_id,
                "local_caption": subjects[int(loc)].caption,
                "similarity": round(float(score), 3),
                "features": {
                    "name": round(float(n), 3),
                    "birth_date": int(d),
                    "identifier": bool(i),
                },
            }
            for o, loc, score, n, d, i in zip(
                pairs.offer,
                pairs.local,
                scores,
                pairs.name,
                pairs.birth_date,
                pairs.identifier,
                strict=True,
            )
        ),
        key=lambda h: (-h["similarity"], h["ref"]),
    )
    result = {
        "offer_id": manifest["offer_id"],
        "partner": opened.partner.partner,
        "purpose": manifest.get("purpose"),
        "offered_subjects": manifest["subjects"],
        "local_subjects": len(subjects),
        "threshold": threshold,
        "hits": hits,
    }
    _record_match(store, opened, manifest, data, result)
    return result


def _record_match(
    store: Store, opened: Opened, manifest: dict[str, Any], data: bytes, result: dict[str, Any]
) -> None:
    """Remember the offer as received, so the same offer is refused as a replay next time."""
    header = opened.envelope.header
    kept = {k: v for k, v in manifest.items() if k not in ("refs", "scheme")}
    with store.transaction() as con:
        con.execute(
            "INSERT INTO exchange_packages "
            "VALUES (?, 'in', 'match-offer', ?, ?, ?, ?, now(), ?, ?)",
            [
                header["id"],
                opened.partner.partner,
                opened.sender_key.key_id,
                header["created"],
                header["expires"],
                sha256_hex(data),
                json.dumps(kept),
            ],
        )
        exchange_log.append(
            store,
            "match",
            opened.partner.partner,
            manifest["offer_id"],
            {
                "offered": manifest["subjects"],
                "local": result["local_subjects"],
                "hits": len(result["hits"]),
                "file_sha256": sha256_hex(data),
            },
        )
