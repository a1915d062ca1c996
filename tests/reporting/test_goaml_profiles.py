"""Profiles are data: a new FIU is a YAML file and its XSD, checked when it loads."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from goaml_cases import complete_case
from lxml import etree

from jalur.reporting import ProfileError, build_report, load_profile

SHIPPED = Path(__file__).resolve().parents[2] / "src" / "jalur" / "reporting"


def copied_profile(tmp_path: Path, name: str, change: dict[str, object] | None = None) -> Path:
    """A shipped profile and its XSD copied elsewhere, optionally with some keys changed."""
    data = yaml.safe_load((SHIPPED / "profiles" / f"{name}.yaml").read_text(encoding="utf-8"))
    schema = Path(data["schema"]).name
    shutil.copy(SHIPPED / "schemas" / schema, tmp_path / schema)
    data = data | {"schema": schema} | (change or {})
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_a_profile_file_with_its_schema_builds_valid_reports(tmp_path: Path) -> None:
    path = copied_profile(tmp_path, "uae-5.0.2", {"name": "my-fiu"})
    profile = load_profile(path)
    assert profile.name == "my-fiu"
    data = build_report(complete_case("uae-5.0.2", "STR"), profile)
    assert profile.schema.validate(etree.fromstring(data))


def test_an_unknown_profile_name_lists_the_shipped_ones() -> None:
    with pytest.raises(ProfileError, match=r"shipped: ppatk-4\.0\.2, uae-5\.0\.2"):
        load_profile("fincen-1.0")


def test_a_report_code_must_be_in_the_schema(tmp_path: Path) -> None:
    path = copied_profile(tmp_path, "ppatk-4.0.2", {"report_codes": {"STR": "transactions"}})
    with pytest.raises(ProfileError, match="'STR' is not in the schema's report_type"):
        load_profile(path)


def test_a_code_must_be_in_the_schema_enumeration(tmp_path: Path) -> None:
    data = yaml.safe_load((SHIPPED / "profiles" / "ppatk-4.0.2.yaml").read_text(encoding="utf-8"))
    codes = data["codes"] | {"funds": {"wire": "ELCFT"}}  # a UAE code in the PPATK profile
    path = copied_profile(tmp_path, "ppatk-4.0.2", {"codes": codes})
    with pytest.raises(
        ProfileError, match=re.escape("codes.funds: 'ELCFT' is not in the schema's funds_type")
    ):
        load_profile(path)


def test_a_field_from_an_unknown_source_is_refused(tmp_path: Path) -> None:
    data = yaml.safe_load((SHIPPED / "profiles" / "ppatk-4.0.2.yaml").read_text(encoding="utf-8"))
    kinds = data["kinds"]
    kinds["person"]["fields"][0] = {"gender": "sex"}
    path = copied_profile(tmp_path, "ppatk-4.0.2", {"kinds": kinds})
    with pytest.raises(ProfileError, match=re.escape("kinds.person: gender from unknown 'sex'")):
        load_profile(path)


def test_an_ftm_property_is_a_source(tmp_path: Path) -> None:
    data = yaml.safe_load((SHIPPED / "profiles" / "ppatk-4.0.2.yaml").read_text(encoding="utf-8"))
    kinds = data["kinds"]
    fields = kinds["person"]["fields"]
    fields[fields.index("occupation")] = {"occupation": "profession"}
    profile = load_profile(copied_profile(tmp_path, "ppatk-4.0.2", {"kinds": kinds}))
    assert profile.kinds["person"].source_of("occupation") == "profession"


def test_a_required_element_must_be_a_field(tmp_path: Path) -> None:
    data = yaml.safe_load((SHIPPED / "profiles" / "ppatk-4.0.2.yaml").read_text(encoding="utf-8"))
    kinds = data["kinds"]
    kinds["address"]["required"].append("postcode")
    path = copied_profile(tmp_path, "ppatk-4.0.2", {"kinds": kinds})
    with pytest.raises(
        ProfileError, match=re.escape("kinds.address.required: 'postcode' is not a field")
    ):
        load_profile(path)


def test_a_missing_schema_is_named(tmp_path: Path) -> None:
    path = copied_profile(tmp_path, "ppatk-4.0.2", {"schema": "nowhere.xsd"})
    with pytest.raises(ProfileError, match=re.escape("nowhere.xsd cannot be read")):
        load_profile(path)
