"""Bipartite layers do not depend on the order an engine returns its rows in."""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from jalur.monitoring import load_params
from jalur.monitoring.detectors.bipartite import find_layers


class _Everything(frozenset[str]):
    """Every stage counts as made, so `find_layers` reads the pairs it is given."""

    def __contains__(self, name: object) -> bool:
        return True


class _Rows:
    """An engine whose only answer is fixed rows, in the order given."""

    name = "duckdb"

    def __init__(self, found: list[dict[str, Any]]) -> None:
        self.found = found

    def tables(self) -> frozenset[str]:
        return _Everything()

    def query(self, sql: str, params: Any = None) -> pa.Table:
        return pa.Table.from_pylist(self.found)


def _pair(grid: int, bucket: int, p1: str, p2: str, txs: list[str]) -> dict[str, Any]:
    return {
        "grid": grid,
        "bucket": bucket,
        "p1": p1,
        "p2": p2,
        "shared": ["X", "Y"],
        "tx1s": [f"{t}-1" for t in txs],
        "tx2s": [f"{t}-2" for t in txs],
        "t_first": 100 * bucket,
    }


def test_the_same_layer_in_both_grids_keeps_the_same_payments_whatever_the_row_order() -> None:
    # One layer (A, B, C paying X and Y) seen in a window of each grid, with different
    # payments; the engine may return the windows in either order.
    grid0 = [_pair(0, 5, "A", "B", ["g0ab"]), _pair(0, 5, "B", "C", ["g0bc"])]
    grid1 = [_pair(1, 5, "A", "B", ["g1ab"]), _pair(1, 5, "B", "C", ["g1bc", "g1extra"])]
    params = load_params().of("bipartite")
    window = float(params["window_days"])
    first = find_layers(_Rows(grid0 + grid1), params, window)  # type: ignore[arg-type]
    second = find_layers(_Rows(grid1 + grid0), params, window)  # type: ignore[arg-type]
    assert [sorted(x.tx_ids) for x in first] == [sorted(x.tx_ids) for x in second]
    assert len(first) == 1 and first[0].payers == {"A", "B", "C"}
