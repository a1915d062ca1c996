"""Without ../shared/data a developer's run skips the tests that need it; CI's run fails them."""

from __future__ import annotations

from pathlib import Path

import pytest

from shared_folder import SHARED_DATA, require_shared_data


@pytest.mark.parametrize("value", ["true", "1", "yes", "True"])
def test_missing_shared_data_fails_in_ci(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("CI", value)
    with pytest.raises(pytest.fail.Exception, match="CI must run with it"):
        require_shared_data(tmp_path / "absent")


@pytest.mark.parametrize("value", [None, "", "false", "0"])
def test_missing_shared_data_skips_outside_ci(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str | None
) -> None:
    if value is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", value)
    with pytest.raises(pytest.skip.Exception, match="not beside the project"):
        require_shared_data(tmp_path / "absent")


def test_present_shared_data_is_returned_in_ci_and_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for value in ("true", ""):
        monkeypatch.setenv("CI", value)
        assert require_shared_data(tmp_path) == tmp_path


def test_the_folder_is_the_one_beside_the_checkout() -> None:
    assert SHARED_DATA.parts[-2:] == ("shared", "data")
    assert SHARED_DATA.parent.parent == Path(__file__).resolve().parents[1].parent
