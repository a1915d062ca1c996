"""`jalur stream run --idle-exit` ends by itself, so a script reads its exit code: it said 0
even when payments went to the dead letters. Now it follows the README's table, as `tx load`
and `stream publish` do: 3 when some went there, 4 when every one did."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from nats_server import nats_url, private_subjects
from small_lists import payment

from jalur.clikit import EXIT_NOTHING_ACCEPTED, EXIT_OK, EXIT_PARTIAL
from jalur.config import Settings
from jalur.stream import config_of
from jalur.stream.broker import Subjects, ensure_streams

GOOD = json.dumps(payment("OK-1")).encode()
BAD = b"{not json"


def _run_after(home: Path, url: str, bodies: list[bytes]) -> subprocess.CompletedProcess[str]:
    """Publish `bodies` to a stream of their own, then `jalur stream run --idle-exit`."""
    private_subjects(home)
    subjects = Subjects.of(config_of(Settings.resolve(home)).section("nats"))

    async def send() -> None:
        import nats

        nc = await nats.connect(url)
        js = nc.jetstream()
        await ensure_streams(js, subjects)
        for body in bodies:
            await js.publish(subjects.payments, body)
        await nc.close()

    asyncio.run(send())
    command = [sys.executable, "-m", "jalur.cli", "--home", str(home), "stream", "run"]
    command += ["--nats", url, "--idle-exit", "1.5"]
    return subprocess.run(
        command, capture_output=True, text=True, env=os.environ.copy(), timeout=300, check=False
    )


@pytest.mark.parametrize(
    ("bodies", "code", "dead"),
    [
        ([BAD, GOOD], EXIT_PARTIAL, 1),
        ([GOOD], EXIT_OK, 0),
        ([BAD], EXIT_NOTHING_ACCEPTED, 1),
    ],
)
def test_an_idle_exit_run_says_in_its_code_that_messages_went_to_the_dead_letters(
    tmp_path: Path, bodies: list[bytes], code: int, dead: int
) -> None:
    done = _run_after(tmp_path / "workspace", nats_url(), bodies)
    assert done.returncode == code, done.stderr[-2000:]
    assert f"{dead} to the dead letters" in done.stdout
