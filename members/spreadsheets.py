"""The people spreadsheet (.xlsx) read by the import and written by the export.

Its headers and labels are the Chinese ones county clerks and the national system's exports use;
they are a file format, not interface text, so a file exported in any language imports again.
English field codes and the model's own labels are accepted as well.
"""

import io
import zipfile
from collections.abc import Iterable, Iterator

from django.db.models import TextChoices
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from core.exceptions import RuleViolation

from .models import Category, Person, Stage, Status

COLUMNS: list[tuple[str, str]] = [
    ("name", "姓名"),
    ("id_number", "身份证号"),
    ("phone", "手机"),
    ("org", "所在组织"),
    ("stage", "阶段"),
    ("category", "类别"),
    ("status", "状态"),
]
REQUIRED_COLUMNS = ("name", "id_number", "org")
HEADER_ALIASES = {
    "身份证号码": "id_number",
    "公民身份号码": "id_number",
    "手机号": "phone",
    "手机号码": "phone",
    "联系电话": "phone",
    "所在党组织": "org",
    "人员类别": "category",
    "党员类别": "category",
}

STAGE_LABELS = {
    Stage.APPLICANT: "入党申请人",
    Stage.ACTIVIST: "入党积极分子",
    Stage.CANDIDATE: "发展对象",
    Stage.PROBATIONARY: "预备党员",
    Stage.FULL: "正式党员",
}
CATEGORY_LABELS = {
    Category.GOVERNMENT: "机关事业单位",
    Category.ENTERPRISE: "国有企业",
    Category.NON_PUBLIC_ENTERPRISE: "非公有制企业",
    Category.COMMUNITY: "社区",
    Category.VILLAGE: "农村",
    Category.ON_THE_JOB: "在职党员",
    Category.STUDENT: "学生",
    Category.RETIRED: "离退休",
    Category.ELDERLY: "65岁以上年老多病、行动不便",
    Category.OTHER: "其他",
}
STATUS_LABELS = {
    Status.ACTIVE: "正常",
    Status.IN_TRANSIT: "转接中",
    Status.TRANSFERRED_OUT: "已转出",
    Status.MOBILE: "流动",
    Status.LOST_CONTACT: "失联",
    Status.SUSPENDED: "停止党籍",
    Status.RECTIFYING: "限期改正",
    Status.WITHDRAWN: "劝退",
    Status.REMOVED: "除名",
    Status.PROBATION_CANCELLED: "取消预备党员资格",
    Status.REJECTED: "未被接收",
    Status.DECEASED: "去世",
}
CHOICE_LABELS: dict[str, tuple[type[TextChoices], dict]] = {
    "stage": (Stage, STAGE_LABELS),
    "category": (Category, CATEGORY_LABELS),
    "status": (Status, STATUS_LABELS),
}


def _header_lookup() -> dict[str, str]:
    lookup = {code: code for code, _header in COLUMNS}
    lookup.update({header: code for code, header in COLUMNS})
    lookup.update(HEADER_ALIASES)
    return lookup


def _choice_lookup(field: str) -> dict[str, str]:
    choices, chinese = CHOICE_LABELS[field]
    lookup = {}
    for choice in choices:
        lookup[choice.value] = choice.value
        lookup[str(choice.label).casefold()] = choice.value
        lookup[chinese[choice]] = choice.value
    return lookup


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_rows(file) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number as Excel shows it, {field code: text}) for each non-empty row of the first sheet.

    Choice columns come back as codes when their label is known, otherwise as written, for the
    services to refuse with their own message.
    """
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise RuleViolation(_("Upload an Excel workbook (.xlsx)."), field="file") from exc
    rows = workbook.worksheets[0].iter_rows(values_only=True)
    headers = next(rows, ())
    lookup = _header_lookup()
    fields = [lookup.get(_cell_text(header)) for header in headers]
    missing = [header for code, header in COLUMNS if code in REQUIRED_COLUMNS and code not in fields]
    if missing:
        raise RuleViolation(
            _("The first row must hold the column headers; missing: %(columns)s.") % {"columns": "、".join(missing)},
            field="file",
        )
    choice_lookups = {field: _choice_lookup(field) for field in CHOICE_LABELS}
    for number, cells in enumerate(rows, start=2):
        values = {field: _cell_text(cell) for field, cell in zip(fields, cells, strict=False) if field}
        if not any(values.values()):
            continue
        for field, lookup_values in choice_lookups.items():
            text = values.get(field, "")
            values[field] = lookup_values.get(text, lookup_values.get(text.casefold(), text))
        yield number, values
    workbook.close()


def write_people(people: Iterable[Person], id_number_shown) -> bytes:
    """The spreadsheet of people; id_number_shown(person) says whether the full ID number goes in."""
    from .identity import mask_id_number

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "people"
    sheet.append([header for _code, header in COLUMNS])
    for person in people:
        sheet.append(
            [
                person.name,
                person.id_number if id_number_shown(person) else mask_id_number(person.id_number),
                person.phone,
                person.org.name,
                STAGE_LABELS[Stage(person.stage)],
                CATEGORY_LABELS[Category(person.category)],
                STATUS_LABELS[Status(person.status)],
            ]
        )
    for column in ("B", "C"):  # ID and phone numbers stay text, never numbers in scientific notation
        for cell in sheet[column]:
            cell.number_format = "@"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
