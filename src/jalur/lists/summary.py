"""What is loaded: each list's current version with counts by schema and by topic."""

from __future__ import annotations

from typing import Any

from jalur.lists.store import current_versions
from jalur.store import Store


def list_summaries(store: Store) -> list[dict[str, Any]]:
    summaries = []
    for version in current_versions(store):
        schemata = store.execute(
            """SELECT schema, count(*) FROM list_entities WHERE version_id = ? AND subject
               GROUP BY schema ORDER BY 2 DESC""",
            [version.version_id],
        ).fetchall()
        topics = store.execute(
            """SELECT topic, count(*) FROM (SELECT unnest(topics) AS topic FROM list_entities
               WHERE version_id = ? AND subject) GROUP BY topic ORDER BY 2 DESC""",
            [version.version_id],
        ).fetchall()
        summaries.append(
            {
                "list": version.list_name,
                "version": version.version,
                "format": version.format,
                "published": version.published,
                "retrieved_at": version.retrieved_at,
                "sha256": version.sha256,
                "entities": version.entities,
                "schemata": dict(schemata),
                "topics": dict(topics),
            }
        )
    return summaries
