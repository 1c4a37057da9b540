"""Shared fixtures. LibreOffice tests skip with a message when soffice is absent, but fail under CI."""

from __future__ import annotations

import os

import pytest

from cplkpi.office import soffice


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
