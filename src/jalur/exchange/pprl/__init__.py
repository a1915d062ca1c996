"""Privacy-preserving subject matching (Ma3tch-like): keyed hardened Bloom filters + LSH."""

from jalur.exchange.pprl.compare import THRESHOLD, WEIGHTS, Blocking, Pairs, compare
from jalur.exchange.pprl.encode import Encoded, Encoder, Scheme

__all__ = ["THRESHOLD", "WEIGHTS", "Blocking", "Encoded", "Encoder", "Pairs", "Scheme", "compare"]
