"""Shared fixtures and markers.

LibreOffice tests skip with a message when soffice is absent, but fail under CI. ``slow`` is given
here by one rule, so ``pytest -m "not slow"`` is the quick inner loop (about a minute on two cores):
every test under ``tests/real/`` (the whole chain on the real Traffy files), every test that runs
LibreOffice (the ``libreoffice`` fixture or marker), and modules that mark themselves
(``pytestmark = pytest.mark.slow``: a subprocess or every command per case).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from cplkpi.office import soffice

# The test and benchmark generators live in bench/ (not the installed package): agencies_synthetic.
# What several areas share is in tests/ itself (fakebook, builders), importable as this folder is.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))


@pytest.fixture(scope="session")
def sample_path():
    from cplkpi.examples import sample_path as path

    return path()


@pytest.fixture(scope="session")
def sample_book(sample_path):
    from cplkpi.reader import read_workbook

    return read_workbook(sample_path)


@pytest.fixture(scope="session")
def libreoffice():
    """The soffice path; skips (locally) or fails (CI=true) when LibreOffice is not installed."""
    exe = soffice()
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is required in CI: .ci/run installs libreoffice-calc-nogui")
        pytest.skip("LibreOffice (soffice) not installed: apt-get install -y libreoffice-calc-nogui")
    return exe


def pytest_collection_modifyitems(config, items):
    """Mark ``slow`` what the module docstring says is slow."""
    real = Path(__file__).parent / "real"
    for item in items:
        if (item.path.is_relative_to(real) or "libreoffice" in getattr(item, "fixturenames", ())
                or item.get_closest_marker("libreoffice")):
            item.add_marker(pytest.mark.slow)


def pytest_terminal_summary(terminalreporter):
    """Print the LibreOffice cross-check summary (recorded with ``record_property("crosscheck", ...)``)
    at the end of the run, so CI logs show the case count and disagreements with or without -s/xdist."""
    lines = {(r.nodeid, value) for reports in terminalreporter.stats.values() for r in reports
             if getattr(r, "when", None) == "call"
             for key, value in getattr(r, "user_properties", ()) if key == "crosscheck"}
    if lines:
        terminalreporter.section("cross-check with LibreOffice (ตรวจเทียบกับ LibreOffice)")
        for nodeid, value in sorted(lines):
            terminalreporter.write_line(f"{nodeid}: {value}")
