"""Finding graphkit's data folders, ``cypher/`` and ``loaders/``.

In a wheel they ship inside the package (``graphkit/cypher``); in a source checkout (editable
install, tests) they sit beside the package at the top of the repository.
"""
from __future__ import annotations

from pathlib import Path

from graphkit.errors import InstallationError

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise InstallationError(f"graphkit's {name}/ folder is missing from the installation",
                            hint="Reinstall graphkit (pip install graphkit, or pip install -e . in a checkout).")


def cypher_dir() -> Path:
    return data_dir("cypher")


def loaders_dir() -> Path:
    return data_dir("loaders")
