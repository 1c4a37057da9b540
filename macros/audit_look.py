"""What the printout shows: the sheets, their order and visibility, formats, merges, print areas, sizes
and drawings of the submitted reports against the template's.

A value can be hidden without changing it: a number format, a white font, a narrow column, a hidden
row, a shape or chart drawn over it, a sheet beyond the template's set. Each of these is a finding
(``hidden_value``, ``hidden_rows``, ``hidden_sheet``, ``extra_sheet``, ``duplicate_report``).
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable
from functools import lru_cache

from openpyxl.utils.cell import column_index_from_string, range_boundaries
from openpyxl.worksheet.worksheet import Worksheet

from cplkpi.ooxml.drawings import Drawn, sheet_drawings
from cplkpi.ooxml.parts import sheet_parts
from cplkpi.scoring.errors import column_letter
from cplkpi.templates import layout

from .audit_compare import Comparer, region_cells, shown_en, shown_th
from .audit_reading import READ_SHEETS, expected_sheets, is_empty, split_ref, value_at
from .audit_source import MIN_CONTRAST, MIN_FONT_SIZE, Look, SheetInfo, cell_look, theme_colours
from .audit_submission import REPORT_SHEETS
from .findings import drawing_label

__all__ = [
    "format_key",
]


#: Excel's last row and column: a print area of whole rows or columns reaches them
MAX_ROW, MAX_COLUMN = 1_048_576, 16_384

def format_key(fmt: str | None) -> str:
    """A number format as it shows, for comparing: LibreOffice writes ``d mmm`` as ``d\\ mmm`` and
    ``General`` in any case; escapes and quotes of literal text do not change what shows."""
    return re.sub(r'[\\"]', "", fmt or "General").strip().casefold()


def check_formats(cmp: Comparer, sheet: str, ws: Worksheet | None) -> None:
    """Every cell with a value must show as the template's cell does: the same number format (a
    format that shows 5 for 4.95, 0 for 32 or a date as a serial number is another number), text as
    readable (contrast of ink on paper, font size; theme and indexed colours resolved, pattern fills
    blended) as the template's. A sheet without template (``ws`` None: the progress form) is only held
    to readable text on its own."""
    theme = theme_colours(ws.parent) if ws is not None else theme_colours(None)
    plain = Look("000000", "FFFFFF", 11.0)  # a cell the template does not have: black on the white page
    for ref, look in sorted(cmp.reports.looks.get(sheet, {}).items(), key=lambda x: split_ref(x[0])):
        row, col = split_ref(ref)
        tc = ws._cells.get((row, col)) if ws is not None else None
        want = cell_look(tc, theme) if tc is not None else plain
        shown = value_at(cmp.reports, sheet, ref).value
        if look.contrast < min(MIN_CONTRAST, want.contrast):
            cmp.add("hidden_value", sheet, ref, shown, None,
                    f"ตัวอักษรในเซลล์ {ref} (สี #{look.ink} บนพื้น #{look.paper}) แทบมองไม่เห็น ค่า {shown_th(shown)} "
                    f"จะมองไม่เห็นในเอกสารที่พิมพ์ (ความต่างของสี {look.contrast:.2f}:1 แม่แบบ {want.contrast:.2f}:1)",
                    f"the text of {ref} (#{look.ink} on #{look.paper}) can hardly be seen: its value "
                    f"{shown_en(shown)} does not show (contrast {look.contrast:.2f}:1, template {want.contrast:.2f}:1)")
        if look.size < min(MIN_FONT_SIZE, want.size) or look.size < want.size / 2:
            cmp.add("hidden_value", sheet, ref, shown, None,
                    f"ตัวอักษรในเซลล์ {ref} ขนาด {look.size:g} พอยต์ (แม่แบบ {want.size:g}) เล็กจนอ่านไม่ได้ "
                    f"ค่า {shown_th(shown)} จะมองไม่เห็นในเอกสารที่พิมพ์",
                    f"the text of {ref} is {look.size:g} pt (template {want.size:g} pt): its value "
                    f"{shown_en(shown)} cannot be read")
    for ref, fmt in sorted(cmp.reports.formats.get(sheet, {}).items() if ws is not None else (),
                           key=lambda x: split_ref(x[0])):
        row, col = split_ref(ref)
        tc = ws._cells.get((row, col)) if ws is not None else None
        want_fmt = tc.number_format if tc is not None else "General"
        if format_key(fmt) == format_key(want_fmt):
            continue
        shown = value_at(cmp.reports, sheet, ref).value
        cmp.add("hidden_value", sheet, ref, shown, None,
                f"รูปแบบตัวเลขของเซลล์ {ref} ({fmt}) ไม่ใช่ของแม่แบบ ({want_fmt}) ค่า {shown_th(shown)} "
                "อาจไม่แสดงหรือแสดงเป็นค่าอื่นในเอกสารที่พิมพ์",
                f"the number format of {ref} ({fmt}) is not the template's ({want_fmt}): its value "
                f"{shown_en(shown)} may not show or show as another one")


def _check_merges(cmp: Comparer, s: SheetInfo, ws: Worksheet) -> None:
    """Merged ranges the template does not have that cover a value (only the first cell of a merge shows)."""
    have = {str(r).upper() for r in ws.merged_cells.ranges}
    cells = cmp.reports.cells.get(s.name, {})
    for rng in sorted(s.merged - have):
        try:
            refs = list(region_cells(rng))
        except (ValueError, TypeError):
            continue
        for ref in refs[1:]:
            if ref in cells and not is_empty(cells[ref].value):
                cmp.add("hidden_value", s.name, ref, cells[ref].value, None,
                        f"เซลล์ {ref} ถูกรวมเซลล์ ({rng}) ทับ ค่า {shown_th(cells[ref].value)} จะไม่แสดงในเอกสารที่พิมพ์",
                        f"{ref} lies under the merged range {rng}: its value {shown_en(cells[ref].value)} is not shown")


def _check_print_area(cmp: Comparer, s: SheetInfo, ws: Worksheet) -> None:
    """The submitted print area must cover the template's: rows or columns left out do not print."""
    def boxes(text: str) -> list[tuple[int, int, int, int]]:
        """The ranges of a print area; whole columns (``A:P``) or rows (``1:40``) open to the sheet's edge."""
        out = []
        for part in text.replace("$", "").split(","):
            try:
                c1, r1, c2, r2 = range_boundaries(part.split("!")[-1].strip())
            except (ValueError, TypeError):
                continue
            out.append((c1 or 1, r1 or 1, c2 or MAX_COLUMN, r2 or MAX_ROW))
        return out

    have = boxes(s.print_area or "")
    for c1, r1, c2, r2 in boxes(ws.print_area):
        corners = ((c1, r1), (c2, r2), (c1, r2), (c2, r1))
        if not all(any(a <= c <= b and t <= r <= u for a, t, b, u in have) for c, r in corners):
            cmp.add("hidden_rows", s.name, None, s.print_area, ws.print_area.replace("$", "").split("!")[-1],
                    f"ช่วงพิมพ์ของรายงาน {s.name} ({s.print_area}) ไม่ครอบคลุมรายงานทั้งหมด บางส่วนจะไม่ปรากฏในเอกสารที่พิมพ์",
                    f"the print area of report {s.name} ({s.print_area}) leaves part of the report out of the printout")
            return


#: a row lower than this (points) or a column narrower than this (characters) cannot be read, nor one
#: less than half the template's
MIN_ROW_HEIGHT, MIN_COL_WIDTH = 6.0, 2.0


def _template_sizes(ws: Worksheet) -> tuple[Callable[[int], float], Callable[[int], float]]:
    """The height of a template row and the width of a template column (openpyxl sheet ``ws``)."""
    fmt = ws.sheet_format
    default_height = float(fmt.defaultRowHeight or 15)
    default_width = float(fmt.defaultColWidth or (fmt.baseColWidth or 8) + 0.43)
    widths: dict[int, float] = {}
    for dim in ws.column_dimensions.values():
        if dim.customWidth and dim.width and dim.min and dim.max:
            widths.update(dict.fromkeys(range(dim.min, dim.max + 1), float(dim.width)))

    def height(r: int) -> float:
        dim = ws.row_dimensions.get(r)
        return float(dim.height) if dim is not None and dim.height else default_height

    return height, lambda c: widths.get(c, default_width)


def _small(size: float, template: float, minimum: float) -> bool:
    return size < min(minimum, template) or size < template / 2


def _check_sizes(cmp: Comparer, s: SheetInfo, ws: Worksheet, hidden_rows: set[int], hidden_cols: set[int]) -> None:
    """Rows and columns holding a value that are too small to read (:data:`MIN_ROW_HEIGHT`,
    :data:`MIN_COL_WIDTH`, half the template's), the sheet's default height and width included."""
    if s.sizes is None:
        return
    height, width = _template_sizes(ws)
    refs = [split_ref(r) for r, c in cmp.reports.cells.get(s.name, {}).items() if not is_empty(c.value)]
    rows = {r: (s.sizes.height(r), height(r)) for r in {r for r, _ in refs} - hidden_rows
            if _small(s.sizes.height(r), height(r), MIN_ROW_HEIGHT)}
    cols = {c: (s.sizes.width(c), width(c)) for c in {c for _, c in refs} - hidden_cols
            if _small(s.sizes.width(c), width(c), MIN_COL_WIDTH)}
    for a, b in _runs(rows):
        span = str(a) if a == b else f"{a}–{b}"
        got, want = rows[a]
        cmp.add("hidden_rows", s.name, f"{a}:{b}", got, want,
                f"แถว {span} ของรายงาน {s.name} สูงเพียง {got:g} พอยต์ (แม่แบบ {want:g}) ข้อมูลในแถวนี้จะมองไม่เห็นในเอกสารที่พิมพ์",
                f"row{'' if a == b else 's'} {span} of report {s.name} {'is' if a == b else 'are'} {got:g} pt high "
                f"(template {want:g}): unreadable in the printout")
    for a, b in _runs(cols):
        span = column_letter(a) if a == b else f"{column_letter(a)}–{column_letter(b)}"
        got, want = cols[a]
        cmp.add("hidden_rows", s.name, f"{column_letter(a)}:{column_letter(b)}", got, want,
                f"คอลัมน์ {span} ของรายงาน {s.name} กว้างเพียง {got:g} ตัวอักษร (แม่แบบ {want:g}) "
                "ข้อมูลในคอลัมน์นี้จะมองไม่เห็นในเอกสารที่พิมพ์",
                f"column{'' if a == b else 's'} {span} of report {s.name} {'is' if a == b else 'are'} {got:g} "
                f"characters wide (template {want:g}): unreadable in the printout")


@lru_cache(maxsize=4)
def _template_drawings(sheet: str) -> tuple[Drawn, ...]:
    """What the report template of ``sheet`` draws over it (its charts)."""
    file = {layout.R003_SHEET: layout.R003_FILE, layout.R001_SHEET: layout.R001_FILE}[sheet]
    with zipfile.ZipFile(layout.template_path(file)) as zf:
        return sheet_drawings(zf, sheet_parts(zf)[sheet][0])


def _check_drawings(cmp: Comparer, s: SheetInfo) -> None:
    """Drawings beyond the template's (a text box showing another figure over a cell, a picture) and
    charts whose series do not come from the template's ranges (numbers written into the chart)."""
    template = _template_drawings(s.name)
    ranges = {x for d in template for x in d.sources}
    room = Counter(d.kind for d in template)
    for d in s.drawings:
        where = f" ที่เซลล์ {d.cell}" if d.cell else ""
        where_en = f" at {d.cell}" if d.cell else ""
        if room[d.kind] > 0:
            room[d.kind] -= 1
        else:
            said = f" ข้อความ «{d.text}»" if d.text else ""
            cmp.add("hidden_value", s.name, d.cell, d.text or d.kind, None,
                    f"มี{drawing_label(d.kind)}วาดทับรายงาน {s.name}{where} ซึ่งแม่แบบไม่มี{said} "
                    "จะปรากฏทับค่าในเอกสารที่พิมพ์",
                    f"a {d.kind} the template does not have is drawn over report {s.name}{where_en}"
                    f"{f' reading {d.text!r}' if d.text else ''}: it shows over the report's values")
        if d.kind == "chart" and (not d.sources or not set(d.sources) <= ranges):
            other = ", ".join(sorted(set(d.sources) - ranges)) or "literal"
            cmp.add("hidden_value", s.name, d.cell, other, None,
                    f"แผนภูมิ{where}ของรายงาน {s.name} ไม่ได้ใช้ช่วงข้อมูลของแม่แบบ ({other}) "
                    "จึงแสดงตัวเลขที่ไม่ใช่ค่าในรายงานได้",
                    f"the chart{where_en} of report {s.name} takes series from outside the template's ranges "
                    f"({other}): it can show numbers other than the report's")


def _runs(numbers: Iterable[int]) -> list[tuple[int, int]]:
    """Contiguous runs of whole numbers: {3, 4, 5, 9} → [(3, 5), (9, 9)]."""
    out: list[tuple[int, int]] = []
    for n in sorted(numbers):
        if out and n == out[-1][1] + 1:
            out[-1] = (out[-1][0], n)
        else:
            out.append((n, n))
    return out


def structure_findings(cmp: Comparer, sheets: list[SheetInfo], rendered: dict[str, Worksheet]) -> None:
    """Hidden report sheets, rows and columns; other sheets claiming a report; sheets beyond the template's set."""
    allowed = {n.casefold() for n in expected_sheets()}
    position = {s.name: s.position for s in sheets}
    for s in sheets:
        if s.name in READ_SHEETS:
            if s.state != "visible":
                cmp.add("hidden_sheet", s.name, None, s.state, "visible",
                        f"ชีตรายงาน {s.name} ถูกซ่อน ({s.state}) จะไม่ปรากฏเมื่อเปิดหรือพิมพ์",
                        f"report sheet {s.name} is hidden ({s.state}): not shown nor printed")
            ws = rendered.get(s.name)
            # within the report's extent (the template's and what the file holds): hiding the empty rest of
            # the sheet hides nothing
            refs = [split_ref(r) for r in cmp.reports.cells.get(s.name, {})]
            last_row = max([ws.max_row if ws is not None else 0, *(r for r, _ in refs)], default=0)
            last_col = max([ws.max_column if ws is not None else 0, *(c for _, c in refs)], default=0)
            rows = {r for r in s.hidden_rows if r <= last_row} - (
                {r for r, d in ws.row_dimensions.items() if d.hidden} if ws is not None else set())
            cols = {column_index_from_string(c) for c in s.hidden_cols} - (
                {column_index_from_string(c) for c, d in ws.column_dimensions.items() if d.hidden}
                if ws is not None else set())
            for a, b in _runs(rows):
                cmp.add("hidden_rows", s.name, f"{a}:{b}", None, None,
                        f"แถว {a if a == b else f'{a}–{b}'} ของรายงาน {s.name} ถูกซ่อน ข้อมูลในแถวนี้จะไม่ปรากฏในเอกสารที่พิมพ์",
                        f"row{'' if a == b else 's'} {a if a == b else f'{a}–{b}'} of report {s.name} hidden: left "
                        "out of the printout")
            for a, b in _runs({c for c in cols if c <= last_col}):
                span = column_letter(a) if a == b else f"{column_letter(a)}–{column_letter(b)}"
                cmp.add("hidden_rows", s.name, f"{column_letter(a)}:{column_letter(b)}", None, None,
                        f"คอลัมน์ {span} ของรายงาน {s.name} ถูกซ่อน ข้อมูลในคอลัมน์นี้จะไม่ปรากฏในเอกสารที่พิมพ์",
                        f"column{'' if a == b else 's'} {span} of report {s.name} hidden: left out of the printout")
            if ws is not None:
                _check_sizes(cmp, s, ws, set(s.hidden_rows), {column_index_from_string(c) for c in s.hidden_cols})
            if s.name in REPORT_SHEETS:
                _check_drawings(cmp, s)
            for name in sorted(s.local_names):
                cmp.add("name_changed", s.name, None, name, None,
                        f"มีชื่อที่กำหนด {name} เฉพาะชีต {s.name} ซึ่งสูตรในชีตนี้จะใช้แทนชื่อของสมุดงาน",
                        f"name {name} is defined on sheet {s.name} itself: the sheet's formulas use it instead of "
                        "the workbook's", name=name)
            if ws is not None and s.print_area and ws.print_area:
                _check_print_area(cmp, s, ws)
            if ws is not None:
                _check_merges(cmp, s, ws)
                template = {str(r.sqref).upper() for r in ws.conditional_formatting}
                for rng in sorted(s.conditional - template):
                    cmp.add("hidden_value", s.name, rng.split()[0].split(":")[0] if rng.strip() else None, rng or None, None,
                            f"รายงาน {s.name} มีการจัดรูปแบบตามเงื่อนไขที่แม่แบบไม่มี ({rng}) ซึ่งเปลี่ยนการแสดงค่าได้ "
                            "(เช่น ตัวอักษรสีขาว)",
                            f"report {s.name} has conditional formatting the template does not ({rng}): it can "
                            "change how values show (white text, say)")
        for code in sorted(s.claims - {s.name}):
            if code not in REPORT_SHEETS:
                continue
            where = ("ก่อนชีตรายงานจริง" if s.position < position.get(code, s.position)
                     else "หลังชีตรายงานจริง") if code in position else "โดยไม่มีชีตรายงานจริง"
            cmp.add("duplicate_report", s.name, None, s.name, code,
                    f"ชีต {s.name} อ้างว่าเป็นรายงาน {code} อีกชุดหนึ่ง ({where}): ตรวจเฉพาะชีต {code}",
                    f"sheet {s.name} claims to be report {code} as well "
                    f"({'placed before' if code in position and s.position < position[code] else 'besides'} "
                    f"the real one): only sheet {code} is audited")
        if s.name.casefold() not in allowed and not (s.claims - {s.name}):
            cmp.add("extra_sheet", s.name, None, s.state, None,
                    f"ชีต {s.name} ไม่อยู่ในชุดชีตของแม่แบบ ({'ซ่อนอยู่' if s.state != 'visible' else 'แสดงอยู่'})",
                    f"sheet {s.name} is not one of the template's sheets"
                    f"{' (hidden)' if s.state != 'visible' else ''}", "warning")
