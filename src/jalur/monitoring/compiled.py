"""Small compiled (numba) building blocks for the flow kernels: growable arrays and an
open-addressed table of integer keys.

The table keeps its keys in one array (`EMPTY` where free) and whatever goes with a key in
the same row of a second, two-dimensional array, so one table type serves every kernel
without numba's typed dicts (slow to compile, slower to change). It is kept at most half
full, so a probe finds a key or a free place within a few steps.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import numba
import numpy as np

F = TypeVar("F", bound=Callable[..., Any])

#: Compiled on first use, then cached on disk beside the module (or in numba's user cache).
compiled = cast(Callable[[F], F], numba.njit(cache=True, nogil=True))

#: A free place in a table's keys (keys are never negative).
EMPTY = -1

#: Odd 64-bit multiplier (Fibonacci hashing): spreads neighbouring keys over the table.
_SPREAD = -7046029254386353131


@compiled
def grow(array: np.ndarray, needed: int) -> np.ndarray:
    """`array`, or a copy at least twice as long when it has fewer than `needed` places."""
    if needed <= array.shape[0]:
        return array
    bigger = np.empty(max(needed, 2 * array.shape[0]), array.dtype)
    bigger[: array.shape[0]] = array
    return bigger


def new_table(capacity: int, width: int, dtype: Any) -> tuple[np.ndarray, np.ndarray]:
    """Empty keys (`capacity`, a power of two) and their rows of `width` values."""
    return np.full(capacity, EMPTY, np.int64), np.zeros((capacity, width), dtype)


@compiled
def place(keys: np.ndarray, key: int) -> int:
    """Where `key` is in `keys`, or the free place it would take."""
    mask = keys.shape[0] - 1
    at = ((key * _SPREAD) >> 17) & mask
    while keys[at] != EMPTY and keys[at] != key:
        at = (at + 1) & mask
    return int(at)


@compiled
def reserve(keys: np.ndarray, rows: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
    """The table, doubled when one more key would fill it past half."""
    if 2 * (count + 1) <= keys.shape[0]:
        return keys, rows
    bigger_keys = np.full(2 * keys.shape[0], EMPTY, np.int64)
    bigger_rows = np.zeros((2 * keys.shape[0], rows.shape[1]), rows.dtype)
    for old in range(keys.shape[0]):
        if keys[old] != EMPTY:
            new = place(bigger_keys, keys[old])
            bigger_keys[new] = keys[old]
            bigger_rows[new] = rows[old]
    return bigger_keys, bigger_rows
