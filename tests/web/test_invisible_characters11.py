"""An account number holding a character nobody can see (a zero-width space, a byte-order mark
pasted in with it): "ACC-DRUG" and "ACC-DRUG" + U+200B are two accounts, drawn alike on every
page, so an analyst took the one for the other (a payment of the flagged account's lookalike
read as the flagged account's own). Each such account number now says, beside it, which
characters it holds that cannot be seen; the number itself is kept as the data has it.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from typing import Any

import pytest
from web_world import prepare, served

from case_story import ok
from jalur.store import Store
from jalur.web import invisible_characters

LOOKALIKE = "ACC-DRUG\u200b"


@pytest.fixture(scope="module")
def lookalike(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    folder = tmp_path_factory.mktemp("web")
    settings = prepare(folder / "home")
    payments = folder / "lookalike.csv"
    with payments.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["tx_id", "timestamp", "orig_account", "orig_name", "bene_account",
                      "bene_name", "amount", "currency"])  # fmt: skip
        out.writerow(["T-ZW", "2025-03-09T10:00:00Z", "ACC-ZW", "Budi", "ACC-SHOP",
                      "Toko Sembako", "1000", "IDR"])  # fmt: skip
    ok(settings, "tx", "load", str(payments), "--format", "csv")
    # `tx load` now quarantines such an id; a workspace loaded before that rule still holds one
    with Store(settings.database_path) as store:
        store.execute("UPDATE transactions SET orig_account = ? WHERE tx_id = 'T-ZW'", [LOOKALIKE])
    for _app, person in served(settings):
        yield person


def test_the_invisible_characters_of_a_value_are_named() -> None:
    assert invisible_characters("ACC-DRUG") == []
    assert invisible_characters(LOOKALIKE) == ["U+200B"]
    assert invisible_characters("\ufeffA\u2060B\u200b") == ["U+FEFF", "U+2060", "U+200B"]
    assert invisible_characters("محمد الأمين") == []  # letters of another script are seen


def test_an_account_number_with_an_invisible_character_says_so(lookalike: Any) -> None:
    ana = lookalike("ana")
    page = ana.get("/ui/accounts/ACC-SHOP").text  # the payment from the lookalike
    said = re.findall(r'<small class="invisible"[^>]*>([^<]*)</small>', page)
    assert said and all("U+200B" in s for s in said)
    own = ana.get("/ui/accounts/ACC-DRUG").text
    assert 'class="invisible"' not in own  # the true account says nothing
    assert LOOKALIKE in ana.get("/ui/accounts/ACC-DRUG%E2%80%8B").text  # kept as the data has it
