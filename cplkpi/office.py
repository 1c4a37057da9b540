"""Headless LibreOffice: recalculate workbooks and render PDFs.

Every call runs ``soffice --headless`` with a fresh, private user profile
(so parallel runs do not collide and no user setting leaks in) in which
"recalculate on load" is forced to *always* for OOXML and ODF files: a
converted workbook's values are LibreOffice's own results, never the cached
values that were in the file (``convert(..., recalc=False)`` keeps them instead,
as a user opening and saving a file without recalculating would).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from cplkpi.scoring.errors import CplError
from cplkpi.xlsx import write_bytes_atomic

__all__ = ["OfficeError", "convert", "recalculate", "soffice", "to_pdf"]

#: LibreOffice settings of the private profile; ``{mode}``: recalculation on load, 0 always, 1 never.
_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>{mode}</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>{mode}</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="FirstRun" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""


class OfficeError(CplError, RuntimeError):
    """LibreOffice is missing or a conversion failed (still a :class:`RuntimeError`, as it always was)."""


def soffice() -> str | None:
    """Path of the ``soffice`` executable, or None when LibreOffice is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(src: str | Path, fmt: str, out_dir: str | Path, *, timeout: float = 300, recalc: bool = True) -> Path:
    """Convert ``src`` with headless LibreOffice to ``fmt`` (``pdf``, ``xlsx``, ``ods``…) into ``out_dir``.

    Formulas are recalculated on load unless ``recalc`` is False (then the stored values are kept,
    as a user opening and saving the file without recalculating would).

    Returns the path of the converted file. Raises :class:`OfficeError` with
    LibreOffice's output when it fails or does not produce the file.
    """
    exe = soffice()
    if exe is None:
        raise OfficeError(
            "ไม่พบ LibreOffice (LibreOffice not found): apt-get install -y --no-install-recommends "
            "libreoffice-calc-nogui"
        )
    src, out_dir = Path(src).resolve(), Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="cplkpi-lo-") as profile:
        user = Path(profile) / "user"
        user.mkdir()
        (user / "registrymodifications.xcu").write_text(_SETTINGS.format(mode=0 if recalc else 1), encoding="utf-8")
        with tempfile.TemporaryDirectory(prefix="cplkpi-out-") as tmp_out:
            cmd = [exe, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore",
                   "--nolockcheck", "--convert-to", fmt, "--outdir", tmp_out, str(src)]
            env = {**os.environ, "HOME": profile, "SAL_USE_VCLPLUGIN": "svp"}
            try:
                proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
            except subprocess.TimeoutExpired as exc:
                raise OfficeError(f"LibreOffice timed out after {timeout:.0f} s converting {src.name}") from exc
            produced = list(Path(tmp_out).iterdir())  # a fresh folder: whatever is in it is the output
            if proc.returncode != 0 or not produced:
                raise OfficeError(
                    f"LibreOffice could not convert {src.name} to {fmt} (exit {proc.returncode}): "
                    f"{proc.stdout.strip()} {proc.stderr.strip()}"
                )
            target = out_dir / produced[0].name
            os.replace(produced[0], target) if _same_fs(produced[0], out_dir) else shutil.move(produced[0], target)
    return target


def _same_fs(a: Path, b: Path) -> bool:
    try:
        return os.stat(a).st_dev == os.stat(b).st_dev
    except OSError:
        return False


def recalculate(src: str | Path, dst: str | Path, *, timeout: float = 300) -> Path:
    """A copy of workbook ``src`` at ``dst`` whose formula values LibreOffice has recalculated."""
    src, dst = Path(src), Path(dst)
    with tempfile.TemporaryDirectory(prefix="cplkpi-recalc-") as tmp:
        staged = Path(tmp) / f"in{src.suffix}"
        shutil.copyfile(src, staged)
        out = convert(staged, src.suffix.lstrip(".") or "xlsx", Path(tmp) / "out", timeout=timeout)
        write_bytes_atomic(out.read_bytes(), dst)  # atomic, the user's umask, never over an input
    return dst


def to_pdf(src: str | Path, dst: str | Path, *, timeout: float = 300) -> Path:
    """Render workbook ``src`` to the PDF ``dst`` (all sheets, their print setup)."""
    src, dst = Path(src), Path(dst)
    with tempfile.TemporaryDirectory(prefix="cplkpi-pdf-") as tmp:
        out = convert(src, "pdf", tmp, timeout=timeout)
        write_bytes_atomic(out.read_bytes(), dst)  # atomic, the user's umask, never over an input
    return dst
