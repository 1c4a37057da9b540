"""The xlsx layer: every byte of sheet XML cplkpi writes or reads without openpyxl goes through here.

- :mod:`cplkpi.ooxml.parts`: the package's parts (which XML part holds each sheet).
- :mod:`cplkpi.ooxml.cells`: a cell's XML (one function for every type), XML escaping, column letters.
- :mod:`cplkpi.ooxml.stream`: large tables streamed into a saved workbook's sheets.
- :mod:`cplkpi.ooxml.cached`: formulas' cached values written into a saved workbook.
- :mod:`cplkpi.ooxml.scan`: reading sheet XML (what the values reader drops, how far the cells reach).
- :mod:`cplkpi.ooxml.look`: what a sheet part says about its look (hidden or tiny rows and columns,
  sizes, merges, conditional formats, page headers and footers), for the audit.
- :mod:`cplkpi.ooxml.drawings`: what is drawn over a sheet (shapes, text boxes, pictures, charts and
  their series sources, VML shapes), for the audit.

openpyxl lays out the workbooks (styles, widths, print setup); these modules touch only the parts it
is too slow for or does not write, the way each xlwings conversion lives in one converter module.
"""
