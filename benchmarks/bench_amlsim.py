"""Account-level precision, recall and F1 per typology on IBM's AMLSim samples.

    .venv/bin/python benchmarks/bench_amlsim.py [--data ../shared/data/monitoring/amlsim]

AMLSim labels accounts, not payments (nodes.csv `isFraud`). An account counts as alerted when it
is the subject of an alert of the typology (`Alert.subjects`); `involved` counts every account
an alert names, counterparties included (the measure before subjects were told apart). Every
typology runs with the defaults on DuckDB; the last row of each sample is all typologies
together. Prints a table, writes benchmarks/results/amlsim.json. Reads the shared third-party
data; the product never does.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests" / "monitoring"))

from amlsim_eval import amlsim_payments, fraud_accounts, prf  # noqa: E402
from monitoring_builders import load, no_seeds  # noqa: E402

from jalur.monitoring import detect, load_params  # noqa: E402
from jalur.monitoring.engines.duckdb import DuckDBEngine  # noqa: E402
from jalur.store import Store  # noqa: E402

SAMPLES = ("20K_fanin200", "20K_cycle200")
RESULTS = HERE / "results" / "amlsim.json"


def score_sample(folder: Path) -> dict[str, object]:
    """P/R/F1 of the accounts each typology alerts, and of all typologies together."""
    truth = fraud_accounts(folder)
    with Store(":memory:") as store:
        load(store, amlsim_payments(folder))
        engine = DuckDBEngine(store)
        alerts = detect(engine, load_params(), no_seeds()).alerts
        engine.close()
    by_typology: dict[str, set[str]] = defaultdict(set)
    involved: set[str] = set()
    for alert in alerts:
        by_typology[alert.typology].update(alert.subjects)
        involved.update(alert.accounts)
    scores = {t: prf(accounts, truth) for t, accounts in sorted(by_typology.items())}
    scores["all typologies"] = prf(set().union(*by_typology.values()), truth)
    scores["all, involved"] = prf(involved, truth)
    return {"fraud_accounts": len(truth), "base_rate": len(truth) / 20_000, "scores": scores}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--data",
        type=Path,
        default=HERE.parent.parent / "shared" / "data" / "monitoring" / "amlsim",
    )
    args = parser.parse_args()
    if not args.data.is_dir():
        print(f"AMLSim samples not found at {args.data}: skipped")
        return
    report = {name: score_sample(args.data / name) for name in SAMPLES}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"{'sample':<14} {'typology':<20} {'P':>6} {'R':>6} {'F1':>6} {'alerted':>8}")
    for name, result in report.items():
        for typology, s in result["scores"].items():  # type: ignore[attr-defined]
            print(
                f"{name:<14} {typology:<20} {s['precision']:>6} {s['recall']:>6} "
                f"{s['f1']:>6} {s['alerted']:>8}"
            )
        print(f"{name:<14} base rate {result['base_rate']:.3f} ({result['fraud_accounts']} fraud)")


if __name__ == "__main__":
    main()
