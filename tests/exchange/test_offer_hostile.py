"""A partner's match offer is read as hostile data: whatever its (signed) manifest and arrays
hold, `match` refuses it with the reason (and logs the refusal), never a traceback, an
IndexError deep in the comparison, or an allocation the offer's scheme asks for."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import numpy as np
import pytest
from exchange_agencies import Agency, load_dttot

from jalur.exchange import PackageRejectedError, find_partner, match_offer, read_log
from jalur.exchange.canonical import iso, utcnow
from jalur.exchange.envelope import seal
from jalur.exchange.offer import (
    OFFER_FORMAT,
    _offer_payload,
    local_subjects,
    match_key,
    read_offer,
)
from jalur.exchange.pprl import Encoded, Encoder, Scheme

Manifest = dict[str, Any]


def _offer(
    ppatk: Agency,
    manifest_change: Callable[[Manifest], object] = lambda m: None,
    arrays_change: Callable[[Encoded], Encoded] = lambda e: e,
) -> tuple[dict[str, Any], bytes, bytes]:
    """A genuine, signed offer from PPATK to Rosfinmonitoring, changed before sealing."""
    partner = find_partner(ppatk.store, "rosfinmonitoring")
    secret = ppatk.identity.unlock(ppatk.identity.active.key_id, ppatk.passphrase)
    offer_id = uuid.uuid4().hex
    keys = [s.keys for s in local_subjects(ppatk.store)]
    encoded = Encoder(match_key(secret, partner.active, offer_id), Scheme()).encode(keys)
    created = utcnow()
    sender = {"agency": "PPATK", "country": "ID", "key_id": secret.key_id}
    header = {
        "kind": "match-offer",
        "id": offer_id,
        "sender": sender,
        "created": iso(created),
        "expires": iso(created + timedelta(days=3)),
    }
    manifest = {
        "format": OFFER_FORMAT,
        "offer_id": offer_id,
        "purpose": "CTF",
        "sender": sender,
        "recipient_key": partner.active.key_id,
        "created": header["created"],
        "expires": header["expires"],
        "scheme": Scheme().as_dict(),
        "subjects": encoded.subjects,
        "names": int(encoded.names.shape[0]),
        "refs": [f"{i:016x}" for i in range(encoded.subjects)],
    }
    manifest_change(manifest)
    payload = _offer_payload(manifest, arrays_change(encoded))
    return header, payload, seal(header, payload, secret, [partner.active])


def _arrays(**changes: Callable[[Any], Any]) -> Callable[[Encoded], Encoded]:
    return lambda e: dataclasses.replace(
        e, **{name: change(getattr(e, name)) for name, change in changes.items()}
    )


def _set(key: str, value: object) -> Callable[[Manifest], object]:
    return lambda m: m.__setitem__(key, value)


HOSTILE: dict[str, dict[str, Any]] = {
    "scheme with an unknown setting": {"manifest_change": lambda m: m["scheme"].update(evil=1)},
    "no scheme": {"manifest_change": lambda m: m.pop("scheme")},
    "scheme not a mapping": {"manifest_change": _set("scheme", "x")},
    "filters of 7 bits": {"manifest_change": lambda m: m["scheme"].update(name_bits=7)},
    "filters of 8 billion bits": {
        "manifest_change": lambda m: m["scheme"].update(name_bits=8 * 10**9)
    },
    "a setting as text": {"manifest_change": lambda m: m["scheme"].update(max_k="64")},
    "references that are not text": {
        "manifest_change": lambda m: m.__setitem__("refs", [{"x": 1}] * len(m["refs"]))
    },
    "references with markup": {
        "manifest_change": lambda m: m.__setitem__("refs", ["[/x]"] * len(m["refs"]))
    },
    "references as one string": {"manifest_change": lambda m: m.__setitem__("refs", "abc")},
    "a subject count that lies": {"manifest_change": _set("subjects", 10**9)},
    "a purpose with control characters": {"manifest_change": _set("purpose", "\x1b[2J evil")},
    "names of subjects not offered": {"arrays_change": _arrays(name_owner=lambda a: a + 1000)},
    "negative owners": {"arrays_change": _arrays(name_owner=lambda a: a - 1000)},
    "identifiers of subjects not offered": {"arrays_change": _arrays(id_owner=lambda a: a + 1000)},
    "filters of another width": {"arrays_change": _arrays(names=lambda a: a[:, :3])},
    "filters as floats": {"arrays_change": _arrays(names=lambda a: a.astype(np.float64))},
    "filters flattened": {"arrays_change": _arrays(names=lambda a: a.reshape(-1))},
    "fewer skeletons than names": {"arrays_change": _arrays(skeletons=lambda a: a[:1])},
    "name parts of another width": {"arrays_change": _arrays(tokens=lambda a: a[:, :2])},
    "more name parts than slots": {"arrays_change": _arrays(token_count=lambda a: a + 100)},
    "dates of another width": {"arrays_change": _arrays(dates=lambda a: a[:, :, :3])},
    "more dates than slots": {"arrays_change": _arrays(date_count=lambda a: a + 100)},
    "identifiers as text": {"arrays_change": _arrays(ids=lambda a: np.array(["x"] * len(a)))},
    "part filters of another width": {"arrays_change": _arrays(part_filters=lambda a: a[:, :, :1])},
    "a single value for the subjects' dates": {
        "arrays_change": _arrays(date_count=lambda a: np.int8(1))
    },
    "a single value for the owners": {"arrays_change": _arrays(name_owner=lambda a: np.int32(0))},
    "abjad flags as numbers": {
        "arrays_change": _arrays(vowelless=lambda a: a.astype(np.int64) * 7)
    },
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hostile_offer_is_refused_with_a_reason(
    agencies: tuple[Agency, Agency, Agency], case: str
) -> None:
    ppatk, rosfin, _ = agencies
    load_dttot(ppatk.store)
    load_dttot(rosfin.store)
    _, payload, sealed = _offer(ppatk, **HOSTILE[case])
    with pytest.raises(PackageRejectedError):
        read_offer(payload, "offer")
    with pytest.raises(PackageRejectedError):
        match_offer(rosfin.store, rosfin.identity, rosfin.passphrase, sealed, "offer")
    assert read_log(rosfin.store)[-1].action == "import-rejected"


def test_the_genuine_offer_of_the_probe_matches(agencies: tuple[Agency, Agency, Agency]) -> None:
    """The hostile cases differ from this one only in what they change."""
    ppatk, rosfin, _ = agencies
    load_dttot(ppatk.store)
    load_dttot(rosfin.store)
    _, _, sealed = _offer(ppatk)
    result = match_offer(rosfin.store, rosfin.identity, rosfin.passphrase, sealed, "offer")
    assert result["hits"]
