"""Message catalogues: Thai and English texts kept as data beside the code that uses them.

Like python-holidays keeps its holiday names in translation files, every package keeps the labels
staff read in ``<package>/data/*.toml``: one table per key, with ``th`` and ``en`` (and, where a
text has a short form, more fields). Code reads them once through :func:`catalogue`.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["bilingual", "catalogue", "labels"]


@cache
def catalogue(package: str, name: str) -> dict[str, Any]:
    """The TOML catalogue ``data/<name>.toml`` of ``package`` (e.g. ``"cplkpi.scoring"``), parsed once."""
    text = resources.files(package).joinpath(f"data/{name}.toml").read_text("utf-8")
    return tomllib.loads(text)


def labels(package: str, name: str, table: str | None = None) -> dict[str, tuple[str, str]]:
    """``{key: (th, en)}`` of a catalogue, or of one of its tables when ``table`` is given."""
    entries: dict[str, Any] = catalogue(package, name)
    if table is not None:
        entries = entries[table]
    return {key: (entry["th"], entry["en"]) for key, entry in entries.items()}


def bilingual(package: str, name: str, table: str) -> dict[str, str]:
    """``{key: "th (en)"}`` of one table of a catalogue: a label as staff read it, English beside it."""
    return {key: f"{th} ({en})" for key, (th, en) in labels(package, name, table).items()}
