"""Excel cell functions (xlwings UDFs) over cplkpi.scoring: conversion only, no logic of their own.

``cplkpi.udfs`` is the module to give xlwings: *UDF Modules* in classic xlwings,
``from cplkpi.udfs import *`` in an xlwings Lite ``main.py``.
"""

from .functions import (
    CPL_ACK_DUE,
    CPL_EXPLAIN,
    CPL_FISCAL_YEAR,
    CPL_LATE_REPORT_PENALTY,
    CPL_LEVEL,
    CPL_NETWORKDAYS,
    CPL_NEXT_FOLLOWUP,
    CPL_ON_TIME,
    CPL_PROGRESS_DUE,
    CPL_STATUS,
    CPL_STEP_PCT,
    CPL_STEP_SCORE,
    CPL_THAI_DATE,
    CPL_WORKDAY,
)
from .functions import FUNCTIONS as FUNCTIONS

__all__ = [
    "CPL_ACK_DUE",
    "CPL_EXPLAIN",
    "CPL_FISCAL_YEAR",
    "CPL_LATE_REPORT_PENALTY",
    "CPL_LEVEL",
    "CPL_NETWORKDAYS",
    "CPL_NEXT_FOLLOWUP",
    "CPL_ON_TIME",
    "CPL_PROGRESS_DUE",
    "CPL_STATUS",
    "CPL_STEP_PCT",
    "CPL_STEP_SCORE",
    "CPL_THAI_DATE",
    "CPL_WORKDAY",
]
