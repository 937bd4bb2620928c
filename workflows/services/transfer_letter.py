"""The printable introduction letter (介绍信): stub, letter and receipt on one page, as a PDF.

Rendered with weasyprint from the template web/templates/transfers/letter_pdf.html, whose Chinese
text is set in Noto Sans CJK SC (Debian's fonts-noto-cjk), so the PDF carries real glyphs and its
text can be extracted back.
"""

from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from weasyprint import HTML

from core.exceptions import Conflict
from members.models import Stage

from ..models import Transfer
from .transfer_effects import destination_of


def letter_context(transfer: Transfer) -> dict[str, Any]:
    """What the three parts of the letter say; the preview on the transfer page shows the same."""
    person = transfer.person
    return {
        "transfer": transfer,
        "issuer": f"{transfer.from_county_name} {transfer.from_org_name}",
        "destination": destination_of(transfer) if transfer.direction == "outgoing" else transfer.to_org_name,
        "stage": Stage(transfer.stage).label if transfer.stage in Stage.values else transfer.stage,
        "sex": person.get_sex_display() if person else "",
        "birth_date": person.birth_date if person else None,
        "party_standing_since": person.party_standing_since if person else None,
    }


def render_letter_pdf(transfer: Transfer) -> bytes:
    if not transfer.letter_number:
        raise Conflict(_("No introduction letter has been issued for this transfer yet."))
    html = render_to_string("transfers/letter_pdf.html", letter_context(transfer))
    return HTML(string=html).write_pdf()
