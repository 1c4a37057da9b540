"""Rule sets as data: one TOML file per rule set under ``scoring/rulesets/``.

A new fiscal year's rules are a new file, not a code change. The engine knows
a fixed vocabulary of per-complaint *criteria* (below); a rule set combines
them into scored *components* with points, a threshold and deductions.
"""

from __future__ import annotations

import datetime as _dt
import functools
import math
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Literal

from .catalogue import labels
from .errors import CplError
from .text import short_repr

__all__ = [
    "CRITERIA",
    "DEFAULT_RULES",
    "AuditDeduction",
    "Component",
    "Deadlines",
    "LateReportDeduction",
    "LevelRules",
    "RuleSet",
    "available_rules",
    "load_rules",
    "short_label",
]

#: The criteria the engine evaluates per complaint (or per month), with Thai and English labels
#: (``scoring/data/labels.toml``).
CRITERIA: dict[str, tuple[str, str]] = labels(__package__ or "cplkpi.scoring", "labels", "criterion")
MONTHLY_CRITERIA = frozenset({"monthly_report_on_time"})

#: The rule set every job uses unless told otherwise: the BMA complaint criteria of B.E. 2557.
DEFAULT_RULES = "bma-2557"

_RULESETS = resources.files(__package__).joinpath("rulesets")


class RuleSetError(CplError, ValueError):
    """A rule-set file is missing or inconsistent."""


@dataclass(frozen=True)
class Deadlines:
    ack_business_days: int = 1
    progress_business_days: int = 3
    followup_days: tuple[int, ...] = (15, 30)
    followup_non_business: Literal["next", "previous", "keep"] = "next"
    due_soon_business_days: int = 1
    monthly_report_due_day: int = 10


@dataclass(frozen=True)
class Component:
    key: str
    step: int
    label_th: str
    label_en: str
    points: float
    criteria: tuple[str, ...]
    scoring: Literal["threshold", "full_minus_deductions"] = "threshold"

    @property
    def monthly(self) -> bool:
        """True for a component judged per month (the monthly summary), not per complaint."""
        return set(self.criteria) <= MONTHLY_CRITERIA


def short_label(label: str) -> str:
    """A component's short label, its first two words: ``ขั้นตอนที่ 2.1 แก้ไข…`` → ``ขั้นตอนที่ 2.1``,
    ``ส่วนที่ 1 ด้าน…`` → ``ส่วนที่ 1``."""
    m = re.match(r"\s*(\S+\s+\S+)", label)
    return m[1] if m else label


@dataclass(frozen=True)
class AuditDeduction:
    per_month: float
    sample_pct: float
    min_accuracy_pct: float
    from_step: int


@dataclass(frozen=True)
class LateReportDeduction:
    per_month: float
    from_step: int


@dataclass(frozen=True)
class LevelRules:
    cap_pct: float
    thresholds_pct: tuple[float, ...]
    interpolate: bool
    below_first: float
    project_late: float
    project_late_per_day: float
    revision_late: float
    revision_business_days: int
    max_reviews: int
    announce_business_days: int
    appeal_business_days: int


@dataclass(frozen=True)
class RuleSet:
    """A loaded rule set. ``kind`` is ``"complaints"`` (step scoring) or ``"levels"`` (Best Service)."""

    name: str
    kind: Literal["complaints", "levels"]
    title_th: str
    title_en: str
    source: str
    total_points: float = 0
    threshold_pct: float = 100
    pct_decimals: int = 2
    score_decimals: int = 4
    deadlines: Deadlines = field(default_factory=Deadlines)
    components: tuple[Component, ...] = ()
    audit: AuditDeduction | None = None
    late_report: LateReportDeduction | None = None
    levels: LevelRules | None = None
    data_window: tuple[_dt.date, _dt.date] | None = None

    @property
    def steps(self) -> tuple[int, ...]:
        return tuple(sorted({c.step for c in self.components}))

    def step_points(self, step: int) -> float:
        return sum(c.points for c in self.components if c.step == step)


def available_rules() -> list[str]:
    """Names of the shipped rule sets."""
    return sorted(p.name.removesuffix(".toml") for p in _RULESETS.iterdir() if p.name.endswith(".toml"))


def load_rules(name_or_path: str | Path | RuleSet = DEFAULT_RULES) -> RuleSet:
    """Load a shipped rule set by name (``bma-2557``) or any rule-set TOML file by path."""
    if isinstance(name_or_path, RuleSet):
        return name_or_path
    return _load(str(name_or_path))


@functools.cache
def _load(name_or_path: str) -> RuleSet:
    path = Path(name_or_path)
    if path.suffix == ".toml" and path.exists():
        where = str(path)
        data = _read_toml(path.read_bytes(), where)
    else:
        res = _RULESETS.joinpath(f"{name_or_path}.toml")
        if not res.is_file():
            raise RuleSetError(
                f"ไม่พบชุดเกณฑ์ {name_or_path!r} (unknown rule set); มีให้เลือก (available): "
                + ", ".join(available_rules())
            )
        where = f"rulesets/{name_or_path}.toml"
        data = _read_toml(res.read_bytes(), where)
    try:
        return _parse(data)
    except KeyError as exc:
        key = exc.args[0] if exc.args else "?"
        raise RuleSetError(f"ไฟล์ชุดเกณฑ์ {where} ไม่มีค่า {key} ที่ต้องมี "
                           f"(the rule-set file {where} lacks the required key {key})") from exc
    except (TypeError, ValueError) as exc:
        raise RuleSetError(f"ไฟล์ชุดเกณฑ์ {where} มีค่าที่ใช้ไม่ได้: {exc} "
                           f"(the rule-set file {where} has a value that cannot be used: {exc})") from exc


_TOML_AT = re.compile(r"^(?P<what>.*?)\s*\(at line (?P<line>\d+), column (?P<col>\d+)\)$")


def _read_toml(raw: bytes, where: str) -> dict:
    """The TOML document in ``raw`` (UTF-8, a BOM allowed); a typo or a wrong encoding is a
    :class:`RuleSetError` naming the file, and for a typo its line and column."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RuleSetError(f"ไฟล์ชุดเกณฑ์ {where} ไม่ได้บันทึกเป็น UTF-8 (ไบต์ที่ {exc.start:,}): "
                           f"บันทึกใหม่เป็น UTF-8 (the rule-set file {where} is not UTF-8 (byte "
                           f"{exc.start:,}): save it as UTF-8)") from exc
    try:
        data = tomllib.loads(text)
        _check_numbers(data, where, "")
    except RecursionError as exc:
        raise RuleSetError(f"ไฟล์ชุดเกณฑ์ {where} ซ้อนตาราง/รายการลึกเกินไป (the rule-set file {where} nests "
                           "tables or arrays too deeply)") from exc
    except tomllib.TOMLDecodeError as exc:
        m = _TOML_AT.match(str(exc))
        what, at_th, at_en = str(exc), "", ""
        if m:
            what = m["what"]
            at_th = f" บรรทัด {m['line']} คอลัมน์ {m['col']}"
            at_en = f" at line {m['line']}, column {m['col']}"
        raise RuleSetError(f"ไฟล์ชุดเกณฑ์ {where} เขียนผิดรูปแบบ TOML{at_th}: {what} "
                           f"(the rule-set file {where} is not valid TOML{at_en}: {what})") from exc
    return data


#: Bounds of the numbers of a rule set, by key (the last part of its name): (low, high, whole numbers only).
#: Any other number must be finite and within ±1,000,000.
_NUMBER_BOUNDS: list[tuple[re.Pattern[str], float, float, bool]] = [
    (re.compile(r".*_decimals"), 0, 10, True),
    (re.compile(r".*_pct"), 0, 100, False),
    (re.compile(r".*_days"), 0, 366, True),
    (re.compile(r"monthly_report_due_day"), 1, 31, True),
    (re.compile(r"(from_)?step|max_reviews"), 0, 100, True),
    (re.compile(r".*points|per_month|project_late.*|revision_late|below_first"), 0, 1000, False),
    (re.compile(r".*"), -1_000_000, 1_000_000, False),
]


def _check_numbers(value: object, where: str, key: str) -> None:
    """Refuse any number of the rule set outside its bounds (:data:`_NUMBER_BOUNDS`), not finite, or a
    fraction where a whole number is meant, naming the file and the key (``deadlines.followup_days[2]``)."""
    if isinstance(value, dict):
        for k, v in value.items():
            _check_numbers(v, where, f"{key}.{k}" if key else str(k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _check_numbers(v, where, f"{key}[{i}]")
    elif isinstance(value, int | float) and not isinstance(value, bool):
        name = re.sub(r"\[\d+\]$", "", key).rpartition(".")[2]
        low, high, whole = next((lo, hi, w) for pat, lo, hi, w in _NUMBER_BOUNDS if pat.fullmatch(name))
        ok = math.isfinite(value) and low <= value <= high and (not whole or float(value).is_integer())
        if not ok:
            shown = short_repr(value)
            kind_th, kind_en = ("จำนวนเต็ม", "a whole number") if whole else ("ตัวเลข", "a number")
            raise RuleSetError(f"ไฟล์ชุดเกณฑ์ {where}: ค่า {key} = {shown} ใช้ไม่ได้ ต้องเป็น{kind_th}ตั้งแต่ {low:,} "
                               f"ถึง {high:,} (the rule-set file {where}: {key} = {shown} cannot be used: it must "
                               f"be {kind_en} from {low:,} to {high:,})")


def _parse(data: dict) -> RuleSet:
    kind = data["kind"]
    common = {
        "name": data["name"],
        "kind": kind,
        "title_th": data["title_th"],
        "title_en": data["title_en"],
        "source": data["source"],
        "score_decimals": int(data.get("score_decimals", 4)),
    }
    if kind == "levels":
        lv, dd = data["levels"], data["deductions"]
        thresholds = tuple(float(x) for x in lv["thresholds_pct"])
        if list(thresholds) != sorted(thresholds):
            raise ValueError("levels.thresholds_pct must ascend")
        return RuleSet(**common, levels=LevelRules(
            cap_pct=float(lv["cap_pct"]),
            thresholds_pct=thresholds,
            interpolate=bool(lv["interpolate"]),
            below_first=float(lv["below_first"]),
            project_late=float(dd["project_late"]),
            project_late_per_day=float(dd["project_late_per_day"]),
            revision_late=float(dd["revision_late"]),
            revision_business_days=int(dd["revision_business_days"]),
            max_reviews=int(dd["max_reviews"]),
            announce_business_days=int(dd["announce_business_days"]),
            appeal_business_days=int(dd["appeal_business_days"]),
        ))
    if kind != "complaints":
        raise ValueError(f"kind must be 'complaints' or 'levels', got {kind!r}")
    dl = data.get("deadlines", {})
    deadlines = Deadlines(**{**dl, "followup_days": tuple(dl.get("followup_days", (15, 30)))})
    if deadlines.followup_non_business not in ("next", "previous", "keep"):
        raise ValueError("deadlines.followup_non_business must be next, previous or keep")
    components = []
    for c in data["components"]:
        unknown = set(c["criteria"]) - set(CRITERIA)
        if unknown:
            raise ValueError(f"component {c['key']!r}: unknown criteria {sorted(unknown)}; known: {sorted(CRITERIA)}")
        comp = Component(
            key=c["key"], step=int(c["step"]), label_th=c["label_th"], label_en=c["label_en"],
            points=float(c["points"]), criteria=tuple(c["criteria"]), scoring=c.get("scoring", "threshold"),
        )
        if comp.scoring not in ("threshold", "full_minus_deductions"):
            raise ValueError(f"component {comp.key!r}: scoring must be threshold or full_minus_deductions")
        if set(comp.criteria) & MONTHLY_CRITERIA and not comp.monthly:
            raise ValueError(f"component {comp.key!r} mixes monthly and per-complaint criteria")
        components.append(comp)
    total = float(data["total_points"])
    if abs(sum(c.points for c in components) - total) > 1e-9:
        raise ValueError(f"component points add up to {sum(c.points for c in components)}, not total_points {total}")
    ded = data.get("deductions", {})
    audit = AuditDeduction(**ded["audit"]) if "audit" in ded else None
    late = LateReportDeduction(**ded["late_report"]) if "late_report" in ded else None
    steps = {c.step for c in components}
    for d in (audit, late):
        if d is not None and d.from_step not in steps:
            raise ValueError(f"deduction from_step {d.from_step} is not a step of the rule set")
    window = data.get("data_window")
    return RuleSet(
        **common,
        total_points=total,
        threshold_pct=float(data["threshold_pct"]),
        pct_decimals=int(data.get("pct_decimals", 2)),
        deadlines=deadlines,
        components=tuple(components),
        audit=audit,
        late_report=late,
        data_window=(_dt.date.fromisoformat(window[0]), _dt.date.fromisoformat(window[1])) if window else None,
    )
