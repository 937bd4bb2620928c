"""The results of a year as an .xlsx workbook: one row per member, a column per component."""

import io
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font


def write_results(rows: list[dict], year: int, exported_by: str) -> bytes:
    """`rows` as selectors.result_rows gives them; components in the order they first appear."""
    components: list[str] = []
    for row in rows:
        components += [code for code in row["components"] if code not in components]
    book = Workbook()
    sheet = book.active
    sheet.title = str(year)
    headers = [_("Organization"), _("Name"), _("Total"), *components, _("Grade"), _("Vetoed by"), _("Consequences")]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(
            [
                row["org"].name,
                row["person"].name,
                Decimal(row["total"]),
                *[Decimal(row["components"][code]) if code in row["components"] else None for code in components],
                row["grade_label"] or row["grade"],
                row["vetoed_by"],
                "；".join(consequence["label"] for consequence in row["consequences"]),
            ]
        )
    sheet.append([])
    sheet.append([_("Exported by %(user)s") % {"user": exported_by}])
    for column, width in zip("ABC", (28, 14, 10), strict=False):
        sheet.column_dimensions[column].width = width
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
