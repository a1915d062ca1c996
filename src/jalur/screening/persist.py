"""The screening index kept in the workspace, so one `screen name` needs no rebuild.

Building the index normalises every listed name (tens of thousands of aliases: ICU
transliteration, rigour name analysis) and takes seconds; a command that screens one name
should not pay that every time. The built index is written to the workspace
(`screening-index.bin`) with the key it was built for: the current version of every list
(`version_id`s) and a fingerprint of the screening code. A later command whose key matches
loads it; any list change, or new screening code, makes it stale and it is rebuilt once.

Beside the index the file keeps rigour's name symbols of every listed word
(`names.known_symbols`): rigour builds its name tagger at its first call, which costs a cold
process seconds; a query made of listed words then needs none of it. For the words of other
queries it keeps the `SymbolLexicon` of the listed symbols, which gives such a word the listed
symbols rigour would give it, also without the tagger. The key includes rigour's version.

The file is data the next command trusts, so it is never unpickled unchecked: it carries an
HMAC-SHA256 tag under a random key kept beside it (`screening-index.key`, 0600), and only
classes of the index itself may be named in it. A file written elsewhere, truncated,
edited or corrupt fails the tag (or the class check) and is rebuilt, with a warning.
"""

from __future__ import annotations

import copyreg
import dataclasses
import gc
import hashlib
import hmac
import io
import json
import logging
import os
import pickle
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

from jalur.lists import current_versions
from jalur.screening.config import ScreeningConfig
from jalur.screening.entities import ListedEntity, ListedName
from jalur.screening.index import Alias, ScreeningIndex
from jalur.screening.lexicon import SymbolLexicon, build_lexicon
from jalur.screening.names import Name, NamePart, known_symbols, remember_symbols
from jalur.screening.screener import Screener
from jalur.store import Store

log = logging.getLogger(__name__)

INDEX_FILE = "screening-index.bin"
KEY_FILE = "screening-index.key"
#: First line of an index file; a new layout of the file gets a new number.
MAGIC = b"jalur-screening-index 2\n"
_TAG = 32  # bytes of an HMAC-SHA256 tag
#: Modules whose classes an index file may name (numpy for its arrays, the index's own).
_ALLOWED = {
    "builtins": frozenset({"set", "frozenset", "bytearray", "list", "dict", "tuple", "int"}),
    "collections": frozenset({"OrderedDict"}),
    "jalur.model": frozenset({"RiskClass"}),
    "copyreg": frozenset({"_reconstructor"}),
    "numpy": frozenset({"dtype", "ndarray"}),
    "numpy.core.multiarray": frozenset({"_reconstruct", "scalar"}),
    "numpy._core.multiarray": frozenset({"_reconstruct", "scalar"}),
    "numpy.core.numeric": frozenset({"_frombuffer"}),
    "numpy._core.numeric": frozenset({"_frombuffer"}),
}
#: Frozen slotted dataclasses are pickled as (class, field values): the default path calls
#: `dataclasses.fields` per object on load, which made loading 5× slower than the rest.
_RECORDS = (NamePart, Name, Alias, ListedEntity, ListedName)


class StaleIndexError(Exception):
    """Why a stored index was not used (absent, built for other lists, foreign, corrupt)."""


@dataclass(frozen=True)
class WarmIndex:
    """Where a workspace keeps its index, and the key of the lists it must be built from."""

    folder: Path
    key: str

    @property
    def path(self) -> Path:
        return self.folder / INDEX_FILE

    @classmethod
    def of(cls, store: Store, folder: Path) -> WarmIndex:
        return cls(folder, index_key(store))


def index_key(store: Store) -> str:
    """The lists an index is built from (each current `version_id`) and the code building it."""
    versions = sorted((v.list_name, v.version_id) for v in current_versions(store))
    code = {"code": code_fingerprint(), "rigour": version("rigour")}
    return json.dumps({"lists": versions, **code}, separators=(",", ":"))


def code_fingerprint() -> str:
    """A digest of the code and data an index is built with: new code, new index.

    The screening package, and the shared readers its listed entities go through (risk
    classes, countries, dates).
    """
    digest = hashlib.sha256()
    package = Path(__file__).parent
    shared = [package.parent / name for name in ("model.py", "countries.py", "dates.py")]
    for path in sorted([*package.glob("*.py"), *package.glob("data/*")]) + shared:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def warm_screener(
    store: Store, folder: Path | None, config: ScreeningConfig | None = None
) -> Screener:
    """A screener on the stored index when fresh; otherwise one built, and stored for next time.

    The index is stored prepared (`Screener.prepare`): the lookup tables cost little to load
    and seconds to build at the first query.
    """
    config = config or ScreeningConfig.defaults()
    if folder is None:
        return Screener.from_store(store, config)
    warm = WarmIndex.of(store, folder)
    try:
        index, lexicon = load_stored(warm)
        return Screener(index, config, lexicon=lexicon)
    except StaleIndexError as why:
        log.info("screening index rebuilt: %s", why)
    screener = Screener.from_store(store, config).prepare()
    if screener.index.entity_count:
        screener.lexicon = save_index(warm, screener.index)
    return screener


def load_index(warm: WarmIndex) -> ScreeningIndex:
    """The stored index, when its tag is ours and its key is `warm.key`; else `StaleIndexError`."""
    return load_stored(warm)[0]


def load_stored(warm: WarmIndex) -> tuple[ScreeningIndex, SymbolLexicon | None]:
    """`load_index`, with the symbol lexicon stored beside the index (None if it has none)."""
    try:
        data = warm.path.read_bytes()
    except FileNotFoundError:
        raise StaleIndexError("no index stored yet") from None
    header, payload = _verified(data, _secret(warm.folder))
    if header.get("key") != warm.key:
        raise StaleIndexError("the lists (or the screening code) changed since it was built")
    with _no_gc():
        stored = _Unpickler(io.BytesIO(payload)).load()
    if not (isinstance(stored, tuple) and len(stored) == 3):
        raise StaleIndexError("the file holds no screening index")
    index, symbols, lexicon = stored
    if not (
        isinstance(index, ScreeningIndex)
        and isinstance(symbols, dict)
        and isinstance(lexicon, SymbolLexicon | None)
    ):
        raise StaleIndexError("the file holds no screening index")
    remember_symbols(symbols)
    return index, lexicon


def save_index(warm: WarmIndex, index: ScreeningIndex) -> SymbolLexicon | None:
    """Write the index with its key and tag; atomically, so a reader never sees half a file.

    Its symbol lexicon is built now (rigour's tagger is built anyway, for the listed names).
    """
    known = known_symbols()
    lexicon = build_lexicon(index.vocab.by_symbol, known)
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _DISPATCH
    pickler.dump((index, known, lexicon))
    header = json.dumps({"key": warm.key, "entities": index.entity_count}).encode()
    body = len(header).to_bytes(4, "big") + header + buffer.getvalue()
    tag = hmac.new(_own_secret(warm.folder), body, hashlib.sha256).digest()
    partial = warm.path.with_name(f"{INDEX_FILE}.{os.getpid()}.partial")
    with _private(partial) as handle:
        handle.write(MAGIC + tag + body)
    partial.replace(warm.path)
    return lexicon


def _verified(data: bytes, secret: bytes | None) -> tuple[dict[str, Any], bytes]:
    if not data.startswith(MAGIC):
        raise StaleIndexError("not a jalur screening index file (or another layout of one)")
    tag, body = data[len(MAGIC) : len(MAGIC) + _TAG], data[len(MAGIC) + _TAG :]
    if secret is None:
        raise StaleIndexError("no key to check the stored index with")
    if not hmac.compare_digest(tag, hmac.new(secret, body, hashlib.sha256).digest()):
        raise StaleIndexError("the stored index was not written by this workspace (or is corrupt)")
    size = int.from_bytes(body[:4], "big")
    header = json.loads(body[4 : 4 + size])
    return header, body[4 + size :]


def _secret(folder: Path) -> bytes | None:
    """The workspace's index key: 32 random bytes, readable by its owner only; None if none."""
    try:
        secret = (folder / KEY_FILE).read_bytes()
    except FileNotFoundError:
        return None
    return secret if len(secret) == _TAG else None


def _own_secret(folder: Path) -> bytes:
    """The workspace's index key, made now when it has none (or a damaged one)."""
    path = folder / KEY_FILE
    damaged = path.exists() and _secret(folder) is None
    try:
        with _private(path, exclusive=not damaged) as handle:
            handle.write(secrets.token_bytes(_TAG))
    except FileExistsError:  # it has one (or another command made it meanwhile): use that
        pass
    return path.read_bytes()


@contextmanager
def _private(path: Path, exclusive: bool = False) -> Iterator[io.BufferedWriter]:
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if exclusive else os.O_TRUNC)
    descriptor = os.open(path, flags, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        yield handle


@contextmanager
def _no_gc() -> Iterator[None]:
    """Loading makes some hundred thousand objects that live as long as the process:
    collecting meanwhile, or scanning them at every later collection, costs more than the
    load itself. They are moved out of the collector's sight (`gc.freeze`)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def _as_record(obj: Any) -> tuple[Callable[..., Any], tuple[Any, ...]]:
    return type(obj), tuple(getattr(obj, f.name) for f in dataclasses.fields(obj))


_DISPATCH: dict[type, Callable[[Any], Any]] = {
    **copyreg.dispatch_table,
    **dict.fromkeys(_RECORDS, _as_record),
}


class _Unpickler(pickle.Unpickler):
    """Names only the index's own classes, numpy's and a few builtins: nothing to execute."""

    def find_class(self, module: str, name: str) -> Any:
        own = module.startswith("jalur.screening.") and name[:1].isupper()
        if not own and name not in _ALLOWED.get(module, ()):
            raise StaleIndexError(
                f"the stored index names {module}.{name}, which an index never holds"
            )
        return super().find_class(module, name)
