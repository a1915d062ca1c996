"""Generated customer names for the screening speed benchmark (deterministic, no real people).

The mix is what an Indonesian bank's customer file looks like: Javanese single and double
names, Muslim given names with Arabic roots (the ones that collide most with listed names),
Batak and Chinese-Indonesian family names, some Western names, honorifics on a few — and a
small share of listed aliases with a typo, so that the run produces real hits too.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

GIVEN = [
    "Muhammad",
    "Ahmad",
    "Abdul",
    "Siti",
    "Nur",
    "Budi",
    "Agus",
    "Dewi",
    "Sri",
    "Rizky",
    "Putri",
    "Eko",
    "Joko",
    "Wahyu",
    "Indah",
    "Fitri",
    "Andi",
    "Dian",
    "Rina",
    "Hendra",
    "Yusuf",
    "Ali",
    "Umar",
    "Hasan",
    "Ibrahim",
    "Ismail",
    "Fatimah",
    "Aisyah",
    "Khadijah",
    "Rahmat",
    "Hidayat",
    "Bambang",
    "Slamet",
    "Heru",
    "Teguh",
    "Adi",
    "Arif",
    "Dimas",
    "Fajar",
    "Galih",
    "Ilham",
    "Lukman",
    "Maulana",
    "Nanda",
    "Oki",
    "Rudi",
    "Sigit",
    "Taufik",
    "Wawan",
    "Yoga",
    "Zainal",
    "Ayu",
    "Bunga",
    "Citra",
    "Dinda",
    "Eka",
    "Farah",
    "Gita",
    "Hana",
    "Intan",
    "Kartika",
    "Lestari",
    "Mega",
    "Novi",
    "Ratna",
    "Sari",
    "Tari",
    "Wulan",
    "Yuni",
    "Annisa",
    "Bella",
    "Cahya",
    "David",
    "Michael",
    "Kevin",
    "Jessica",
    "Stefanus",
    "Yohanes",
    "Maria",
    "Paulus",
    "Agnes",
    "Robert",
    "William",
    "Daniel",
    "Felix",
    "Hendrik",
]
FAMILY = [
    "Santoso",
    "Wijaya",
    "Pratama",
    "Saputra",
    "Hidayat",
    "Nugroho",
    "Kusuma",
    "Setiawan",
    "Siregar",
    "Nasution",
    "Lubis",
    "Harahap",
    "Simanjuntak",
    "Gunawan",
    "Halim",
    "Tan",
    "Lim",
    "Susanto",
    "Wibowo",
    "Hartono",
    "Kurniawan",
    "Permana",
    "Ramadhan",
    "Firmansyah",
    "Syahputra",
    "Hakim",
    "Rahman",
    "Abdullah",
    "Hamid",
    "Salim",
    "Sulaiman",
    "Yusuf",
    "Iskandar",
    "Sitorus",
    "Panjaitan",
    "Pardede",
    "Sinaga",
    "Manurung",
    "Tampubolon",
    "Sembiring",
    "Ginting",
    "Tarigan",
    "Purba",
    "Sutanto",
    "Tjahjadi",
    "Wirawan",
    "Halimah",
    "Maharani",
    "Anggraini",
    "Puspita",
    "Handoko",
    "Prasetyo",
    "Utomo",
    "Surya",
    "Hutapea",
    "Marpaung",
    "Batubara",
    "Daulay",
    "Rangkuti",
    "Situmorang",
    "Silalahi",
    "Sihombing",
    "Napitupulu",
    "Smith",
    "Johnson",
    "Brown",
    "Lee",
    "Wong",
    "Chen",
    "Liu",
    "Nguyen",
    "Tanaka",
    "Kim",
    "Park",
    "Singh",
    "Kumar",
    "Khan",
]
HONORIFIC = ("H.", "Hj.", "Haji", "Drs.", "Ir.", "dr.")


def customer_names(
    count: int, listed: list[str], seed: int = 42, listed_share: float = 0.002
) -> Iterator[str]:
    """`count` customer names; about `listed_share` of them are listed aliases with a typo."""
    for name, _ in customer_rows(count, listed, seed, listed_share):
        yield name


def customer_rows(
    count: int, listed: list[str], seed: int = 42, listed_share: float = 0.002
) -> Iterator[tuple[str, str | None]]:
    """The same names, each with the listed alias it was made from (None: an ordinary one)."""
    rng = random.Random(seed)
    for _ in range(count):
        roll = rng.random()
        if listed and roll < listed_share:
            alias = rng.choice(listed)
            yield _typo(alias, rng), alias
        else:
            yield _ordinary(rng, roll), None


def _ordinary(rng: random.Random, roll: float) -> str:
    if roll < 0.12:
        return rng.choice(GIVEN)  # a single name, as many Javanese have
    parts = [rng.choice(GIVEN)]
    if rng.random() < 0.35:
        parts.append(rng.choice(GIVEN))
    parts.append(rng.choice(FAMILY))
    if rng.random() < 0.04:
        parts.insert(0, rng.choice(HONORIFIC))
    return " ".join(parts)


def _typo(name: str, rng: random.Random) -> str:
    if len(name) < 6:
        return name
    pos = rng.randrange(1, len(name) - 1)
    return name[:pos] + name[pos + 1 :]
