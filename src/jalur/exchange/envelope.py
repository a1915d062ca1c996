"""The sealed container every package and match offer travels in.

Layout: `JALURX1\\n`, a 4-byte big-endian length, the envelope JSON, then the ciphertext.
The envelope holds a clear header (kind, id, sender key, recipient keys, created, expires),
one HPKE-wrapped content key per recipient (RFC 9180 base mode: X25519, HKDF-SHA256,
AES-256-GCM) and the sender's Ed25519 signature. The payload is AES-256-GCM under the content
key with the header as associated data, and the signature covers header, wrapped keys, nonce
and the ciphertext's SHA-256: flipping any byte, swapping the body of another package in, or
editing the header (say, the expiry) breaks either the signature or the decryption.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from jalur.exchange.canonical import b64, canonical, loads, unb64
from jalur.exchange.errors import PackageRejectedError
from jalur.exchange.keys import PublicKeys, SecretKeys

MAGIC = b"JALURX1\n"
ENVELOPE_FORMAT = "jalur-exchange/1"
KINDS = ("package", "match-offer")
_SUITE = hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)
_MAX_ENVELOPE = 1 << 20


def largest_sealed(payload_bytes: int) -> int:
    """The largest sealed file whose payload unpacks to at most `payload_bytes`: the magic,
    length and largest envelope, then the zip (deflate grows incompressible data by well
    under 0.1 %, plus member headers) and the AEAD tag, with a mebibyte to spare."""
    return len(MAGIC) + 4 + _MAX_ENVELOPE + payload_bytes + payload_bytes // 1000 + (1 << 20)


@dataclass(frozen=True)
class Envelope:
    header: dict[str, Any]
    recipients: list[dict[str, str]]
    nonce: bytes
    ciphertext: bytes
    signature: bytes

    @property
    def sender_key(self) -> str:
        return str(self.header["sender"]["key_id"])

    @property
    def recipient_keys(self) -> list[str]:
        return [str(r) for r in self.header["recipients"]]


def seal(
    header: dict[str, Any], payload: bytes, sender: SecretKeys, recipients: Sequence[PublicKeys]
) -> bytes:
    """Encrypt `payload` to each recipient key and sign the whole as `sender`."""
    header = {**header, "format": ENVELOPE_FORMAT, "recipients": [r.key_id for r in recipients]}
    aad = canonical(header)
    content_key, nonce = AESGCM.generate_key(256), os.urandom(12)
    ciphertext = AESGCM(content_key).encrypt(nonce, payload, aad)
    wrapped = [
        {
            "key_id": r.key_id,
            "enc": b64(
                _SUITE.encrypt(
                    content_key,
                    X25519PublicKey.from_public_bytes(r.encrypt_public),
                    info=_wrap_info(aad, r.key_id),
                )
            ),
        }
        for r in recipients
    ]
    signature = sender.sign_bytes(_signed(header, wrapped, nonce, ciphertext))
    envelope = {
        "header": header,
        "recipients": wrapped,
        "nonce": b64(nonce),
        "signature": b64(signature),
    }
    body = json.dumps(envelope, sort_keys=True).encode()
    return MAGIC + struct.pack(">I", len(body)) + body + ciphertext


def parse(data: bytes, source: str) -> Envelope:
    """Split a file into its parts; anything that is not a well-formed envelope is rejected."""
    if not data.startswith(MAGIC) or len(data) < len(MAGIC) + 4:
        raise PackageRejectedError(source, "not a jalur exchange file (bad magic)")
    (length,) = struct.unpack(">I", data[len(MAGIC) : len(MAGIC) + 4])
    start = len(MAGIC) + 4
    if length > _MAX_ENVELOPE or start + length > len(data):
        raise PackageRejectedError(source, "truncated or corrupt envelope")
    try:
        raw = loads(data[start : start + length])
        envelope = Envelope(
            header=raw["header"],
            recipients=[{"key_id": r["key_id"], "enc": r["enc"]} for r in raw["recipients"]],
            nonce=unb64(raw["nonce"]),
            ciphertext=data[start + length :],
            signature=unb64(raw["signature"]),
        )
        _check_header(envelope.header)
    except (
        json.JSONDecodeError,
        UnicodeDecodeError,
        KeyError,
        TypeError,
        ValueError,
        AttributeError,  # a number or null where base64 text belongs
    ) as exc:
        raise PackageRejectedError(source, f"corrupt envelope: {exc}") from exc
    return envelope


def _check_header(header: dict[str, Any]) -> None:
    """The header's shape, before any value of it is used (nothing here is signed yet)."""
    if not isinstance(header, dict):
        raise ValueError("the header is not an object")
    if header.get("format") != ENVELOPE_FORMAT:
        raise ValueError(f"unknown format {header.get('format')!r}")
    if header.get("kind") not in KINDS:
        raise ValueError(f"unknown kind {header.get('kind')!r}")
    for name in ("id", "created", "expires"):
        if not isinstance(header.get(name), str):
            raise ValueError(f"header field {name!r} missing")
    sender, recipients = header.get("sender"), header.get("recipients")
    if not (
        isinstance(sender, dict)
        and isinstance(sender.get("key_id"), str)
        and isinstance(recipients, list)
        and all(isinstance(r, str) for r in recipients)
    ):
        raise ValueError("header names no sender key or recipient keys")


def signature_valid(envelope: Envelope, sender: PublicKeys) -> bool:
    message = _signed(envelope.header, envelope.recipients, envelope.nonce, envelope.ciphertext)
    return sender.verify(envelope.signature, message)


def decrypt(envelope: Envelope, secret: SecretKeys, source: str) -> bytes:
    """The payload, for a recipient key named in the header (checked by the caller)."""
    aad = canonical(envelope.header)
    block = next((r for r in envelope.recipients if r["key_id"] == secret.key_id), None)
    if block is None:
        raise PackageRejectedError(source, f"no wrapped key for this agency's key {secret.key_id}")
    try:
        content_key = _SUITE.decrypt(
            unb64(block["enc"]), secret.encrypt, info=_wrap_info(aad, secret.key_id)
        )
        return AESGCM(content_key).decrypt(envelope.nonce, envelope.ciphertext, aad)
    except (InvalidTag, ValueError) as exc:
        raise PackageRejectedError(source, "decryption failed: the package was altered") from exc


def _wrap_info(aad: bytes, key_id: str) -> bytes:
    return b"jalur-exchange-v1 wrap" + hashlib.sha256(aad).digest() + key_id.encode()


def _signed(
    header: dict[str, Any], wrapped: list[dict[str, str]], nonce: bytes, ciphertext: bytes
) -> bytes:
    return b"jalur-exchange-v1 sign" + canonical(
        {
            "header": header,
            "recipients": wrapped,
            "nonce": b64(nonce),
            "ciphertext_sha256": hashlib.sha256(ciphertext).hexdigest(),
        }
    )
