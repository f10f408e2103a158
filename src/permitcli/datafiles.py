"""The shipped TOML data files, parsed once and then kept beside them, as Python keeps the bytecode of a module.

tomllib reads a text one character at a time: the data files a check reads took some 25 ms to parse at every
run. The parsed table is kept, marshalled, in the `__pycache__` folder Python would use for a module in the same
folder (so PYTHONDONTWRITEBYTECODE and PYTHONPYCACHEPREFIX apply to it as to bytecode), together with a hash of
the file's bytes: a file whose bytes changed is parsed anew and kept again. Where the folder cannot be written,
the file is parsed at every run, as before.
"""

import importlib.util
import marshal
import os
import sys
from pathlib import Path


def _kept_at(path: Path) -> Path:
    """Where the parsed form of `path` is kept: `__pycache__/NAME.TAG.marshal` beside it, or under the prefix."""
    folder = Path(importlib.util.cache_from_source(str(path.with_name("_.py")))).parent
    return folder / f"{path.name}.{sys.implementation.cache_tag}.marshal"


def read_toml(path: Path) -> dict:
    """The TOML file at `path`, parsed. Raises OSError (FileNotFoundError) when it cannot be read and ValueError
    (tomllib.TOMLDecodeError, UnicodeDecodeError) when it is not TOML, as tomllib does."""
    raw = path.read_bytes()
    digest = importlib.util.source_hash(raw)  # what Python checks a hash-based .pyc against
    kept = _kept_at(path)
    try:
        held, data = marshal.loads(kept.read_bytes())
        if held == digest and isinstance(data, dict):
            return data
    except (OSError, ValueError, EOFError, TypeError):  # none kept yet, or unreadable: parse the file
        pass
    import tomllib

    data = tomllib.loads(raw.decode("utf-8"))
    if not sys.dont_write_bytecode:
        _keep(kept, digest, data)
    return data


def _keep(kept: Path, digest: bytes, data: dict) -> None:
    """Write the parsed table whole (a temporary file renamed), or nothing if that cannot be done."""
    try:
        blob = marshal.dumps((digest, data))
    except ValueError:  # a value marshal does not hold (TOML dates): the file is parsed each time
        return
    temporary = kept.with_name(f".{kept.name}.{os.getpid()}.tmp")
    try:
        kept.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(blob)
        os.replace(temporary, kept)
    except OSError:
        try:
            temporary.unlink(missing_ok=True)
        except OSError:
            pass
