"""The ``cplkpi`` command line: the engine headless, for batch runs and tests.

One command, one function; each job's command lives in its own module here
and registers itself on :data:`app`.
"""

from __future__ import annotations

import importlib
import pkgutil

import typer

from .common import CplkpiGroup

app = typer.Typer(
    cls=CplkpiGroup,
    name="cplkpi",
    help="cplkpi: ตัวชี้วัดการจัดการเรื่องร้องเรียน กรุงเทพมหานคร (BMA complaint-handling KPIs).",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_show_locals=False,
)


def _register_commands() -> None:
    """Import every command module of this package: each registers its commands on ``app``."""
    for mod in pkgutil.iter_modules(__path__):
        if mod.name != "common":
            importlib.import_module(f"{__name__}.{mod.name}")


_register_commands()

__all__ = ["app"]
