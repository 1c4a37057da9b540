"""Thai narratives of the monthly reports, rendered from jinja2 templates in ``templates/narratives/``.

* ``monthly.j2``: the monthly progress line of the project-progress form ("จำนวนเรื่องร้องทุกข์
  ตั้งแต่วันที่ 1 ตุลาคม - 31 ตุลาคม 2562 จำนวน 91 เรื่อง ดำเนินการเสร็จสิ้นแล้ว 71 เรื่อง
  กำลังดำเนินการ 20 เรื่อง");
* ``cumulative.j2``: the cumulative text of the quarterly report
  (received, completed with %, pending with %);
* ``memo.j2``: the Step-3 monthly summary to the head of the agency, due by
  the 10th of the next month (:func:`cplkpi.scoring.scores.monthly_report_due`).

The figures are the engine's (:func:`cplkpi.scoring.scores.period_summary`
dictionaries, the score result); the templates only word them. Edit the
wording in the ``.j2`` files, not here.
"""

from __future__ import annotations

import datetime as _dt
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import jinja2

from cplkpi.scoring.rules import RuleSet
from cplkpi.scoring.scores import ScoreResult
from cplkpi.scoring.thaidate import DateStyle, fiscal_quarter, format_thai_date, format_thai_month, parse_date
from cplkpi.templates.layout import TEMPLATE_DIR
from cplkpi.xlsx import write_bytes_atomic

from .findings import macro_labels

__all__ = [
    "Narratives",
    "cumulative_text",
    "environment",
    "memo_text",
    "monthly_text",
    "render",
    "thai_date",
    "thai_range",
    "write_narratives",
]

NARRATIVE_DIR = TEMPLATE_DIR / "narratives"
#: Thai labels of the engine's deduction kinds, as the narratives name them (``data/labels.toml``).
DEDUCTION_LABELS = {kind: th for kind, (th, _en) in macro_labels("deductions").items()}


class MonthFacts(Protocol):
    """What the narratives read of a report month: :class:`cplkpi.macros.reports.MonthFigures` has it
    (a protocol here, so that the report job imports the narratives and not the other way round)."""

    @property
    def agency(self) -> str | None: ...
    @property
    def month(self) -> _dt.date: ...
    @property
    def as_of(self) -> _dt.date: ...
    @property
    def report_due(self) -> _dt.date: ...
    @property
    def rules(self) -> RuleSet: ...
    @property
    def month_summary(self) -> dict[str, Any]: ...
    @property
    def fytd_summary(self) -> dict[str, Any]: ...
    @property
    def score(self) -> ScoreResult: ...

    def pending_counts(self) -> dict[str, int]: ...


def thai_date(value: Any, style: DateStyle = "long") -> str:
    """A date, or date text the engine reads (``5 เม.ย. 2563``), in Thai B.E.: ``5 เมษายน 2563``."""
    return format_thai_date(parse_date(value), style)


def thai_range(start: Any, end: Any) -> str:
    """``1 ตุลาคม - 31 ตุลาคม 2562`` (year once when both ends share it), else both dates in full."""
    s, e = parse_date(start), parse_date(end)
    first, last = format_thai_date(s, "long"), format_thai_date(e, "long")
    if s is not None and e is not None and s.year == e.year:
        first = first.rsplit(" ", 1)[0]  # the long style without its year
    return f"{first} - {last}".strip(" -")


def _count(value: Any) -> str:
    return f"{int(value):,}"


def _pct(value: Any) -> str:
    return "-" if value is None else f"{float(value):.2f}"


def _score(value: Any) -> str:
    text = f"{float(value):.4f}".rstrip("0").rstrip(".")
    return text or "0"


@functools.cache
def environment() -> jinja2.Environment:
    """The jinja2 environment over ``templates/narratives`` with the Thai filters."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(NARRATIVE_DIR)),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters.update(
        thai_date=thai_date,
        thai_month=lambda d: format_thai_month(parse_date(d), long=True),
        thai_range=thai_range,
        count=_count,
        pct=_pct,
        score=_score,
    )
    return env


def render(name: str, **context: Any) -> str:
    """Render ``templates/narratives/<name>.j2`` with ``context``; surrounding whitespace stripped."""
    return environment().get_template(f"{name}.j2").render(**context).strip()


def monthly_text(summary: dict[str, Any], with_pct: bool = False) -> str:
    """The monthly progress line from a :func:`period_summary` dictionary; ``with_pct`` (the memo): each count
    followed by its own share."""
    return render("monthly", with_pct=with_pct, **summary)


def cumulative_text(summary: dict[str, Any], quarter: int | None = None) -> str:
    """The quarterly report's cumulative text (counts and %) from a :func:`period_summary` dictionary."""
    return render("cumulative", quarter=quarter, **summary)


def memo_text(fig: MonthFacts) -> str:
    """The Step-3 monthly summary memo to the head of the agency (due by the 10th of the next month)."""
    res = fig.score
    late_kinds = ("late_report", "missing_report")
    late = [{"label": DEDUCTION_LABELS[str(d.kind)], "month": d.month, "amount": d.amount}
            for d in res.deductions.itertuples() if d.kind in late_kinds]
    # the monthly summary's late-report deductions are in its line, listed below it; the others (audit) apart
    components = [
        {"label": c.label_th, "counted": c.counted_th, "not_yet_due": c.not_yet_due, "no_data": c.no_data,
         "unit": "เดือน" if c.monthly else "เรื่อง", "pct": c.pct, "deducted": c.deducted, "score": c.score,
         "points": c.points, "details": late if c.monthly else []}
        for c in res.component_summary().itertuples()
    ]
    deductions = [{"label": DEDUCTION_LABELS[str(d.kind)], "month": d.month, "amount": d.amount}
                  for d in res.deductions.itertuples() if d.kind not in late_kinds]
    return render(
        "memo", agency=fig.agency, month=fig.month, monthly=monthly_text(fig.month_summary, with_pct=True),
        cumulative=cumulative_text(fig.fytd_summary), as_of=fig.as_of, due=fig.report_due,
        due_day=fig.rules.deadlines.monthly_report_due_day, pending=fig.pending_counts(), components=components,
        deductions=deductions, total=res.total, total_points=fig.rules.total_points,
        rules=f"{fig.rules.name}", coverage=res.coverage.text_th() if res.coverage is not None else None,
        no_data=res.no_data_note(),
    )


@dataclass(frozen=True)
class Narratives:
    """The three texts of a report month."""

    monthly: str
    cumulative: str
    memo: str

    @classmethod
    def for_month(cls, fig: MonthFacts) -> Narratives:
        return cls(monthly_text(fig.month_summary), cumulative_text(fig.fytd_summary, fiscal_quarter(fig.month)),
                   memo_text(fig))

    def as_text(self) -> str:
        """All three, with Thai headings, as written to the narrative file."""
        return (f"ความก้าวหน้าประจำเดือน (แบบรายงานความก้าวหน้าโครงการ)\n{self.monthly}\n\n"
                f"ผลการดำเนินงานสะสมตั้งแต่ต้นปีงบประมาณ\n{self.cumulative}\n\n"
                f"บันทึกรายงานสรุปประจำเดือนเสนอหัวหน้าหน่วยงาน (ขั้นตอนที่ 3)\n\n{self.memo}\n")


def write_narratives(narratives: Narratives, path: str | Path) -> Path:
    """Write the narratives as UTF-8 text (with BOM, so Windows Notepad and Word read Thai) atomically."""
    return write_bytes_atomic(narratives.as_text().encode("utf-8-sig"), path)
