"""The Python side of ``cplkpi_excel.xlsm``: keep this file next to the workbook, with the same name.

The workbook's button runs ``RunPython "import cplkpi_excel; cplkpi_excel.main()"`` (the macro of
xlwings' quickstart workbook); ``main()`` runs the job chosen in the control sheet ``cplkpi``.
"""

from cplkpi.macros.buttons import main

__all__ = ["main"]
