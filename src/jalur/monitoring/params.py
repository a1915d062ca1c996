"""Typology parameters: the defaults shipped in `defaults.toml`, overlaid by the user's
`[monitoring]` table in `jalur.toml`.

Parameters are data, not code, so an analyst can read and tune every threshold in one file;
an override naming a typology or a key that does not exist is an error, not silently ignored.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

from jalur.config import ConfigError
from jalur.model import REPORTING_CURRENCY
from jalur.monitoring.flow import ALLOCATIONS
from jalur.transactions import country_alpha2, known_currencies

DAY = 86_400
#: Tables whose keys are the user's to choose (feature weights, Spark settings).
FREE_TABLES = ("weights", "conf", "risk_weight")
HOUR = 3_600
#: Tables of `defaults.toml` that hold settings, not a typology to run.
NOT_TYPOLOGIES = ("run", "spark", "trace")
#: Whole-number settings that 0 switches off (`defaults.toml` says so beside each); every
#: other whole-number setting is a count, a length or a number of days, and 0 of it is a
#: rule that can never fire or a division by zero when scoring (`twice_minimum`).
ZERO_SWITCHES = (
    "same_amount_min_payers",
    "small_min_counterparties",
    "any_order_max_length",
    "relay_max_payments",
)
#: Decimal settings that scores and bounds divide by: 0 is a division by zero.
DIVISORS = ("full_amount", "max_z", "max_peer_z", "margin")
#: Shares (of a threshold, of payments, of money) and scores in [0, 1]: above 1 a rule never
#: fires (`min_exposure` 2) or turns into another (`margin` 5 made every payment under a
#: threshold "just under" it; `decay` 5 weighed far hops above near ones).
SHARES = (
    "margin",
    "round_share",
    "near_share",
    "min_share",
    "same_amount_min_share",
    "min_payee_share",
    "min_passed",
    "decay",
    "min_exposure",
    "min_hit_score",
)
#: The largest window, hop count and whole number a setting may hold: a century, 100 hops (a
#: hop weighs decay^hops: 0.7^100 is 3e-16), a billion. Larger ones overflowed the 64-bit
#: integers the SQL binds (a traceback) or sized an array per hop (exposure's weights).
MOST_DAYS = 36_525
MOST_HOPS = 100
MOST_COUNT = 1_000_000_000


@dataclass(frozen=True)
class MonitoringParams:
    """All typologies' parameters after the user's overrides."""

    tables: Mapping[str, Mapping[str, Any]]
    #: The currency `amount_reporting` is in (`[transactions] reporting_currency`): the
    #: detectors' amounts and so their explanations are in it.
    reporting_currency: str = REPORTING_CURRENCY

    def of(self, typology: str) -> Mapping[str, Any]:
        """One typology's parameters (raises for an unknown typology)."""
        if typology not in self.tables:
            raise ConfigError(f"[monitoring] has no typology {typology!r}")
        return self.tables[typology]

    def detecting(self, typology: str) -> Mapping[str, Any]:
        """One typology's parameters as its detector reads them: with `reporting_currency`,
        which its explanations name beside every amount."""
        return {**self.of(typology), "reporting_currency": self.reporting_currency}

    @property
    def typologies(self) -> list[str]:
        return list(self.tables["run"]["typologies"])

    def unknown(self, asked: Iterable[str]) -> str | None:
        """Why a run of the `asked` typologies cannot start (a name no typology has), or None."""
        wrong = [t for t in asked if t not in self.tables or t in NOT_TYPOLOGIES]
        if not wrong:
            return None
        known = [t for t in self.tables if t not in NOT_TYPOLOGIES]
        return f"unknown typology {', '.join(wrong)} (known: {', '.join(known)})"

    def weights(self, typology: str) -> Mapping[str, float]:
        return dict(self.of(typology).get("weights", {}))


def default_tables() -> dict[str, Any]:
    text = resources.files("jalur.monitoring").joinpath("defaults.toml").read_text("utf-8")
    return tomllib.loads(text)


def load_params(
    overrides: Mapping[str, Any] | None = None, reporting_currency: str = REPORTING_CURRENCY
) -> MonitoringParams:
    """Defaults overlaid by `overrides` (the user's `[monitoring]` table); `reporting_currency`
    is the workspace's `[transactions] reporting_currency`, the currency amounts are compared in."""
    tables = default_tables()
    _overlay(tables, dict(overrides or {}), "monitoring")
    _check_run(tables)
    for name, table in tables.items():
        if isinstance(table, dict):
            _check_ranges(table, f"monitoring.{name}")
    return MonitoringParams(tables=tables, reporting_currency=reporting_currency)


def _overlay(base: dict[str, Any], changes: dict[str, Any], where: str) -> None:
    for key, value in changes.items():
        if key not in base:
            raise ConfigError(f"[{where}] has no setting {key!r} (known: {', '.join(base)})")
        current = base[key]
        if isinstance(current, dict) and key not in FREE_TABLES:
            if not isinstance(value, dict):
                raise ConfigError(f"[{where}.{key}] must be a table")
            _overlay(current, value, f"{where}.{key}")
        elif isinstance(current, dict):
            current.update(_free(key, value, f"{where}.{key}", current))
        else:
            base[key] = _same_kind(current, value, f"{where}.{key}")


def _free(key: str, value: Any, where: str, current: Mapping[str, Any]) -> dict[str, Any]:
    if key == "conf":
        if not isinstance(value, dict):
            raise ConfigError(f"[{where}] must be a table of Spark settings")
        return {str(k): str(v) for k, v in value.items()}
    weights = _weights(value, where, current)
    if key == "weights" and not any({**current, **weights}.values()):
        raise ConfigError(
            f"[{where}] are all 0: every alert of the typology would score 0 and explain "
            "nothing (to switch it off, leave it out of [monitoring.run] typologies)"
        )
    return weights


def _weights(value: Any, where: str, current: Mapping[str, Any]) -> dict[str, float]:
    """A weight's name must be one the typology scores (a misspelt one was kept and never
    read, the intended weight left as it was); values finite and at least 0 (an infinite
    weight made every score NaN)."""
    if not isinstance(value, dict) or not all(
        isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) and v >= 0
        for v in value.values()
    ):
        raise ConfigError(f"[{where}] must map feature names to finite non-negative numbers")
    unknown = sorted(str(k) for k in value if k not in current)
    if unknown:
        raise ConfigError(f"[{where}] has no {', '.join(unknown)} (known: {', '.join(current)})")
    return {str(k): float(v) for k, v in value.items()}


def _same_kind(current: Any, value: Any, where: str) -> Any:
    if isinstance(current, bool) or isinstance(value, bool):
        if not isinstance(value, bool) or not isinstance(current, bool):
            raise ConfigError(f"{where} must be true or false")
        return value
    if isinstance(current, int | float) and isinstance(value, int | float):
        if not math.isfinite(value) or value < 0:
            raise ConfigError(f"{where} must be a finite number of at least 0, not {value!r}")
        if isinstance(current, int) and not float(value).is_integer():
            raise ConfigError(f"{where} must be a whole number, not {value!r}")
        return type(current)(value)
    if type(current) is not type(value):
        raise ConfigError(f"{where} must be {_kind(current)}, not {value!r}")
    return value


def _kind(value: Any) -> str:
    """The kind of a setting in an analyst's words (it said "must be a int")."""
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "text"
    return "a list" if isinstance(value, list) else f"a {type(value).__name__}"


def _check_run(tables: dict[str, Any]) -> None:
    """The run's list names each typology once (twice made the same alert twice: a store
    constraint traceback) and at least one (none ran a pass that could find nothing)."""
    names = list(tables["run"]["typologies"])
    unknown = [t for t in names if t not in tables or t in NOT_TYPOLOGIES]
    if unknown:
        raise ConfigError(f"[monitoring.run] typologies: unknown {', '.join(map(str, unknown))}")
    if not names:
        raise ConfigError("[monitoring.run] typologies is empty: name at least one typology")
    twice = sorted({t for t in names if names.count(t) > 1})
    if twice:
        raise ConfigError(f"[monitoring.run] typologies names {', '.join(twice)} more than once")


def _check_ranges(table: dict[str, Any], where: str) -> None:
    """Values that are each well-formed but together make a rule that can never fire (or a
    window of no time, which the SQL divides by) are errors, not a silent run with no alerts."""
    for key, value in table.items():
        if _zero_refused(key, value) and value <= 0:
            raise ConfigError(f"{where}.{key} must be more than 0, not {value!r}")
        if key == "currency_drift" and value < 1:
            raise ConfigError(
                f"{where}.{key} must be at least 1 (1 switches it off), not {value!r}: a hop "
                "that changes currency is let move further than one that does not, not less"
            )
        bound = _most(key, value)
        if bound is not None and value > bound:
            raise ConfigError(f"{where}.{key} must be at most {bound:,}, not {value!r}")
        if "min_" in key and key.replace("min_", "max_", 1) in table:
            most = table[key.replace("min_", "max_", 1)]
            if isinstance(value, int | float) and isinstance(most, int | float) and value > most:
                raise ConfigError(
                    f"{where}.{key} ({value!r}) is more than {key.replace('min_', 'max_', 1)}"
                    f" ({most!r}): the rule could never fire"
                )
    if "thresholds" in table:
        _check_thresholds(table["thresholds"], f"{where}.thresholds")
    _check_words(table, where)
    _read_countries(table, where)


def _read_countries(table: dict[str, Any], where: str) -> None:
    """The corridor's countries as alpha-2 codes, however the user wrote them (`IRN`, `Iran`,
    `ir`): payments' countries are stored as alpha-2 (docs/transactions.md), and `IRN` in
    `black_list` matched none of them, silently. One that names no country is an error naming
    it (`Atlantis` would have been a jurisdiction no payment ever meets)."""
    for key in ("black_list", "grey_list"):
        if key not in table:
            continue
        codes = []
        for number, given in enumerate(table[key], start=1):
            code = country_alpha2(given)
            if code is None:
                raise ConfigError(
                    f"{where}.{key} item {number} names no country jalur reads: {given!r} "
                    "(an ISO 3166 code or a country's name: IR, IRN, Iran)"
                )
            codes.append(code)
        table[key] = codes


def _check_words(table: Mapping[str, Any], where: str) -> None:
    """Text settings a rule reads by name: the allocation rule (one jalur lacks was a
    ValueError traceback mid-pass), structuring's thresholds (none: structuring can never
    fire; take it out of `[monitoring.run] typologies` instead), the corridor's countries
    (text: a number became a jurisdiction called "1")."""
    allocation = table.get("allocation")
    if allocation is not None and allocation not in ALLOCATIONS:
        raise ConfigError(
            f"{where}.allocation must be {' or '.join(ALLOCATIONS)}, not {allocation!r}"
        )
    if where == "monitoring.structuring" and not table.get("thresholds"):
        raise ConfigError(
            f"{where}.thresholds is empty: structuring would never fire (to switch it off, "
            "leave it out of [monitoring.run] typologies)"
        )
    for key in ("black_list", "grey_list"):
        for number, code in enumerate(table.get(key, ()), start=1):
            if not isinstance(code, str) or not code.strip():
                raise ConfigError(
                    f"{where}.{key} item {number} must be a country code (text), not {code!r}"
                )


def _zero_refused(key: str, value: Any) -> bool:
    """Whether 0 is no value for this setting: a window, a count, a length, a divisor, a
    hop ratio (the hop searches bin amounts by its logarithm)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    if key.endswith(("window_days", "_hours", "max_hops", "hop_ratio")) or key in DIVISORS:
        return True
    return isinstance(value, int) and key not in ZERO_SWITCHES


def _most(key: str, value: Any) -> float | None:
    """The largest value this setting may hold (None: no bound beyond being finite)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if key.endswith("window_days"):
        return MOST_DAYS
    if key.endswith("_hours"):
        return MOST_DAYS * 24
    if key == "max_hops":
        return MOST_HOPS
    if key in SHARES:
        return 1
    return MOST_COUNT if isinstance(value, int) else None


def _check_thresholds(items: Any, where: str) -> None:
    """Each reporting threshold needs its currency and a positive amount (the detectors read
    them without further checks)."""
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise ConfigError(
                f"{where} item {number} must be a table (currency, channel, threshold)"
            )
        amount = item.get("threshold")
        if not isinstance(item.get("currency"), str) or not isinstance(
            item.get("channel", "*"), str
        ):
            raise ConfigError(f"{where} item {number}: currency and channel must be text")
        if item["currency"].strip().upper() not in known_currencies():
            raise ConfigError(
                f"{where} item {number}: currency {item['currency']!r} is not an ISO 4217 code"
                " (no payment could match it: the threshold would never fire)"
            )
        if isinstance(amount, bool) or not isinstance(amount, int | float):
            raise ConfigError(f"{where} item {number}: threshold must be a number, not {amount!r}")
        if not math.isfinite(amount) or amount <= 0:
            raise ConfigError(
                f"{where} item {number}: threshold must be more than 0, not {amount!r}"
            )
        unknown = sorted(set(item) - {"currency", "channel", "threshold"})
        if unknown:
            raise ConfigError(f"{where} item {number}: no setting {', '.join(unknown)}")
    _check_once(items, where)


def threshold_of(item: Mapping[str, Any]) -> tuple[str, str, float]:
    """A threshold item as the detectors match it: currency trimmed in capitals, channel
    trimmed in small letters ("*": any), the amount."""
    channel = str(item.get("channel", "*")).strip().lower()
    return str(item["currency"]).strip().upper(), channel, float(item["threshold"])


def _check_once(items: Any, where: str) -> None:
    """No payment may match two thresholds of one amount and currency (the same item twice,
    or one for any channel beside one for cash): it was joined to both and counted as two
    pieces, so two deposits made a burst of four."""
    seen: list[tuple[int, tuple[str, str, float]]] = []
    for number, item in enumerate(items, start=1):
        currency, channel, amount = threshold_of(item)
        for earlier, (cur, chan, amt) in seen:
            if (cur, amt) == (currency, amount) and (chan == channel or "*" in (chan, channel)):
                raise ConfigError(
                    f"{where} items {earlier} and {number}: the {amount:g} {currency} threshold "
                    f"for channel {chan!r} and for {channel!r}: a payment matching both would "
                    "be counted twice (give it once per currency and channel)"
                )
        seen.append((number, (currency, channel, amount)))
