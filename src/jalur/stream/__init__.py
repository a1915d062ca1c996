"""Real time: each payment screened and checked for typologies as it happens, from an HTTP
call or a NATS JetStream stream, with the batch's answers.

`decide` is the pure decision (pass, review or hold, with reasons) on one payment and the state
before it; a `Decider` binds it to a durable state file (`StateStore`) and answers repeats
with their first decision. `open_decider` builds one for a workspace. `payments_router`
(in `jalur.stream.http`) serves it over HTTP; `consume` and `publish_file` run it on NATS.
"""

from jalur.stream.commands import register_cli
from jalur.stream.config import StreamConfig, load_config
from jalur.stream.context import Seeds
from jalur.stream.decide import HOLD, PASS, REVIEW, Decision, RiskScorer, decide
from jalur.stream.engine import Decider, Outcome
from jalur.stream.payment import MalformedPaymentError, Payment, payment_from_json, payment_from_row
from jalur.stream.state import StateInUseError, StateStore, hold_consumer
from jalur.stream.watch import Listed, Watch
from jalur.stream.workspace import config_of, open_decider, read_workspace, seeds_of, state_path

__all__ = [
    "HOLD",
    "PASS",
    "REVIEW",
    "Decider",
    "Decision",
    "Listed",
    "MalformedPaymentError",
    "Outcome",
    "Payment",
    "RiskScorer",
    "Seeds",
    "StateInUseError",
    "StateStore",
    "StreamConfig",
    "Watch",
    "config_of",
    "decide",
    "hold_consumer",
    "load_config",
    "open_decider",
    "payment_from_json",
    "payment_from_row",
    "read_workspace",
    "register_cli",
    "seeds_of",
    "state_path",
]
