"""Hopping windows shared by the count-in-a-window typologies.

Each payment falls in two windows of `window` seconds, one grid offset by half a window from
the other, so any burst no longer than half a window lies wholly inside one of them. Exact
sliding windows would need per-engine window functions; hopping windows are plain GROUP BYs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jalur.monitoring.params import DAY

#: SQL fragment: the two grids (joined to every row) and the window a row lands in.
GRIDS = "(SELECT 0 AS grid UNION ALL SELECT 1 AS grid)"
BUCKET = "CAST(FLOOR((ts + g.grid * $half) / $window) AS BIGINT)"


def window_params(params: Mapping[str, Any]) -> dict[str, int]:
    """`window` and `half` in seconds from a typology's `window_days`."""
    window = int(float(params["window_days"]) * DAY)
    return {"window": window, "half": window // 2}
