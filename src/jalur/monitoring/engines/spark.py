"""Spark engine: the same detectors on Apache Spark (local mode or a cluster).

pyspark is imported only here and only when a Spark engine is asked for, so DuckDB users do
not need it. The session is injected (tests share one) or built from `[monitoring.spark]`.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from jalur.monitoring.engines.base import EngineError, Params
from jalur.monitoring.engines.params import bound
from jalur.monitoring.engines.sql import Dialect

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

log = logging.getLogger(__name__)

SPARK = Dialect(
    name="spark",
    sqlglot_dialect="spark",
    macros={"epoch_seconds": "UNIX_TIMESTAMP({0})"},
)

#: Small by default: local mode on a laptop; a cluster's settings come from jalur.toml.
DEFAULT_CONF: dict[str, str] = {
    "spark.master": "local[2]",
    "spark.app.name": "jalur-monitoring",
    "spark.sql.shuffle.partitions": "4",
    "spark.sql.session.timeZone": "UTC",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.driver.memory": "4g",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
}


def spark_session(conf: Mapping[str, Any] | None = None) -> SparkSession:
    """A Spark session from DEFAULT_CONF overlaid by `conf` (e.g. `spark.master`)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise EngineError("--engine spark needs pyspark: pip install 'jalur[spark]'") from exc
    builder = SparkSession.builder
    for key, value in {**DEFAULT_CONF, **{k: str(v) for k, v in (conf or {}).items()}}.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.conf.set("spark.sql.session.timeZone", "UTC")
    return session


class SparkEngine:
    """Runs detectors as Spark SQL over temporary views."""

    name = "spark"

    def __init__(self, session: SparkSession) -> None:
        self.session = session
        self._frames: dict[str, DataFrame] = {}
        self.scratch: Path | None = None  # exported payments, removed on close

    def register(self, name: str, table: pa.Table) -> None:
        frame = self.session.createDataFrame(table)
        self._keep(name, frame)

    def register_parquet(self, name: str, path: str) -> None:
        """A table read from Parquet files (a local folder, HDFS or object store)."""
        self._keep(name, self.session.read.parquet(path))

    def materialize(self, name: str, sql: str, params: Params | None = None) -> None:
        frame = self.session.sql(SPARK.render(sql), args=bound(sql, params))
        self._keep(name, frame.localCheckpoint(eager=True))

    def query(self, sql: str, params: Params | None = None) -> pa.Table:
        return self.session.sql(SPARK.render(sql), args=bound(sql, params)).toArrow()

    def drop(self, name: str) -> None:
        frame = self._frames.pop(name, None)
        if frame is not None:
            frame.unpersist()
        self.session.catalog.dropTempView(name)

    def tables(self) -> frozenset[str]:
        return frozenset(self._frames)

    def close(self) -> None:
        for name in sorted(self._frames):
            self.drop(name)
        if self.scratch is not None:
            shutil.rmtree(self.scratch, ignore_errors=True)
            self.scratch = None

    def _keep(self, name: str, frame: DataFrame) -> None:
        self.drop(name)
        frame.createOrReplaceTempView(name)
        self._frames[name] = frame
