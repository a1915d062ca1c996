"""An agency's own card is not a partner's: `jalur agency add-partner` with it (handed back by
mistake) made the agency its own partner, to which it could then seal packages and from which
it imported its own data as a partner's."""

from __future__ import annotations

import pytest
from exchange_agencies import Agency

from jalur.exchange import ExchangeError, add_partner, export_card, list_partners, parse_card


def test_an_agencys_own_card_is_no_partner(agencies: tuple[Agency, Agency, Agency]) -> None:
    ppatk, _, _ = agencies
    before = [p.partner for p in list_partners(ppatk.store)]
    own = parse_card(export_card(ppatk.identity, ppatk.passphrase))
    with pytest.raises(ExchangeError, match="this agency's own card"):
        add_partner(ppatk.store, own, own_key_ids=[k.key_id for k in ppatk.identity.keys])
    assert [p.partner for p in list_partners(ppatk.store)] == before
