"""Package data — the seed, the Word templates, the migrations — located with importlib.resources."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def package_path(name: str) -> Path:
    """A folder of the installed `radsbot.data` package (an ordinary folder: wheels install unzipped)."""
    return Path(str(files("radsbot.data").joinpath(name)))


SEED_DIR = package_path("seed")
TEMPLATES_DIR = package_path("templates")
MIGRATIONS_DIR = package_path("migrations")
