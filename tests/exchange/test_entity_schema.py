"""A partner's entity names its schema as FollowTheMoney text, or the package is refused.

FtM's reader takes whatever `schema` holds: a list or an object with no properties beside it
went through, and the import ended in an `AttributeError` traceback when the entity was
namespaced, with nothing in the exchange log. An unknown schema's refusal said "No schema for
entity." without naming the schema it was given.
"""

from __future__ import annotations

import pyarrow as pa
import pytest
from exchange_agencies import Agency
from hostile import hostile_package, parquet_bytes

from jalur.exchange import PackageRejectedError, import_package, read_log
from jalur.model import TRANSACTION_SCHEMA


@pytest.mark.parametrize(
    ("schema", "named"),
    [
        ('["Person"]', r"\['Person'\]"),
        ('{"name": "Person"}', r"\{'name': 'Person'\}"),
        ('"Terrorist"', "'Terrorist'"),
        ("null", "None"),
    ],
)
def test_an_entity_schema_that_is_no_ftm_schema_is_refused_and_logged(
    agencies: tuple[Agency, Agency, Agency], schema: str, named: str
) -> None:
    ppatk, rosfin, _ = agencies
    line = f'{{"id": "a1", "schema": {schema}, "properties": {{}}}}\n'.encode()
    empty = parquet_bytes(pa.Table.from_pylist([], schema=TRANSACTION_SCHEMA))
    data = hostile_package(ppatk, rosfin, parquet=empty, rows=0, lines=line, entity_count=1)
    with pytest.raises(PackageRejectedError, match=rf"line 1: schema {named} is not a"):
        import_package(rosfin.store, rosfin.identity, rosfin.passphrase, data, "pkg")
    assert read_log(rosfin.store)[-1].action == "import-rejected"
    assert rosfin.stored()["exchange_entities"] == 0
