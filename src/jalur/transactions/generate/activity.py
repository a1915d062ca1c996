"""Ordinary economic life, vectorised: purchases, transfers, salaries, rent, trade and cash.

Each activity has a share of all normal payments, a weekly rhythm (trade on weekdays, shopping
peaks at weekends), a daily rhythm (office hours, lunch and evening peaks) and a heavy-tailed
amount (log-normal in USD, converted later to the payer's currency). Counterparties are mostly
domestic (92%) and popular ones are chosen more often (a power law over a shuffled order).
Nothing here loops over transactions in Python.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from jalur.transactions.generate.world import CODES, Accounts

START = np.datetime64("2025-01-01T00:00:00", "us")
DAYS = 365
DAY_US = 86_400_000_000

#: activity → (share, channel, purpose, log-normal median USD, sigma, payer group, payee group)
ACTIVITIES = {
    "purchase": (0.42, "card", "purchase", 30.0, 1.0, "person", "merchant"),
    "transfer": (0.15, "wire", "family transfer", 120.0, 1.2, "person", "person"),
    "salary": (0.06, "ach", "salary", 900.0, 0.5, "employer", "person"),
    "rent": (0.04, "wire", "rent", 600.0, 0.4, "person", "any"),
    "trade": (0.13, "wire", "invoice payment", 5000.0, 1.6, "company", "company"),
    "cash_in": (0.08, "cash", "cash deposit", 300.0, 1.0, "none", "any"),
    "cash_out": (0.12, "cash", "cash withdrawal", 150.0, 0.9, "any", "none"),
}
_WEEK = {  # Monday … Sunday
    "shop": np.array([0.9, 0.9, 0.95, 1.0, 1.2, 1.5, 1.3]),
    "office": np.array([1.2, 1.2, 1.2, 1.2, 1.1, 0.2, 0.1]),
    "flat": np.ones(7),
}
_HOURS = {
    "shop": np.array(
        [1, 1, 1, 1, 1, 2, 4, 6, 8, 9, 10, 12, 16, 12, 10, 10, 11, 14, 18, 20, 18, 12, 6, 2], float
    ),
    "office": np.array(
        [0, 0, 0, 0, 0, 0, 1, 4, 10, 16, 16, 14, 10, 14, 16, 14, 10, 5, 2, 1, 0, 0, 0, 0], float
    )
    + 0.2,
}


@dataclass
class Flows:
    """Payments as index arrays into the accounts (-1: no account, e.g. cash)."""

    orig: np.ndarray
    bene: np.ndarray
    time_us: np.ndarray
    usd: np.ndarray
    channel: np.ndarray  # object array of channel names
    purpose: np.ndarray
    pattern: np.ndarray  # pattern number, -1 for normal activity

    @staticmethod
    def concat(parts: list[Flows]) -> Flows:
        return Flows(
            *(np.concatenate([getattr(p, f) for p in parts]) for f in Flows.__annotations__)
        )


class Groups:
    """Accounts by group and country, for vectorised counterparty choice."""

    def __init__(self, accounts: Accounts, rng: np.random.Generator) -> None:
        self.country = np.array([CODES.index(c) for c in accounts.country], dtype=np.int64)
        role = np.array(accounts.role)
        person = np.array(accounts.schema) == "Person"
        members = {
            "person": np.flatnonzero(person & (role == "customer")),
            "merchant": np.flatnonzero(role == "merchant"),
            "employer": np.flatnonzero(role == "employer"),
            "company": np.flatnonzero(np.isin(role, ["merchant", "employer"])),
        }
        members["any"] = np.concatenate([members["person"], members["company"]])
        self.sorted: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        for name, index in members.items():
            index = rng.permutation(index)
            order = index[np.argsort(self.country[index], kind="stable")]
            counts = np.bincount(self.country[order], minlength=len(CODES))
            starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
            self.sorted[name] = (order, starts, counts)

    def pick(
        self,
        group: str,
        rng: np.random.Generator,
        size: int,
        near: np.ndarray | None = None,
        skew: float = 1.6,
    ) -> np.ndarray:
        """`size` members of `group`, popular ones more often, domestic to `near` mostly."""
        order, starts, counts = self.sorted[group]
        if len(order) == 0:
            return np.full(size, -1, dtype=np.int64)
        u = rng.random(size) ** skew
        if near is None:
            return order[(u * len(order)).astype(np.int64)]
        domestic = (rng.random(size) < 0.92) & (near >= 0)
        country = np.where(near >= 0, self.country[np.maximum(near, 0)], 0)
        ok = domestic & (counts[country] > 0)
        local = starts[country] + (u * counts[country]).astype(np.int64)
        anywhere = order[
            np.minimum((rng.random(size) ** skew * len(order)).astype(np.int64), len(order) - 1)
        ]
        return np.where(ok, order[np.minimum(local, len(order) - 1)], anywhere)


def _times(rng: np.random.Generator, size: int, rhythm: str, monthly_day: int | None) -> np.ndarray:
    if monthly_day is not None:
        month_starts = np.arange("2025-01", "2026-01", dtype="datetime64[M]").astype(
            "datetime64[D]"
        )
        days = (
            (month_starts[rng.integers(0, 12, size)] - np.datetime64("2025-01-01")).astype(np.int64)
            + monthly_day
            + rng.integers(0, 3, size)
        )
    else:
        weekday = (np.arange(DAYS) + 2) % 7  # 2025-01-01 was a Wednesday
        weights = _WEEK[rhythm][weekday]
        days = rng.choice(DAYS, size=size, p=weights / weights.sum())
    hours_w = _HOURS["office" if rhythm == "office" else "shop"]
    hours = rng.choice(24, size=size, p=hours_w / hours_w.sum())
    seconds = rng.integers(0, 3600, size)
    return days.astype(np.int64) * DAY_US + (hours * 3600 + seconds) * 1_000_000


def normal_activity(
    accounts: Accounts, groups: Groups, rng: np.random.Generator, count: int
) -> Flows:
    """`count` ordinary payments."""
    shares = np.array([spec[0] for spec in ACTIVITIES.values()])
    sizes = rng.multinomial(count, shares / shares.sum())
    parts = []
    for (name, spec), size in zip(ACTIVITIES.items(), sizes, strict=True):
        _, channel, purpose, median, sigma, payer, payee = spec
        orig = (
            np.full(size, -1, dtype=np.int64)
            if payer == "none"
            else groups.pick(payer, rng, size, skew=1.3)
        )
        bene = (
            np.full(size, -1, dtype=np.int64)
            if payee == "none"
            else groups.pick(payee, rng, size, near=orig if payer != "none" else None)
        )
        rhythm = "office" if name in ("trade", "salary") else "shop"
        monthly = {"salary": 24, "rent": 0}.get(name)
        usd = rng.lognormal(np.log(median), sigma, size)
        parts.append(
            Flows(
                orig,
                bene,
                _times(rng, size, rhythm, monthly),
                usd,
                np.full(size, channel, dtype=object),
                np.full(size, purpose, dtype=object),
                np.full(size, -1, dtype=np.int64),
            )
        )
    return Flows.concat(parts)
