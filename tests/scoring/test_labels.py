"""The scoring engine's label catalogue (``scoring/data/labels.toml``): every entry has Thai and English, and
the module-level names built from it keep their types."""

from __future__ import annotations

import pytest

from cplkpi.scoring import coverage, deadlines, rules, stakes
from cplkpi.scoring.catalogue import catalogue, labels

LABELS = catalogue("cplkpi.scoring", "labels")
ENTRIES = [(table, key) for table, entries in LABELS.items() for key in entries]


@pytest.mark.parametrize("table, key", ENTRIES, ids=[f"{t}.{k}" for t, k in ENTRIES])
def test_each_entry_has_thai_and_english(table, key):
    entry = LABELS[table][key]
    assert set(entry) == {"th", "en"}
    for lang in ("th", "en"):
        texts = entry[lang] if isinstance(entry[lang], list) else [entry[lang]]
        assert texts and all(isinstance(t, str) and t.strip() == t and t for t in texts), (lang, texts)
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in str(entry["th"]))  # Thai script
    assert str(entry["en"]).isascii()


@pytest.mark.parametrize("name, table", [
    (deadlines.STATUS_LABELS, "status"), (deadlines.PHASE_LABELS, "phase"), (rules.CRITERIA, "criterion"),
])
def test_pair_labels_are_the_catalogue_in_its_order(name, table):
    assert name == labels("cplkpi.scoring", "labels", table)
    assert list(name) == list(LABELS[table])
    assert all(isinstance(v, tuple) and len(v) == 2 for v in name.values())


def test_joined_labels_read_thai_then_english_in_parentheses():
    assert coverage.COVERAGE_LABELS["snapshot_at"] == "ข้อมูล ณ (snapshot time)"
    assert list(coverage.COVERAGE_LABELS) == ["snapshot_at", "start", "end"]
    assert stakes.ACTIONS_TH["followup"] == "รายงานติดตามวันนี้ (follow-up report today)"
    assert list(stakes.ACTIONS_TH) == ["ack", "progress", "followup"]


def test_the_points_at_stake_explanation_is_thai_paragraphs_then_english():
    assert isinstance(stakes.EXPLANATION_TH, tuple) and len(stakes.EXPLANATION_TH) == 4
    assert stakes.EXPLANATION_TH[0].startswith("คะแนนที่ได้คืน:")
    assert stakes.EXPLANATION_TH[-1].startswith("Points at stake:")


def test_every_status_and_phase_code_has_a_label():
    assert set(deadlines.STATUS_LABELS) == set(deadlines.STATUSES)
    assert set(deadlines.PHASE_LABELS) == set(deadlines.PHASES)
