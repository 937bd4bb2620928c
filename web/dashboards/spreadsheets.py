"""One dashboard figure as an .xlsx workbook: its title and note, then the same table the page shows."""

import io
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from .figures import Figure

HEADER_ROW = 4


def write_figure(figure: Figure, scope: str, exported_by: str) -> bytes:
    """`figure`'s table; `scope` names whose figures they are (the viewer's organizations)."""
    book = Workbook()
    sheet = book.active
    sheet.title = figure.code
    sheet.append([figure.title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([figure.note])
    sheet.append([_("Scope"), scope, _("Exported by %(user)s") % {"user": exported_by}])
    sheet.append([heading for _key, heading in figure.columns])
    for cell in sheet[HEADER_ROW]:
        cell.font = Font(bold=True)
    for cells in figure.cells():
        sheet.append(cells)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, Decimal):
                cell.number_format = "0.00" if cell.value.as_tuple().exponent == -2 else "0.0"
    for index in range(len(figure.columns)):
        sheet.column_dimensions[chr(ord("A") + index)].width = 24 if index < 2 else 14
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
