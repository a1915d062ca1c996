"""Rebuild jalur's bundled OFAC SDN excerpt from a full legacy-CSV SDN set (developer tool).

Usage: python tests/lists/make_bundled_excerpt.py ../shared/data/lists/ofac/sdn_2021 \
           src/jalur/lists/bundled/ofac_sdn_excerpt
Selects, by ent_num order: every SDGT entry tied to Indonesia (name, remarks or an address in
Indonesia), every entry named or aliased "Jema..." (Jemaah Islamiyah, JAD), the first 25 SDNTK
and 15 SDNT entries that have aliases, and the first 5 FTO entries; copies the values of their
sdn/alt/add/comments rows unchanged (CSV quoting is normalised).
"""

from __future__ import annotations

import csv
import io
import re
import sys
from pathlib import Path

JEMAAH = re.compile(r"\bjem+a'?a?h?\b", re.I)  # Jemaah / Jemaa / Jemmah / Jema'ah


def _rows(path: Path) -> list[list[str]]:
    text = path.read_text(encoding="utf-8").rstrip("\x1a")
    return list(csv.reader(io.StringIO(text, newline="")))


def _programs(row: list[str]) -> set[str]:
    return {p.strip() for p in row[3].strip().strip("[]").split("] [")}


def select(folder: Path) -> set[str]:
    sdn, alt, add = (_rows(folder / n) for n in ("sdn.csv", "alt.csv", "add.csv"))
    with_alias = {r[0] for r in alt}
    in_indonesia = {r[0] for r in add if "indonesia" in r[4].lower()}
    jemaah = {r[0] for r in alt if JEMAAH.search(r[3])}
    chosen: set[str] = set()
    quotas = {"SDNTK": 25, "SDNT": 15, "FTO": 5}
    for row in sdn:
        ent, text, programs = row[0], (row[1] + row[11]).lower(), _programs(row)
        if "SDGT" in programs and ("indonesia" in text or ent in in_indonesia):
            chosen.add(ent)
        if JEMAAH.search(row[1]) or ent in jemaah:
            chosen.add(ent)
        for program, left in quotas.items():
            if program in programs and left > 0 and (ent in with_alias or program == "FTO"):
                chosen.add(ent)
                quotas[program] -= 1
                break
    return chosen


def main(source: Path, target: Path) -> None:
    chosen = select(source)
    target.mkdir(parents=True, exist_ok=True)
    for name in ("sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"):
        if not (source / name).is_file():
            continue
        out = io.StringIO(newline="")
        writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        rows = [row for row in _rows(source / name) if row and row[0] in chosen]
        if not rows:
            continue
        writer.writerows(rows)
        (target / name).write_bytes(out.getvalue().encode("utf-8") + b"\x1a")
    print(f"{len(chosen)} entries written to {target}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
