"""The NATS server the stream tests talk to, and small JetStream helpers for them.

`make test` starts one (scripts/ensure-nats.sh) and exports its URL. Without it the NATS tests
skip on a developer's machine and fail under CI, where one is always started.
"""

from __future__ import annotations

import asyncio
import json
import os
import uuid
from pathlib import Path
from typing import Any

import nats
import pytest
from nats.errors import TimeoutError as NatsTimeout

from shared_folder import in_ci

NATS_URL_ENV = "JALUR_TEST_NATS_URL"


def nats_url() -> str:
    url = os.environ.get(NATS_URL_ENV, "").strip()
    if url:
        return url
    missing = f"{NATS_URL_ENV} is not set (scripts/ensure-nats.sh start sets it)"
    if in_ci():
        pytest.fail(f"{missing}, but CI={os.environ['CI']!r}: CI must test NATS", pytrace=False)
    pytest.skip(missing)


def private_subjects(home: Path, **nats_settings: Any) -> dict[str, Any]:
    """A workspace whose stream, subjects and consumer no other test shares."""
    tag = uuid.uuid4().hex[:10]
    section = {
        "stream": f"T{tag}",
        "subject": f"t{tag}.payments",
        "decisions": f"t{tag}.decisions",
        "alerts": f"t{tag}.alerts",
        "dead_letter": f"t{tag}.dead",
        "durable": f"t{tag}",
        **nats_settings,
    }
    home.mkdir(mode=0o700, parents=True, exist_ok=True)
    lines = ["[stream.nats]"] + [f"{k} = {json.dumps(v)}" for k, v in section.items()]
    (home / "jalur.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return section


async def _read_all(url: str, stream: str, subject: str) -> list[tuple[bytes, dict[str, str]]]:
    nc = await nats.connect(url)
    found: list[tuple[bytes, dict[str, str]]] = []
    try:
        js = nc.jetstream()
        total = (await js.stream_info(stream)).state.messages
        sub = await js.pull_subscribe(subject, stream=stream)
        while len(found) < total:
            try:
                batch = await sub.fetch(500, timeout=2.0)
            except NatsTimeout:
                break
            for message in batch:
                found.append((message.data, dict(message.headers or {})))
                await message.ack()
    finally:
        await nc.close()
    return found


def read_all(url: str, stream: str, subject: str) -> list[tuple[bytes, dict[str, str]]]:
    """Every message the stream holds (body, headers), oldest first."""
    return asyncio.run(_read_all(url, stream, subject))


async def _count(url: str, stream: str) -> int:
    nc = await nats.connect(url)
    try:
        return int((await nc.jetstream().stream_info(stream)).state.messages)
    finally:
        await nc.close()


def count(url: str, stream: str) -> int:
    return asyncio.run(_count(url, stream))
