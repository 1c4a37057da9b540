"""The ``cplkpi`` program: the command line with Ctrl-C handled from the first moment.

The console script calls :func:`main`, which loads the commands only after it
is ready for an interrupt: Ctrl-C while the libraries load, or while a command
runs, ends with the one line :data:`cplkpi.interrupt.INTERRUPTED` and exit code 130 (the
shell's code for SIGINT), never a traceback. Outputs are written atomically,
so an interrupted run leaves no half-written file.
"""

from __future__ import annotations

import sys

from cplkpi.interrupt import interrupted, was_told


def main() -> None:
    """Run the ``cplkpi`` command line (the console script's entry point)."""
    try:
        from cplkpi.cli import app  # noqa: PLC0415 (a Ctrl-C while the commands load is said, not a traceback)
    except KeyboardInterrupt:
        interrupted()
        sys.exit(130)
    try:
        app(prog_name="cplkpi")
    except SystemExit as exc:  # typer turns a Ctrl-C outside a command (while parsing) into a silent 130
        if exc.code == 130 and not was_told():
            interrupted()
        raise
