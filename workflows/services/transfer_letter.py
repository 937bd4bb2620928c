"""The printable introduction letter (介绍信): stub, letter and receipt on one page, as a PDF.

Rendered with weasyprint from the template web/templates/transfers/letter_pdf.html, whose Chinese
text is set in Noto Sans CJK SC (Debian's fonts-noto-cjk), so the PDF carries real glyphs and its
text can be extracted back. The letter carries the whole ID number only when printed by a role that
may have it (docs/decisions/0010-personal-data.md); the caller logs the print as an export.
"""

from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from weasyprint import HTML

from core.exceptions import Conflict
from members.identity import mask_id_number
from members.models import Stage
from members.selectors import is_own_record
from orgs.access import can

from ..models import Transfer
from .transfer_effects import destination_of


def whole_id_number_for(user, transfer: Transfer) -> bool:
    """The person, and the roles holding view_id_number where the transfer runs (the county, the committee)."""
    person = transfer.person
    if person is not None and is_own_record(user, person):
        return True
    return any(
        can(user, "view_id_number", org) for org in (transfer.from_org, transfer.to_org, transfer.process.org) if org
    )


def letter_context(transfer: Transfer, *, whole_id_number: bool = False) -> dict[str, Any]:
    """What the three parts of the letter say; the preview on the transfer page shows the same, masked."""
    person = transfer.person
    return {
        "transfer": transfer,
        "id_number": transfer.id_number if whole_id_number else mask_id_number(transfer.id_number),
        "issuer": f"{transfer.from_county_name} {transfer.from_org_name}",
        "destination": destination_of(transfer) if transfer.direction == "outgoing" else transfer.to_org_name,
        "stage": Stage(transfer.stage).label if transfer.stage in Stage.values else transfer.stage,
        "sex": person.get_sex_display() if person else "",
        "birth_date": person.birth_date if person else None,
        "party_standing_since": person.party_standing_since if person else None,
    }


def render_letter_pdf(transfer: Transfer, *, whole_id_number: bool = False) -> bytes:
    if not transfer.letter_number:
        raise Conflict(_("No introduction letter has been issued for this transfer yet."))
    html = render_to_string("transfers/letter_pdf.html", letter_context(transfer, whole_id_number=whole_id_number))
    return HTML(string=html).write_pdf()
