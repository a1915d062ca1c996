"""The signature check on its own: a package that decrypts fine but was signed by someone else.

Tampering with a sealed file breaks the decryption as well as the signature, so tests that flip
bytes cannot tell whether the signature check works. Here the package is re-sealed properly to
the recipient (it decrypts, its manifest agrees with its envelope) and still claims PPATK as its
sender, but the signature comes from another key: only the signature check can refuse it.
"""

from __future__ import annotations

import json
import os
import struct
from collections.abc import Callable

import pytest
from exchange_agencies import Agency, load_dttot

from jalur.exchange import (
    ExportRequest,
    PackageRejectedError,
    export_package,
    find_partner,
    import_package,
    read_log,
    select_entities,
)
from jalur.exchange.canonical import b64
from jalur.exchange.envelope import MAGIC, decrypt, parse, seal
from jalur.exchange.keys import SecretKeys, generate


def _genuine(ppatk: Agency, rosfin: Agency) -> bytes:
    load_dttot(ppatk.store)
    _, sealed = export_package(
        ppatk.store,
        ppatk.identity,
        ppatk.passphrase,
        [find_partner(ppatk.store, "rosfinmonitoring")],
        select_entities(ppatk.store, ["topic:crime.terror"]),
        ExportRequest(purpose="CTF analysis of JI financing"),
    )
    return sealed


def _resealed(sealed: bytes, recipient: Agency, signer: SecretKeys) -> bytes:
    """The same header (sender: PPATK's key) and payload, validly encrypted, signed by `signer`."""
    envelope = parse(sealed, "pkg")
    key_id = recipient.identity.active.key_id
    payload = decrypt(envelope, recipient.identity.unlock(key_id, recipient.passphrase), "pkg")
    return seal(envelope.header, payload, signer, [recipient.identity.active])


def _secret(agency: Agency) -> SecretKeys:
    return agency.identity.unlock(agency.identity.active.key_id, agency.passphrase)


def _with_signature(sealed: bytes, signature: bytes) -> bytes:
    """The file with only its signature bytes replaced (a forgery that keeps everything else)."""
    (length,) = struct.unpack(">I", sealed[len(MAGIC) : len(MAGIC) + 4])
    start = len(MAGIC) + 4
    envelope = json.loads(sealed[start : start + length])
    envelope["signature"] = b64(signature)
    body = json.dumps(envelope, sort_keys=True).encode()
    return MAGIC + struct.pack(">I", len(body)) + body + sealed[start + length :]


SIGNERS: dict[str, Callable[[Agency, Agency, Agency], SecretKeys]] = {
    "another partner (AUSTRAC)": lambda ppatk, rosfin, austrac: _secret(austrac),
    "the recipient itself": lambda ppatk, rosfin, austrac: _secret(rosfin),
    "a stranger's fresh key": lambda ppatk, rosfin, austrac: generate()[1],
}


@pytest.mark.parametrize("signer", list(SIGNERS))
def test_validly_encrypted_package_signed_by_another_key_is_rejected(
    agencies: tuple[Agency, Agency, Agency], signer: str
) -> None:
    ppatk, rosfin, austrac = agencies
    sealed = _genuine(ppatk, rosfin)
    forged = _resealed(sealed, rosfin, SIGNERS[signer](ppatk, rosfin, austrac))
    assert parse(forged, "pkg").sender_key == ppatk.identity.active.key_id  # still claims PPATK

    with pytest.raises(PackageRejectedError, match="signature does not verify") as caught:
        import_package(rosfin.store, rosfin.identity, rosfin.passphrase, forged, "pkg")
    assert "signature" in caught.value.reason
    last = read_log(rosfin.store)[-1]
    assert last.action == "import-rejected" and "signature" in last.detail["reason"]
    assert rosfin.store.execute("SELECT count(*) FROM exchange_entities").fetchone() == (0,)

    # the control: the same construction signed by PPATK's own key is accepted, so the
    # rejection above is the signature's alone (not the decryption, the manifest or the time)
    control = _resealed(sealed, rosfin, _secret(ppatk))
    report = import_package(rosfin.store, rosfin.identity, rosfin.passphrase, control, "pkg")
    assert report.partner.upper() == "PPATK" and report.entities == 3


def test_forged_signature_bytes_are_rejected(agencies: tuple[Agency, Agency, Agency]) -> None:
    ppatk, rosfin, _ = agencies
    sealed = _genuine(ppatk, rosfin)
    for forged_signature in (os.urandom(64), bytes(64)):
        forged = _with_signature(sealed, forged_signature)
        with pytest.raises(PackageRejectedError, match="signature does not verify"):
            import_package(rosfin.store, rosfin.identity, rosfin.passphrase, forged, "pkg")
    report = import_package(rosfin.store, rosfin.identity, rosfin.passphrase, sealed, "pkg")
    assert report.entities == 3  # the untouched file still goes in
