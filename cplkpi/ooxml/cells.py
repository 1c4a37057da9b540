"""Cell XML: the one place a ``<c>`` element of a sheet is written.

Every writer of sheet XML in cplkpi (streamed tables, cached formula values, the LibreOffice
cross-check's workbook, the fast serialisation of large report sheets) renders its cells with
:func:`cell` and escapes text with :func:`escape`, so that a cell is written one way: inline
strings for text, no shared-strings table, numbers as Python writes them.
"""

from __future__ import annotations

import functools

from cplkpi.scoring import errors

__all__ = ["cell", "column_letter", "escape", "number_text", "row"]

_PRESERVE = ' xml:space="preserve"'


@functools.cache
def column_letter(index: int) -> str:
    """Excel column letter of a 1-based column index (1 → A, 28 → AB), remembered (one per column)."""
    return errors.column_letter(index)


def escape(text: str) -> str:
    """``text`` as XML character data: ``&``, ``<`` and ``>`` escaped (quotes need no escaping there)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def number_text(value: float) -> str:
    """A number as a ``<v>`` holds it: ``3`` for a whole number, else Python's shortest round-trip text."""
    number = float(value)
    return str(int(number)) if number.is_integer() else repr(number)


def cell(ref: str, v: str | None = None, *, t: str = "", style: str = "", f: str | None = None,
         text: str | None = None, preserve: bool = False, escaped: bool = False) -> str:
    """One ``<c>`` element.

    ``ref`` is the cell reference (``B7``); ``style`` the cell's other attributes as written
    (``' s="3"'``, or empty); ``t`` its type attribute (``n``, ``b``, ``str``, ``e``; empty: none).
    A cell holds one of: ``text``, written as an inline string (``<is><t>``, with
    ``xml:space="preserve"`` when ``preserve``); a formula ``f`` with its cached value ``v``
    (``<v />`` when ``v`` is None); a value ``v``; or nothing (``<c r="…"/>``, a styled empty cell).
    Text, formulas and values are escaped unless ``escaped`` says they already are XML text.
    """
    if text is not None:
        body = text if escaped else escape(text)
        return (f'<c r="{ref}"{style} t="inlineStr"><is><t{_PRESERVE if preserve else ""}>{body}'
                "</t></is></c>")
    kind = f' t="{t}"' if t else ""
    if f is not None:
        formula = f if escaped else escape(f)
        value = "<v />" if v is None else f"<v>{v if escaped else escape(v)}</v>"
        return f'<c r="{ref}"{style}{kind}><f>{formula}</f>{value}</c>'
    if v is None:
        return f'<c r="{ref}"{style}{kind}/>'
    return f'<c r="{ref}"{style}{kind}><v>{v if escaped else escape(v)}</v></c>'


def row(r: int | str, cells: str, attrs: str = "") -> str:
    """One ``<row>`` element: row number ``r``, its other attributes as written (``attrs``) and its cells."""
    return f'<row r="{r}"{attrs}>{cells}</row>'
