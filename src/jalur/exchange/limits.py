"""How much a partner's package may hold, and how large an export may be without confirmation.

A package is small on the wire and can be enormous once decoded: a 2.6 KB Parquet file of one
repeated 200-character string decodes to gigabytes. So every bound is on the decoded form
(rows, entities, bytes of Arrow memory), checked while decoding, not only on the zip entries.
The defaults fit the largest real exchange we expect (a case file of a few hundred thousand
payments); `[exchange]` in `jalur.toml` raises or lowers them.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from jalur.exchange.errors import ExchangeError


@dataclass(frozen=True)
class ExchangeLimits:
    #: Uncompressed size of all zip entries of a package together.
    max_payload_bytes: int = 1 << 30
    #: FtM entities in one package.
    max_entities: int = 500_000
    #: Payments in one package.
    max_payments: int = 2_000_000
    #: Arrow memory of the decoded payments.
    max_payment_bytes: int = 1 << 30
    #: An export of more subjects than this needs `--confirm N` with N the number selected.
    confirm_above: int = 50

    @classmethod
    def from_section(cls, section: dict[str, Any]) -> ExchangeLimits:
        """The `[exchange]` table of `jalur.toml`; unknown keys and non-positive values refused."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(section) - known)
        if unknown:
            raise ExchangeError(
                f"jalur.toml [exchange]: unknown setting(s) {', '.join(unknown)}; "
                f"known: {', '.join(sorted(known))}"
            )
        for key, value in section.items():
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ExchangeError(f"jalur.toml [exchange] {key} must be a positive integer")
        return cls(**section)
