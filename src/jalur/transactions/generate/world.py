"""Countries, banks and account holders of the synthetic economy.

Indonesia and Russia dominate (the two jurisdictions this project serves), with the trade and
remittance partners their payments really touch. Banks carry real-format BICs; each account has
a holder (Person or Company) with a name in the script its home bank would use, a birth date for
persons and a national identifier in that country's shape (NIK 16 digits and NPWP 15 digits in
Indonesia, INN 12/10 digits in Russia).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from jalur.transactions.generate import pools

#: country → (share of accounts, home currency, banks as (BIC, name))
COUNTRIES: dict[str, tuple[float, str, list[tuple[str, str]]]] = {
    "ID": (
        0.42,
        "IDR",
        [
            ("BMRIIDJA", "Bank Mandiri"),
            ("CENAIDJA", "Bank Central Asia"),
            ("BNINIDJA", "Bank Negara Indonesia"),
            ("BRINIDJA", "Bank Rakyat Indonesia"),
            ("BSMDIDJA", "Bank Syariah Indonesia"),
        ],
    ),
    "RU": (
        0.24,
        "RUB",
        [
            ("SABRRUMM", "Sberbank"),
            ("VTBRRUMM", "VTB Bank"),
            ("ALFARUMM", "Alfa-Bank"),
            ("TICSRUMM", "T-Bank"),
        ],
    ),
    "MY": (0.06, "MYR", [("MBBEMYKL", "Maybank"), ("CIBBMYKL", "CIMB Bank")]),
    "SG": (0.04, "SGD", [("DBSSSGSG", "DBS Bank"), ("OCBCSGSG", "OCBC Bank")]),
    "TR": (0.05, "TRY", [("TGBATRIS", "Garanti BBVA"), ("ISBKTRIS", "Türkiye İş Bankası")]),
    "AE": (0.05, "AED", [("NBADAEAA", "First Abu Dhabi Bank"), ("EBILAEAD", "Emirates NBD")]),
    "SA": (0.03, "SAR", [("RJHISARI", "Al Rajhi Bank"), ("NCBKSAJE", "Saudi National Bank")]),
    "DE": (0.04, "EUR", [("DEUTDEFF", "Deutsche Bank"), ("COBADEFF", "Commerzbank")]),
    "GB": (0.03, "GBP", [("BARCGB22", "Barclays"), ("MIDLGB22", "HSBC UK")]),
    "US": (0.04, "USD", [("CHASUS33", "JPMorgan Chase"), ("CITIUS33", "Citibank")]),
}
CODES = list(COUNTRIES)
#: Rounding unit of amounts in each currency (cash and transfers are not to the cent in IDR).
ROUNDING = {"IDR": 100.0, "RUB": 1.0}


@dataclass
class Accounts:
    """Column arrays of all accounts (base economy first, pattern-specific ones appended)."""

    account: list[str]
    bank: list[str]
    name: list[str]
    schema: list[str]
    country: list[str]
    currency: list[str]
    dob: list[str | None]
    identifier: list[str]
    role: list[str]
    entity_id: list[str | None]
    related_entity_id: list[str | None]

    def __len__(self) -> int:
        return len(self.account)

    def add(
        self,
        rng: np.random.Generator,
        country: str,
        schema: str,
        role: str,
        name: str | None = None,
        entity_id: str | None = None,
        related: str | None = None,
        dob: str | None = None,
    ) -> int:
        """Append one account (a pattern's shell company, charity, listed party…)."""
        person = schema == "Person"
        self.account.append(account_number(rng, country, person, len(self)))
        self.bank.append(pick_bank(rng, country))
        self.name.append(
            name or (person_name(rng, country) if person else company_name(rng, country))
        )
        self.schema.append(schema)
        self.country.append(country)
        self.currency.append(COUNTRIES[country][1])
        self.dob.append(dob or (birth_date(rng) if person else None))
        self.identifier.append(identifier(rng, country, person))
        self.role.append(role)
        self.entity_id.append(entity_id)
        self.related_entity_id.append(related)
        return len(self) - 1


def pick_bank(rng: np.random.Generator, country: str) -> str:
    banks = COUNTRIES[country][2]
    return banks[int(rng.integers(len(banks)))][0] + "XXX"


def account_number(rng: np.random.Generator, country: str, person: bool, serial: int) -> str:
    digits = f"{serial:08d}{int(rng.integers(10**5)):05d}"
    if country == "RU":
        return ("40817810" if person else "40702810") + digits[:12]
    if country in ("DE", "GB", "TR", "AE", "SA"):
        return f"{country}{int(rng.integers(10, 99))}{digits}"
    return digits[-10:] if country == "ID" else digits


def _choice(rng: np.random.Generator, items: list[str]) -> str:
    return items[int(rng.integers(len(items)))]


def _pair(rng: np.random.Generator, items: list[tuple[str, str]]) -> tuple[str, str]:
    return items[int(rng.integers(len(items)))]


def person_name(rng: np.random.Generator, country: str) -> str:
    if country == "ID":
        if rng.random() < 0.35:
            return _choice(rng, pools.ID_SINGLE)
        return f"{_choice(rng, pools.ID_GIVEN)} {_choice(rng, pools.ID_FAMILY)}"
    if country == "RU":
        female = rng.random() < 0.45
        given = _pair(rng, pools.RU_GIVEN_F if female else pools.RU_GIVEN_M)
        surname = _pair(rng, pools.RU_SURNAME)
        cyrillic = rng.random() < 0.65
        script = 0 if cyrillic else 1
        family = surname[script] + (("а" if cyrillic else "a") if female else "")
        return f"{family} {given[0]}" if cyrillic else f"{given[1]} {family}"
    if country in ("SA", "AE"):
        first, last = _pair(rng, pools.AR_GIVEN), _pair(rng, pools.AR_FAMILY)
        script = 0 if rng.random() < 0.3 else 1
        return f"{first[script]} {last[script]}"
    if country == "MY":
        return f"{_choice(rng, pools.MY_GIVEN)} bin {_choice(rng, pools.ID_GIVEN)}"
    if country == "TR":
        return f"{_choice(rng, pools.TR_GIVEN)} {_choice(rng, pools.TR_FAMILY)}"
    if country == "SG":
        return _choice(rng, pools.SG_NAMES)
    return f"{_choice(rng, pools.WEST_GIVEN)} {_choice(rng, pools.WEST_FAMILY)}"


def company_name(rng: np.random.Generator, country: str, kind: str = "trade") -> str:
    if kind == "charity":
        words = f"{_choice(rng, pools.CHARITY_WORDS)} {_choice(rng, pools.CHARITY_WORDS)}"
        return f"Yayasan {words}" if country == "ID" else f"{words} Foundation"
    if kind == "mtb":
        return f"CV {_choice(rng, pools.ID_WORDS)} {_choice(rng, pools.MTB_WORDS)}"
    if country == "ID":
        form = "PT" if rng.random() < 0.7 else "CV"
        return f"{form} {_choice(rng, pools.ID_WORDS)} {_choice(rng, pools.ID_WORDS)}"
    if country == "RU":
        cyr, lat = _pair(rng, pools.RU_COMPANY)
        return f"ООО «{cyr}»" if rng.random() < 0.6 else f"OOO {lat}"
    form = {
        "DE": "GmbH",
        "GB": "Ltd",
        "US": "LLC",
        "SG": "Pte Ltd",
        "MY": "Sdn Bhd",
        "TR": "Ltd Şti",
        "AE": "LLC",
        "SA": "Trading Co",
    }[country]
    return f"{_choice(rng, pools.WEST_WORDS)} {_choice(rng, pools.WEST_WORDS)} {form}"


def birth_date(rng: np.random.Generator) -> str:
    day = np.datetime64("1950-01-01") + int(rng.integers(0, 55 * 365))
    return str(day)


def identifier(rng: np.random.Generator, country: str, person: bool) -> str:
    if country == "ID":
        return (
            f"{int(rng.integers(10**15, 10**16))}"
            if person
            else (f"{int(rng.integers(10**14, 10**15))}")
        )
    if country == "RU":
        return (
            f"{int(rng.integers(10**11, 10**12))}"
            if person
            else (f"{int(rng.integers(10**9, 10**10))}")
        )
    return (
        f"P{int(rng.integers(10**7, 10**8))}" if person else f"REG{int(rng.integers(10**6, 10**7))}"
    )


def base_accounts(rng: np.random.Generator, count: int) -> Accounts:
    """`count` ordinary accounts: ~85% persons, the rest merchants and employers."""
    shares = np.array([v[0] for v in COUNTRIES.values()])
    countries = rng.choice(len(CODES), size=count, p=shares / shares.sum())
    companies = rng.random(count) < 0.15
    accounts = Accounts([], [], [], [], [], [], [], [], [], [], [])
    for index in range(count):
        country = CODES[int(countries[index])]
        if companies[index]:
            role = "employer" if rng.random() < 0.3 else "merchant"
            accounts.add(rng, country, "Company", role)
        else:
            accounts.add(rng, country, "Person", "customer")
    return accounts
