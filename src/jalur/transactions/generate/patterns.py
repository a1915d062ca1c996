"""Injected laundering and terrorist-financing patterns, the ground truth detection is scored on.

The eight laundering shapes follow IBM's AMLworld (fan-out, fan-in, cycle, scatter-gather,
gather-scatter, bipartite, stack, random). The terrorist-financing typologies follow FATF's
reports on ISIL/AQ financing and the drug–terror nexus: drug proceeds layered through mules and
shell companies to accounts of listed terrorists (`drug_to_terror`); many small donations to a
front charity that supports a foreign fighter's family (`charity_structuring`); a cash-intensive
money transfer business wiring pooled cash abroad (`cash_mtb`). Each pattern is small (a few to
a hundred payments), so its Python loop is over payments of one pattern, never the whole set.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from jalur.model import RiskClass
from jalur.transactions.generate.activity import DAY_US, Flows, Groups
from jalur.transactions.generate.variants import spelling_variant
from jalur.transactions.generate.watchlist import Listed, choose
from jalur.transactions.generate.world import CODES, Accounts, company_name

GENERIC = [
    "fan_out",
    "fan_in",
    "cycle",
    "scatter_gather",
    "gather_scatter",
    "bipartite",
    "stack",
    "random",
]
TERROR = ["drug_to_terror", "charity_structuring", "cash_mtb"]
#: Cash reporting thresholds in USD equivalents (ID: IDR 500M, RU: RUB 600k, else USD 10k):
#: structured deposits sit just below them.
THRESHOLD_USD = {"ID": 30_850.0, "RU": 5_450.0}
HOUR_US = 3_600_000_000


@dataclass
class Pattern:
    number: int
    type: str
    accounts: set[int] = field(default_factory=set)
    entities: set[str] = field(default_factory=set)


class Builder:
    """Collects the payments and accounts of all patterns."""

    def __init__(
        self, accounts: Accounts, groups: Groups, rng: np.random.Generator, listed: list[Listed]
    ) -> None:
        self.accounts, self.groups, self.rng, self.listed = accounts, groups, rng, listed
        self.rows: list[tuple[int, int, int, float, str, str | None, int]] = []
        self.patterns: list[Pattern] = []
        self.drug_accounts: list[int] = []
        self.anchor = {code: int(np.argmax(groups.country == i)) for i, code in enumerate(CODES)}

    def member(self, group: str = "person", country: str | None = None) -> int:
        near = None if country is None else np.array([self.anchor.get(country, -1)])
        return int(self.groups.pick(group, self.rng, 1, near=near, skew=1.0)[0])

    def pay(
        self,
        pattern: Pattern,
        orig: int,
        bene: int,
        time_us: int,
        usd: float,
        channel: str = "wire",
        purpose: str | None = None,
    ) -> int:
        self.rows.append((orig, bene, time_us, float(usd), channel, purpose, pattern.number))
        pattern.accounts.update(i for i in (orig, bene) if i >= 0)
        return time_us

    def later(self, time_us: int, low_h: float = 2, high_h: float = 72) -> int:
        return time_us + int(self.rng.uniform(low_h, high_h) * HOUR_US)

    def start(self) -> int:
        return int(self.rng.integers(0, 330)) * DAY_US + int(self.rng.integers(8, 18)) * HOUR_US

    def listed_account(self, pattern: Pattern, party: Listed, role: str) -> int:
        """An account whose holder is a spelling variant of a listed party."""
        country = (
            party.country.upper()
            if party.country and party.country.upper() in CODES
            else ("RU" if any("а" <= c <= "я" for n in party.names for c in n.lower()) else "ID")
        )
        name = spelling_variant(party.names[int(self.rng.integers(len(party.names)))], self.rng)
        schema = "Person" if party.schema == "Person" else "Company"
        pattern.entities.add(party.entity_id)
        return self.accounts.add(
            self.rng,
            country,
            schema,
            role,
            name=name,
            entity_id=party.entity_id,
            dob=party.birth_date,
        )

    def flows(self) -> Flows:
        if not self.rows:
            empty = np.zeros(0, dtype=np.int64)
            return Flows(
                empty, empty, empty, np.zeros(0), np.zeros(0, object), np.zeros(0, object), empty
            )
        orig, bene, time, usd, channel, purpose, number = zip(*self.rows, strict=True)
        return Flows(
            np.array(orig, np.int64),
            np.array(bene, np.int64),
            np.array(time, np.int64),
            np.array(usd),
            np.array(channel, object),
            np.array(purpose, object),
            np.array(number, np.int64),
        )


def _size(b: Builder, low: int, high: int) -> int:
    return int(b.rng.integers(low, high + 1))


def fan_out(b: Builder, p: Pattern) -> None:
    source, t = b.member(), b.start()
    for _ in range(_size(b, 5, 12)):
        t = b.pay(p, source, b.member(), b.later(t, 0.5, 12), b.rng.uniform(2000, 9500))


def fan_in(b: Builder, p: Pattern) -> None:
    sink, t = b.member(), b.start()
    for _ in range(_size(b, 5, 12)):
        t = b.pay(p, b.member(), sink, b.later(t, 0.5, 12), b.rng.uniform(2000, 9500))


def cycle(b: Builder, p: Pattern) -> None:
    ring = [b.member() for _ in range(_size(b, 3, 8))]
    amount, t = b.rng.uniform(5000, 50000), b.start()
    for i, orig in enumerate(ring):
        t = b.pay(p, orig, ring[(i + 1) % len(ring)], b.later(t), amount)
        amount *= b.rng.uniform(0.97, 0.995)


def scatter_gather(b: Builder, p: Pattern) -> None:
    source, sink, t = b.member(), b.member(), b.start()
    middles = [b.member() for _ in range(_size(b, 3, 8))]
    amounts = [b.rng.uniform(3000, 9000) for _ in middles]
    for mid, usd in zip(middles, amounts, strict=True):
        b.pay(p, source, mid, b.later(t, 1, 24), usd)
    t = b.later(t, 48, 96)
    for mid, usd in zip(middles, amounts, strict=True):
        b.pay(p, mid, sink, b.later(t, 1, 24), usd * b.rng.uniform(0.95, 0.99))


def gather_scatter(b: Builder, p: Pattern) -> None:
    hub, t = b.member("company"), b.start()
    for _ in range(_size(b, 3, 7)):
        b.pay(p, b.member(), hub, b.later(t, 1, 48), b.rng.uniform(2000, 9000))
    t = b.later(t, 72, 120)
    for _ in range(_size(b, 3, 7)):
        b.pay(p, hub, b.member(), b.later(t, 1, 48), b.rng.uniform(2000, 9000))


def bipartite(b: Builder, p: Pattern) -> None:
    left = [b.member() for _ in range(_size(b, 2, 5))]
    right = [b.member() for _ in range(_size(b, 2, 5))]
    t = b.start()
    for orig in left:
        for bene in right:
            if b.rng.random() < 0.7:
                t = b.pay(p, orig, bene, b.later(t, 1, 24), b.rng.uniform(1000, 8000))


def stack(b: Builder, p: Pattern) -> None:
    width = _size(b, 2, 4)
    layers = [[b.member() for _ in range(width)] for _ in range(3)]
    t = b.start()
    for upper, lower in itertools.pairwise(layers):
        for orig in upper:
            for bene in lower:
                b.pay(p, orig, bene, b.later(t, 1, 24), b.rng.uniform(1000, 6000))
        t = b.later(t, 24, 72)


def random_walk(b: Builder, p: Pattern) -> None:
    group = [b.member() for _ in range(_size(b, 4, 8))]
    here, t = group[0], b.start()
    for _ in range(len(group) + 3):
        there = group[int(b.rng.integers(len(group)))]
        if there != here:
            t = b.pay(p, here, there, b.later(t), b.rng.uniform(1000, 9000))
            here = there


def _structured(b: Builder, country: str) -> float:
    return THRESHOLD_USD.get(country, 10_000.0) * b.rng.uniform(0.85, 0.99)


def drug_to_terror(b: Builder, p: Pattern) -> None:
    """Cash from drug sales → mules → shell companies abroad → accounts of listed terrorists."""
    country = "RU" if b.rng.random() < 0.4 else "ID"
    drug = choose(b.listed, RiskClass.DRUG, 1, b.rng)
    # Half the dealers are listed traffickers (always the first, so small datasets have one).
    listed = bool(drug) and (not b.drug_accounts or b.rng.random() < 0.5)
    dealer = b.listed_account(p, drug[0], "drug_dealer") if listed else b.member(country=country)
    b.accounts.role[dealer] = "drug_dealer"
    b.drug_accounts.append(dealer)
    decoy = b.member(country=country)  # a flagged dealer with no terror link
    b.accounts.role[decoy] = "drug_dealer"
    b.drug_accounts.append(decoy)
    home = b.accounts.country[dealer]
    t = b.start()
    for _ in range(_size(b, 3, 8)):
        t = b.pay(p, -1, dealer, b.later(t, 4, 30), _structured(b, home), "cash", None)
    mules = [b.member(country=home) for _ in range(_size(b, 2, 4))]
    shells = [
        b.accounts.add(b.rng, c, "Company", "shell", name=company_name(b.rng, c))
        for c in b.rng.choice(["AE", "TR", "MY", home], size=_size(b, 1, 2))
    ]
    targets = [
        b.listed_account(p, party, "terror_linked")
        for party in choose(b.listed, RiskClass.TERROR, _size(b, 1, 2), b.rng, "Person")
    ]
    for mule in mules:
        usd = b.rng.uniform(3000, 9000)
        t = b.pay(p, dealer, mule, b.later(t, 2, 24), usd, "wire", "pinjaman / loan")
        shell = shells[int(b.rng.integers(len(shells)))]
        b.pay(p, mule, shell, b.later(t, 12, 72), usd * 0.98, "wire", "consulting services")
    t = b.later(t, 48, 120)
    for shell in shells:
        for target in targets or [b.member(country="ID")]:
            t = b.pay(
                p,
                shell,
                target,
                b.later(t, 2, 48),
                b.rng.uniform(4000, 15000),
                "wire",
                "import of goods",
            )


def charity_structuring(b: Builder, p: Pattern) -> None:
    """Many small donations to a front charity that pays a foreign fighter's relatives."""
    orgs = choose(b.listed, RiskClass.TERROR, 1, b.rng, "Organization")
    country = "ID" if b.rng.random() < 0.7 else "RU"
    charity = (
        b.listed_account(p, orgs[0], "front_charity")
        if orgs and b.rng.random() < 0.5
        else b.accounts.add(
            b.rng, country, "Company", "front_charity", name=company_name(b.rng, country, "charity")
        )
    )
    t = b.start()
    for _ in range(_size(b, 20, 60)):
        donor = b.member(country=b.accounts.country[charity])
        t = b.pay(
            p,
            donor,
            charity,
            b.later(t, 0.5, 8),
            round(b.rng.uniform(20, 95)) * 10,
            "wire",
            str(b.rng.choice(["donasi", "infaq", "sedekah", "zakat", "donation"])),
        )
    fighters = choose(b.listed, RiskClass.TERROR, 1, b.rng, "Person")
    related = fighters[0].entity_id if fighters else None
    family = fighters[0].names[-1].split()[-1] if fighters else None
    relatives = []
    for _ in range(_size(b, 2, 4)):
        home = b.accounts.country[charity]
        index = b.accounts.add(b.rng, home, "Person", "fighter_relative", related=related)
        if family and home == "ID":
            b.accounts.name[index] = f"{b.accounts.name[index].split()[0]} {family}"
        relatives.append(index)
    for month in range(_size(b, 2, 5)):
        for relative in relatives:
            b.pay(
                p,
                charity,
                relative,
                t + month * 30 * DAY_US + int(b.rng.integers(0, 48)) * HOUR_US,
                b.rng.uniform(300, 1500),
                "wire",
                "bantuan keluarga / family support",
            )


def cash_mtb(b: Builder, p: Pattern) -> None:
    """A money transfer business pooling cash deposits and wiring the pool abroad."""
    country = "ID" if b.rng.random() < 0.6 else "RU"
    mtb = b.accounts.add(b.rng, country, "Company", "mtb", name=company_name(b.rng, country, "mtb"))
    t, pooled = b.start(), 0.0
    for _ in range(_size(b, 30, 90)):
        usd = b.rng.uniform(0.3, 0.95) * THRESHOLD_USD.get(country, 10_000.0)
        t = b.pay(p, -1, mtb, b.later(t, 0.5, 10), usd, "cash", None)
        pooled += usd
    abroad = [b.member(country=c) for c in b.rng.choice(["TR", "AE", "MY", "SA"], size=3)]
    abroad += [
        b.listed_account(p, party, "terror_linked")
        for party in choose(b.listed, RiskClass.TERROR, 1, b.rng, "Person")
    ]
    parts = _size(b, 4, 10)
    for _ in range(parts):
        target = abroad[int(b.rng.integers(len(abroad)))]
        t = b.pay(p, mtb, target, b.later(t, 12, 96), pooled / parts, "wire", "remittance")


TYPOLOGIES: dict[str, Callable[[Builder, Pattern], None]] = {
    "fan_out": fan_out,
    "fan_in": fan_in,
    "cycle": cycle,
    "scatter_gather": scatter_gather,
    "gather_scatter": gather_scatter,
    "bipartite": bipartite,
    "stack": stack,
    "random": random_walk,
    "drug_to_terror": drug_to_terror,
    "charity_structuring": charity_structuring,
    "cash_mtb": cash_mtb,
}


def inject(b: Builder, count: int, max_rows: int) -> None:
    """`count` patterns (fewer if they would pass `max_rows` payments): every type at least
    once when room allows, terrorist financing twice as often as each laundering shape."""
    kinds = GENERIC + TERROR
    weights = np.array([1.0] * len(GENERIC) + [2.0] * len(TERROR))
    extra = b.rng.choice(len(kinds), size=max(0, count - len(kinds)), p=weights / weights.sum())
    for number, kind in enumerate([*kinds, *(kinds[int(i)] for i in extra)][:count]):
        pattern, before = Pattern(number, kind), len(b.rows)
        TYPOLOGIES[kind](b, pattern)
        if len(b.rows) > max_rows:
            del b.rows[before:]
            return
        b.patterns.append(pattern)
