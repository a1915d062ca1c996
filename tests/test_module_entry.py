"""`python -m jalur` runs the CLI: the way to call it where no `jalur` script is on PATH."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import jalur


def test_python_dash_m_jalur_runs_the_cli(tmp_path: Path) -> None:
    src = Path(jalur.__file__).resolve().parents[1]
    done = subprocess.run(
        [sys.executable, "-m", "jalur", "--home", str(tmp_path), "--version"],
        capture_output=True, text=True, env={"PYTHONPATH": str(src), "PATH": ""}, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert jalur.__version__ in done.stdout
