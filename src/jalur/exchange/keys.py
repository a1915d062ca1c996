"""This agency's identity: Ed25519 signing and X25519 encryption keys, kept under a passphrase.

An FIU's keys are what partners trust; losing them to a thief lets the thief read what
partners send and forge what the agency sends. So private keys only ever touch disk encrypted
(scrypt-derived key, AES-256-GCM, the key id bound as associated data) and every key pair has
a status: `active` (signs and receives now), `retired` (replaced by rotation, still decrypts
packages sent before, and verifies only what it signed before `retired_at`), `revoked`
(compromised: nothing signed by it is accepted any more).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from jalur.exchange.canonical import b64, canonical, iso, parse_iso, unb64, utcnow
from jalur.exchange.errors import ExchangeError

ACTIVE, RETIRED, REVOKED = "active", "retired", "revoked"
#: scrypt cost: ~0.1 s and 32 MiB per unlock on a laptop (OWASP's 2023 minimum is N=2^17/r=8
#: for password storage; an unlock is interactive and offline-attack cost scales with N).
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
#: Passphrase floor: scrypt makes each guess cost ~0.1 s, which only helps when there are many
#: candidates; a short or repetitive passphrase falls to a dictionary run in hours.
MIN_PASSPHRASE, MIN_DISTINCT, MIN_DIGITS_ONLY = 12, 5, 20
PASSPHRASE_RULE = (
    f"at least {MIN_PASSPHRASE} characters with at least {MIN_DISTINCT} different ones, "
    f"and at least {MIN_DIGITS_ONLY} when it is digits only (a few unrelated words work well)"
)


@dataclass(frozen=True)
class PublicKeys:
    """One key generation of an agency, as partners see it."""

    key_id: str
    sign_public: bytes
    encrypt_public: bytes
    created: str
    status: str = ACTIVE
    revoked_at: str | None = None
    reason: str | None = None
    #: When rotation retired it: packages it claims to sign later are refused by partners.
    retired_at: str | None = None

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.key_id)

    def as_dict(self) -> dict[str, Any]:
        """The stored form; `retired_at` only when set, so that what was stored (or signed on
        a card) before retirement times were kept reads back exactly as it was."""
        data: dict[str, Any] = {
            "key_id": self.key_id,
            "sign_public": b64(self.sign_public),
            "encrypt_public": b64(self.encrypt_public),
            "created": self.created,
            "status": self.status,
            "revoked_at": self.revoked_at,
            "reason": self.reason,
        }
        if self.retired_at is not None:
            data["retired_at"] = self.retired_at
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PublicKeys:
        keys = cls(
            key_id=str(data["key_id"]),
            sign_public=unb64(data["sign_public"]),
            encrypt_public=unb64(data["encrypt_public"]),
            created=str(data["created"]),
            status=str(data.get("status", ACTIVE)),
            revoked_at=data.get("revoked_at"),
            reason=data.get("reason"),
            retired_at=_text_or_none(data.get("retired_at")),
        )
        if key_id_of(keys.sign_public, keys.encrypt_public) != keys.key_id:
            raise ExchangeError(f"key {keys.key_id}: key id does not match its public keys")
        if keys.status not in (ACTIVE, RETIRED, REVOKED):
            raise ExchangeError(f"key {keys.key_id}: unknown status {keys.status!r}")
        return keys

    def verify(self, signature: bytes, message: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.sign_public).verify(signature, message)
        except InvalidSignature:
            return False
        return True


def _text_or_none(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ExchangeError(f"retirement time {str(value)[:40]!r} is not a time")
    try:
        parse_iso(value)
    except ValueError as exc:
        raise ExchangeError(f"retirement time {value[:40]!r} is not a time: {exc}") from None
    return value


@dataclass(frozen=True)
class SecretKeys:
    """The private half of one key generation, unlocked for this process only."""

    key_id: str
    sign: Ed25519PrivateKey
    encrypt: X25519PrivateKey

    def sign_bytes(self, message: bytes) -> bytes:
        return self.sign.sign(message)


def key_id_of(sign_public: bytes, encrypt_public: bytes) -> str:
    """A key generation's id: 160 bits of SHA-256 over both public keys (domain-separated)."""
    return hashlib.sha256(b"jalur-key-v1" + sign_public + encrypt_public).hexdigest()[:40]


def fingerprint(key_id: str) -> str:
    """The form people read aloud to check a card out of band: `ABCD 1234 …`."""
    upper = key_id.upper()
    return " ".join(upper[i : i + 4] for i in range(0, len(upper), 4))


def generate() -> tuple[PublicKeys, SecretKeys]:
    sign = Ed25519PrivateKey.generate()
    encrypt = X25519PrivateKey.generate()
    sign_public = sign.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    encrypt_public = encrypt.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    key_id = key_id_of(sign_public, encrypt_public)
    public = PublicKeys(key_id, sign_public, encrypt_public, created=utcnow().isoformat())
    return public, SecretKeys(key_id, sign, encrypt)


def check_passphrase(passphrase: str) -> None:
    """Refuse a passphrase too weak to protect the agency's keys, saying the rule."""
    if not passphrase:
        raise ExchangeError(
            f"an empty passphrase cannot protect private keys; use {PASSPHRASE_RULE}"
        )
    weak = (
        len(passphrase) < MIN_PASSPHRASE
        or len(set(passphrase)) < MIN_DISTINCT
        or (passphrase.isdigit() and len(passphrase) < MIN_DIGITS_ONLY)
    )
    if weak:
        raise ExchangeError(
            f"the passphrase is too weak to protect the agency's keys: use {PASSPHRASE_RULE}"
        )


def seal_secret(secret: SecretKeys, passphrase: str) -> dict[str, Any]:
    """The private keys encrypted under the passphrase, as stored in the identity file.

    Every place a key is (re)sealed goes through here (init, rotation, passphrase change), so
    the strength rule holds for all of them.
    """
    check_passphrase(passphrase)
    salt, nonce = os.urandom(16), os.urandom(12)
    raw = _raw_private(secret)
    box = AESGCM(_derive(passphrase, salt)).encrypt(nonce, raw, secret.key_id.encode())
    return {
        "kdf": "scrypt",
        "n": SCRYPT_N,
        "r": SCRYPT_R,
        "p": SCRYPT_P,
        "salt": b64(salt),
        "nonce": b64(nonce),
        "ciphertext": b64(box),
    }


def open_secret(key_id: str, sealed: dict[str, Any], passphrase: str) -> SecretKeys:
    if sealed.get("kdf") != "scrypt":
        raise ExchangeError(f"key {key_id}: unknown key protection {sealed.get('kdf')!r}")
    key = _derive(passphrase, unb64(sealed["salt"]), sealed["n"], sealed["r"], sealed["p"])
    try:
        raw = AESGCM(key).decrypt(
            unb64(sealed["nonce"]), unb64(sealed["ciphertext"]), key_id.encode()
        )
    except InvalidTag as exc:
        raise ExchangeError("wrong passphrase (or the identity file was altered)") from exc
    return SecretKeys(
        key_id,
        Ed25519PrivateKey.from_private_bytes(raw[:32]),
        X25519PrivateKey.from_private_bytes(raw[32:]),
    )


@lru_cache(maxsize=16)
def _derive(
    passphrase: str, salt: bytes, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P
) -> bytes:
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))


def _raw_private(secret: SecretKeys) -> bytes:
    from cryptography.hazmat.primitives.serialization import NoEncryption, PrivateFormat

    return secret.sign.private_bytes(
        Encoding.Raw, PrivateFormat.Raw, NoEncryption()
    ) + secret.encrypt.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())


def revoked(keys: PublicKeys, reason: str) -> PublicKeys:
    return replace(keys, status=REVOKED, revoked_at=iso(utcnow()), reason=reason)


def revocation_message(keys: PublicKeys) -> bytes:
    """What a key signs to revoke itself: only its holder can, so anyone may honour it."""
    return b"jalur-revoke-v1" + canonical(
        {"key_id": keys.key_id, "revoked_at": keys.revoked_at, "reason": keys.reason}
    )


def retirement_message(key_id: str, retired_at: str) -> bytes:
    """What a key signs when rotation retires it: the time from which it signs nothing more.

    Kept apart from the card's signed body, which is unchanged, so that partners running an
    older version still verify a card that carries retirement times.
    """
    return b"jalur-retire-v1" + canonical({"key_id": key_id, "retired_at": retired_at})
