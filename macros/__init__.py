"""Report jobs: CPL_R001/CPL_R003 filling, validation and audit, each a function taking a workbook."""
