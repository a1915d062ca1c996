"""Compiled kernels and the threads they run in, shared by encoding and comparing."""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from itertools import pairwise
from typing import Any, TypeVar, cast

import numba
import numpy as np

F = TypeVar("F", bound=Callable[..., Any])
#: Compiled once and cached on disk; `nogil` so threads run kernels side by side.
compiled = cast(Callable[[F], F], numba.njit(cache=True, nogil=True))
R = TypeVar("R")


def in_threads(work: Callable[[slice], R], size: int) -> list[R]:
    """`work` over consecutive slices of range(size), one per core, in threads: the compiled
    kernels release the GIL, so encoding and comparing use every core the process may run on."""
    workers = max(1, min(len(os.sched_getaffinity(0)), size))
    bounds = np.linspace(0, size, workers + 1).astype(int)
    parts = [slice(int(a), int(b)) for a, b in pairwise(bounds)]
    if workers == 1:
        return [work(parts[0])]
    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(work, parts))
