"""Two (or three) agencies, each with its own workspace and store, that know each other."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from exchange_agencies import Agency, make_agency


@pytest.fixture
def agencies(tmp_path: Path) -> Iterator[tuple[Agency, Agency, Agency]]:
    """PPATK (Indonesia) and Rosfinmonitoring (Russia) are partners; AUSTRAC knows PPATK only."""
    ppatk = make_agency(tmp_path, "PPATK", "ID")
    rosfin = make_agency(tmp_path, "Rosfinmonitoring", "RU")
    austrac = make_agency(tmp_path, "AUSTRAC", "AU")
    ppatk.knows(rosfin)
    rosfin.knows(ppatk)
    austrac.knows(ppatk)
    ppatk.knows(austrac)
    yield ppatk, rosfin, austrac
    for agency in (ppatk, rosfin, austrac):
        agency.store.close()
