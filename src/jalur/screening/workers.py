"""Screening chunks of a batch in worker processes (fork: the index is shared, not copied).

The screening function is set as a module global before the pool forks, so each worker sees
the parent's in-memory index without pickling it. At most two chunks per worker are in flight,
which bounds memory however large the input.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterator
from multiprocessing.pool import AsyncResult
from typing import Any

from jalur.screening.features import Query

ScreenFn = Callable[[list[Query]], list[list[dict[str, Any]]]]
Chunk = tuple[list[str], list[Query], int]

_SCREEN: ScreenFn | None = None


def _work(queries: list[Query]) -> list[list[dict[str, Any]]]:
    assert _SCREEN is not None, "set before the pool forks"
    return _SCREEN(queries)


def screen_chunks(
    chunks: Iterator[Chunk], screen: ScreenFn, workers: int
) -> Iterator[tuple[list[str], list[list[dict[str, Any]]], int]]:
    """(ids, hit rows per id, rows read) for each chunk, in input order."""
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for ids, queries, rows_read in chunks:
            yield ids, screen(queries), rows_read
        return
    global _SCREEN
    _SCREEN = screen
    pending: deque[tuple[list[str], int, AsyncResult[list[list[dict[str, Any]]]]]] = deque()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for ids, queries, rows_read in chunks:
            pending.append((ids, rows_read, pool.apply_async(_work, (queries,))))
            while len(pending) > 2 * workers:
                done_ids, done_read, result = pending.popleft()
                yield done_ids, result.get(), done_read
        while pending:
            done_ids, done_read, result = pending.popleft()
            yield done_ids, result.get(), done_read
