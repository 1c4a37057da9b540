"""Responsible agency, unit and district from an organisation chain.

Traffy Fondue lists the organisations a ticket is assigned to as one
comma-separated chain, in no fixed order::

    เขตสาทร,ฝ่ายโยธา เขตสาทร
    กรุงเทพมหานคร, เขตสะพานสูง, สำนักการโยธา กทม.
    ฝ่ายเทศกิจ เขตป้อมปราบศัตรูพ่าย, เขตป้อมปราบศัตรูพ่าย, กรุงเทพมหานคร

The rules (docs/import.md):

* The **agency** is the district office named in the chain (``เขตสาทร`` or
  ``สำนักงานเขตสาทร``), written as ``สำนักงานเขตสาทร`` like the complaint
  workbooks do; a chain that names only a section of a district office
  (``ฝ่ายโยธา เขตวัฒนา``) names that office too. When the chain names several
  district offices, the one where the problem is (the row's district) wins,
  else the first. Without a district office, the agency is the first
  organisation that is not a platform tag (:data:`PLATFORM_TAGS`).
* The **unit** is the district's own section: ``ฝ่ายโยธา เขตสาทร`` → ``ฝ่ายโยธา``
  (several are joined with ", ").
* Every other organisation goes to ``other_agencies``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

__all__ = [
    "BANGKOK_DISTRICTS",
    "CHANNEL_1555_TAG",
    "PLATFORM_TAGS",
    "Responsible",
    "district_name",
    "district_office",
    "split_organization",
    "split_organizations",
]

#: The 50 districts (เขต) of Bangkok.
BANGKOK_DISTRICTS: tuple[str, ...] = (
    "พระนคร", "ดุสิต", "หนองจอก", "บางรัก", "บางเขน", "บางกะปิ", "ปทุมวัน", "ป้อมปราบศัตรูพ่าย", "พระโขนง",
    "มีนบุรี", "ลาดกระบัง", "ยานนาวา", "สัมพันธวงศ์", "พญาไท", "ธนบุรี", "บางกอกใหญ่", "ห้วยขวาง", "คลองสาน",
    "ตลิ่งชัน", "บางกอกน้อย", "บางขุนเทียน", "ภาษีเจริญ", "หนองแขม", "ราษฎร์บูรณะ", "บางพลัด", "ดินแดง",
    "บึงกุ่ม", "สาทร", "บางซื่อ", "จตุจักร", "บางคอแหลม", "ประเวศ", "คลองเตย", "สวนหลวง", "จอมทอง",
    "ดอนเมือง", "ราชเทวี", "ลาดพร้าว", "วัฒนา", "บางแค", "หลักสี่", "สายไหม", "คันนายาว", "สะพานสูง",
    "วังทองหลาง", "คลองสามวา", "บางนา", "ทวีวัฒนา", "ทุ่งครุ", "บางบอน",
)
_DISTRICTS = frozenset(BANGKOK_DISTRICTS)

#: The organisation that marks a ticket filed through the 1555 hotline.
CHANNEL_1555_TAG = "ร้องทุกข์ กทม. 1555"

#: Chain members that are platform tags or the city as a whole, never the responsible agency.
PLATFORM_TAGS = frozenset({
    "กรุงเทพมหานคร", "เพื่อนชัชชาติ", CHANNEL_1555_TAG, "ปัญหาที่ต้องแก้เชิงนโยบาย",
    "ยังไม่มีหน่วยงานรับผิดชอบ", "สำนักงานเขต",
})

_OFFICE = re.compile(r"^(?:สำนักงาน\s*)?เขต\s*(\S+)$")
# a district's own section: ฝ่ายโยธา เขตสาทร, พนักงานกวาด เขตบางพลัด, กลุ่มงานอาคาร เขตX
_SECTION = re.compile(r"^((?:ฝ่าย|พนักงาน|กลุ่มงาน)\S*(?:\s+\S+)*?)\s+เขต\s*(\S+)$")


def district_name(text: object) -> str | None:
    """The district named by ``เขตสาทร``, ``สำนักงานเขตสาทร``, ``เขต สาทร`` or ``สาทร``; None otherwise."""
    if not isinstance(text, str):
        return None
    s = re.sub(r"\s+", " ", text).strip()
    if s in _DISTRICTS:
        return s
    m = _OFFICE.match(s)
    return m[1] if m and m[1] in _DISTRICTS else None


def district_office(district: str) -> str:
    """The agency name of a district office: ``สาทร`` → ``สำนักงานเขตสาทร``."""
    return f"สำนักงานเขต{district}"


@dataclass(frozen=True)
class Responsible:
    """What an organisation chain says about who must act."""

    agency: str | None
    unit: str | None
    district: str | None
    other_agencies: str | None


def split_organization(chain: object, location: object = None) -> Responsible:
    """Split one organisation chain (see the module docstring); ``location`` is the row's district."""
    if not isinstance(chain, str) or not chain.strip():
        return Responsible(None, None, None, None)
    members = [m for m in (re.sub(r"\s+", " ", x).strip() for x in chain.split(",")) if m]
    members = list(dict.fromkeys(members))
    districts = [d for d in map(district_name, members) if d is not None]
    if not districts:  # a district's own section without the district office: that office is involved
        districts = [m[2] for m in map(_SECTION.match, members) if m and m[2] in _DISTRICTS]
    where = district_name(location)
    district = where if where in districts else (districts[0] if districts else None)
    units, others = [], []
    for m in members:
        if district_name(m) is not None or m in PLATFORM_TAGS:
            continue
        sec = _SECTION.match(m)
        if district is not None and sec and sec[2] == district:
            units.append(sec[1])
        else:
            others.append(m)
    if district is not None:
        agency = district_office(district)
    elif others:
        agency = others.pop(0)
    else:
        agency = None
    return Responsible(agency, ", ".join(units) or None, district, ", ".join(others) or None)


def split_organizations(chains: pd.Series, location: pd.Series | None = None) -> pd.DataFrame:
    """:func:`split_organization` over a column, once per distinct (chain, district) pair.

    Returns a frame with the index of ``chains`` and the columns agency, unit,
    district, other_agencies (string dtype, NA where empty).
    """
    loc = location if location is not None else pd.Series(pd.NA, index=chains.index, dtype="string")
    pairs = pd.MultiIndex.from_arrays([chains.astype("string").fillna(""), loc.astype("string").fillna("")])
    codes, uniques = pd.factorize(pairs)
    parts = [split_organization(c, d or None) for c, d in uniques]
    out = {}
    for name in ("agency", "unit", "district", "other_agencies"):
        values = pd.array([getattr(p, name) for p in parts], dtype="string")
        out[name] = pd.Series(values.take(codes), index=chains.index, dtype="string")
    return pd.DataFrame(out)
