"""The identity file `<home>/agency/identity.json`: who this installation speaks for.

It holds the agency's name and country and every key generation it has had (public halves in
clear, private halves sealed under the passphrase, see `keys`). Rotation adds a generation and
retires the old one; revocation marks a generation compromised and, when it was the active one,
rotates at once so the agency can keep working. The file is written atomically with mode 0600.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from jalur.config import private_dir
from jalur.exchange.canonical import b64, iso, unb64, utcnow
from jalur.exchange.errors import ExchangeError
from jalur.exchange.keys import (
    ACTIVE,
    RETIRED,
    REVOKED,
    PublicKeys,
    SecretKeys,
    check_passphrase,
    generate,
    open_secret,
    retirement_message,
    revocation_message,
    revoked,
    seal_secret,
)

IDENTITY_FORMAT = "jalur-identity/1"


def slug(name: str) -> str:
    """An agency handle for commands and list names: `Rosfin Monitoring` → `rosfin-monitoring`."""
    text = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    if not text:
        raise ExchangeError(f"agency name {name!r} has no letters or digits")
    return text


@dataclass
class Identity:
    """This agency: name, country and its key generations (newest last)."""

    name: str
    country: str
    keys: list[PublicKeys]
    sealed: dict[str, dict[str, Any]]  # key_id → sealed private keys
    revocations: dict[str, str] = field(default_factory=dict)  # key_id → b64 self-signature
    retirements: dict[str, str] = field(default_factory=dict)  # key_id → b64 self-signature

    @property
    def slug(self) -> str:
        return slug(self.name)

    @property
    def active(self) -> PublicKeys:
        for keys in reversed(self.keys):
            if keys.status == ACTIVE:
                return keys
        raise ExchangeError(f"{self.name} has no active key; run `jalur agency rotate`")

    def key(self, key_id: str) -> PublicKeys | None:
        return next((k for k in self.keys if k.key_id == key_id), None)

    def unlock(self, key_id: str, passphrase: str) -> SecretKeys:
        if key_id not in self.sealed:
            raise ExchangeError(f"no private key {key_id} in this identity")
        return open_secret(key_id, self.sealed[key_id], passphrase)

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": IDENTITY_FORMAT,
            "name": self.name,
            "country": self.country,
            "keys": [k.as_dict() for k in self.keys],
            "sealed": self.sealed,
            "revocations": self.revocations,
            "retirements": self.retirements,
        }


#: Longest agency name: `exchange-` and its handle must still make a list name (100).
MAX_AGENCY_NAME = 90


def check_agency_name(name: object) -> str:
    """The name when an agency may bear it (`agency init`, a partner's card); else why not.

    It is printed on the partner's terminal and names the partner's watchlist: no control or
    formatting characters (an escape sequence, a line break, a right-to-left override), no
    spaces at its ends, at most `MAX_AGENCY_NAME` characters, some letters or digits.
    """
    if not isinstance(name, str) or not name:
        raise ExchangeError("the agency name is empty or not text")
    if len(name) > MAX_AGENCY_NAME:
        raise ExchangeError(f"the agency name is longer than {MAX_AGENCY_NAME} characters")
    if not name.isprintable():
        raise ExchangeError(f"the agency name {name!r} has characters that are not printable")
    if name != name.strip():
        raise ExchangeError(f"the agency name {name!r} starts or ends with spaces")
    slug(name)
    return name


def check_country(country: object) -> str:
    if not isinstance(country, str) or not re.fullmatch(r"[A-Za-z]{2}", country):
        raise ExchangeError(f"country {str(country)[:40]!r} is not an ISO 3166-1 alpha-2 code")
    return country


def identity_path(home: Path) -> Path:
    return home / "agency" / "identity.json"


def create(home: Path, name: str, country: str, passphrase: str) -> Identity:
    """`jalur agency init`: a first key generation; refuses to replace an existing identity."""
    path = identity_path(home)
    if path.exists():
        raise ExchangeError(f"{path} already exists; this workspace already is an agency")
    check_country(country)
    check_agency_name(name)
    public, secret = generate()
    identity = Identity(
        name, country.upper(), [public], {public.key_id: seal_secret(secret, passphrase)}
    )
    save(home, identity)
    return identity


def load(home: Path) -> Identity:
    path = identity_path(home)
    if not path.exists():
        raise ExchangeError(
            f"this workspace ({home}) has no agency identity; run `jalur agency init` first"
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ExchangeError(f"{path}: not a jalur identity file: {exc}") from exc
    if data.get("format") != IDENTITY_FORMAT:
        raise ExchangeError(f"{path}: unknown format {data.get('format')!r}")
    return Identity(
        name=data["name"],
        country=data["country"],
        keys=[PublicKeys.from_dict(k) for k in data["keys"]],
        sealed=data["sealed"],
        revocations=data.get("revocations", {}),
        retirements=data.get("retirements", {}),
    )


def save(home: Path, identity: Identity) -> None:
    path = identity_path(home)
    private_dir(path.parent)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(identity.as_dict(), handle, indent=2)
    tmp.replace(path)


def rotate(identity: Identity, passphrase: str) -> PublicKeys:
    """A new active generation; the old active one is retired (it still decrypts old packages).

    The retired key signs the time of its retirement (`retirement_message`): partners then
    accept only packages it signed before, and no card can move that time.
    """
    old = identity.unlock(identity.active.key_id, passphrase)  # the passphrase must be right
    try:
        check_passphrase(passphrase)
    except ExchangeError as exc:
        raise ExchangeError(
            f"{exc}; set a stronger one first with `jalur agency passphrase`"
        ) from exc
    public, secret = generate()
    now = iso(utcnow())
    identity.keys = [
        replace(k, status=RETIRED, retired_at=now) if k.status == ACTIVE else k
        for k in identity.keys
    ]
    identity.retirements[old.key_id] = b64(old.sign_bytes(retirement_message(old.key_id, now)))
    identity.keys.append(public)
    identity.sealed[public.key_id] = seal_secret(secret, passphrase)
    return public


def change_passphrase(identity: Identity, old: str, new: str) -> None:
    """Re-seal every key generation under a new passphrase (all or none: checked first)."""
    check_passphrase(new)
    opened = {key_id: identity.unlock(key_id, old) for key_id in identity.sealed}
    identity.sealed = {key_id: seal_secret(secret, new) for key_id, secret in opened.items()}


def revoke(identity: Identity, key_id: str, reason: str, passphrase: str) -> PublicKeys | None:
    """Mark a generation compromised, signed by itself; rotate when it was the active one."""
    target = identity.key(key_id) or _by_prefix(identity, key_id)
    if target.status == REVOKED:
        raise ExchangeError(f"key {target.key_id} is already revoked")
    secret = identity.unlock(target.key_id, passphrase)
    was_active = target.status == ACTIVE
    new_public = rotate(identity, passphrase) if was_active else None
    marked = revoked(target, reason)
    identity.keys = [marked if k.key_id == target.key_id else k for k in identity.keys]
    identity.revocations[target.key_id] = b64(secret.sign_bytes(revocation_message(marked)))
    return new_public


def revocation_signature(identity: Identity, key_id: str) -> bytes | None:
    value = identity.revocations.get(key_id)
    return unb64(value) if value else None


def retirement_signature(identity: Identity, key_id: str) -> bytes | None:
    value = identity.retirements.get(key_id)
    return unb64(value) if value else None


def _by_prefix(identity: Identity, prefix: str) -> PublicKeys:
    wanted = prefix.replace(" ", "").lower()
    found = [k for k in identity.keys if k.key_id.startswith(wanted)] if wanted else []
    if len(found) != 1:
        known = ", ".join(k.key_id for k in identity.keys)
        raise ExchangeError(f"no single key matches {prefix!r} (keys: {known})")
    return found[0]
