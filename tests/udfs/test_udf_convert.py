"""The conversion layer of the cell functions: Excel values in, arrays out, Excel values back.

Inputs are built the way xlwings hands them over with ``ndim=2``: lists of rows
with ``datetime`` (classic xlwings, date cells), float serials (formula dates;
every date in xlwings Lite/Server), ints, Thai text, None (classic empty), ""
and 0 (Lite/Server empty), Excel error text.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cplkpi.scoring.errors import CalendarRangeError
from cplkpi.scoring.thaidate import date_system_1904, excel_serial, parse_dates
from cplkpi.udfs import convert

D = dt.datetime


def test_matrix_shapes():
    assert convert.matrix(5).shape == (1, 1)
    assert convert.matrix(None).tolist() == [[None]]
    assert convert.matrix([]).tolist() == [[None]]
    assert convert.matrix([[1], [2], [3]]).shape == (3, 1)
    assert convert.matrix([1, 2, 3]).shape == (3, 1)  # a flat list is a column
    assert convert.matrix([[1, 2], [3]]).tolist() == [[1, 2], [3, None]]  # ragged rows padded
    assert convert.matrix(((1, 2), (3, 4))).shape == (2, 2)
    assert convert.matrix(np.arange(4.0).reshape(2, 2)).tolist() == [[0.0, 1.0], [2.0, 3.0]]


def test_dates_as_classic_xlwings_sends_them():
    cells = convert.dates([[D(2019, 10, 1)], [43739.0], [43739.75], [None], ["1 ต.ค. 2562"], ["30/10/2562"],
                           ["๑/๑๐/๒๕๖๒"], ["2019-10-01"], [dt.date(2019, 10, 1)], [D(2562, 10, 1)]])
    days = cells.values.ravel()
    assert list(days[[0, 1, 2, 4, 6, 7, 8, 9]]) == [np.datetime64("2019-10-01")] * 8
    assert days[5] == np.datetime64("2019-10-30")
    assert cells.empty.ravel().tolist() == [False, False, False, True] + [False] * 6
    assert not cells.bad.any()


def test_timezone_aware_timestamps_are_taken_in_bangkok():
    from zoneinfo import ZoneInfo

    utc = D(2023, 5, 11, 20, 0, tzinfo=ZoneInfo("UTC"))  # Traffy timestamps are UTC
    cells = convert.dates([[utc], [D(2023, 5, 11, 20, 0)]])
    assert cells.values.ravel().tolist() == [dt.date(2023, 5, 12), dt.date(2023, 5, 11)]


def test_dates_as_lite_sends_them():
    cells = convert.dates([[43739.0], [""], [0], [0.0], ["  "], [43770]])
    assert cells.empty.ravel().tolist() == [False, True, True, True, True, False]
    assert cells.values[5, 0] == np.datetime64("2019-11-01")


def test_bad_dates_get_their_own_text():
    cells = convert.dates([["31/02/2562"], ["#N/A"], ["ไม่ทราบ"], [True], [-5.0], [D(2019, 10, 1)]])
    texts = cells.errors.ravel()
    assert texts[0] == '#CPL! ไม่มีวันที่นี้ในปฏิทิน (no such calendar date): "31/02/2562"'
    assert texts[1].startswith("#CPL! เซลล์มีค่าผิดพลาดของ Excel (the cell holds an Excel error value)")
    assert texts[2].startswith("#CPL! อ่านวันที่ไม่ได้") and '"ไม่ทราบ"' in texts[2]
    assert texts[3].startswith("#CPL! อ่านวันที่ไม่ได้") and texts[4].startswith("#CPL!")
    assert texts[5] is None and cells.values[5, 0] == np.datetime64("2019-10-01")
    assert all(t.count("(") >= 1 for t in texts[:5])  # Thai with English in parentheses


_excel_values = st.one_of(
    st.none(),
    st.just(""),
    st.floats(min_value=-10, max_value=3_000_000),
    st.just(float("nan")),
    st.integers(min_value=-10, max_value=150_000),
    st.datetimes(min_value=D(1800, 1, 1), max_value=D(3000, 12, 31)),
    st.dates(min_value=dt.date(1850, 1, 1), max_value=dt.date(2700, 1, 1)),
    st.sampled_from(["1 ต.ค. 2562", "31/02/2562", "6 ธ.ค. 67", "2019-10-01", "x", "#N/A", " ", "-"]),
)


@pytest.mark.parametrize("system_1904", [False, True], ids=["1900", "1904"])
@settings(max_examples=300, deadline=None)
@given(st.lists(_excel_values, min_size=1, max_size=30))
def test_the_fast_path_reads_exactly_like_parse_dates(system_1904, values):
    """The vectorised path must never change a result: compare with the engine's own reader, in both
    date systems (a cell function called from a 1904 workbook reads serials as 1904 ones)."""
    with date_system_1904(system_1904):
        cells = convert.dates([[v] for v in values])
        expected = parse_dates(values)
    zero = {i for i, v in enumerate(values)
            if isinstance(v, int | float) and not isinstance(v, bool) and v == 0}
    got = cells.values.ravel()
    for i in range(len(values)):
        if i in zero:  # 0 is an empty cell to a cell function (Lite), an invalid serial to parse_dates
            assert np.isnat(got[i]) and cells.empty.ravel()[i]
        else:
            assert (np.isnat(got[i]) and np.isnat(expected.days[i])) or got[i] == expected.days[i]
    bad_got = {i for i, t in enumerate(cells.errors.ravel()) if t is not None}
    assert bad_got == {i.position for i in expected.errors} - zero


def test_numbers_and_counts():
    cells = convert.numbers([[1.0], [0], ["๓"], ["1,234"], [""], [None], ["x"], [True], ["#DIV/0!"]])
    v = cells.values.ravel()
    assert v[:4].tolist() == [1.0, 0.0, 3.0, 1234.0]
    assert cells.empty.ravel().tolist() == [False] * 4 + [True, True] + [False] * 3
    assert [t is not None for t in cells.errors.ravel()] == [False] * 6 + [True] * 3
    counts = convert.counts([[3.0], [2.5], [-1]])
    assert counts.errors[0, 0] is None and "2.5" in counts.errors[1, 0] and "-1" in counts.errors[2, 0]


def test_months():
    cells = convert.months([["ต.ค. 2562"], ["10/2562"], [D(2019, 10, 17)], [43770.0], ["เดือนไหน"]])
    assert cells.values.ravel()[:4].tolist() == [dt.date(2019, 10, 1)] * 3 + [dt.date(2019, 11, 1)]
    assert cells.errors[4, 0].startswith("#CPL! อ่านเดือนไม่ได้")


def test_calendar_overrides():
    cal = convert.calendar([[D(2019, 11, 6)], [None], [""]], None)
    assert cal.is_workday(dt.date(2019, 11, 6)) is False
    with pytest.raises(convert.CellValueError, match="วันหยุดเพิ่มเติมไม่ถูกต้อง"):
        convert.calendar([["31/02/2562"]], None)
    with pytest.raises(convert.CellValueError, match="both an extra holiday and an extra working day"):
        convert.calendar([[D(2019, 11, 6)]], [[D(2019, 11, 6)]])


def test_apply_broadcasts_and_keeps_bad_cells_local():
    start = convert.dates([[D(2019, 10, 11)], ["bad"], [None], [D(2027, 12, 31)]])
    days = convert.numbers([[1]])

    def workday(s, n):
        from cplkpi.scoring import workday as wd

        return wd(s, n)

    out = convert.apply(workday, [start, days], "date")
    assert out[0] == [dt.date(2019, 10, 15)]
    assert out[1][0].startswith("#CPL! อ่านวันที่ไม่ได้")
    assert out[2] == [None]
    assert out[3][0].startswith("#CPL! วันที่") and "outside the covered calendar" in out[3][0]


def test_apply_isolates_an_engine_error_to_its_rows():
    calls = []

    def fn(x):
        calls.append(len(x))
        if (x > 5).any():
            raise CalendarRangeError("เกิน (too big)")
        return x * 2

    out = convert.apply(fn, [convert.numbers([[float(i)] for i in range(8)])], "float")
    assert [r[0] for r in out[:6]] == [0.0, 2.0, 4.0, 6.0, 8.0, 10.0]
    assert out[6] == out[7] == ["#CPL! เกิน (too big)"]
    assert calls[0] == 8 and len(calls) < 16  # halving, not one call per row


def test_an_error_of_every_row_is_not_pinned_row_by_row():
    calls = []

    def always(x):
        calls.append(len(x))
        raise ValueError("ใช้ไม่ได้ (unusable)")

    out = convert.apply(always, [convert.numbers([[float(i)] for i in range(100_000)])], "float")
    assert len(out) == 100_000 and all(r == ["#CPL! ใช้ไม่ได้ (unusable)"] for r in out)
    assert len(calls) <= convert.MAX_ISOLATION_CALLS + 2 * 17  # the budget, plus the halves under way


def test_apply_rejects_mismatched_ranges():
    with pytest.raises(convert.CellValueError, match="2×1, 3×1"):
        convert.apply(lambda a, b: a, [convert.numbers([[1], [2]]), convert.numbers([[1], [2], [3]])],
                      "float")


def test_results_are_plain_python_values():
    out = convert.apply(lambda x: x > 1, [convert.numbers([[1.0], [2.0]])], "bool")
    assert out == [[False], [True]] and type(out[0][0]) is bool
    out = convert.apply(lambda x: np.array([2563, np.nan]), [convert.numbers([[1.0], [2.0]])], "int")
    assert out == [[2563], [None]] and type(out[0][0]) is int
    assert convert.rows(np.array([[1, 2]], dtype=object)) == [[1, 2]]


def test_gc_paused_restores_the_collector():
    import gc

    assert gc.isenabled()
    with convert.gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_be_dates_as_lite_sends_them_are_corrected_like_classic():
    """A cell typed 1/10/2562 that Excel took for a date in the year 2562: classic xlwings sends the
    datetime, Lite its serial 242066; both are 1 Oct 2019, with the same warning in tables."""
    from cplkpi.udfs import CPL_ACK_DUE, CPL_FISCAL_YEAR

    lite, classic = 242066.0, D(2562, 10, 1)
    assert convert.dates([[lite], [242066], [classic]]).values.ravel().tolist() == [dt.date(2019, 10, 1)] * 3
    assert CPL_ACK_DUE([[lite], [classic]]) == [[dt.date(2019, 10, 2)], [dt.date(2019, 10, 2)]]
    assert CPL_FISCAL_YEAR([[lite]]) == [[2563]]
    issues = parse_dates([lite, classic]).issues
    assert [(i.code, i.severity, i.message_th) for i in issues] == [
        ("year_be_as_ce", "warning", "ปี พ.ศ. ถูกบันทึกเป็น ค.ศ. จึงลบ 543 ปี: 242066.0"),
        ("year_be_as_ce", "warning", "ปี พ.ศ. ถูกบันทึกเป็น ค.ศ. จึงลบ 543 ปี: 2562-10-01")]
    # 2564 is leap in C.E. terms, but 2564 B.E. (2021) has no 29 February
    bad = convert.dates([[float(excel_serial(dt.date(2564, 2, 29)))]])
    assert bad.errors[0, 0].startswith("#CPL! ไม่มีวันที่นี้ในปฏิทิน (no such calendar date)")


def test_fit_text_counts_utf16_units_and_keeps_thai_marks_with_their_letter():
    assert convert.fit_text("ก" * 255) == "ก" * 255
    cut = convert.fit_text("ก" * 300)
    assert cut == "ก" * 254 + "…" and len(cut) == 255
    # ที่ is three code points (ท + ี + ่): a cut never leaves the marks without their consonant
    for pad in range(4):
        text = convert.fit_text("x" * (250 + pad) + "ที่" * 10)
        assert len(text) <= 255 and text.endswith("…")
        assert text[:-1].endswith(("x", "ที่")), text[-6:]
    emoji = convert.fit_text("😀" * 200)  # two UTF-16 units each, as Excel counts them
    assert emoji == "😀" * 127 + "…" and len(emoji.encode("utf-16-le")) // 2 == 255
    rows = [[1.0], ["a" * 300], [None], [dt.date(2019, 10, 1)]]
    assert convert.fit_rows(rows) == [[1.0], ["a" * 254 + "…"], [None], [dt.date(2019, 10, 1)]]
    short = [[1.0], ["ok"]]
    assert convert.fit_rows(short) is short


def test_a_long_bad_cell_is_quoted_short():
    from cplkpi.udfs import CPL_STEP_PCT

    (text,), = CPL_STEP_PCT([["ห้าสิบ" * 100]], [[10]])
    assert text == '#CPL! ต้องเป็นตัวเลข (must be a number): "' + ("ห้าสิบ" * 10)[:59] + '…"'


@settings(max_examples=300, deadline=None)
@given(st.datetimes(min_value=D(1920, 4, 1), max_value=D(2200, 12, 31)))
def test_fixed_bangkok_offset_is_the_time_zone_database(moment):
    """Bangkok as fixed UTC+7 (no database needed, for Pyodide) gives the IANA zone's local time on every
    instant since 1 April 1920, when Thailand moved to UTC+7."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from cplkpi.scoring.days import BANGKOK

    try:
        zone = ZoneInfo("Asia/Bangkok")
    except ZoneInfoNotFoundError:
        pytest.skip("no time-zone database here (install tzdata) to compare with")
    utc = moment.replace(tzinfo=dt.UTC)
    assert utc.astimezone(BANGKOK).replace(tzinfo=None) == utc.astimezone(zone).replace(tzinfo=None)


def test_counts_too_large_to_count_are_refused():
    from cplkpi.udfs import CPL_STEP_PCT

    assert CPL_STEP_PCT([[float("inf")], [1e30], [914.0]], [[915.0]]) == [
        ['#CPL! ต้องเป็นตัวเลข (must be a number): inf'],
        ['#CPL! ต้องเป็นจำนวนเต็มไม่ติดลบ (must be a whole number >= 0): 1e+30'],
        [99.89]]


def test_numbers_out_of_their_range_get_their_own_text():
    from cplkpi.udfs import CPL_STEP_SCORE, CPL_WORKDAY

    assert CPL_STEP_SCORE([[90.0], [120.0], [float("inf")]], [[2.0]]) == [
        [1.8947], ["#CPL! ร้อยละต้องอยู่ระหว่าง 0 ถึง 100 (the percentage must be 0 to 100): 120"],
        ["#CPL! ต้องเป็นตัวเลข (must be a number): inf"]]
    assert CPL_STEP_SCORE([[90.0]], [[2.0]], [[0.0]]) == [
        ["#CPL! เกณฑ์ร้อยละต้องมากกว่า 0 และไม่เกิน 100 (the threshold must be over 0 and at most 100): 0"]]
    assert CPL_WORKDAY([[43739.0]], [[3.0], [1e300]]) == [
        [dt.date(2019, 10, 4)],
        ["#CPL! จำนวนวันทำการต้องอยู่ระหว่าง -36500 ถึง 36500 (the business days must be -36500 to 36500): 1e+300"]]
