"""The malformed-input corpus: each bad input gets exactly the message the user sees, and stays byte-identical.

Every entry of ``tests/corpus/build.py`` is built into a fresh folder, read
with :func:`cplkpi.reader.read_workbook` (the door of every command), and
the full list of problems (``str(problem)``, as printed to the user: level,
sheet!cell (column) and the Thai message with English in parentheses) must be
exactly the one below. The input's SHA-256 is the same before and after, and
nothing is written next to it. "refused" means an :class:`InputError` before
any value was used; "read" means the workbook was read with these problems.
Placeholders: ``{folder}`` is the folder of the input; ``{total}``/``{ratio}``
are the zip's own sizes (they depend on the zlib build).
"""


from __future__ import annotations

import datetime as dt
import hashlib
import os
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from corpus import build as corpus

from cplkpi.reader import read_workbook
from cplkpi.scoring.errors import InputError

EXPECTED = {
    'missing_forwarded_column': ('read', [
        'ข้อผิดพลาด เรื่องร้องเรียน!1: ไม่มีคอลัมน์ที่จำเป็น: วันที่ศูนย์แจ้งเรื่อง (ใช้หัวตาราง วันที่ศูนย์แจ้งเรื่อง / วันที่ศูนย์ฯแจ้งเรื่อง / วันที่ศูนย์รับแจ้งทุกข์แจ้งเรื่อง) (missing required column forwarded_on (header วันที่ศูนย์แจ้งเรื่อง / วันที่ศูนย์ฯแจ้งเรื่อง / วันที่ศูนย์รับแจ้งทุกข์แจ้งเรื่อง))',
    ]),
    'misspelled_forwarded_header': ('read', [
        "ข้อผิดพลาด เรื่องร้องเรียน!1: ไม่มีคอลัมน์ที่จำเป็น: วันที่ศูนย์แจ้งเรื่อง (ใช้หัวตาราง วันที่ศูนย์แจ้งเรื่อง / วันที่ศูนย์ฯแจ้งเรื่อง / วันที่ศูนย์รับแจ้งทุกข์แจ้งเรื่อง) หัวตาราง 'วันทีศูนย์แจ้งเรื่อง' ที่คอลัมน์ B คล้ายกัน: ตรวจการสะกด (missing required column forwarded_on (header วันที่ศูนย์แจ้งเรื่อง / วันที่ศูนย์ฯแจ้งเรื่อง / วันที่ศูนย์รับแจ้งทุกข์แจ้งเรื่อง); the header 'วันทีศูนย์แจ้งเรื่อง' in column B is close: check its spelling)",
    ]),
    'missing_id_column': ('read', [
        'ข้อผิดพลาด เรื่องร้องเรียน!1: ไม่มีคอลัมน์ที่จำเป็น: เลขที่เรื่อง (ใช้หัวตาราง เลขที่เรื่อง / เลขที่ / เลขเรื่อง) (missing required column complaint_id (header เลขที่เรื่อง / เลขที่ / เลขเรื่อง))',
    ]),
    'no_header_row': ('read', [
        'ข้อผิดพลาด เรื่องร้องเรียน: ไม่พบแถวหัวตาราง ต้องมีคอลัมน์ เลขที่เรื่อง, วันที่ศูนย์แจ้งเรื่อง (no header row found; required columns: เลขที่เรื่อง, วันที่ศูนย์แจ้งเรื่อง)',
    ]),
    'empty_sheet': ('read', [
        'ข้อผิดพลาด เรื่องร้องเรียน: ชีตว่างเปล่า ต้องมีคอลัมน์ เลขที่เรื่อง, วันที่ศูนย์แจ้งเรื่อง (the sheet is empty; required columns: เลขที่เรื่อง, วันที่ศูนย์แจ้งเรื่อง)',
    ]),
    'header_only': ('read', [
        'คำเตือน เรื่องร้องเรียน!1: ไม่มีเรื่องร้องเรียนใต้หัวตาราง (no complaint rows under the header)',
    ]),
    'duplicate_column': ('read', [
        'ข้อผิดพลาด เรื่องร้องเรียน!I1 (เลขที่): คอลัมน์ เลขที่ ซ้ำกับคอลัมน์ เลขที่เรื่อง (A): ใช้คอลัมน์แรก (column เลขที่ duplicates column เลขที่เรื่อง (A); the first one is used)',
    ]),
    'no_complaint_sheet': ('refused', [
        'ข้อผิดพลาด no_complaint_sheet.xlsx: ไม่พบชีตเรื่องร้องเรียน: ตั้งชื่อชีตว่า เรื่องร้องเรียน / เรื่องร้องทุกข์ / complaints / data (ชีตในไฟล์: Sheet1, Sheet2) (no complaint sheet: name it เรื่องร้องเรียน / เรื่องร้องทุกข์ / complaints / data (sheets in the file: Sheet1, Sheet2))',
    ]),
    'two_complaint_sheets': ('read', [
        'คำเตือน เรื่องร้องเรียน: มีหลายชีตที่เป็นชีตเรื่องร้องเรียน: ใช้ชีตนี้ ไม่ได้อ่านชีต complaints (several sheets could be the complaints sheet: this one is used, not complaints)',
    ]),
    'hidden_complaint_sheet': ('read', [
        'คำเตือน เรื่องร้องเรียน: ชีตนี้ถูกซ่อนไว้ แต่ถูกอ่านเป็นชีตเรื่องร้องเรียน (this sheet is hidden but is read as the complaints sheet)',
    ]),
    'hidden_old_copy_and_visible_sheet': ('read', [
        'คำเตือน complaints: มีหลายชีตที่เป็นชีตเรื่องร้องเรียน: ใช้ชีตนี้ ไม่ได้อ่านชีต เรื่องร้องเรียน (several sheets could be the complaints sheet: this one is used, not เรื่องร้องเรียน)',
    ]),
    'duplicate_ids': ('read', [
        'ข้อผิดพลาด เรื่องร้องเรียน!A4 (เลขที่เรื่อง): เลขที่เรื่องซ้ำ 6300001 (ซ้ำกับแถว 2) (duplicate complaint id 6300001 (first at row 2))',
    ]),
    'missing_id': ('read', [
        'ข้อผิดพลาด เรื่องร้องเรียน!A3 (เลขที่เรื่อง): ไม่มีเลขที่เรื่อง (missing complaint id)',
    ]),
    'id_longer_than_15_digits_as_number': ('read', [
        'คำเตือน เรื่องร้องเรียน!A3 (เลขที่เรื่อง): เลขที่เรื่อง 6300000000000012288 ยาวเกิน 15 หลักและเก็บเป็นตัวเลข Excel จึงปัดหลักท้ายทิ้งแล้ว: จัดรูปแบบคอลัมน์เป็นข้อความแล้วใส่เลขที่ใหม่จากต้นฉบับ (complaint id 6300000000000012288 has more than 15 digits and is stored as a number, so Excel has dropped its last digits: format the column as text and enter the ids again)',
    ]),
    'missing_forwarded_date': ('read', [
        'ข้อผิดพลาด เรื่องร้องเรียน!B3 (วันที่ศูนย์แจ้งเรื่อง): ไม่มีวันที่ศูนย์แจ้งเรื่อง (missing forwarding date)',
    ]),
    'excel_error_value_typed': ('read', [
        'ข้อผิดพลาด เรื่องร้องเรียน!A4 (เลขที่เรื่อง): เซลล์มีค่าผิดพลาดของ Excel #REF!: ใส่ค่าที่ถูกต้องแทน (the cell holds the Excel error value #REF!; enter the right value)',
        'ข้อผิดพลาด เรื่องร้องเรียน!B3 (วันที่ศูนย์แจ้งเรื่อง): เซลล์มีค่าผิดพลาดของ Excel #N/A: ใส่ค่าที่ถูกต้องแทน (the cell holds the Excel error value #N/A; enter the right value)',
    ]),
    'reopen_count_in_words': ('read', [
        "ข้อผิดพลาด เรื่องร้องเรียน!I3 (จำนวนครั้งที่เปิดใหม่): ต้องเป็นจำนวนเต็มไม่ติดลบ: 'สองครั้ง' (must be a whole number >= 0: 'สองครั้ง')",
        'ข้อผิดพลาด เรื่องร้องเรียน!I4 (จำนวนครั้งที่เปิดใหม่): ต้องเป็นจำนวนเต็มไม่ติดลบ: -1.0 (must be a whole number >= 0: -1.0)',
    ]),
    'date_day_32': ('read', [
        'ข้อผิดพลาด เรื่องร้องเรียน!B3 (วันที่ศูนย์แจ้งเรื่อง): ไม่มีวันที่นี้ในปฏิทิน: "32/10/2562" (no such calendar date: "32/10/2562")',
    ]),
    'date_month_13': ('read', [
        'ข้อผิดพลาด เรื่องร้องเรียน!B3 (วันที่ศูนย์แจ้งเรื่อง): ไม่มีวันที่นี้ในปฏิทิน: "1/13/2562" (no such calendar date: "1/13/2562")',
    ]),
    'date_without_day': ('read', [
        'ข้อผิดพลาด เรื่องร้องเรียน!B3 (วันที่ศูนย์แจ้งเรื่อง): อ่านวันที่ไม่ได้ (เขียนแบบ 30/10/2562 หรือ 1 ต.ค. 2562): "ต.ค. 2562" (cannot read the date (write it as 30/10/2562 or 1 ต.ค. 2562): "ต.ค. 2562")',
    ]),
    'date_in_words': ('read', [
        'ข้อผิดพลาด เรื่องร้องเรียน!B3 (วันที่ศูนย์แจ้งเรื่อง): อ่านวันที่ไม่ได้ (เขียนแบบ 30/10/2562 หรือ 1 ต.ค. 2562): "พรุ่งนี้" (cannot read the date (write it as 30/10/2562 or 1 ต.ค. 2562): "พรุ่งนี้")',
    ]),
    'date_with_a_note': ('read', [
        'ข้อผิดพลาด เรื่องร้องเรียน!B3 (วันที่ศูนย์แจ้งเรื่อง): อ่านวันที่ไม่ได้ (เขียนแบบ 30/10/2562 หรือ 1 ต.ค. 2562): "1/10/2562 (แก้ไข)" (cannot read the date (write it as 30/10/2562 or 1 ต.ค. 2562): "1/10/2562 (แก้ไข)")',
    ]),
    'date_ce_numeric': ('read', [
        'คำเตือน เรื่องร้องเรียน!B3 (วันที่ศูนย์แจ้งเรื่อง): ปีเป็น ค.ศ. จึงอ่านเป็น ค.ศ.: "1/10/2019" (year is C.E., read as C.E.: "1/10/2019")',
    ]),
    'date_ce_thai_month': ('read', [
        'คำเตือน เรื่องร้องเรียน!B3 (วันที่ศูนย์แจ้งเรื่อง): ปีเป็น ค.ศ. จึงอ่านเป็น ค.ศ.: "1 ต.ค. 2019" (year is C.E., read as C.E.: "1 ต.ค. 2019")',
    ]),
    'date_be_in_iso_text': ('read', [
        'คำเตือน เรื่องร้องเรียน!B3 (วันที่ศูนย์แจ้งเรื่อง): ปี พ.ศ. ถูกบันทึกเป็น ค.ศ. จึงลบ 543 ปี: "2562-10-01" (B.E. year stored as C.E.; 543 years subtracted: "2562-10-01")',
    ]),
    'date_be_typed_into_date_cell': ('read', [
        'คำเตือน เรื่องร้องเรียน!B3 (วันที่ศูนย์แจ้งเรื่อง): ปี พ.ศ. ถูกบันทึกเป็น ค.ศ. จึงลบ 543 ปี: 2562-10-01 (B.E. year stored as C.E.; 543 years subtracted: 2562-10-01)',
    ]),
    'date_two_digit_ce_year': ('read', [
        'ข้อผิดพลาด เรื่องร้องเรียน!B3 (วันที่ศูนย์แจ้งเรื่อง): วันที่ 1 ต.ค. 2519 อยู่นอกช่วงปฏิทินวันทำการที่รองรับ 1 ม.ค. 2540 – 31 ธ.ค. 2570: ตรวจปี พ.ศ./ค.ศ. (date 1976-10-01 is outside the covered business-day calendar 1997-01-01 – 2027-12-31: check the year (B.E./C.E.))',
    ]),
    'feb29_in_non_leap_year': ('read', [
        'ข้อผิดพลาด เรื่องร้องเรียน!B3 (วันที่ศูนย์แจ้งเรื่อง): ไม่มีวันที่นี้ในปฏิทิน: "29/2/2562" (no such calendar date: "29/2/2562")',
    ]),
    'feb29_be_date_cell_not_leap_in_ce': ('read', [
        'ข้อผิดพลาด เรื่องร้องเรียน!B3 (วันที่ศูนย์แจ้งเรื่อง): ไม่มีวันที่นี้ในปฏิทิน: 2564-02-29 (no such calendar date: 2564-02-29)',
    ]),
    'serial_number_stored_as_text': ('read', [
        'คำเตือน เรื่องร้องเรียน!B3 (วันที่ศูนย์แจ้งเรื่อง): ตัวเลขเก็บเป็นข้อความ อ่านเป็นเลขลำดับวันที่ของ Excel: "43739" (number stored as text, read as an Excel serial date: "43739")',
    ]),
    'boolean_in_date_column': ('read', [
        'ข้อผิดพลาด เรื่องร้องเรียน!B3 (วันที่ศูนย์แจ้งเรื่อง): อ่านวันที่ไม่ได้ (เขียนแบบ 30/10/2562 หรือ 1 ต.ค. 2562): True (cannot read the date (write it as 30/10/2562 or 1 ต.ค. 2562): True)',
    ]),
    'negative_serial_number': ('read', [
        'ข้อผิดพลาด เรื่องร้องเรียน!B3 (วันที่ศูนย์แจ้งเรื่อง): อ่านวันที่ไม่ได้ (เลขลำดับวันที่ของ Excel อยู่นอกช่วง): -5.0 (cannot read the date (Excel serial number out of range): -5.0)',
    ]),
    'date_after_the_calendar': ('read', [
        'ข้อผิดพลาด เรื่องร้องเรียน!B3 (วันที่ศูนย์แจ้งเรื่อง): วันที่ 1 ต.ค. 2600 อยู่นอกช่วงปฏิทินวันทำการที่รองรับ 1 ม.ค. 2540 – 31 ธ.ค. 2570: ตรวจปี พ.ศ./ค.ศ. (date 2057-10-01 is outside the covered business-day calendar 1997-01-01 – 2027-12-31: check the year (B.E./C.E.))',
    ]),
    'date_before_the_calendar': ('read', [
        'ข้อผิดพลาด เรื่องร้องเรียน!B3 (วันที่ศูนย์แจ้งเรื่อง): วันที่ 1 ต.ค. 2530 อยู่นอกช่วงปฏิทินวันทำการที่รองรับ 1 ม.ค. 2540 – 31 ธ.ค. 2570: ตรวจปี พ.ศ./ค.ศ. (date 1987-10-01 is outside the covered business-day calendar 1997-01-01 – 2027-12-31: check the year (B.E./C.E.))',
    ]),
    'progress_date_in_words': ('read', [
        'ข้อผิดพลาด เรื่องร้องเรียน!D3 (วันที่รายงานความก้าวหน้า): อ่านวันที่ไม่ได้ (เขียนแบบ 30/10/2562 หรือ 1 ต.ค. 2562): "หลังตอบรับ" (cannot read the date (write it as 30/10/2562 or 1 ต.ค. 2562): "หลังตอบรับ")',
    ]),
    'acknowledged_before_forwarded': ('read', [
        'ข้อผิดพลาด เรื่องร้องเรียน!C3 (วันที่ตอบรับ): วันที่ตอบรับก่อนวันที่ศูนย์แจ้งเรื่อง: 9 ต.ค. 2562 < 10 ต.ค. 2562 (acknowledged before forwarded: 2019-10-09 < 2019-10-10)',
    ]),
    'progress_before_acknowledged': ('read', [
        'ข้อผิดพลาด เรื่องร้องเรียน!D3 (วันที่รายงานความก้าวหน้า): วันที่รายงานความก้าวหน้าก่อนวันที่ตอบรับ: 10 ต.ค. 2562 < 11 ต.ค. 2562 (first progress report before acknowledgement: 2019-10-10 < 2019-10-11)',
    ]),
    'resolved_before_forwarded': ('read', [
        'ข้อผิดพลาด เรื่องร้องเรียน!E3 (วันที่แล้วเสร็จ): วันที่แล้วเสร็จก่อนวันที่ศูนย์แจ้งเรื่อง: 1 ต.ค. 2562 < 10 ต.ค. 2562 (resolved before forwarded: 2019-10-01 < 2019-10-10)',
    ]),
    'reopened_before_forwarded': ('read', [
        'ข้อผิดพลาด เรื่องร้องเรียน!I3 (วันที่ส่งเรื่องใหม่): วันที่ส่งเรื่องใหม่ก่อนวันที่ศูนย์แจ้งเรื่อง: 1 ต.ค. 2562 < 2 ต.ค. 2562 (reopened before forwarded: 2019-10-01 < 2019-10-02)',
    ]),
    'unknown_status': ('read', [
        "คำเตือน เรื่องร้องเรียน!F3 (สถานะ): สถานะไม่รู้จัก เก็บไว้ตามเดิม: 'รอตรวจสอบอีกที' (unknown status, kept as is: 'รอตรวจสอบอีกที')",
    ]),
    'completed_without_resolution_date': ('read', [
        'คำเตือน เรื่องร้องเรียน!E3 (วันที่แล้วเสร็จ): สถานะเสร็จสิ้นแต่ไม่มีวันที่แล้วเสร็จ (status is completed but there is no resolution date)',
    ]),
    'resolution_date_but_not_completed': ('read', [
        'คำเตือน เรื่องร้องเรียน!F3 (สถานะ): มีวันที่แล้วเสร็จแต่สถานะยังไม่เสร็จสิ้น (a resolution date is given but the status is not completed)',
    ]),
    'progress_for_unknown_complaint': ('read', [
        'คำเตือน รายงานความก้าวหน้า!A3 (เลขที่เรื่อง): ไม่พบเลขที่เรื่อง 6399999 ในชีตเรื่องร้องเรียน (complaint 6399999 is not in the complaint sheet)',
    ]),
    'progress_without_date': ('read', [
        'ข้อผิดพลาด รายงานความก้าวหน้า!B2 (วันที่รายงาน): ไม่มีวันที่รายงาน (missing report date)',
    ]),
    'monthly_report_month_in_words': ('read', [
        "ข้อผิดพลาด รายงานประจำเดือน!A3 (เดือน): อ่านเดือนไม่ได้: 'เดือนสิบ' (ตัวอย่าง ต.ค. 2562) (cannot read the month: 'เดือนสิบ' (e.g. ต.ค. 2562))",
    ]),
    'monthly_report_duplicate_month': ('read', [
        'ข้อผิดพลาด รายงานประจำเดือน!A3 (เดือน): เดือนซ้ำ ตุลาคม 2562 (duplicate month 2019-10)',
    ]),
    'sheet_and_header_typed_with_decomposed_sara_am': ('read', [
        'คำเตือน รายงานประจําเดือน!A1 (ประจำเดือน): อ่านหัวตาราง "ประจําเดือน" เป็น "ประจำเดือน": แก้อักษรไทยที่พิมพ์ต่างรูป เช่น เเ เป็น แ หรือ ํา เป็น ำ; ควรแก้ในไฟล์ต้นฉบับ (header "ประจําเดือน" read as "ประจำเดือน": look-alike Thai letters unified, such as เเ to แ or ํา to ำ; correct the source file)',
        "ข้อผิดพลาด รายงานประจําเดือน!A2 (ประจำเดือน): อ่านเดือนไม่ได้: 'เดือนสิบ' (ตัวอย่าง ต.ค. 2562) (cannot read the month: 'เดือนสิบ' (e.g. ต.ค. 2562))",
    ]),
    'audit_mark_not_yes_or_no': ('read', [
        "ข้อผิดพลาด สุ่มตรวจ!C2 (ผลการตรวจ): ต้องเป็น ใช่/ไม่ใช่ (ถูกต้อง/ไม่ถูกต้อง): 'ไม่แน่ใจ' (must be yes or no (ถูกต้อง/ไม่ถูกต้อง): 'ไม่แน่ใจ')",
    ]),
    'calendar_kind_unknown': ('read', [
        "ข้อผิดพลาด ปฏิทิน!B2 (ประเภท): ประเภทต้องเป็น วันหยุด หรือ วันทำงาน: 'หยุดครึ่งวัน' (kind must be วันหยุด (holiday) or วันทำงาน (workday): 'หยุดครึ่งวัน')",
    ]),
    'calendar_holiday_and_workday_same_date': ('read', [
        'ข้อผิดพลาด ปฏิทิน!A3 (วันที่): วันที่ 7 ต.ค. 2562 เป็นทั้งวันหยุดและวันทำงาน (แถว 2 และแถว 3): ไม่ใช้ทั้งสองแถว ให้ลบแถวที่ผิด (date 2019-10-07 is both a holiday and a working day (rows 2 and 3): neither row is used; delete the wrong one)',
    ]),
    'calendar_weekend_workday_and_repeats': ('read', [
        'คำเตือน ปฏิทิน!A4 (วันที่): วันที่ 8 ต.ค. 2562 ซ้ำกับแถว 3 (date 2019-10-08 repeats row 3)',
        "คำเตือน ปฏิทิน!A2 (วันที่): วันทำงานเพิ่ม 5 ต.ค. 2562 เป็นวันเสาร์หรืออาทิตย์: cplkpi นับเป็นวันทำการ แต่สูตร WORKDAY/NETWORKDAYS ของ Excel นับไม่ได้ ผลในเซลล์ Excel จึงอาจต่างจาก cplkpi (extra working day 2019-10-05 is a Saturday or Sunday: cplkpi counts it, but Excel's WORKDAY/NETWORKDAYS cannot, so Excel formulas may differ from cplkpi)",
        'คำเตือน ปฏิทิน!A5 (วันที่): 9 ต.ค. 2562 เป็นวันทำการอยู่แล้ว แถวนี้ไม่มีผล (2019-10-09 is already a working day; this row changes nothing)',
    ]),
    'merged_cells_in_data': ('read', [
        'คำเตือน เรื่องร้องเรียน!A1 (เลขที่เรื่อง): เซลล์ผสาน A1:B1: มีค่าเฉพาะเซลล์ A1 เซลล์อื่นในช่วงนี้ถือว่าว่าง ให้ยกเลิกการผสานและใส่ค่าให้ครบทุกแถว (merged cells A1:B1: only A1 holds the value and the other cells count as empty; unmerge them and fill in every row)',
        'คำเตือน เรื่องร้องเรียน!F2 (สถานะ): เซลล์ผสาน F2:F3: มีค่าเฉพาะเซลล์ F2 เซลล์อื่นในช่วงนี้ถือว่าว่าง ให้ยกเลิกการผสานและใส่ค่าให้ครบทุกแถว (merged cells F2:F3: only F2 holds the value and the other cells count as empty; unmerge them and fill in every row)',
        'ข้อผิดพลาด เรื่องร้องเรียน!1: ไม่มีคอลัมน์ที่จำเป็น: วันที่ศูนย์แจ้งเรื่อง (ใช้หัวตาราง วันที่ศูนย์แจ้งเรื่อง / วันที่ศูนย์ฯแจ้งเรื่อง / วันที่ศูนย์รับแจ้งทุกข์แจ้งเรื่อง) (missing required column forwarded_on (header วันที่ศูนย์แจ้งเรื่อง / วันที่ศูนย์ฯแจ้งเรื่อง / วันที่ศูนย์รับแจ้งทุกข์แจ้งเรื่อง))',
    ]),
    'hidden_rows_filtered': ('read', [
        'คำเตือน เรื่องร้องเรียน: แถวที่ซ่อนอยู่ 3, 5–6 ยังถูกนับรวมในการคำนวณ (รวมแถวที่ถูกตัวกรองซ่อนไว้): ตรวจว่าควรนับหรือไม่ (hidden rows 3, 5–6 are still counted (rows hidden by a filter too): check that they should be)',
    ]),
    'hidden_columns': ('read', [
        'คำเตือน เรื่องร้องเรียน!C1 (วันที่ตอบรับ): คอลัมน์ที่ซ่อนอยู่ C ยังถูกอ่าน (hidden columns C are still read)',
    ]),
    'formulas_without_stored_values': ('read', [
        'คำเตือน เรื่องร้องเรียน!B3 (วันที่ศูนย์แจ้งเรื่อง): สูตร 2 เซลล์ไม่มีค่าที่คำนวณไว้ (เช่น B3, C3) จึงอ่านเป็นค่าว่าง: เปิดไฟล์ใน Excel แล้วบันทึกใหม่ให้สูตรคำนวณ (2 formula cells have no stored value (e.g. B3, C3) and read as empty: open the file in Excel and save it so that the formulas are calculated)',
        'ข้อผิดพลาด เรื่องร้องเรียน!B3 (วันที่ศูนย์แจ้งเรื่อง): ไม่มีวันที่ศูนย์แจ้งเรื่อง (missing forwarding date)',
    ]),
    'formula_errors_from_libreoffice': ('read', [
        'ข้อผิดพลาด เรื่องร้องเรียน!A4 (เลขที่เรื่อง): สูตร =A2+"x" ให้ผลผิดพลาด #VALUE!: แก้สูตรหรือใส่ค่าแทน (the formula =A2+"x" returns the error #VALUE!; fix the formula or enter the value)',
        'ข้อผิดพลาด เรื่องร้องเรียน!B3 (วันที่ศูนย์แจ้งเรื่อง): สูตร =1/0 ให้ผลผิดพลาด #DIV/0!: แก้สูตรหรือใส่ค่าแทน (the formula =1/0 returns the error #DIV/0!; fix the formula or enter the value)',
        'ข้อผิดพลาด เรื่องร้องเรียน!C3 (วันที่ตอบรับ): สูตร =DATEVALUE("สองตุลา") ให้ผลผิดพลาด #VALUE!: แก้สูตรหรือใส่ค่าแทน (the formula =DATEVALUE("สองตุลา") returns the error #VALUE!; fix the formula or enter the value)',
        'คำเตือน เรื่องร้องเรียน!D3 (หน่วยงาน): สูตร =VLOOKUP("x",A1:A2,1,0) ให้ผลผิดพลาด #N/A: แก้สูตรหรือใส่ค่าแทน (the formula =VLOOKUP("x",A1:A2,1,0) returns the error #N/A; fix the formula or enter the value)',
    ]),
    'external_link_from_libreoffice': ('read', [
        'คำเตือน external_link_libreoffice.xlsx: ไฟล์เชื่อมโยงข้อมูลจากไฟล์อื่น (ทะเบียนรับเรื่อง.xlsx): ใช้ค่าที่บันทึกไว้ล่าสุด ไม่ได้เปิดไฟล์ที่เชื่อมโยง ค่าอาจไม่เป็นปัจจุบัน (the workbook links to other files (ทะเบียนรับเรื่อง.xlsx): the values last stored are used and the linked files are not opened, so they may be out of date)',
        'ข้อผิดพลาด เรื่องร้องเรียน!B2 (วันที่ศูนย์แจ้งเรื่อง): สูตร =[1]Sheet1!B2 ให้ผลผิดพลาด #N/A: แก้สูตรหรือใส่ค่าแทน (the formula =[1]Sheet1!B2 returns the error #N/A; fix the formula or enter the value)',
    ]),
    'xlsm_with_macros': ('read', [
        'คำเตือน xlsm_with_macros.xlsm: ไฟล์มีแมโคร (VBA): cplkpi ไม่เรียกใช้แมโคร อ่านเฉพาะค่าที่บันทึกในเซลล์ (the file contains macros (VBA): cplkpi never runs them and reads stored cell values only)',
    ]),
    'data_connection_and_embedded_object': ('read', [
        'คำเตือน data_connection_and_embedded_object.xlsx: ไฟล์มีการเชื่อมต่อข้อมูลภายนอก (Power Query/ODBC): ไม่ได้รีเฟรช ใช้ค่าที่บันทึกไว้ล่าสุด (the workbook has external data connections (Power Query/ODBC): they are not refreshed; the values last stored are used)',
        'คำเตือน data_connection_and_embedded_object.xlsx: ไฟล์มีวัตถุฝังหรือ ActiveX: ไม่ได้เปิดหรือเรียกใช้ (the workbook has embedded objects or ActiveX controls: they are not opened or run)',
    ]),
    'encrypted_workbook': ('refused', [
        'ข้อผิดพลาด encrypted_workbook.xlsx: ไฟล์ถูกเข้ารหัสด้วยรหัสผ่าน: เปิดใน Excel แล้วเอารหัสผ่านออก (ไฟล์ > ข้อมูล > ป้องกันเวิร์กบุ๊ก > เข้ารหัสด้วยรหัสผ่าน) แล้วบันทึกเป็น .xlsx (the workbook is encrypted with a password: remove the password in Excel (File > Info > Protect Workbook > Encrypt with Password) and save as .xlsx)',
    ]),
    'legacy_xls': ('refused', [
        'ข้อผิดพลาด legacy_xls.xls: ไฟล์เป็น Excel รุ่นเก่า (.xls): เปิดใน Excel แล้วบันทึกเป็น .xlsx (the file is a legacy Excel .xls workbook: open it in Excel and save it as .xlsx)',
    ]),
    'truncated_zip': ('refused', [
        'ข้อผิดพลาด truncated_zip.xlsx: ไฟล์ Excel เสียหาย อ่านไม่ได้: ขอไฟล์ต้นฉบับใหม่ หรือเปิดใน Excel แล้วบันทึกใหม่ (the Excel file is corrupt and cannot be read (zip: File is not a zip file): get the original again, or open it in Excel and save it again)',
    ]),
    'corrupt_zip_member': ('refused', [
        'ข้อผิดพลาด corrupt_zip_member.xlsx: ไฟล์ Excel เสียหาย อ่านไม่ได้: ขอไฟล์ต้นฉบับใหม่ หรือเปิดใน Excel แล้วบันทึกใหม่ (the Excel file is corrupt and cannot be read (xl/worksheets/sheet1.xml: Bad CRC-32 or size for xl/worksheets/sheet1.xml): get the original again, or open it in Excel and save it again)',
    ]),
    'zip_bomb_ratio': ('refused', [
        'ข้อผิดพลาด zip_bomb_ratio.xlsx: ไฟล์ขยายตัวผิดปกติ ({total:,} ไบต์เมื่อแตกไฟล์ = {ratio:,.0f} เท่าของขนาดไฟล์; ขีดจำกัด 1,073,741,824 ไบต์และ 200 เท่า) ปฏิเสธเพื่อความปลอดภัย (the file expands abnormally ({total:,} bytes unpacked = {ratio:,.0f} times its size; limits 1,073,741,824 bytes and 200 times); refused for safety)',
    ]),
    'zip_bomb_lying_sizes': ('refused', [
        'ข้อผิดพลาด zip_bomb_lying_sizes.xlsx: ไฟล์ขยายตัวเกินขนาดที่ระบุไว้ในไฟล์ (xl/worksheets/sheet1.xml ระบุ 1,000 ไบต์) ปฏิเสธเพื่อความปลอดภัย (the file expands beyond the sizes it declares (xl/worksheets/sheet1.xml declares 1,000 bytes); refused for safety)',
    ]),
    'zip_bomb_lying_sizes_and_crc': ('refused', [
        'ข้อผิดพลาด zip_bomb_lying_sizes_and_crc.xlsx: ไฟล์ขยายตัวเกินขนาดที่ระบุไว้ในไฟล์ (xl/worksheets/sheet1.xml ระบุ 1,000 ไบต์) ปฏิเสธเพื่อความปลอดภัย (the file expands beyond the sizes it declares (xl/worksheets/sheet1.xml declares 1,000 bytes); refused for safety)',
    ]),
    'zip_with_password': ('refused', [
        'ข้อผิดพลาด zip_with_password.xlsx: ไฟล์ถูกเข้ารหัสด้วยรหัสผ่าน: เอารหัสผ่านออกแล้วบันทึกเป็น .xlsx (the file is encrypted with a password: remove the password and save as .xlsx)',
    ]),
    'empty_file': ('refused', [
        'ข้อผิดพลาด empty_file.xlsx: ไฟล์ว่างเปล่า (0 ไบต์) (the file is empty (0 bytes))',
    ]),
    'missing_file': ('refused', [
        'ข้อผิดพลาด no_such_file.xlsx: ไม่พบไฟล์ {folder}/no_such_file.xlsx (file not found: {folder}/no_such_file.xlsx)',
    ]),
    'html_saved_as_xls': ('refused', [
        'ข้อผิดพลาด html_saved_as_xls.xls: ไฟล์เป็นหน้าเว็บ (HTML) ที่ตั้งนามสกุลเป็น Excel: เปิดใน Excel แล้วบันทึกเป็น .xlsx (the file is a web page (HTML) named like an Excel file: open it in Excel and save it as .xlsx)',
    ]),
    'xml_spreadsheet_2003': ('refused', [
        'ข้อผิดพลาด xml_spreadsheet_2003.xls: ไฟล์เป็น XML Spreadsheet 2003: เปิดใน Excel แล้วบันทึกเป็น .xlsx (the file is an XML Spreadsheet 2003: open it in Excel and save it as .xlsx)',
    ]),
    'csv_named_xlsx': ('refused', [
        'ข้อผิดพลาด csv_named_xlsx.xlsx: ไฟล์เป็นข้อความ (เช่น CSV) แต่ตั้งนามสกุลเป็น Excel: เปลี่ยนนามสกุลเป็น .csv หรือบันทึกเป็น .xlsx (the file is plain text (such as CSV) named like an Excel file: rename it to .csv or save it as .xlsx)',
    ]),
    'xlsb_binary_workbook': ('refused', [
        'ข้อผิดพลาด xlsb_binary_workbook.xlsb: ไฟล์เป็น Excel แบบไบนารี (.xlsb): เปิดใน Excel แล้วบันทึกเป็น .xlsx (the file is an Excel binary workbook (.xlsb): open it in Excel and save it as .xlsx)',
    ]),
    'ods_named_xlsx': ('refused', [
        'ข้อผิดพลาด ods_named_xlsx.xlsx: ไฟล์เป็น OpenDocument (.ods): บันทึกเป็น .xlsx ก่อน (the file is an OpenDocument spreadsheet (.ods): save it as .xlsx first)',
    ]),
    'word_document_named_xlsx': ('refused', [
        'ข้อผิดพลาด word_document_named_xlsx.xlsx: ไฟล์เป็นเอกสาร Word ไม่ใช่ Excel (.xlsx) (the file is a Word document, not an Excel .xlsx workbook)',
    ]),
    'million_rows': ('refused', [
        'ข้อผิดพลาด million_rows.xlsx: เรื่องร้องเรียน: ชีตใช้แถวเกินขีดจำกัด 300,000 แถว: แยกไฟล์ตามปีงบประมาณหรือตามหน่วยงาน หรือลบแถวที่ไม่ใช้ออก (the sheet uses more than the limit of 300,000 rows: split the file by fiscal year or by agency, or delete the unused rows)',
    ]),
    'one_far_away_cell': ('refused', [
        'ข้อผิดพลาด one_far_away_cell.xlsx: เรื่องร้องเรียน: ชีตใช้แถวเกินขีดจำกัด 300,000 แถว: แยกไฟล์ตามปีงบประมาณหรือตามหน่วยงาน หรือลบแถวที่ไม่ใช้ออก (the sheet uses more than the limit of 300,000 rows: split the file by fiscal year or by agency, or delete the unused rows)',
    ]),
    'one_far_right_cell': ('refused', [
        'ข้อผิดพลาด one_far_right_cell.xlsx: เรื่องร้องเรียน: ชีตใช้พื้นที่ถึงเซลล์ XFD1000 (16,384,000 เซลล์ เกินขีดจำกัด 10,000,000): ลบแถวและคอลัมน์ที่ไม่ใช้ออก (the sheet is used up to cell XFD1000 (16,384,000 cells, over the limit of 10,000,000): delete the unused rows and columns)',
    ]),
    'far_cell_all250000': ('refused', [
        'ข้อผิดพลาด far_cell_all250000.xlsx: เรื่องร้องเรียน: ชีตใช้พื้นที่ถึงเซลล์ ALL250000 (250,000,000 เซลล์ เกินขีดจำกัด 10,000,000): ลบแถวและคอลัมน์ที่ไม่ใช้ออก (the sheet is used up to cell ALL250000 (250,000,000 cells, over the limit of 10,000,000): delete the unused rows and columns)',
    ]),
    'far_cell_single_quotes': ('refused', [
        'ข้อผิดพลาด far_cell_single_quotes.xlsx: เรื่องร้องเรียน: ชีตใช้แถวเกินขีดจำกัด 300,000 แถว: แยกไฟล์ตามปีงบประมาณหรือตามหน่วยงาน หรือลบแถวที่ไม่ใช้ออก (the sheet uses more than the limit of 300,000 rows: split the file by fiscal year or by agency, or delete the unused rows)',
    ]),
    'far_cell_lower_case': ('refused', [
        'ข้อผิดพลาด far_cell_lower_case.xlsx: เรื่องร้องเรียน: ชีตใช้พื้นที่ถึงเซลล์ XFD9000 (147,456,000 เซลล์ เกินขีดจำกัด 10,000,000): ลบแถวและคอลัมน์ที่ไม่ใช้ออก (the sheet is used up to cell XFD9000 (147,456,000 cells, over the limit of 10,000,000): delete the unused rows and columns)',
    ]),
    'far_cell_spaces_around_equals': ('refused', [
        'ข้อผิดพลาด far_cell_spaces_around_equals.xlsx: เรื่องร้องเรียน: ชีตใช้แถวเกินขีดจำกัด 300,000 แถว: แยกไฟล์ตามปีงบประมาณหรือตามหน่วยงาน หรือลบแถวที่ไม่ใช้ออก (the sheet uses more than the limit of 300,000 rows: split the file by fiscal year or by agency, or delete the unused rows)',
    ]),
    'far_cell_behind_target_in_other_case': ('refused', [
        'ข้อผิดพลาด far_cell_behind_target_in_other_case.xlsx: เรื่องร้องเรียน: ชีตใช้แถวเกินขีดจำกัด 300,000 แถว: แยกไฟล์ตามปีงบประมาณหรือตามหน่วยงาน หรือลบแถวที่ไม่ใช้ออก (the sheet uses more than the limit of 300,000 rows: split the file by fiscal year or by agency, or delete the unused rows)',
    ]),
    'far_cell_behind_absolute_target': ('refused', [
        'ข้อผิดพลาด far_cell_behind_absolute_target.xlsx: เรื่องร้องเรียน: ชีตใช้แถวเกินขีดจำกัด 300,000 แถว: แยกไฟล์ตามปีงบประมาณหรือตามหน่วยงาน หรือลบแถวที่ไม่ใช้ออก (the sheet uses more than the limit of 300,000 rows: split the file by fiscal year or by agency, or delete the unused rows)',
    ]),
    'far_cell_prefixed_elements': ('refused', [
        'ข้อผิดพลาด far_cell_prefixed_elements.xlsx: เรื่องร้องเรียน: ชีตใช้พื้นที่ถึงเซลล์ IV300000 (76,800,000 เซลล์ เกินขีดจำกัด 10,000,000): ลบแถวและคอลัมน์ที่ไม่ใช้ออก (the sheet is used up to cell IV300000 (76,800,000 cells, over the limit of 10,000,000): delete the unused rows and columns)',
    ]),
    'far_cells_without_references': ('refused', [
        'ข้อผิดพลาด far_cells_without_references.xlsx: เรื่องร้องเรียน: ชีตใช้พื้นที่ถึงเซลล์ BXY6001 (12,008,001 เซลล์ เกินขีดจำกัด 10,000,000): ลบแถวและคอลัมน์ที่ไม่ใช้ออก (the sheet is used up to cell BXY6001 (12,008,001 cells, over the limit of 10,000,000): delete the unused rows and columns)',
    ]),
    'far_cell_reference_as_entity': ('refused', [
        'ข้อผิดพลาด far_cell_reference_as_entity.xlsx: เรื่องร้องเรียน: ชีตใช้พื้นที่ถึงเซลล์ XFD2000 (32,768,000 เซลล์ เกินขีดจำกัด 10,000,000): ลบแถวและคอลัมน์ที่ไม่ใช้ออก (the sheet is used up to cell XFD2000 (32,768,000 cells, over the limit of 10,000,000): delete the unused rows and columns)',
    ]),
    'sheet_with_doctype': ('refused', [
        'ข้อผิดพลาด sheet_with_doctype.xlsx: ไฟล์มี XML ที่ไม่ปลอดภัย (DTD/entity) ใน xl/worksheets/sheet1.xml ปฏิเสธเพื่อความปลอดภัย (the file contains unsafe XML (DTD/entities) in xl/worksheets/sheet1.xml; refused for safety)',
    ]),
    'two_parts_differing_in_case': ('refused', [
        'ข้อผิดพลาด two_parts_differing_in_case.xlsx: ไฟล์ Excel เสียหาย อ่านไม่ได้: ขอไฟล์ต้นฉบับใหม่ หรือเปิดใน Excel แล้วบันทึกใหม่ (the Excel file is corrupt and cannot be read (two parts named xl/worksheets/sheet1.xml and XL/WORKSHEETS/SHEET1.XML): get the original again, or open it in Excel and save it again)',
    ]),
    'stale_declared_dimension': ('read', [
    ]),
    'ods_repeated_cells_30_million': ('refused', [
        'ข้อผิดพลาด ods_repeated_cells_30_million.ods: ไฟล์เป็น OpenDocument (.ods): บันทึกเป็น .xlsx ก่อน (the file is an OpenDocument spreadsheet (.ods): save it as .xlsx first)',
    ]),
    'ods_repeated_empty_rows_before_a_value': ('refused', [
        'ข้อผิดพลาด ods_repeated_empty_rows_before_a_value.ods: ไฟล์เป็น OpenDocument (.ods): บันทึกเป็น .xlsx ก่อน (the file is an OpenDocument spreadsheet (.ods): save it as .xlsx first)',
    ]),
    'xls_far_cell': ('refused', [
        'ข้อผิดพลาด xls_far_cell.xls: ไฟล์เป็น Excel รุ่นเก่า (.xls): เปิดใน Excel แล้วบันทึกเป็น .xlsx (the file is a legacy Excel .xls workbook: open it in Excel and save it as .xlsx)',
    ]),
    'xls_declared_dimensions': ('refused', [
        'ข้อผิดพลาด xls_declared_dimensions.xls: ไฟล์เป็น Excel รุ่นเก่า (.xls): เปิดใน Excel แล้วบันทึกเป็น .xlsx (the file is a legacy Excel .xls workbook: open it in Excel and save it as .xlsx)',
    ]),
    'xlsb_far_cell': ('refused', [
        'ข้อผิดพลาด xlsb_far_cell.xlsb: ไฟล์เป็น Excel แบบไบนารี (.xlsb): เปิดใน Excel แล้วบันทึกเป็น .xlsx (the file is an Excel binary workbook (.xlsb): open it in Excel and save it as .xlsx)',
    ]),
    'csv_tis620_thai': ('read', [
        'คำเตือน csv_tis620_thai.csv: ไฟล์ CSV ไม่ได้เข้ารหัส UTF-8 จึงอ่านด้วยรหัสภาษาไทย TIS-620 (cp874): ตรวจว่าอักษรไทยถูกต้อง (the CSV file is not UTF-8, so it was read as Thai TIS-620 (cp874): check that the Thai text is right)',
    ]),
    'csv_undecodable_bytes': ('refused', [
        'ข้อผิดพลาด csv_undecodable_bytes.csv: อ่านรหัสอักขระของไฟล์ CSV ไม่ได้ (ไม่ใช่ UTF-8, UTF-16 หรือ TIS-620/cp874 ที่บรรทัด 3 ไบต์ที่ 197): บันทึกใหม่เป็น UTF-8 (cannot tell the character encoding of the CSV file (neither UTF-8, UTF-16 nor TIS-620/cp874 on line 3, byte 197): save it again as UTF-8)',
    ]),
    'csv_that_is_an_xlsx': ('refused', [
        'ข้อผิดพลาด csv_that_is_an_xlsx.csv: ไฟล์ไม่ใช่ข้อความ CSV (เป็นไฟล์ไบนารี เช่น Excel ที่ตั้งนามสกุลเป็น .csv) (the file is not CSV text (it is binary, such as an Excel file named .csv))',
    ]),
    'csv_semicolons_and_error_text': ('read', [
        'ข้อผิดพลาด csv_semicolons_and_error_text.csv!B3 (วันที่ศูนย์แจ้งเรื่อง): เซลล์มีค่าผิดพลาดของ Excel #N/A: ใส่ค่าที่ถูกต้องแทน (the cell holds the Excel error value #N/A; enter the right value)',
    ]),
    # what a values reader hides in date cells, formula-like text, names at the file system's limit
    'date_formatted_serial_zero': ('read', [
        'ข้อผิดพลาด เรื่องร้องเรียน!B3 (วันที่ศูนย์แจ้งเรื่อง): อ่านวันที่ไม่ได้ (เลขลำดับวันที่ของ Excel อยู่นอกช่วง): 0.0 (cannot read the date (Excel serial number out of range): 0.0)',
    ]),
    'date_formatted_serial_minus_one': ('read', [
        'ข้อผิดพลาด เรื่องร้องเรียน!B3 (วันที่ศูนย์แจ้งเรื่อง): อ่านวันที่ไม่ได้ (เลขลำดับวันที่ของ Excel อยู่นอกช่วง): -1.0 (cannot read the date (Excel serial number out of range): -1.0)',
    ]),
    'date_formatted_serial_60_excel_fictional_day': ('read', [
        "ข้อผิดพลาด เรื่องร้องเรียน!B3 (วันที่ศูนย์แจ้งเรื่อง): ไม่มีวันที่นี้ในปฏิทิน (เลขลำดับ 60 คือวันที่ 29/02/1900 ที่ Excel แสดง แต่วันนี้ไม่มีจริง: Excel สมมติขึ้นเพื่อให้เข้ากับ Lotus 1-2-3): 60.0 (no such calendar date (serial 60 is the 29/02/1900 Excel shows, a day that never existed: Excel's fictional day kept for Lotus 1-2-3): 60.0)",
    ]),
    'acknowledged_with_today_formula': ('read', [
        'คำเตือน เรื่องร้องเรียน!C3 (วันที่ตอบรับ): สูตร =TODAY() ให้วันที่ของวันที่เปิดไฟล์ ไม่ใช่วันที่ดำเนินการ: cplkpi อ่านค่าที่คำนวณไว้ตอนบันทึกไฟล์ครั้งล่าสุด ซึ่งเปลี่ยนทุกวัน ให้ใส่วันที่จริงเป็นค่าแทนสูตร (the formula =TODAY() gives the date the file is opened, not the date of the action: cplkpi reads the value stored when the file was last saved, which changes every day; enter the real date as a value instead of the formula)',
    ]),
    'citizen_text_like_formulas': ('read', []),
    'text_like_console_markup': ('read', [
        "คำเตือน เรื่องร้องเรียน!F3 (สถานะ): สถานะไม่รู้จัก เก็บไว้ตามเดิม: '[/]รอ[bold]ตรวจ' (unknown status, kept as is: '[/]รอ[bold]ตรวจ')",
    ]),
    'agency_of_100_thai_characters': ('read', []),
    'file_name_of_245_bytes': ('read', []),
}

# impossible times and zones, invisible characters, text encodings
EXPECTED.update({
    'timestamp_with_zone_plus_99': ('read', [
        'ข้อผิดพลาด เรื่องร้องเรียน!B3 (วันที่ศูนย์แจ้งเรื่อง): อ่านวันที่ไม่ได้ (ไม่มีเขตเวลา UTC+99: เขตเวลาอยู่ระหว่าง −12:00 ถึง +14:00 กรุงเทพฯ คือ +07:00): "2019-10-01 10:00:00+99" (cannot read the date (no such time zone UTC+99: zones run from −12:00 to +14:00; Bangkok is +07:00): "2019-10-01 10:00:00+99")',
    ]),
    'timestamp_at_25_61': ('read', [
        'ข้อผิดพลาด เรื่องร้องเรียน!C3 (วันที่ตอบรับ): อ่านวันที่ไม่ได้ (ไม่มีเวลา 25:61:00 ในหนึ่งวัน): "2019-10-01 25:61:00+07" (cannot read the date (no such time of day 25:61:00): "2019-10-01 25:61:00+07")',
    ]),
    'header_with_zero_width_space': ('read', [
        'คำเตือน เรื่องร้องเรียน!C1 (วันที่ตอบรับ): อ่านหัวตาราง "วันที่ตอบรับ⟨U+200B⟩" เป็น "วันที่ตอบรับ": ตัดอักขระที่มองไม่เห็นออก; ควรแก้ในไฟล์ต้นฉบับ (header "วันที่ตอบรับ⟨U+200B⟩" read as "วันที่ตอบรับ": invisible characters removed; correct the source file)',
    ]),
    'header_with_double_sara_e': ('read', [
        'คำเตือน เรื่องร้องเรียน!E1 (วันที่แล้วเสร็จ): อ่านหัวตาราง "วันที่เเล้วเสร็จ" เป็น "วันที่แล้วเสร็จ": แก้อักษรไทยที่พิมพ์ต่างรูป เช่น เเ เป็น แ หรือ ํา เป็น ำ; ควรแก้ในไฟล์ต้นฉบับ (header "วันที่เเล้วเสร็จ" read as "วันที่แล้วเสร็จ": look-alike Thai letters unified, such as เเ to แ or ํา to ำ; correct the source file)',
    ]),
    'ids_differing_by_invisible_characters_digits_and_case': ('read', [
        'คำเตือน เรื่องร้องเรียน!A3 (เลขที่เรื่อง): อ่านเลขที่เรื่อง "6300001⟨U+200B⟩" เป็น "6300001": ตัดอักขระที่มองไม่เห็นออก; ควรแก้ในไฟล์ต้นฉบับ (complaint id "6300001⟨U+200B⟩" read as "6300001": invisible characters removed; correct the source file)',
        'คำเตือน เรื่องร้องเรียน!A4 (เลขที่เรื่อง): อ่านเลขที่เรื่อง "６３００００１" เป็น "6300001": เปลี่ยนตัวเลขเต็มความกว้าง เลขไทย หรือช่องว่างพิเศษเป็นแบบปกติ; ควรแก้ในไฟล์ต้นฉบับ (complaint id "６３００００１" read as "6300001": full-width or Thai digits or odd spaces made plain; correct the source file)',
        'คำเตือน เรื่องร้องเรียน!A6 (เลขที่เรื่อง): อ่านเลขที่เรื่อง "bkk-7" เป็น "BKK-7": เปลี่ยนเป็นตัวพิมพ์ใหญ่; ควรแก้ในไฟล์ต้นฉบับ (complaint id "bkk-7" read as "BKK-7": letters made upper case; correct the source file)',
        'ข้อผิดพลาด เรื่องร้องเรียน!A3 (เลขที่เรื่อง): เลขที่เรื่องซ้ำ 6300001 (ซ้ำกับแถว 2) (duplicate complaint id 6300001 (first at row 2))',
        'ข้อผิดพลาด เรื่องร้องเรียน!A4 (เลขที่เรื่อง): เลขที่เรื่องซ้ำ 6300001 (ซ้ำกับแถว 2) (duplicate complaint id 6300001 (first at row 2))',
        'ข้อผิดพลาด เรื่องร้องเรียน!A6 (เลขที่เรื่อง): เลขที่เรื่องซ้ำ BKK-7 (ซ้ำกับแถว 5) (duplicate complaint id BKK-7 (first at row 5))',
    ]),
    'csv_with_a_second_bom': ('read', []),  # every BOM before the text is dropped: a BOM is never content
    'csv_utf16_le_with_bom': ('read', [
    ]),
    'csv_utf16_le_without_bom': ('read', [
    ]),
    'csv_utf16_be_with_bom': ('read', [
    ]),
    'csv_utf16_be_without_bom': ('read', [
    ]),
    'csv_utf16_cut_to_an_odd_length': ('refused', [
        'ข้อผิดพลาด csv_utf16_cut_to_an_odd_length.csv: ไฟล์ CSV ไม่สมบูรณ์: ข้อความ UTF-16 LE ต้องมีจำนวนไบต์เป็นเลขคู่ แต่ไฟล์นี้ขาดไป 1 ไบต์ ที่ท้ายไฟล์ (บรรทัด 3): ไฟล์อาจถูกตัดระหว่างคัดลอก ขอไฟล์ใหม่จากต้นทาง (the CSV file is incomplete: UTF-16 LE text has an even number of bytes but this file ends one byte short (line 3): it may have been cut while copied; get the file again)',
    ]),
    'csv_utf16_unpaired_surrogate': ('refused', [
        'ข้อผิดพลาด csv_utf16_unpaired_surrogate.csv: อ่านไฟล์ CSV ไม่ได้: อักขระ UTF-16 LE ไม่สมบูรณ์ (surrogate ไม่มีคู่) ที่บรรทัด 4 ไบต์ที่ 526: บันทึกใหม่เป็น UTF-8 (cannot read the CSV file: an incomplete UTF-16 LE character (unpaired surrogate) on line 4, byte 526: save it again as UTF-8)',
    ]),
    'csv_field_of_200000_characters': ('read', [
    ]),
    'csv_unclosed_quote_over_the_field_limit': ('refused', [
        'ข้อผิดพลาด csv_unclosed_quote_over_the_field_limit.csv: ช่องข้อมูลในแถวที่เริ่มที่บรรทัด 4 ยาวเกิน 1,048,576 อักขระ: มักเกิดจากเครื่องหมาย " ที่ไม่มีคู่ ตรวจบรรทัดนั้น (a field of the record starting on line 4 is longer than 1,048,576 characters: usually a " without its closing quote; check that line)',
    ]),
    'shared_strings_declare_4294967295': ('refused', [
        'ข้อผิดพลาด shared_strings_declare_4294967295.xlsx: ไฟล์ระบุจำนวนรายการใน xl/sharedStrings.xml (sst uniqueCount="4,294,967,295") เกินกว่าที่มีจริง (1 รายการ, ขีดจำกัด 1,001) ปฏิเสธเพื่อความปลอดภัย: เปิดใน Excel แล้วบันทึกใหม่ (the file declares more entries in xl/sharedStrings.xml (sst uniqueCount="4,294,967,295") than it holds (1, limit 1,001); refused for safety: open it in Excel and save it again)',
    ]),
    'shared_strings_reference_count_4294967295': ('refused', [
        'ข้อผิดพลาด shared_strings_reference_count_4294967295.xlsx: ไฟล์ระบุจำนวนรายการใน xl/sharedStrings.xml (sst count="4,294,967,295") เกินกว่าที่มีจริง (1 รายการ, ขีดจำกัด 10,000,000) ปฏิเสธเพื่อความปลอดภัย: เปิดใน Excel แล้วบันทึกใหม่ (the file declares more entries in xl/sharedStrings.xml (sst count="4,294,967,295") than it holds (1, limit 10,000,000); refused for safety: open it in Excel and save it again)',
    ]),
    'ods_cell_of_2000000000_spaces': ('refused', [
        'ข้อผิดพลาด ods_cell_of_2000000000_spaces.ods: ไฟล์เป็น OpenDocument (.ods): บันทึกเป็น .xlsx ก่อน (the file is an OpenDocument spreadsheet (.ods): save it as .xlsx first)',
    ]),
    'ods_cells_of_spaces_tabs_and_breaks_past_the_total': ('refused', [
        'ข้อผิดพลาด ods_cells_of_spaces_tabs_and_breaks_past_the_total.ods: ไฟล์เป็น OpenDocument (.ods): บันทึกเป็น .xlsx ก่อน (the file is an OpenDocument spreadsheet (.ods): save it as .xlsx first)',
    ]),
    'workbook_without_calc_properties': ('read', [
    ]),
    'reopen_count_out_of_range': ('read', [
        'ข้อผิดพลาด เรื่องร้องเรียน!I3 (จำนวนครั้งที่เปิดใหม่): จำนวนมากเกินไป ต้องเป็นจำนวนเต็มตั้งแต่ 0 ถึง 1,000,000: 1e+300 (too large: must be a whole number from 0 to 1,000,000: 1e+300)',
        'ข้อผิดพลาด เรื่องร้องเรียน!I4 (จำนวนครั้งที่เปิดใหม่): จำนวนมากเกินไป ต้องเป็นจำนวนเต็มตั้งแต่ 0 ถึง 1,000,000: 9.223372036854776e+18 (too large: must be a whole number from 0 to 1,000,000: 9.223372036854776e+18)',
        "ข้อผิดพลาด เรื่องร้องเรียน!I5 (จำนวนครั้งที่เปิดใหม่): จำนวนมากเกินไป ต้องเป็นจำนวนเต็มตั้งแต่ 0 ถึง 1,000,000: '1e300' (too large: must be a whole number from 0 to 1,000,000: '1e300')",
        "ข้อผิดพลาด เรื่องร้องเรียน!I6 (จำนวนครั้งที่เปิดใหม่): จำนวนมากเกินไป ต้องเป็นจำนวนเต็มตั้งแต่ 0 ถึง 1,000,000: '99999999999999999999999999999999999999999999999999999999… (too large: must be a whole number from 0 to 1,000,000: '99999999999999999999999999999999999999999999999999999999…)",
        'ข้อผิดพลาด เรื่องร้องเรียน!I7 (จำนวนครั้งที่เปิดใหม่): จำนวนมากเกินไป ต้องเป็นจำนวนเต็มตั้งแต่ 0 ถึง 1,000,000: 1000001.0 (too large: must be a whole number from 0 to 1,000,000: 1000001.0)',
    ]),
    'cell_beyond_column_xfd': ('refused', [
        "ข้อผิดพลาด cell_beyond_column_xfd.xlsx: เรื่องร้องเรียน: ชีตมีเซลล์ที่คอลัมน์ ZZZZ เลยคอลัมน์สุดท้ายของ Excel (XFD = 16,384 คอลัมน์): ไฟล์ไม่ได้เขียนโดย Excel หรือเสียหาย เปิดใน Excel แล้วบันทึกใหม่ (the sheet has a cell in column ZZZZ, beyond Excel's last column (XFD = 16,384 columns): the file was not written by Excel or is damaged; open it in Excel and save it again)",
    ]),
    'merged_range_to_xfd1048576': ('refused', [
        'ข้อผิดพลาด merged_range_to_xfd1048576.xlsx: เรื่องร้องเรียน: ชีตใช้แถวเกินขีดจำกัด 300,000 แถว: แยกไฟล์ตามปีงบประมาณหรือตามหน่วยงาน หรือลบแถวที่ไม่ใช้ออก (the sheet uses more than the limit of 300,000 rows: split the file by fiscal year or by agency, or delete the unused rows)',
    ]),
    'merged_range_of_16_million_cells': ('refused', [
        'ข้อผิดพลาด merged_range_of_16_million_cells.xlsx: เรื่องร้องเรียน: ชีตใช้พื้นที่ถึงเซลล์ XFD1001 (16,400,384 เซลล์ เกินขีดจำกัด 10,000,000): ลบแถวและคอลัมน์ที่ไม่ใช้ออก (the sheet is used up to cell XFD1001 (16,400,384 cells, over the limit of 10,000,000): delete the unused rows and columns)',
    ]),
    'merged_ranges_overlapping_11_million_cells': ('refused', [
        "ข้อผิดพลาด merged_ranges_overlapping_11_million_cells.xlsx: เรื่องร้องเรียน: เซลล์ที่ผสานรวมกันในชีตครอบคลุมเกิน 10,000,000 เซลล์: ยกเลิกการผสานเซลล์ที่ไม่ใช้ (the sheet's merged cells cover more than 10,000,000 cells: unmerge the unused ones)",
    ]),
    'style_index_4294967295': ('read', [
        'ข้อผิดพลาด เรื่องร้องเรียน!1: ไม่มีคอลัมน์ที่จำเป็น: วันที่ศูนย์แจ้งเรื่อง (ใช้หัวตาราง วันที่ศูนย์แจ้งเรื่อง / วันที่ศูนย์ฯแจ้งเรื่อง / วันที่ศูนย์รับแจ้งทุกข์แจ้งเรื่อง) (missing required column forwarded_on (header วันที่ศูนย์แจ้งเรื่อง / วันที่ศูนย์ฯแจ้งเรื่อง / วันที่ศูนย์รับแจ้งทุกข์แจ้งเรื่อง))',
    ]),
    'shared_string_index_999999': ('refused', [
        'ข้อผิดพลาด shared_string_index_999999.xlsx: อ่านไฟล์ shared_string_index_999999.xlsx ไม่ได้ ไฟล์อาจเสียหาย (Cell string index not found in shared strings table) (cannot read shared_string_index_999999.xlsx, the file may be corrupt (CalamineError: Cell string index not found in shared strings table))',
    ]),
    'number_cell_holding_abc': ('read', [
        'ข้อผิดพลาด เรื่องร้องเรียน!1: ไม่มีคอลัมน์ที่จำเป็น: วันที่ศูนย์แจ้งเรื่อง (ใช้หัวตาราง วันที่ศูนย์แจ้งเรื่อง / วันที่ศูนย์ฯแจ้งเรื่อง / วันที่ศูนย์รับแจ้งทุกข์แจ้งเรื่อง) (missing required column forwarded_on (header วันที่ศูนย์แจ้งเรื่อง / วันที่ศูนย์ฯแจ้งเรื่อง / วันที่ศูนย์รับแจ้งทุกข์แจ้งเรื่อง))',
    ]),
    'number_cell_holding_nan': ('read', [
        'ข้อผิดพลาด เรื่องร้องเรียน!1: ไม่มีคอลัมน์ที่จำเป็น: วันที่ศูนย์แจ้งเรื่อง (ใช้หัวตาราง วันที่ศูนย์แจ้งเรื่อง / วันที่ศูนย์ฯแจ้งเรื่อง / วันที่ศูนย์รับแจ้งทุกข์แจ้งเรื่อง) (missing required column forwarded_on (header วันที่ศูนย์แจ้งเรื่อง / วันที่ศูนย์ฯแจ้งเรื่อง / วันที่ศูนย์รับแจ้งทุกข์แจ้งเรื่อง))',
    ]),
    'csv_utf32_le_with_bom': ('refused', [
        'ข้อผิดพลาด csv_utf32_le_with_bom.csv: ไฟล์เข้ารหัสแบบ UTF-32 LE ซึ่งไม่รองรับ: บันทึกใหม่เป็น UTF-8 (the file is encoded as UTF-32 LE, which is not supported: save it again as UTF-8)',
    ]),
    'csv_utf32_be_with_bom': ('refused', [
        'ข้อผิดพลาด csv_utf32_be_with_bom.csv: ไฟล์เข้ารหัสแบบ UTF-32 BE ซึ่งไม่รองรับ: บันทึกใหม่เป็น UTF-8 (the file is encoded as UTF-32 BE, which is not supported: save it again as UTF-8)',
    ]),
    'csv_with_a_nul_in_a_field': ('read', []),  # a stray NUL is text (written files drop it: XML cannot hold it)
    'shared_strings_under_another_name_declare_4294967295': ('refused', [
        'ข้อผิดพลาด shared_strings_under_another_name_declare_4294967295.xlsx: ไฟล์ระบุจำนวนรายการใน xl/strings/text.xml (sst uniqueCount="4,294,967,295") เกินกว่าที่มีจริง (1 รายการ, ขีดจำกัด 1,001) ปฏิเสธเพื่อความปลอดภัย: เปิดใน Excel แล้วบันทึกใหม่ (the file declares more entries in xl/strings/text.xml (sst uniqueCount="4,294,967,295") than it holds (1, limit 1,001); refused for safety: open it in Excel and save it again)',
    ]),
    'sheet_target_external_file': ('refused', [
        'ข้อผิดพลาด sheet_target_external_file.xlsx: อ่านไฟล์ sheet_target_external_file.xlsx ไม่ได้ ไฟล์อาจเสียหาย ("There is no item named \'xl/file:/etc/passwd\' in the archive") (cannot read sheet_target_external_file.xlsx, the file may be corrupt (KeyError: "There is no item named \'xl/file:/etc/passwd\' in the archive"))',
    ]),
})


def _sha256(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def _placeholders(path: Path) -> dict[str, object]:
    values: dict[str, object] = {"folder": path.parent}
    if path.exists() and zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as zf:
            total = sum(i.file_size for i in zf.infolist())
            packed = sum(i.compress_size for i in zf.infolist())
        values.update(total=total, ratio=total / max(packed, 1))
    return values


def _read(path: Path) -> tuple[str, list]:
    try:
        return "read", read_workbook(path).problems
    except InputError as exc:
        n = len(exc.problems)
        assert str(exc).splitlines()[0] == f"พบปัญหาในข้อมูล {n} รายการ (found {n} problem{'s' if n != 1 else ''} in the input)"
        return "refused", exc.problems


def test_the_corpus_has_at_least_50_bad_inputs_and_each_has_its_expected_message():
    assert len(corpus.CORPUS) >= 50
    assert set(EXPECTED) == set(corpus.CORPUS)


@pytest.mark.parametrize("name", list(EXPECTED))
def test_bad_input_gets_its_exact_message_and_the_source_stays_byte_identical(name, tmp_path):
    path = corpus.CORPUS[name](tmp_path)
    before, listing = _sha256(path), sorted(os.listdir(tmp_path))
    kind, problems = _read(path)
    expected_kind, lines = EXPECTED[name]
    values = _placeholders(path)
    assert (kind, [str(p) for p in problems]) == (expected_kind, [line.format(**values) for line in lines])
    for p in problems:  # every message says where: the sheet (or the file) and, for a cell, row and column
        assert p.sheet
        if p.letter:
            assert p.row
    assert _sha256(path) == before
    assert sorted(os.listdir(tmp_path)) == listing  # nothing written beside the input


# --- what is read from the inputs that are accepted with problems --------------------------------------

def test_tis620_csv_is_read_with_its_thai_text(tmp_path):
    book = read_workbook(corpus.CORPUS["csv_tis620_thai"](tmp_path))
    t = book.complaints.table
    assert list(t["complaint_id"]) == ["6300001", "6300002"]
    assert list(t["status"]) == ["completed", "in_progress"]
    assert t.loc[2, "result_detail"] == "ซ่อมผิวถนนแล้ว" and t.loc[3, "forwarded_on"] == pd.Timestamp("2019-10-02")


def test_hidden_and_merged_rows_are_still_counted_never_dropped(tmp_path):
    book = read_workbook(corpus.CORPUS["hidden_rows_filtered"](tmp_path))
    assert list(book.complaints.table.index) == [2, 3, 4, 5, 6, 7]
    book = read_workbook(corpus.CORPUS["merged_cells_in_data"](tmp_path))
    assert list(book.complaints.table.index) == [2, 3] and pd.isna(book.complaints.table.loc[3, "status"])


def test_formulas_with_values_are_read_and_error_cells_are_empty(tmp_path):
    book = read_workbook(corpus.CORPUS["formula_errors_from_libreoffice"](tmp_path))
    t = book.complaints.table
    assert t.loc[2, "forwarded_on"] == pd.Timestamp("2019-10-01") and t.loc[2, "acknowledged_on"] == pd.Timestamp("2019-10-02")
    assert pd.isna(t.loc[3, "forwarded_on"]) and pd.isna(t.loc[4, "complaint_id"])
    assert t.loc[4, "forwarded_on"] == pd.Timestamp("2019-10-03")


def test_a_sheet_named_with_decomposed_sara_am_is_recognised(tmp_path):
    book = read_workbook(corpus.CORPUS["sheet_and_header_typed_with_decomposed_sara_am"](tmp_path))
    assert book.monthly_reports is not None and len(book.monthly_reports.table) == 1


def test_date_cells_read_as_their_stored_numbers_and_today_as_its_cached_value(tmp_path):
    """calamine shows a date-formatted 0 as a time of day and 60 as 28/02/1900: the number stored is used."""
    for name in ("date_formatted_serial_zero", "date_formatted_serial_60_excel_fictional_day"):
        problem = read_workbook(corpus.CORPUS[name](tmp_path)).problems[0]
        assert (problem.code, problem.row, problem.letter) == ("date_invalid" if "zero" in name else "date_impossible", 3, "B")
    t = read_workbook(corpus.CORPUS["acknowledged_with_today_formula"](tmp_path)).complaints.table
    assert t.loc[3, "acknowledged_on"] == pd.Timestamp("2019-10-03")  # the value the file was saved with


def test_formula_like_citizen_text_is_read_as_text(tmp_path):
    t = read_workbook(corpus.CORPUS["citizen_text_like_formulas"](tmp_path)).complaints.table
    assert list(t["result_detail"])[1:] == corpus.FORMULA_LIKE


def test_macros_are_reported_and_the_values_still_read(tmp_path):
    book = read_workbook(corpus.CORPUS["xlsm_with_macros"](tmp_path))
    assert list(book.complaints.table["complaint_id"]) == ["6300001"]
    assert book.complaints.table.loc[2, "forwarded_on"] == pd.Timestamp(dt.date(2019, 10, 1))


@pytest.mark.parametrize("name", ["csv_utf16_le_with_bom", "csv_utf16_le_without_bom", "csv_utf16_be_with_bom",
                                  "csv_utf16_be_without_bom", "csv_with_a_second_bom"])
def test_a_csv_in_any_unicode_encoding_reads_the_same_table_as_utf8(name, tmp_path):
    table = read_workbook(corpus.CORPUS[name](tmp_path)).complaints.table
    assert list(table["complaint_id"]) == ["6300001", "6300002"] and list(table["status"]) == ["completed", "in_progress"]
    assert table.loc[2, "result_detail"] == "ซ่อมผิวถนนแล้ว" and table.loc[3, "forwarded_on"] == pd.Timestamp("2019-10-02")


def test_a_field_longer_than_the_csv_module_default_is_read_whole(tmp_path):
    table = read_workbook(corpus.CORPUS["csv_field_of_200000_characters"](tmp_path)).complaints.table
    assert table.loc[4, "result_detail"] == "ก" * 200_000


def test_a_nul_byte_inside_a_utf8_csv_field_is_read_as_text_not_refused_as_binary(tmp_path):
    table = read_workbook(corpus.CORPUS["csv_with_a_nul_in_a_field"](tmp_path)).complaints.table
    assert table.loc[2, "result_detail"] == "ซ่อมผิวถนน\x00แล้ว" and table.loc[2, "forwarded_on"] == pd.Timestamp("2019-10-01")
