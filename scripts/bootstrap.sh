#!/bin/sh
# Set up cplkpi on a fresh Debian machine with Python 3.11:
#   - Debian packages: LibreOffice Calc (headless recalculation and PDF), poppler-utils
#     (pdftotext/pdftoppm) and Thai fonts, when apt-get is available and we are root (or have sudo);
#   - a virtual environment in .venv with cplkpi installed in editable mode.
# Usage: sh scripts/bootstrap.sh [--test]   (--test also installs the test tools)
set -eu
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

if ! command -v soffice >/dev/null 2>&1 || ! command -v pdftotext >/dev/null 2>&1; then
    if command -v apt-get >/dev/null 2>&1; then
        SUDO=""
        [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && SUDO="sudo"
        if [ "$(id -u)" -eq 0 ] || [ -n "$SUDO" ]; then
            echo "bootstrap: installing LibreOffice Calc, poppler-utils and Thai fonts (apt-get)"
            export DEBIAN_FRONTEND=noninteractive
            $SUDO apt-get update -q
            $SUDO apt-get install -y -q --no-install-recommends \
                libreoffice-calc-nogui poppler-utils fonts-thai-tlwg fonts-noto-core
        else
            echo "bootstrap: not root and no sudo: install libreoffice-calc-nogui poppler-utils fonts-thai-tlwg yourself for PDFs" >&2
        fi
    else
        echo "bootstrap: no apt-get: install LibreOffice yourself for PDFs and the cross-check tests" >&2
    fi
fi

PY="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
if [ "$want_test" -eq 1 ]; then
    .venv/bin/python -m pip install -q -e ".[test]"
else
    .venv/bin/python -m pip install -q -e .
fi
echo "bootstrap: ready (.venv)"
