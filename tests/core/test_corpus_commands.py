"""Every CLI command over every corpus input: a clear refusal or a result, never a traceback, never a changed
source, never a partial or temporary file.

Each input of ``tests/corpus/build.py`` is built alone in a folder and given to every command that reads a
file (and ``audit-batch`` to its folder), in-process through typer's CliRunner, with outputs in a folder
beside it. Each run must exit 0 (done), 1 (refused, with its message) or 2 (usage), print no traceback,
leave the input byte-identical, and leave in the output folder only complete files: no temporary
``.name.xxxx.tmp`` file and every .xlsx a zip whose members pass their CRC check.
"""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest
from corpus import build as corpus
from typer.testing import CliRunner

from cplkpi.cli import app

#: every command over each corpus input: minutes, not seconds
pytestmark = pytest.mark.slow

runner = CliRunner()

#: Every command that reads a complaint workbook or a report, with the options that make it write
#: (``{src}`` the input, ``{out}`` the output folder, ``{folder}`` the input's folder).
COMMANDS = [
    ["score", "{src}", "--keep-going", "--explain", "{out}/why.xlsx"],
    ["overdue", "{src}", "--as-of", "30/9/2563", "--keep-going", "--all", "--out", "{out}/overdue.csv"],
    ["report", "{src}", "--month", "2562-10", "--out", "{out}/reports", "--no-pdf", "--keep-going"],
    ["validate-report", "{src}", "--out", "{out}/findings.xlsx"],
    ["audit", "{src}", "--month", "ต.ค. 2562", "--out", "{out}/audit"],
    ["audit-sample", "{src}", "--month", "ต.ค. 2562", "--out", "{out}/samples"],
    ["audit-pack", "{src}", "--month", "2562-10", "--out", "{out}/pack.xlsx", "--no-narrative"],
    ["import", "{src}", "--out", "{out}/imported.xlsx"],
    ["audit-batch", "{folder}", "--out", "{out}/batch", "--workers", "1", "--no-pdf"],
]


#: Inputs whose refusal costs a full streaming of a huge sheet by the guard (the same door for every command):
#: one command is enough to show that door holds, the others would only repeat it at ~15 s each.
HEAVY = {"million_rows": ["score"]}

@pytest.fixture(autouse=True)
def console_width_from_env(monkeypatch):
    from cplkpi.cli import common

    for c in (common.console, common.err_console):
        monkeypatch.setattr(c, "_width", None)


def _sha(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


def _incomplete(out: Path) -> list[str]:
    """Temporary files, and .xlsx files that are not whole zips, under ``out``."""
    bad = []
    for p in out.rglob("*"):
        if p.name.endswith(".tmp") or p.name.startswith(".~"):
            bad.append(f"{p.name}: temporary file left")
        elif p.suffix == ".xlsx":
            try:
                with zipfile.ZipFile(p) as zf:
                    if zf.testzip() is not None:
                        bad.append(f"{p.name}: a member fails its CRC")
            except zipfile.BadZipFile:
                bad.append(f"{p.name}: not a whole zip")
    return bad


@pytest.mark.parametrize("name", list(corpus.CORPUS))
def test_every_command_refuses_or_completes_cleanly_and_never_touches_the_source(name, tmp_path):
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    src = corpus.CORPUS[name](folder)
    before = {p.name: _sha(p) for p in folder.iterdir()}
    failures = []
    for command in COMMANDS:
        if name in HEAVY and command[0] not in HEAVY[name]:
            continue
        args = [a.format(src=src, out=out, folder=folder) for a in command]
        res = runner.invoke(app, args, env={"COLUMNS": "200"})
        where = f"{command[0]} on {name}"
        crashed = res.exception is not None and not isinstance(res.exception, SystemExit)
        if res.exit_code not in (0, 1, 2):
            failures.append(f"{where}: exit {res.exit_code}")
        if crashed:
            failures.append(f"{where}: {type(res.exception).__name__}: {res.exception}")
        if "Traceback" in res.output:
            failures.append(f"{where}: a traceback in the output")
        if res.exit_code == 1 and not res.output.strip():
            failures.append(f"{where}: refused without a word")
        if {p.name: _sha(p) for p in folder.iterdir()} != before:
            failures.append(f"{where}: the input folder changed")
        if out.exists():
            failures += [f"{where}: {bad}" for bad in _incomplete(out)]
    assert failures == []
