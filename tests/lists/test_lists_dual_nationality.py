"""A national list's nationality cell naming several countries (`WNI; Malaysia`, `Indonesia,
Malaysia`) gave the entry no nationality at all, the cell only kept in its notes: a customer
of either country then found no agreement on the country. Each country is now read; a part
naming none is kept in the notes, as a cell naming none was."""

from __future__ import annotations

from pathlib import Path

from jalur.lists import ParseOptions
from jalur.lists.formats import csv_mapped

HEADER = "Nama,Deskripsi,Terduga,Kode Densus,Tempat/Tgl Lahir,WN,Alamat,NIK\n"


def test_every_country_of_a_nationality_cell_is_read(tmp_path: Path) -> None:
    path = tmp_path / "dttot.csv"
    path.write_text(
        HEADER
        + 'ABU RUSDAN,t,Orang,X-1,"Kudus, 16 Agustus 1960",WNI; Malaysia,Indonesia,\n'
        + 'HAMBALI,t,Orang,X-2,"Cianjur, 04 April 1964","Indonesia, Malaysia",Indonesia,\n'
        + "UMAR PATEK,t,Orang,X-3,,WNI / Atlantis,Indonesia,\n"
        + 'ABU DUJANA,t,Orang,X-4,,"Korea, Republic of",Indonesia,\n',
        encoding="utf-8",
    )
    parsed = csv_mapped.parse(path, ParseOptions(mapping=Path("dttot")))
    people = {str(e.id): e for e in parsed.entities if e.schema.name == "Person"}
    assert people["id-dttot-x-1"].get("nationality") == ["id", "my"]
    assert people["id-dttot-x-2"].get("nationality") == ["id", "my"]
    assert people["id-dttot-x-1"].get("notes") == []
    patek = people["id-dttot-x-3"]
    assert patek.get("nationality") == ["id"]
    assert patek.get("notes") == ["WN: Atlantis"]
    assert people["id-dttot-x-4"].get("nationality") == ["kr"]
