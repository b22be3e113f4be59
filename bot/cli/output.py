"""Output files written whole or not at all: a temporary file in the target folder, then a rename."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

import click


def write_atomically(path: Path, data: bytes) -> Path:
    """Write `data` to `path` so that readers see the old file or the complete new one, never half.

    Raises:
        click.ClickException: the folder does not exist or cannot be written to (Norwegian message).
    """
    target = path.expanduser().resolve()
    if not target.parent.is_dir():
        raise click.ClickException(
            f"Mappen {target.parent} finnes ikke. Opprett den eller velg en annen --out."
        )
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise click.ClickException(f"Kan ikke skrive i {target.parent}: {exc.strerror}.") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp makes the file private; a document is an ordinary file.
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return target
