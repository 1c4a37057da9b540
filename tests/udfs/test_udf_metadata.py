"""What Excel shows about the cell functions: names, Thai descriptions, argument help, registration.

Classic xlwings registers functions on Windows only (Import Functions, through
COM). Its registration code (``xlwings.udfs``: the ``__xlfunc__`` metadata and
the generated VBA wrappers) is plain Python that only needs pywin32 to import,
so it runs here with pywin32 stubbed out: the metadata and the VBA are what
Excel would get. xlwings Lite/Server registration (``xlwings.pro``) needs an
xlwings licence key to import and is skipped without one.
"""

from __future__ import annotations

import importlib
import io
import keyword
import os
import re
import sys
import types

import pytest

import cplkpi.udfs
from cplkpi.udfs import functions

THAI = re.compile(r"[\u0E00-\u0E7F]")
ENGLISH_IN_PARENS = re.compile(r"\([^()]*[A-Za-z]{3,}[^()]*\)")
EXPECTED = {
    "CPL_WORKDAY", "CPL_NETWORKDAYS", "CPL_ACK_DUE", "CPL_PROGRESS_DUE", "CPL_NEXT_FOLLOWUP", "CPL_ON_TIME",
    "CPL_STATUS", "CPL_STEP_PCT", "CPL_STEP_SCORE", "CPL_LEVEL", "CPL_LATE_REPORT_PENALTY", "CPL_FISCAL_YEAR",
    "CPL_THAI_DATE", "CPL_EXPLAIN",
}
# VBA keywords and built-ins that cannot (or should not) name a parameter of the generated wrapper
VBA_RESERVED = {w.lower() for w in ["AddressOf", "And", "Any", "As", "Attribute", "Base", "Binary", "Boolean", "ByRef", "Byte", "ByVal", "Call", "Case", "CBool", "CByte", "CCur", "CDate", "CDbl", "CDec", "CInt", "CLng", "CLngLng", "CLngPtr", "Close", "Compare", "Const", "CSng", "CStr", "Currency", "CVar", "CVErr", "Date", "Day", "Debug", "Decimal", "Declare", "DefBool", "Dim", "Do", "DoEvents", "Double", "Each", "Else", "ElseIf", "Empty", "End", "EndIf", "Enum", "Eqv", "Erase", "Error", "Event", "Exit", "Explicit", "False", "Fix", "For", "Format", "Friend", "Function", "Get", "Global", "GoSub", "GoTo", "Hour", "If", "Imp", "Implements", "In", "Input", "Int", "Integer", "Is", "LBound", "Left", "Len", "Let", "Like", "Line", "Lock", "Long", "LongLong", "LongPtr", "Loop", "LSet", "Me", "Mid", "Minute", "Mod", "Month", "Name", "New", "Next", "Not", "Nothing", "Now", "Null", "Object", "On", "Open", "Option", "Optional", "Or", "Output", "ParamArray", "Preserve", "Print", "Private", "Property", "PSet", "Public", "Put", "RaiseEvent", "Random", "Read", "ReDim", "Rem", "Resume", "Return", "Right", "RSet", "Scale", "Second", "Seek", "Select", "Set", "Sgn", "Shared", "Single", "Spc", "Static", "Step", "Stop", "Str", "String", "Sub", "Tab", "Text", "Then", "Time", "To", "True", "Type", "TypeOf", "UBound", "Unlock", "Until", "Val", "Variant", "Weekday", "Wend", "While", "Width", "With", "WithEvents", "Write", "Xor", "Year"]}


def test_every_function_is_registered_and_exported():
    assert set(functions.FUNCTIONS) == EXPECTED
    assert set(cplkpi.udfs.__all__) >= EXPECTED
    for name in EXPECTED:
        assert re.fullmatch(r"CPL_[A-Z_]+", name)
        assert getattr(cplkpi.udfs, name).__name__ == name and name in cplkpi.udfs.FUNCTIONS


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_description_is_thai_with_english_and_fits_excel(name):
    fn = functions.FUNCTIONS[name]
    doc = fn.__doc__
    assert doc and len(doc) <= 255, f"{name}: Excel's MacroOptions cuts descriptions at 255 characters"
    assert THAI.search(doc) and ENGLISH_IN_PARENS.search(doc), doc


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_argument_has_help(name):
    fn = functions.FUNCTIONS[name]
    args = fn.__cpl_args__
    params = list(__import__("inspect").signature(fn).parameters)
    assert list(args) == params
    for arg, doc in args.items():
        assert 0 < len(doc) <= 255 and THAI.search(doc), (name, arg)
        assert re.search(r"[A-Za-z]{2,}", doc), (name, arg)  # English too
        assert arg.isidentifier() and arg == arg.lower() and not keyword.iskeyword(arg)
        assert arg not in VBA_RESERVED, f"{name}({arg}): not a valid parameter name in the generated VBA"


@pytest.fixture
def classic(monkeypatch):
    """The functions module as classic xlwings on Windows sees it (pywin32 stubbed out)."""
    pythoncom = types.ModuleType("pythoncom")
    pythoncom.CoInitialize = lambda: None
    pywintypes = types.ModuleType("pywintypes")
    pywintypes.com_error = type("com_error", (Exception,), {})
    win32com = types.ModuleType("win32com")
    client = types.ModuleType("win32com.client")
    client.Dispatch = lambda *a, **k: None
    win32com.client = client
    for name, mod in (("pythoncom", pythoncom), ("pywintypes", pywintypes), ("win32com", win32com),
                      ("win32com.client", client)):
        monkeypatch.setitem(sys.modules, name, mod)
    monkeypatch.delitem(sys.modules, "xlwings.udfs", raising=False)
    udfs = importlib.import_module("xlwings.udfs")
    import xlwings

    classic = (("func", udfs.xlfunc), ("arg", udfs.xlarg), ("ret", udfs.xlret), ("script", udfs.xlsub))
    for attr, impl in classic:
        monkeypatch.setattr(xlwings, attr, impl)
    module = importlib.reload(functions)
    yield module, udfs
    monkeypatch.undo()
    sys.modules.pop("xlwings.udfs", None)  # imported over the stubs: not for anybody else
    if hasattr(xlwings, "udfs"):
        delattr(xlwings, "udfs")
    importlib.reload(functions)  # back to the decorators of this platform
    importlib.reload(cplkpi.udfs)


def test_classic_registration_metadata(classic):
    module, _ = classic
    info = module.CPL_WORKDAY.__xlfunc__
    assert info["name"] == "CPL_WORKDAY" and info["category"] == "cplkpi" and not info["sub"]
    assert info["ret"]["doc"] == module.CPL_WORKDAY.__doc__
    args = {a["name"]: a for a in info["args"]}
    # the reserved `caller` last: classic xlwings fills it with the calling range (1904 date system)
    assert list(args) == ["start_date", "days", "holidays", "workdays", "caller"]
    assert args["start_date"]["doc"] == "วันเริ่มต้น (start date)"
    assert "optional" not in args["days"] and args["holidays"]["optional"] is None
    assert args["caller"]["options"] == {} and args["caller"]["pos"] == 4  # no converter: the Range itself
    for a in info["args"][:-1]:
        assert a["options"] == {"ndim": 2, "err_to_str": True}, a
    for name in EXPECTED:
        info = getattr(module, name).__xlfunc__
        assert info["args"][-1]["name"] == "caller" and "caller" not in getattr(module, name).__cpl_args__
    # call_udf hands every argument positionally, the calling Range last: a range of a 1904 book
    book = types.SimpleNamespace(api=types.SimpleNamespace(Date1904=True))
    caller = types.SimpleNamespace(sheet=types.SimpleNamespace(book=book))
    assert module.CPL_THAI_DATE([[42277.0]], None, caller) == [["1 ต.ค. 2562"]]
    assert module.CPL_THAI_DATE([[42277.0]], None, None) == [["30 ก.ย. 2558"]]
    for name in EXPECTED:
        assert getattr(module, name).__xlfunc__["category"] == "cplkpi"


def test_classic_import_functions_generates_valid_wrappers(classic):
    module, udfs = classic

    class Workbook:  # what Import Functions hands to the generator
        Name = "cplkpi_excel.xlsm"

    out = io.StringIO()
    udfs.generate_vba_wrapper("cplkpi.udfs", module, out, Workbook())
    vba = out.getvalue()
    signatures = dict(re.findall(r"^Function (CPL_\w+)\((.*)\)$", vba, flags=re.M))
    assert set(signatures) == EXPECTED
    assert signatures["CPL_WORKDAY"] == "start_date, days, Optional holidays, Optional workdays"
    assert signatures["CPL_STATUS"] == (
        "forwarded, acknowledged, progress, resolved, as_of, Optional holidays, Optional workdays")
    # `caller` is not an Excel argument: VBA passes Nothing in its place and xlwings puts the calling Range there
    assert 'XLPy.CallUDF("cplkpi.udfs", "CPL_ACK_DUE", Array(forwarded, holidays, workdays, Nothing), ' \
           'ThisWorkbook, Application.Caller)' in vba
    assert not any("caller" in sig.lower() for sig in signatures.values()), signatures
    assert vba.isascii()  # the VBA module is ASCII: Thai help goes through MacroOptions, not the source
    assert len(re.findall(r"^\s*Application\.Volatile", vba, flags=re.MULTILINE)) == 0
    wizard = 'If (Not Application.CommandBars("Standard").Controls(1).Enabled) Then Exit Function'
    bodies = dict(re.findall(r"^Function (CPL_\w+)\(.*?\)$(.*?)^End Function", vba, flags=re.MULTILINE | re.DOTALL))
    heavy = {name for name, body in bodies.items() if wizard in body}
    assert heavy == {"CPL_EXPLAIN", "CPL_STATUS"}  # not run while the function wizard is open on them
    for name in EXPECTED:
        info = getattr(module, name).__xlfunc__
        assert 0 < len(info["ret"]["doc"]) <= 255 and all(0 < len(a["doc"]) <= 255 for a in info["args"])
        excel_args = [a for a in info["args"] if a["name"] != "caller"]
        assert len(re.findall(r"\bOptional\b", signatures[name])) == sum("optional" in a for a in excel_args)
        assert signatures[name].replace("Optional ", "").split(", ") == list(getattr(module, name).__cpl_args__)


@pytest.mark.skipif(not os.environ.get("XLWINGS_LICENSE_KEY"),
                    reason="needs an xlwings licence key (XLWINGS_LICENSE_KEY): xlwings Lite/Server "
                           "registration (xlwings.pro) cannot be imported without one")
def test_lite_server_registration_with_a_key(monkeypatch):
    import xlwings
    from xlwings.pro import udfs_officejs as officejs

    for attr, impl in (("func", officejs.xlfunc), ("arg", officejs.xlarg), ("ret", officejs.xlret)):
        monkeypatch.setattr(xlwings, attr, impl)
    module = importlib.reload(functions)
    try:
        meta = {f["name"]: f for f in officejs.custom_functions_meta(module)["functions"]}
        assert set(meta) >= EXPECTED
        assert meta["CPL_WORKDAY"]["description"] == module.CPL_WORKDAY.__doc__
        params = {p["name"]: p for p in meta["CPL_WORKDAY"]["parameters"]}
        assert params["holidays"]["optional"] is True and params["start_date"]["description"]
    finally:
        monkeypatch.undo()
        importlib.reload(functions)
        importlib.reload(cplkpi.udfs)
