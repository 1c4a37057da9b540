"""Generate the sample district workbook (deterministic: same bytes every run).

One district office (สำนักงานเขตบางกอกน้อย), fiscal year 2563 (1 Oct 2019 –
30 Sep 2020), about 1,200 complaints shaped like a district office's monthly
intake (≈ 70–110 a month, :data:`MONTHLY`), with on-time and late
acknowledgements and progress reports, missed 15th/30th follow-ups, missing
evidence and result details, reopened complaints, complaints still open at
the year end, a progress-report sheet, the Step-3 monthly-report sheet (one
month late, one missing) and an empty calendar-override sheet.

Run: ``python -m cplkpi.examples.generate [output.xlsx]``
"""

from __future__ import annotations

import datetime as _dt
import sys
from pathlib import Path

import numpy as np
from openpyxl import Workbook

from cplkpi.scoring import thai_calendar
from cplkpi.scoring.deadlines import followup_checkpoints
from cplkpi.scoring.tables import SHEETS
from cplkpi.xlsx import save_workbook_atomic, write_table_sheet

from . import SAMPLE_NAME

AGENCY = "สำนักงานเขตบางกอกน้อย"
SEED = 2563
FY_START = _dt.date(2019, 10, 1)
FY_END = _dt.date(2020, 9, 30)

UNITS = {
    "ฝ่ายโยธา": [
        ("ไฟฟ้าส่องสว่างดับ", "ไฟส่องสว่างในซอยดับหลายดวง กลางคืนมืดมาก"),
        ("ทางเท้าชำรุด", "ทางเท้าหน้าตลาดชำรุด แผ่นปูนยุบ เดินลำบาก"),
        ("ท่อระบายน้ำอุดตัน", "ท่อระบายน้ำอุดตัน ฝนตกแล้วน้ำท่วมขัง"),
        ("ถนนเป็นหลุมบ่อ", "ถนนในซอยเป็นหลุมบ่อ รถจักรยานยนต์ล้ม"),
    ],
    "ฝ่ายรักษาความสะอาดและสวนสาธารณะ": [
        ("ขยะตกค้าง", "ขยะตกค้างไม่มีการจัดเก็บหลายวัน ส่งกลิ่นเหม็น"),
        ("ต้นไม้กีดขวาง", "กิ่งไม้ยื่นกีดขวางทางเดินและสายไฟ"),
        ("ทิ้งขยะในที่สาธารณะ", "มีผู้ลักลอบทิ้งขยะบริเวณที่ว่างริมคลอง"),
    ],
    "ฝ่ายเทศกิจ": [
        ("หาบเร่แผงลอย", "ผู้ค้าหาบเร่แผงลอยตั้งวางบนทางเท้า กีดขวางการสัญจร"),
        ("จอดรถกีดขวาง", "มีรถจอดกีดขวางทางเข้าออกซอยเป็นประจำ"),
    ],
    "ฝ่ายสิ่งแวดล้อมและสุขาภิบาล": [
        ("เสียงดังรบกวน", "ร้านอาหารเปิดเพลงเสียงดังรบกวนหลังเที่ยงคืน"),
        ("กลิ่นเหม็น", "มีกลิ่นเหม็นจากบ่อพักน้ำเสียของอาคาร"),
        ("สุนัขจรจัด", "สุนัขจรจัดจำนวนมากไล่กัดคนเดินผ่าน"),
    ],
    "ฝ่ายโยธา (อาคาร)": [
        ("ก่อสร้างผิดกฎหมาย", "มีการต่อเติมอาคารรุกล้ำที่สาธารณะโดยไม่ขออนุญาต"),
    ],
}
CHANNELS = ["1555", "ระบบ MIS", "Traffy Fondue", "ไลน์ผู้ว่าฯ", "Facebook", "ยื่นหนังสือ"]
CHANNEL_P = [0.30, 0.25, 0.30, 0.07, 0.05, 0.03]
RESULTS = [
    "ฝ่ายที่รับผิดชอบลงพื้นที่ตรวจสอบและดำเนินการแก้ไขเรียบร้อยแล้ว ได้แจ้งผู้ร้องทราบทางโทรศัพท์",
    "ดำเนินการแก้ไขแล้วเสร็จ พร้อมภาพถ่ายก่อน-หลัง แจ้งผลให้ผู้ร้องทราบแล้ว",
    "ตรวจสอบแล้ว ได้ตักเตือนผู้เกี่ยวข้องให้ปฏิบัติตามระเบียบ และจะติดตามตรวจสอบต่อเนื่อง",
    "ส่งเรื่องให้หน่วยงานที่มีอำนาจหน้าที่ดำเนินการ และแจ้งผู้ร้องทราบแล้ว",
]
# monthly intake of a district office (Oct … Sep)
MONTHLY = [91, 94, 88, 95, 90, 96, 101, 104, 110, 102, 98, 93]


def _months() -> list[_dt.date]:
    return [_dt.date(2019 + (m < 10), m, 1) for m in (10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9)]


def generate(path: Path) -> Path:
    """Write the sample workbook to ``path`` (atomically) and return it."""
    rng = np.random.default_rng(SEED)
    cal = thai_calendar()
    bdays = (cal.bdays.astype(np.int64) + cal._first_int).astype("datetime64[D]")
    fy_bdays = bdays[(bdays >= np.datetime64(FY_START)) & (bdays <= np.datetime64(FY_END))]
    cps = followup_checkpoints(FY_START, _dt.date(2020, 12, 31))
    units = list(UNITS)
    complaints, progress = [], []
    seq = 0
    for month, count in zip(_months(), MONTHLY):
        m_days = fy_bdays[(fy_bdays >= np.datetime64(month)) & (fy_bdays < np.datetime64(month) + 31)]
        m_days = m_days[m_days.astype("datetime64[M]") == np.datetime64(month, "M")]
        for _ in range(count):
            seq += 1
            unit = units[rng.choice(len(units), p=[0.38, 0.27, 0.15, 0.15, 0.05])]
            subject, detail = UNITS[unit][rng.integers(len(UNITS[unit]))]
            fwd = m_days[rng.integers(len(m_days))].astype(_dt.date)
            received = fwd - _dt.timedelta(days=int(rng.random() < 0.3))  # some arrive the day before
            hour, minute = int(rng.integers(7, 20)), int(rng.integers(60))
            received_at = _dt.datetime.combine(received, _dt.time(hour, minute))
            ack_due = cal.workday(fwd, 1)
            r = rng.random()
            ack = fwd if r < 0.6 else ack_due if r < 0.985 else cal.workday(ack_due, int(rng.integers(1, 4)))
            p_due = cal.workday(ack, 3)
            r = rng.random()
            first = cal.workday(ack, int(rng.integers(1, 4))) if r < 0.975 else cal.workday(p_due, int(rng.integers(1, 5)))
            r = rng.random()
            if r < 0.6:
                days = int(rng.integers(1, 12))
            elif r < 0.96:
                days = int(rng.integers(12, 60))
            else:
                days = int(rng.integers(60, 200))
            resolved = cal.workday(ack, days)
            resolved = max(resolved, first)
            is_resolved = resolved <= FY_END
            # progress reports: one per 15th/30th window while open, a few missed
            reports = [first]
            open_until = np.datetime64(resolved if is_resolved else FY_END)
            diligent = rng.random() < 0.9
            for cp in cps[(cps > np.datetime64(p_due)) & (cps < open_until)].astype(_dt.date):
                if diligent or rng.random() < 0.6:
                    back = int(rng.integers(0, 3))
                    reports.append(cal.workday(cp, -back) if back else cp)
            reopened = None
            if is_resolved and rng.random() < 0.025:
                reopened = cal.workday(resolved, int(rng.integers(2, 10)))
                if reopened <= FY_END:
                    # the complainant rejected the result: the centre re-forwards, a new cycle runs
                    ack = cal.workday(reopened, int(rng.random() < 0.8) or 2)
                    first = cal.workday(ack, int(rng.integers(1, 4)))
                    reports.append(first)
                    resolved = cal.workday(first, int(rng.integers(2, 20)))
                    is_resolved = resolved <= FY_END
                else:
                    reopened = None
            cid = f"6302{seq:05d}"
            status = "เสร็จสิ้น" if is_resolved else rng.choice(["กำลังดำเนินการ", "กำลังดำเนินการ", "ติดตามเรื่อง"])
            result = ""
            if is_resolved:
                result = RESULTS[rng.integers(len(RESULTS))] if rng.random() > 0.035 else ""
            evidence = "มี" if rng.random() < 0.94 else "ไม่มี"
            complaints.append([
                cid, AGENCY, unit, CHANNELS[rng.choice(len(CHANNELS), p=CHANNEL_P)], subject, detail,
                received_at, fwd, ack, first, resolved if is_resolved else None, status, result,
                evidence if is_resolved or rng.random() < 0.5 else "", 1 if reopened is not None else 0,
                reopened,
            ])
            for i, rep in enumerate(sorted(set(reports))):
                if rep <= FY_END:
                    text = "รับเรื่องและมอบหมายผู้รับผิดชอบลงพื้นที่ตรวจสอบ" if i == 0 else "อยู่ระหว่างดำเนินการแก้ไข"
                    progress.append([cid, rep, text])

    wb = Workbook()
    wb.remove(wb.worksheets[0])  # the empty sheet a new workbook starts with
    headers = ["เลขที่เรื่อง", "หน่วยงาน", "ฝ่าย", "ช่องทาง", "เรื่อง", "รายละเอียด", "วันที่รับแจ้ง",
               "วันที่ศูนย์แจ้งเรื่อง", "วันที่ตอบรับ", "วันที่รายงานความก้าวหน้า", "วันที่แล้วเสร็จ", "สถานะ",
               "ผลการดำเนินการ", "หลักฐาน", "จำนวนครั้งที่เปิดใหม่", "วันที่ส่งเรื่องใหม่"]
    widths = [13, 22, 26, 14, 20, 44, 18, 14, 14, 14, 14, 16, 50, 9, 10, 14]
    write_table_sheet(wb, SHEETS["complaints"][0], headers, complaints, widths)
    write_table_sheet(wb, SHEETS["progress"][0], ["เลขที่เรื่อง", "วันที่รายงาน", "ความก้าวหน้า"],
                      progress, [13, 14, 50])
    monthly = []
    for i, m in enumerate(_months()):
        due = _dt.date(m.year + (m.month == 12), m.month % 12 + 1, 10)
        if i == 4:      # ก.พ. 2563 sent late
            sent = due + _dt.timedelta(days=3)
        elif i == 7:    # พ.ค. 2563 never sent
            sent = None
        else:
            sent = due - _dt.timedelta(days=int(rng.integers(1, 6)))
        monthly.append([AGENCY, m, sent])
    ws = write_table_sheet(wb, SHEETS["monthly_reports"][0], ["หน่วยงาน", "เดือน", "วันที่ส่งรายงาน"], monthly,
                           [22, 14, 16])
    for row in ws.iter_rows(min_row=2, min_col=2, max_col=2):
        row[0].number_format = "[$-107041E]mmm yyyy;@"
    write_table_sheet(wb, SHEETS["calendar"][0], ["วันที่", "ประเภท", "หมายเหตุ"], [], [14, 12, 40])
    return save_workbook_atomic(wb, path)


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[0]) if argv else Path(__file__).with_name(SAMPLE_NAME)
    generate(out)
    print(out)


if __name__ == "__main__":
    main()
