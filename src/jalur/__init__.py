"""jalur: counter-terrorist-financing intelligence.

Watchlists (`lists`), name screening (`screening`), payment ingestion (`transactions`),
typology detection and channel tracing (`monitoring`) and inter-agency exchange (`exchange`),
over one workspace (`store`) described by one settings object (`config`).
"""

__version__ = "0.1.0"
