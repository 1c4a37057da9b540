"""MIS/1555 exports (Excel or CSV with Thai headers) into the canonical complaint table.

Columns are found by header name, anywhere in the first rows of the sheet
(title rows above the header are fine), in any order. A header is accepted
when it is one of the complaint-sheet aliases of
:data:`cplkpi.scoring.tables.COMPLAINTS` or one of the MIS-only aliases in
:data:`MIS_ALIASES`; the location columns come from :data:`MIS_EXTRA`. The
full list is in docs/import.md.

Normalisation is the engine's own (:func:`cplkpi.scoring.tables.normalize`):
Thai dates in any written form, Excel dates and serial numbers, and every
value it cannot read reported with its sheet, row and column. States are
mapped by :mod:`.states`; an unknown state is kept verbatim and reported.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from cplkpi.guard import IMPORT_FORMATS, check_workbook_file, csv_rows, reading
from cplkpi.scoring.errors import InputError, Problem
from cplkpi.scoring.tables import COMPLAINTS, Column, header_key, normalize

from .agencies import district_name, split_organizations
from .snapshot import Rejection, Snapshot, empty_events, finish_complaints
from .states import map_states

__all__ = ["MIS_ALIASES", "MIS_EXTRA", "MIS_SPEC", "read_mis", "read_rows"]

#: Headers seen in MIS/1555 exports, in addition to the complaint-sheet aliases of ``scoring.tables``.
MIS_ALIASES: dict[str, tuple[str, ...]] = {
    "complaint_id": ("เลขที่เรื่องร้องทุกข์", "เลขรับเรื่อง", "เลขที่อ้างอิง", "รหัสเรื่องร้องทุกข์", "case id",
                     "case no"),
    "agency": ("หน่วยงานผู้รับผิดชอบ", "หน่วยงานที่ได้รับมอบหมาย", "ส่งถึงหน่วยงาน", "หน่วยงานที่ส่งเรื่องไป"),
    "unit": ("ฝ่ายผู้รับผิดชอบ", "ฝ่ายที่ได้รับมอบหมาย"),
    "channel": ("ช่องทางการรับเรื่อง", "ช่องทางการแจ้ง", "แหล่งที่มา", "source"),
    "subject": ("ประเภทเรื่องร้องทุกข์", "ประเภทปัญหา", "หมวดหมู่", "หมวดเรื่อง", "category"),
    "detail": ("รายละเอียดเรื่องร้องทุกข์", "ข้อความร้องทุกข์", "สาระสำคัญ", "รายละเอียดปัญหา"),
    "received_at": ("วันที่ร้องทุกข์", "วันเวลาที่ร้องทุกข์", "วันที่บันทึกเรื่อง", "วันที่สร้างเรื่อง", "created",
                    "created at"),
    "forwarded_on": ("วันที่ส่งหน่วยงาน", "วันที่ส่งเรื่องให้หน่วยงาน", "วันที่มอบหมาย", "assigned on"),
    "acknowledged_on": ("วันที่หน่วยงานรับเรื่อง", "วันที่หน่วยงานตอบรับ"),
    "first_progress_on": ("วันที่รายงานผลครั้งแรก", "วันที่ตอบกลับครั้งแรก"),
    "resolved_on": ("วันที่ปิดเรื่อง", "วันที่ยุติเรื่อง", "closed on"),
    "status": ("สถานะเรื่องร้องทุกข์", "สถานะล่าสุด"),
    "result_detail": ("ผลการพิจารณา", "ผลการดำเนินงาน", "ผลการดำเนินการของหน่วยงาน"),
}

#: Extra MIS columns kept beside the canonical ones: name → Thai/English headers.
MIS_EXTRA: dict[str, tuple[str, ...]] = {
    "location_district": ("เขต", "เขตที่เกิดเหตุ", "district"),
    "subdistrict": ("แขวง", "แขวงที่เกิดเหตุ", "subdistrict"),
    "address": ("สถานที่เกิดเหตุ", "ที่อยู่", "สถานที่", "address", "location"),
}


def _spec() -> dict[str, Column]:
    spec = {}
    for name, col in COMPLAINTS.items():
        extra = MIS_ALIASES.get(name, ())
        # states are mapped by .states (engine aliases plus the exports' own states)
        kind = "text" if col.kind == "status" else col.kind
        spec[name] = replace(col, kind=kind, aliases=col.aliases + extra)
    for name, aliases in MIS_EXTRA.items():
        spec[name] = Column(name, "text", aliases[0], aliases)
    return spec


#: The header spec used for MIS/1555 exports (canonical columns with MIS aliases, plus location columns).
MIS_SPEC: dict[str, Column] = _spec()

def _sheet_rows(path: Path) -> tuple[str, list[list[Any]]]:
    """The sheet whose header matches the most MIS aliases, as rows."""
    # python-calamine is not installed in xlwings Lite (no Pyodide wheel, pyproject.toml), which never
    # reads an MIS export: the package stays importable there
    from python_calamine import CalamineWorkbook  # noqa: PLC0415 (optional: absent in xlwings Lite)

    check_workbook_file(path, IMPORT_FORMATS)  # every format, the same size limits before the reader
    keys = {header_key(a) for c in MIS_SPEC.values() for a in (c.name, c.label_th, *c.aliases)}
    best, best_hits, best_rows = None, -1, []
    with reading(path):
        wb = CalamineWorkbook.from_path(str(path))
        for name in wb.sheet_names:
            rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
            hits = max((sum(1 for v in r if v is not None and header_key(v) in keys) for r in rows[:15]),
                       default=0)
            if hits > best_hits:
                best, best_hits, best_rows = name, hits, rows
    return best or path.stem, best_rows


def read_mis(path: str | Path, *, name: str | None = None) -> Snapshot:
    """Read an MIS/1555 export (.xlsx/.xlsm/.xls/.xlsb/.ods, or .csv with Thai headers).

    ``name`` is how the file is named in the table and messages (default: its file name).
    """
    path = Path(path)
    name = name or path.name
    if path.suffix.lower() == ".csv":
        rows, warning = csv_rows(path)
        snapshot = read_rows(rows, name, path, name)
        if warning is not None:
            snapshot.problems.insert(0, warning)
        return snapshot
    sheet, rows = _sheet_rows(path)
    return read_rows(rows, f"[{name}]{sheet}", path, name)


def read_rows(rows: list[list[Any]], where: str, path: Path, name: str | None = None) -> Snapshot:
    """Normalise rows (header included) of an MIS/1555 export; ``where`` names the file/sheet in messages,
    ``name`` the file in the table and rejections (default: its file name)."""
    name = name or path.name
    norm = normalize(rows, MIS_SPEC, where)
    found = set(norm.columns)
    if "complaint_id" not in found:
        raise InputError(norm.problems or [Problem(
            "missing_column", "ไม่พบคอลัมน์เลขที่เรื่อง", "no complaint id column", where, norm.header_row)])
    t = norm.table
    index = t.index
    ids = t["complaint_id"].astype("string").str.strip()
    ids = ids.where(ids != "")
    problems = [p for p in norm.problems if p.code != "missing_id"]
    rejections = [Rejection(name, int(r), None, "missing_id") for r in index[ids.isna().to_numpy()]]

    raw_state = t["status"].astype("string").str.strip()
    status, unknown = map_states(raw_state)
    strange = raw_state[unknown]
    for row, v in zip(strange.index, strange):
        header, letter = norm.columns["status"]
        problems.append(Problem("unknown_status", f"สถานะไม่รู้จัก เก็บไว้ตามเดิม: {v!r}",
                                f"unknown status, kept as is: {v!r}", where, int(row), header, letter,
                                "warning"))
    agency_text = t["agency"].astype("string")
    location = t["location_district"].astype("string").map(district_name, na_action="ignore").astype("string")
    resp = split_organizations(agency_text, location)
    unit = t["unit"].astype("string").where(t["unit"].notna(), resp["unit"])
    channel = t["channel"].astype("string")
    out = finish_complaints({
        **{c: t[c] for c in COMPLAINTS if c not in ("status", "agency", "unit", "channel")},
        "agency": resp["agency"],
        "unit": unit,
        "channel": channel,
        "status": status,
        "district": resp["district"],
        "other_agencies": resp["other_agencies"],
        "organization": agency_text,
        "source_state": raw_state,
        "location_district": location.where(location.notna(), t["location_district"].astype("string")),
        "subdistrict": t["subdistrict"],
        "address": t["address"],
        "source_format": "mis",
        "source_file": name,
        "source_row": index.to_numpy(),
    }, index)
    out = out[ids.notna().to_numpy()]
    out["complaint_id"] = ids[ids.notna()]
    dup = out["complaint_id"].duplicated(keep="last")
    twice = out.loc[dup, "complaint_id"]
    for row, v in zip(twice.index, twice):
        problems.append(Problem("duplicate_in_file", f"เลขที่เรื่องซ้ำในไฟล์ ใช้แถวล่างสุด: {v}",
                                f"complaint id listed twice; the lowest row is kept: {v}", where, int(row),
                                norm.columns["complaint_id"][0], norm.columns["complaint_id"][1], "warning"))
    out = out[~dup.to_numpy()]
    not_in = frozenset(c for c in COMPLAINTS if c not in found)
    return Snapshot(path, "mis", out, empty_events(), len(t), rejections, problems, not_in, int(dup.sum()),
                    name)
