"""How many of IBM AMLworld's laundering attempts each typology recognises, per shape.

    .venv/bin/python benchmarks/bench_ibm_shapes.py [--patterns PATH/HI-Small_Patterns.txt]

IBM's HI-Small attempts (370, typology-labelled) are loaded on their own, with no background
traffic, through jalur's IBM reader, and one monitoring pass runs with the defaults on DuckDB.
An attempt is recognised when an alert of its shape's typology (FAN-OUT → fan_out, RANDOM →
chain, …) holds one of its payments. Counts are given for the even-numbered attempts (the half
the defaults were tuned on), the odd-numbered ones (held out) and all. The `switched off` column
runs the same pass with the additions for IBM's shapes off (any-order cycles, 2-account cycles,
chains, relay stacks, same-amount fan-in, small fans to one-off counterparties, small or uneven
gather-scatters as bursts, looser hops where the currency changes, scatter-gather through 2
intermediaries), which is close to the
detectors before them (gather-scatter still asks the payments in to come on average before
those out). Prints a table, writes
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

from ibm_eval import recognition, recognition_by_half  # noqa: E402

PATTERNS = HERE.parent.parent / "shared/data/monitoring/ibm_amlworld/HI-Small_Patterns.txt"
RESULTS = HERE / "results" / "ibm_shapes.json"

#: This work's additions switched off.
OFF = {
    "cycle": {"min_length": 3, "any_order_max_length": 0, "currency_drift": 1.0},
    "chain": {"min_payments": 1000, "currency_drift": 1.0},
    "stack": {"relay_max_payments": 0, "currency_drift": 1.0},
    "fan_in": {"same_amount_min_payers": 0, "small_min_counterparties": 0},
    "fan_out": {"small_min_counterparties": 0},
    "gather_scatter": {"burst_min_counterparties": 1000},
    "scatter_gather": {"min_intermediaries": 3},
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--patterns", type=Path, default=PATTERNS)
    args = parser.parse_args()
    if not args.patterns.is_file():
        print(f"IBM patterns not found at {args.patterns}: skipped")
        return
    with tempfile.TemporaryDirectory() as tmp:
        now = recognition_by_half(args.patterns, Path(tmp))
        off = recognition(args.patterns, Path(tmp), OFF)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    report = {
        shape: {
            "attempts": now["all"][shape][1],
            "switched_off": off[shape][0],
            **{f"{half}_attempts": now[half][shape][1] for half in ("even", "odd")},
            **{f"recognised_{half}": now[half][shape][0] for half in ("even", "odd", "all")},
        }
        for shape in now["all"]
    }
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    _print(report)


def _print(report: dict[str, dict[str, int]]) -> None:
    print(f"{'shape':<16} {'attempts':>8} {'switched off':>12} {'even':>7} {'odd':>7} {'all':>7}")
    rows = [*report.items(), ("all", {k: sum(r[k] for r in report.values()) for k in _KEYS})]
    for shape, r in rows:
        halves = " ".join(
            f"{r['recognised_' + h]:>3}/{r[h + '_attempts']:<3}" for h in ("even", "odd")
        )
        print(
            f"{shape:<16} {r['attempts']:>8} {r['switched_off']:>12} {halves} "
            f"{r['recognised_all']:>7}"
        )


_KEYS = (
    "attempts",
    "switched_off",
    "even_attempts",
    "odd_attempts",
    "recognised_even",
    "recognised_odd",
    "recognised_all",
)


if __name__ == "__main__":
    main()
