"""xlwings Lite (Pyodide) as far as it can be shown on Linux, and the xlwings floor version.

* **Pyodide conditions**: a subprocess with no time-zone database (no system zoneinfo, no
  ``tzdata``), ``python_calamine`` unimportable and threads and subprocesses refused imports
  ``cplkpi.udfs`` and the Lite ``main.py`` of ``templates/lite`` and calls every cell function with
  the values Lite sends (float serials, ``""`` for empty) and two task-pane scripts with
  ``sys.platform == "emscripten"``; the results are those of this process.
* **Installable**: the built wheel's requirements evaluated for ``sys_platform == "emscripten"``
  are each in the ``pyodide-lock.json`` of the Pyodide that xlwings Lite runs (0.27.5, vendored
  in tests/data/pyodide with where it came from) at a version the requirement accepts, or a
  pure-Python wheel, and so are their own requirements.
* **Floor**: ``import cplkpi.macros.buttons`` with the pure wheel of xlwings at the version
  pyproject requires works, and with the release before it fails (needs PyPI; skipped offline).

What these cannot show: the Lite add-in itself (Office.js registration of the functions and
scripts, micropip resolving the requirements in the browser); see docs/excel.md.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
LOCK = Path(__file__).parents[1] / "data" / "pyodide" / "pyodide-lock.json"
LITE = ROOT / "templates" / "lite"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
#: The xlwings release just before the floor: it has no xlwings.script.
BEFORE_FLOOR = "0.33.16"


def _emscripten() -> dict[str, str]:
    """Marker environment of Pyodide 0.27.5 (from the lock file's info)."""
    info = json.loads(LOCK.read_text("utf-8"))["info"]
    env = default_environment()
    env.update(sys_platform="emscripten", platform_system="Emscripten", os_name="posix",
               platform_machine="wasm32", python_full_version=info["python"],
               python_version=".".join(info["python"].split(".")[:2]), implementation_name="cpython",
               platform_python_implementation="CPython", platform_release="3.1.58")
    return env


def _xlwings_floor() -> Version:
    (req,) = [Requirement(r) for r in PYPROJECT["project"]["dependencies"] if Requirement(r).name == "xlwings"]
    (spec,) = req.specifier
    assert spec.operator == ">=", req
    return Version(spec.version)


# --- Pyodide conditions -----------------------------------------------------------------------------

_CHILD = r'''
import datetime as dt, json, os, runpy, subprocess, sys, threading

sys.modules["tzdata"] = None            # no time-zone package ...
sys.modules["python_calamine"] = None   # ... and no calamine (no Pyodide wheel before 0.29)
import zoneinfo
try:
    zoneinfo.ZoneInfo("Asia/Bangkok")
    raise SystemExit("the time-zone database is still reachable: the test proves nothing")
except zoneinfo.ZoneInfoNotFoundError:
    pass

def refused(*args, **kwargs):
    raise RuntimeError("Pyodide has no threads or subprocesses")

threading.Thread.start = refused
subprocess.Popen.__init__ = refused
os.fork = refused

main = runpy.run_path(sys.argv[1])       # templates/lite/main.py, as Lite runs it
import cplkpi.udfs
sys.path[:0] = [sys.argv[2], os.path.dirname(sys.argv[2])]  # tests/udfs: the calls; tests/: the fake book
from test_lite import CALLS, call_all, run_scripts

out = {"calls": call_all(main), "scripts": run_scripts(main, sys.argv[3]),
       "registered": sorted(n for n, f in main.items() if hasattr(f, "__cpl_args__"))}
print(json.dumps(out, ensure_ascii=False))
'''

#: Every cell function with values as xlwings Lite sends them: float serials, "" for an empty cell.
CALLS: dict[str, tuple] = {
    "CPL_WORKDAY": ([[43739.0], [""]], [[3.0]]),
    "CPL_NETWORKDAYS": ([[43739.0]], [[43753.0]]),
    "CPL_ACK_DUE": ([[43739.0], [242066.0], [""]],),  # 242066: 1/10/2562 typed into a date cell
    "CPL_PROGRESS_DUE": ([[43740.0]],),
    "CPL_NEXT_FOLLOWUP": ([[43739.0]],),
    "CPL_ON_TIME": ([[43740.0], [43741.0]], [[43740.0]]),
    "CPL_STATUS": ([[43739.0]], [[43740.0]], [[""]], [[""]], [[43760.0]]),
    "CPL_STEP_PCT": ([[914.0]], [[915.0]]),
    "CPL_STEP_SCORE": ([[90.0]], [[2.0]]),
    "CPL_LEVEL": ([[75.0]],),
    "CPL_LATE_REPORT_PENALTY": ([[43760.0], [""]], [["ก.ย. 2562"]], [[43770.0]]),
    "CPL_FISCAL_YEAR": ([[43739.0]],),
    "CPL_THAI_DATE": ([[43739.0]], "long"),
    "CPL_EXPLAIN": ([[43739.0]], [[43745.0]], [[""]], [[""]], [[""]], [[""]], [[43799.0]]),
}


def _plain(value):
    return value.isoformat() if isinstance(value, dt.date) else value


def call_all(namespace: dict) -> dict[str, list]:
    """Call every function of ``CALLS`` from ``namespace``; results JSON-ready (dates as ISO text)."""
    out = {}
    for name, args in CALLS.items():
        result = namespace[name](*args)
        assert all(type(v) in (str, int, float, bool, dt.date, type(None)) for r in result for v in r), result
        out[name] = [[_plain(v) for v in r] for r in result]
    return out


def run_scripts(namespace: dict, sample: str) -> dict[str, str]:
    """Two task-pane scripts on the sample workbook as Lite runs them (sys.platform == "emscripten")."""
    from fakebook import FakeBook, settings, status
    from openpyxl import load_workbook

    platform, sys.platform = sys.platform, "emscripten"
    try:
        book = FakeBook(load_workbook(sample), None, "sample_district_2563.xlsx")
        settings(book, as_of=dt.datetime(2020, 9, 30), fiscal_year=2563)
        namespace["cpl_monthly_reports"](book)
        reports = status(book)
        namespace["cpl_score"](book)
        return {"monthly_reports": reports, "score": status(book)}
    finally:
        sys.platform = platform


def test_pyodide_conditions_import_and_call_everything(tmp_path, sample_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "TZ"))}
    env["PYTHONTZPATH"] = str(tmp_path)  # an empty folder: no system time-zone database
    env["PYTHONPATH"] = str(ROOT)
    proc = subprocess.run([sys.executable, "-c", _CHILD, str(LITE / "main.py"), str(Path(__file__).parent),
                           str(sample_path)], capture_output=True, text=True, check=False, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    child = json.loads(proc.stdout.splitlines()[-1])
    assert child["registered"] == sorted(CALLS)
    assert child["calls"] == call_all(__import__("cplkpi.udfs", fromlist=["*"]).__dict__)
    calls = child["calls"]
    assert calls["CPL_WORKDAY"] == [["2019-10-04"], [None]]
    assert calls["CPL_ACK_DUE"] == [["2019-10-02"], ["2019-10-02"], [None]]
    assert calls["CPL_NETWORKDAYS"] == [[10]]  # 1-15 Oct 2019 less 4 weekend days and 14 Oct (King Bhumibol day)
    assert calls["CPL_STEP_PCT"] == [[99.89]] and calls["CPL_FISCAL_YEAR"] == [[2563]]
    assert calls["CPL_THAI_DATE"] == [["1 ตุลาคม 2562"]]
    assert calls["CPL_STATUS"] == [["เกินกำหนด"]]
    assert calls["CPL_EXPLAIN"] == [[("ขั้นตอนที่ 1: ตอบรับช้า 3 วันทำการ [ACK_LATE]; ขั้นตอนที่ 2.1: ยังไม่แล้วเสร็จ "
                                      "[NOT_RESOLVED]; ขั้นตอนที่ 2.2: ขาดรอบติดตาม 15/30 รอบแรก 15 ต.ค. 2562 "
                                      "[FOLLOWUP_MISSED]")]]
    assert child["scripts"]["monthly_reports"].startswith("xlwings Lite บันทึกไฟล์ลงเครื่องไม่ได้")
    assert child["scripts"]["score"].startswith("คะแนนปีงบประมาณ 2563: ")


# --- installable in Pyodide ---------------------------------------------------------------------------


def test_the_vendored_lock_file_is_pyodide_0_27_5():
    info = json.loads(LOCK.read_text("utf-8"))["info"]
    assert (info["version"], info["python"], info["abi_version"]) == ("0.27.5", "3.12.7", "2024_0")
    assert "0.27.5" in (LOCK.parent / "README.md").read_text("utf-8")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The cplkpi wheel, built from a copy of the project (setuptools writes build/ beside the sources)."""
    import shutil

    out = tmp_path_factory.mktemp("wheel")
    src = out / "src"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis", "tests"))
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(src)],
                          capture_output=True, text=True, check=False, timeout=600)
    if proc.returncode != 0:
        pytest.skip(f"cannot build the cplkpi wheel here (pip wheel needs setuptools): {proc.stderr[-300:]}")
    (built,) = out.glob("cplkpi-*.whl")
    return built


def _requires(wheel_path: Path) -> list[Requirement]:
    with zipfile.ZipFile(wheel_path) as zf:
        (meta,) = [n for n in zf.namelist() if n.endswith(".dist-info/METADATA")]
        text = zf.read(meta).decode("utf-8")
    return [Requirement(line.split(":", 1)[1].strip()) for line in text.splitlines()
            if line.startswith("Requires-Dist:")]


def _pure(name: str) -> bool:
    """Installed here from a pure-Python wheel (no compiled module, tag py3-none-any)."""
    from importlib import metadata

    dist = metadata.distribution(name)
    wheel = dist.read_text("WHEEL") or ""
    compiled = [f for f in dist.files or [] if str(f).endswith((".so", ".pyd", ".dylib"))]
    return "Root-Is-Purelib: true" in wheel and "none-any" in wheel and not compiled


def test_the_wheel_installs_in_pyodide(wheel):
    from importlib import metadata

    lock = {canonicalize_name(k): v["version"] for k, v in json.loads(LOCK.read_text("utf-8"))["packages"].items()}
    env = _emscripten()
    assert wheel.name == f"cplkpi-{PYPROJECT['project']['version']}-py3-none-any.whl"
    wanted = [r for r in _requires(wheel) if r.marker is None or r.marker.evaluate({**env, "extra": ""})]
    names = {canonicalize_name(r.name) for r in wanted}
    assert {"python-calamine", "typer", "rich"}.isdisjoint(names)  # not needed in Lite
    assert {"numpy", "pandas", "xlwings", "holidays", "openpyxl"} <= names
    seen: dict[str, str] = {}
    todo = list(wanted)
    while todo:
        req = todo.pop()
        name = canonicalize_name(req.name)
        if name in seen:
            continue
        if name in lock:
            assert req.specifier.contains(lock[name], prereleases=True), (req, lock[name])
            seen[name] = f"Pyodide {lock[name]}"
        elif name == "xlwings":  # a platform wheel here; the pure wheel is tested at the floor below
            seen[name] = "pure wheel on PyPI (test_buttons_import_at_the_xlwings_floor)"
        else:
            assert _pure(name), f"{req}: neither in Pyodide 0.27.5 nor a pure-Python wheel"
            seen[name] = "pure"
            todo += [Requirement(r) for r in metadata.requires(name) or []
                     if Requirement(r).marker is None or Requirement(r).marker.evaluate({**env, "extra": ""})]
    assert seen["numpy"].startswith("Pyodide 2.") and seen["pandas"] == "Pyodide 2.2.3"
    assert seen["openpyxl"] == seen["et-xmlfile"] == seen["holidays"] == "pure"
    assert seen["python-dateutil"].startswith("Pyodide")


def test_lite_requirements_match_the_project():
    lines = [x.strip() for x in (LITE / "requirements.txt").read_text("utf-8").splitlines()]
    reqs = [x for x in lines if x and not x.startswith("#")]
    assert reqs[0] == f"xlwings>={_xlwings_floor()}"
    url = reqs[1]
    assert re.fullmatch(r"https://\S+/cplkpi-" + re.escape(PYPROJECT["project"]["version"]) + r"-py3-none-any\.whl",
                        url), url
    main = (LITE / "main.py").read_text("utf-8")
    assert "from cplkpi.udfs import *" in main
    from cplkpi.macros import buttons

    scripts = {n for n in buttons.__all__ if n.startswith("cpl_")}
    assert scripts == set(re.findall(r"\b(cpl_\w+)", main))


# --- the xlwings floor ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def xlwings_wheels(tmp_path_factory) -> dict[str, Path]:
    """The pure (py3-none-any) xlwings wheels at the floor and just before it, unpacked."""
    out = tmp_path_factory.mktemp("xlwings")
    unpacked = {}
    for version in (str(_xlwings_floor()), BEFORE_FLOOR):
        proc = subprocess.run(
            [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:", "--platform", "any",
             "--implementation", "py", "--abi", "none", "--python-version", "3.12", "-d", str(out / version),
             f"xlwings=={version}"], capture_output=True, text=True, check=False, timeout=300)
        if proc.returncode != 0:
            pytest.skip(f"PyPI not reachable, cannot download xlwings {version}: {proc.stderr.strip()[-300:]}")
        (whl,) = (out / version).glob("xlwings-*-py3-none-any.whl")
        with zipfile.ZipFile(whl) as zf:
            zf.extractall(out / f"site-{version}")
        unpacked[version] = out / f"site-{version}"
    return unpacked


def _import_buttons(site: Path) -> subprocess.CompletedProcess:
    code = ("import xlwings, cplkpi.macros.buttons as b, cplkpi.udfs as u; "
            "print(xlwings.__version__, len(u.FUNCTIONS), b.cpl_score.__name__)")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120,
                          env={**os.environ, "PYTHONPATH": os.pathsep.join([str(site), str(ROOT)])})


@pytest.mark.network
def test_buttons_import_at_the_xlwings_floor(xlwings_wheels):
    floor = str(_xlwings_floor())
    assert floor == "0.33.17"  # the first release with xlwings.script
    ok = _import_buttons(xlwings_wheels[floor])
    assert ok.returncode == 0, ok.stderr[-2000:]
    assert ok.stdout.split() == [floor, "14", "cpl_score"]
    before = _import_buttons(xlwings_wheels[BEFORE_FLOOR])
    assert before.returncode != 0
    assert "AttributeError: module 'xlwings' has no attribute 'script'" in before.stderr


def test_workbook_files_are_read_without_calamine(monkeypatch, sample_path, sample_book, merged_sample):
    """Where python-calamine is not installed (Pyodide), openpyxl reads a workbook file, in this thread,
    to the same tables and problems."""
    from cplkpi import reader

    def no_threads(*args, **kwargs):
        raise RuntimeError("Pyodide has no threads")

    monkeypatch.setitem(sys.modules, "python_calamine", None)
    monkeypatch.setattr(reader, "ThreadPoolExecutor", no_threads)
    book = reader.read_workbook(sample_path)
    for part in ("complaints", "progress", "monthly_reports", "calendar_overrides"):
        import pandas as pd

        pd.testing.assert_frame_equal(getattr(book, part).table, getattr(sample_book, part).table,
                                      check_dtype=False)
    assert [p.message_th for p in book.problems] == [p.message_th for p in sample_book.problems]
    merged = reader.read_workbook(merged_sample)
    assert [p.code for p in merged.problems if p.code == "merged_cells"] == ["merged_cells"]


@pytest.fixture
def merged_sample(sample_path, tmp_path):
    """The sample with two merged cells in its complaint table."""
    from openpyxl import load_workbook

    wb = load_workbook(sample_path)
    wb["เรื่องร้องเรียน"].merge_cells("C3:C4")
    path = tmp_path / "merged.xlsx"
    wb.save(path)
    return path
