"""How many of IBM AMLworld's laundering attempts each typology recognises, per shape.

    .venv/bin/python benchmarks/bench_ibm_shapes.py [--patterns PATH/HI-Small_Patterns.txt]

IBM's HI-Small attempts (370, typology-labelled) are loaded on their own, with no background
traffic, through jalur's IBM reader, and one monitoring pass runs with the defaults on DuckDB.
An attempt is recognised when an alert of its shape's typology (FAN-OUT → fan_out, RANDOM →
chain, …) holds one of its payments. The `switched off` column runs the same pass with this
work's additions off (any-order cycles, 2-account cycles, chains, relay stacks, same-amount
fan-in), which is close to the detectors before them. Prints a table, writes
benchmarks/results/ibm_shapes.json. Reads the shared third-party data; the product never does.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests" / "monitoring"))

from ibm_eval import recognition  # noqa: E402

PATTERNS = HERE.parent.parent / "shared/data/monitoring/ibm_amlworld/HI-Small_Patterns.txt"
RESULTS = HERE / "results" / "ibm_shapes.json"

#: This work's additions switched off.
OFF = {
    "cycle": {"min_length": 3, "any_order_max_length": 0},
    "chain": {"min_payments": 1000},
    "stack": {"relay_max_payments": 0},
    "fan_in": {"same_amount_min_payers": 0},
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--patterns", type=Path, default=PATTERNS)
    args = parser.parse_args()
    if not args.patterns.is_file():
        print(f"IBM patterns not found at {args.patterns}: skipped")
        return
    with tempfile.TemporaryDirectory() as tmp:
        now = recognition(args.patterns, Path(tmp))
        off = recognition(args.patterns, Path(tmp), OFF)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    report = {
        shape: {
            "recognised": now[shape][0],
            "switched_off": off[shape][0],
            "attempts": now[shape][1],
        }
        for shape in now
    }
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"{'shape':<16} {'attempts':>8} {'switched off':>12} {'recognised':>10}")
    for shape, r in report.items():
        print(f"{shape:<16} {r['attempts']:>8} {r['switched_off']:>12} {r['recognised']:>10}")
    total = {
        k: sum(r[k] for r in report.values()) for k in ("attempts", "switched_off", "recognised")
    }
    print(
        f"{'all':<16} {total['attempts']:>8} {total['switched_off']:>12} {total['recognised']:>10}"
    )


if __name__ == "__main__":
    main()
