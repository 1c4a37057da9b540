"""cplkpi: the complaint-KPI workbench of the Bangkok Metropolitan Administration.

The engine lives in :mod:`cplkpi.scoring` (folder ``scoring/``), Excel cell
functions in :mod:`cplkpi.udfs` (``udfs/``), report jobs in
:mod:`cplkpi.macros` (``macros/``).
"""

__version__ = "0.1.0"
