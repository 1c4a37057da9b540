"""The bundled sample: one district, fiscal year 2563, generated deterministically.

``python -m cplkpi.examples.generate`` rebuilds ``sample_district_2563.xlsx``
byte for byte; :func:`sample_path` finds the committed copy.
"""

from importlib import resources
from pathlib import Path

SAMPLE_NAME = "sample_district_2563.xlsx"


def sample_path() -> Path:
    """Path of the committed sample workbook."""
    return Path(str(resources.files(__package__).joinpath(SAMPLE_NAME)))
