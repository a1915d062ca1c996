"""Monitoring: terrorist-financing typologies, exposure and funding channels in payments.

One pass (`monitor`) runs every typology detector and the exposure measure over the loaded
payments, on DuckDB or Spark (`open_engine`), and records scored, explained alerts in the
workspace. `trace` follows money from source to sink accounts (`save_channels` records the
channels under stable ids; `channel_facts` and `channel_graph` describe them with holders,
banks, countries and payments for the graph files and `jalur.pictures`); `flag_accounts` adds
an agency's own seeds; `run_summary` is a pass's one-page summary as data. `alert_evidence` and
`channel` read one alert or channel back by id. Parameters: `defaults.toml`, overridden by
`[monitoring]` in jalur.toml.
"""

from jalur.monitoring.alerts import Alert, alert_id
from jalur.monitoring.case_notes import CaseNote, CaseReader, read_cases_with
from jalur.monitoring.channel_facts import ChannelFacts, channel_facts
from jalur.monitoring.commands import register_cli
from jalur.monitoring.detectors import TYPOLOGIES, Finding, Typology
from jalur.monitoring.detectors.base import money
from jalur.monitoring.detectors.windows import BURST_GAP, burst_key, burst_start
from jalur.monitoring.engines import ENGINES, Engine, EngineError, open_engine, require_payments
from jalur.monitoring.export import alert_rows, export_alerts
from jalur.monitoring.exposure import EXPOSURE_SCHEMA, measure
from jalur.monitoring.flags import FlagReport, flag_accounts, flagged
from jalur.monitoring.flow import ALLOCATIONS, replay
from jalur.monitoring.graph import channel_graph, write_graph, write_graph_data
from jalur.monitoring.params import MonitoringParams, load_params
from jalur.monitoring.persist import alert_evidence, channel, save_channels
from jalur.monitoring.run import RunReport, detect, monitor
from jalur.monitoring.seeds import HITS_SCHEMA, Seeds, load_seeds, on_lists
from jalur.monitoring.staging import stage, unstage
from jalur.monitoring.summary import run_summary
from jalur.monitoring.trace import CHANNEL_SCHEMA, Tracing, channel_key, trace

__all__ = [
    "ALLOCATIONS",
    "BURST_GAP",
    "CHANNEL_SCHEMA",
    "ENGINES",
    "EXPOSURE_SCHEMA",
    "HITS_SCHEMA",
    "TYPOLOGIES",
    "Alert",
    "CaseNote",
    "CaseReader",
    "ChannelFacts",
    "Engine",
    "EngineError",
    "Finding",
    "FlagReport",
    "MonitoringParams",
    "RunReport",
    "Seeds",
    "Tracing",
    "Typology",
    "alert_evidence",
    "alert_id",
    "alert_rows",
    "burst_key",
    "burst_start",
    "channel",
    "channel_facts",
    "channel_graph",
    "channel_key",
    "detect",
    "export_alerts",
    "flag_accounts",
    "flagged",
    "load_params",
    "load_seeds",
    "measure",
    "money",
    "monitor",
    "on_lists",
    "open_engine",
    "read_cases_with",
    "register_cli",
    "replay",
    "require_payments",
    "run_summary",
    "save_channels",
    "stage",
    "trace",
    "unstage",
    "write_graph",
    "write_graph_data",
]
