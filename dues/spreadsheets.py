"""The dues ledgers as an .xlsx workbook: the collection ledger (收缴台账) and the use ledger (使用台账).

Headers are the Chinese ones of the paper ledgers: a file format, not interface text. Money is
written as exact decimal numbers with two places; the sheet says who exported it and when.
"""

import io
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook

from .models import Channel
from .months import quarter_of

CHANNEL_LABELS = {
    Channel.CASH: "现金",
    Channel.BANK: "银行转账",
    Channel.WECHAT: "微信支付",
    Channel.ALIPAY: "支付宝",
    Channel.OTHER: "其他",
}
MONEY_FORMAT = "0.00"


def _title(sheet, title: str, ledger: dict, exported_by: str) -> None:
    sheet.append([title])
    sheet.append(["组织", ledger["org"].name, "年度", ledger["year"]])
    sheet.append(["导出人", exported_by, "导出时间", timezone.localtime().strftime("%Y-%m-%d %H:%M")])
    sheet.append([])


def _money(sheet) -> None:
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, Decimal):
                cell.number_format = MONEY_FORMAT


def write_ledger(ledger: dict, exported_by: str) -> bytes:
    """Both ledgers of `ledger` (from `dues.selectors.ledger`), exported by the user named `exported_by`."""
    workbook = Workbook()
    collection = workbook.active
    collection.title = "收缴台账"
    _title(collection, "党费收缴台账", ledger, exported_by)
    collection.append(
        ["交纳日期", "姓名", "所属月份", "应交党费", "自愿多交", "实交金额", "交纳方式", "代交人", "凭证号", "记账人"]
    )
    for payment in ledger["payments"]:
        collection.append(
            [
                payment.paid_on,
                payment.person.name,
                "、".join(f"{row.month:%Y-%m}" for row in payment.months.all()),
                payment.dues_amount,
                payment.voluntary_extra,
                payment.amount,
                CHANNEL_LABELS[Channel(payment.channel)],
                payment.paid_by.name if payment.paid_by else "",
                payment.reference or "",
                payment.recorded_by.username if payment.recorded_by else "",
            ]
        )
    collection.append([])
    collection.append(["上缴日期", "季度", "上缴金额", "上缴至", "截止日期", "是否逾期", "记账人"])
    for remittance in ledger["remittances"]:
        collection.append(
            [
                remittance.remitted_on,
                f"{remittance.year}年第{remittance.quarter}季度",
                remittance.amount,
                remittance.to_org.name,
                remittance.deadline,
                "是" if remittance.late else "否",
                remittance.recorded_by.username if remittance.recorded_by else "",
            ]
        )
    collection.append([])
    collection.append(["收缴合计（不含大额党费）", ledger["collected"]])
    collection.append(["大额党费（全额上缴中央）", ledger["large_voluntary"]])
    collection.append(["上缴合计", ledger["remitted"]])
    collection.append(["记账人", "、".join(ledger["collection_keepers"])])
    _money(collection)

    use = workbook.create_sheet("使用台账")
    _title(use, "党费使用台账", ledger, exported_by)
    use.append(["日期", "季度", "金额", "用途", "记账人"])
    for entry in ledger["uses"]:
        use.append(
            [
                entry.date,
                f"第{quarter_of(entry.date)}季度",
                entry.amount,
                entry.purpose,
                entry.recorded_by.username if entry.recorded_by else "",
            ]
        )
    use.append([])
    use.append(["使用合计", ledger["used"]])
    use.append(["结余", ledger["balance"]])
    use.append(["记账人", "、".join(ledger["use_keepers"])])
    _money(use)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
