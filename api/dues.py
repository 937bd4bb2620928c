"""Party dues (API.md "Dues"): rates, bases, accounts, payments, relief, arrears, remittances and ledgers.

Money is a decimal string with two places ("45.00"), months are "YYYY-MM". People and
organizations outside the caller's scope (or in another county) answer 404, never 403.
"""

import datetime

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.exports import stamped
from core.dates import check_year, today
from core.exceptions import RuleViolation
from dues import selectors, services, spreadsheets
from dues.assessment import assess_month
from dues.models import (
    AnnualPublication,
    Arrears,
    BaseKind,
    Channel,
    DuesAccount,
    DuesBase,
    FixedCategory,
    Payment,
    Relief,
    ReliefKind,
    ReliefStatus,
    Remittance,
    UseEntry,
)
from dues.months import format_month, parse_month
from members.models import Person
from orgs.access import can, is_county_admin
from orgs.models import Organization
from workflows.engine import APPROVE, REJECT
from workflows.services import dues_relief, dues_remittance

from .people import XLSX, XlsxRenderer


def money(**kwargs) -> serializers.DecimalField:
    """Yuan to the fen, as a decimal string with two places."""
    return serializers.DecimalField(max_digits=12, decimal_places=2, **kwargs)


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2025-01"})
class MonthField(serializers.Field):
    """A month as "YYYY-MM"."""

    def to_internal_value(self, data) -> datetime.date:
        try:
            return parse_month(data)
        except RuleViolation as exc:
            raise serializers.ValidationError(exc.message) from exc

    def to_representation(self, value: datetime.date) -> str:
        return format_month(value)


def _year(request, default: int | None = None) -> int:
    value = request.query_params.get("year")
    if value is None and default is not None:
        return default
    try:
        return check_year(int(value))
    except (TypeError, ValueError) as exc:
        raise RuleViolation(_("Give the year as a number, e.g. ?year=2025."), field="year") from exc


def _person(request, pk) -> Person:
    """A person whose dues the caller may see; anyone else does not exist."""
    return get_object_or_404(selectors.people_with_dues_visible_to(request.user), pk=pk)


def _org(request, pk) -> Organization:
    if pk in (None, ""):
        raise RuleViolation(_("Choose an organization."), field="org")
    try:
        return get_object_or_404(selectors.orgs_with_dues_visible_to(request.user), pk=int(pk))
    except (TypeError, ValueError) as exc:
        raise NotFound() from exc


# --- rates and settings -------------------------------------------------------------------


class RatesView(APIView):
    """The rate table in force today, or on ?date=YYYY-MM-DD."""

    @extend_schema(
        parameters=[OpenApiParameter("date", OpenApiTypes.DATE)],
        responses=inline_serializer(
            "DuesRateTable",
            {
                "name": serializers.CharField(),
                "effective_from": serializers.DateField(),
                "monthly_cap": money(),
                "farmer_min": money(),
                "farmer_max": money(),
                "farmer_default": money(),
                "low_income_amount": money(),
                "employed": serializers.ListField(child=serializers.DictField()),
                "retired": serializers.ListField(child=serializers.DictField()),
            },
        ),
    )
    def get(self, request) -> Response:
        on = serializers.DateField().to_internal_value(request.query_params.get("date") or today().isoformat())
        table = selectors.rate_table_in_force(on)
        if table is None:
            raise NotFound(_("No rate table is in force on this date."))
        bands = {"employed": [], "retired": []}
        # Lowest band first; the open-ended top band last.
        for band in sorted(table.bands.all(), key=lambda b: (b.up_to is None, b.up_to or 0)):
            bands[band.column].append(
                {
                    "over": None if band.above is None else f"{band.above:.2f}",
                    "up_to": None if band.up_to is None else f"{band.up_to:.2f}",
                    "rate": f"{band.rate:.4f}",
                }
            )
        return Response(
            {
                "name": table.name,
                "effective_from": table.effective_from,
                "monthly_cap": f"{table.monthly_cap:.2f}",
                "farmer_min": f"{table.farmer_min:.2f}",
                "farmer_max": f"{table.farmer_max:.2f}",
                "farmer_default": f"{selectors.farmer_default_amount(on):.2f}",
                "low_income_amount": f"{table.low_income_amount:.2f}",
                **bands,
            }
        )


class FarmerDefaultSerializer(serializers.Serializer):
    effective_from = serializers.DateField()
    farmer_monthly_amount = money()


class FarmerDefaultView(APIView):
    """The county's default monthly amount for farmers (a county setting), from a date on."""

    @extend_schema(request=FarmerDefaultSerializer, responses={201: FarmerDefaultSerializer})
    def post(self, request) -> Response:
        data = FarmerDefaultSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        setting = services.set_farmer_default(
            actor=request.user,
            effective_from=data.validated_data["effective_from"],
            amount=data.validated_data["farmer_monthly_amount"],
        )
        return Response(FarmerDefaultSerializer(setting).data, status=status.HTTP_201_CREATED)


# --- bases --------------------------------------------------------------------------------


class AdjustmentSerializer(serializers.Serializer):
    previous_kind = serializers.CharField()
    previous_monthly_base = money(allow_null=True)
    previous_monthly_amount = money()
    kind = serializers.CharField()
    monthly_base = money(allow_null=True)
    monthly_amount = money()
    reason = serializers.CharField()
    recorded_by = serializers.CharField(source="recorded_by.username", default=None, allow_null=True)
    created_at = serializers.DateTimeField()


class BaseSerializer(serializers.ModelSerializer):
    month = serializers.SerializerMethodField()
    monthly_base = money(allow_null=True)
    quarter_income = money(allow_null=True)
    monthly_amount = money()
    rate = serializers.DecimalField(max_digits=6, decimal_places=4, allow_null=True)
    rate_table = serializers.CharField(source="rate_table.name")
    adjustments = AdjustmentSerializer(many=True)

    class Meta:
        model = DuesBase
        fields = [
            "id",
            "person",
            "year",
            "month",
            "kind",
            "fixed_category",
            "monthly_base",
            "quarter_income",
            "rate",
            "capped",
            "monthly_amount",
            "rate_table",
            "adjustments",
        ]

    def get_month(self, base: DuesBase) -> str | None:
        return f"{base.year}-{base.month:02d}" if base.month else None


class BaseInput(serializers.Serializer):
    """A dues base. `monthly_base` is the fixed regular monthly income after tax; for `annual_salary`, the
    given `month`'s actual pay (one base per month); for `retired`, the pension; for `self_employed`,
    last quarter's monthly average — or give `quarter_income` (last quarter's total) and it is divided by 3.
    `fixed` takes `fixed_category`, and for farmers an optional `monthly_amount` set by the branch."""

    person = serializers.IntegerField()
    year = serializers.IntegerField(min_value=2008, max_value=2100)
    month = MonthField(required=False, allow_null=True)
    kind = serializers.ChoiceField(choices=BaseKind.choices)
    monthly_base = money(required=False, allow_null=True)
    quarter_income = money(required=False, allow_null=True)
    fixed_category = serializers.ChoiceField(
        choices=FixedCategory.choices, required=False, allow_blank=True, default=""
    )
    monthly_amount = money(required=False, allow_null=True)
    dues_from = serializers.DateField(required=False, allow_null=True)


class BasesView(generics.ListAPIView):
    """Dues bases (?person=, ?year=); POST fixes a base for the year, which is then locked (409 on a second)."""

    serializer_class = BaseSerializer

    def get_queryset(self):
        bases = DuesBase.objects.filter(person__in=selectors.people_with_dues_visible_to(self.request.user))
        if self.request.query_params.get("person"):
            bases = bases.filter(person=_person(self.request, self.request.query_params["person"]))
        if self.request.query_params.get("year"):
            bases = bases.filter(year=_year(self.request))
        return bases.select_related("rate_table").prefetch_related("adjustments__recorded_by")

    @extend_schema(request=BaseInput, responses={201: BaseSerializer})
    def post(self, request) -> Response:
        data = BaseInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        person = _person(request, values.pop("person"))
        month = values.pop("month", None)
        if month is not None and month.year != values["year"]:
            raise RuleViolation(_("The month lies outside the year."), field="month")
        base = services.record_base(actor=request.user, person=person, month=month.month if month else None, **values)
        return Response(BaseSerializer(base).data, status=status.HTTP_201_CREATED)


class AdjustInput(serializers.Serializer):
    reason = serializers.CharField()
    kind = serializers.ChoiceField(choices=BaseKind.choices, required=False)
    monthly_base = money(required=False, allow_null=True)
    quarter_income = money(required=False, allow_null=True)
    fixed_category = serializers.ChoiceField(choices=FixedCategory.choices, required=False)
    monthly_amount = money(required=False, allow_null=True)


class BaseAdjustView(APIView):
    """Correct a locked base with a recorded reason; the previous values stay in `adjustments`."""

    @extend_schema(request=AdjustInput, responses=BaseSerializer)
    def post(self, request, pk: int) -> Response:
        base = get_object_or_404(
            DuesBase.objects.filter(person__in=selectors.people_with_dues_visible_to(request.user)), pk=pk
        )
        data = AdjustInput(data=request.data)
        data.is_valid(raise_exception=True)
        base = services.adjust_base(actor=request.user, base=base, **data.validated_data)
        return Response(BaseSerializer(DuesBase.objects.get(pk=base.pk)).data)


# --- accounts -----------------------------------------------------------------------------


class MonthLineSerializer(serializers.Serializer):
    month = MonthField()
    due = money()
    paid = money()
    status = serializers.CharField()
    paid_on = serializers.DateField(allow_null=True)
    overdue_on = serializers.DateField()


class AccountView(APIView):
    """A member's months of ?year= (default this year) with their dues, payments and status."""

    @extend_schema(
        parameters=[OpenApiParameter("year", OpenApiTypes.INT)],
        responses=inline_serializer(
            "DuesAccount",
            {
                "person": serializers.IntegerField(),
                "year": serializers.IntegerField(),
                "months": MonthLineSerializer(many=True),
                "arrears_months": serializers.IntegerField(),
                "dues_from": serializers.DateField(allow_null=True),
                "pays_quarterly": serializers.BooleanField(),
                "proxy": serializers.IntegerField(allow_null=True),
            },
        ),
    )
    def get(self, request, person: int) -> Response:
        member = _person(request, person)
        year = _year(request, default=today().year)
        account = selectors.account(member, year, today())
        arrangement = DuesAccount.objects.filter(person=member).first()
        return Response(
            {
                "person": member.pk,
                "year": year,
                "months": MonthLineSerializer(account["months"], many=True).data,
                "arrears_months": account["arrears_months"],
                "dues_from": arrangement.dues_from if arrangement else None,
                "pays_quarterly": bool(arrangement and arrangement.pays_quarterly),
                "proxy": arrangement.proxy_id if arrangement else None,
            }
        )


class ArrangementInput(serializers.Serializer):
    pays_quarterly = serializers.BooleanField(default=False)
    proxy = serializers.IntegerField(required=False, allow_null=True)
    consented_on = serializers.DateField()


class ArrangementView(APIView):
    """The branch consents to quarterly payment, or to someone (`proxy`) paying for the member."""

    @extend_schema(request=ArrangementInput, responses={200: OpenApiTypes.OBJECT})
    def post(self, request, person: int) -> Response:
        member = _person(request, person)
        data = ArrangementInput(data=request.data)
        data.is_valid(raise_exception=True)
        proxy_id = data.validated_data.get("proxy")
        proxy = get_object_or_404(Person.objects.all(), pk=proxy_id) if proxy_id else None
        account = services.set_arrangement(
            actor=request.user,
            person=member,
            pays_quarterly=data.validated_data["pays_quarterly"],
            proxy=proxy,
            consented_on=data.validated_data["consented_on"],
        )
        return Response(
            {
                "person": member.pk,
                "pays_quarterly": account.pays_quarterly,
                "proxy": account.proxy_id,
                "consented_on": account.consented_on,
            }
        )


class DuesFromInput(serializers.Serializer):
    dues_from = serializers.DateField()


class DuesFromView(APIView):
    """The day from which the member owes dues (a probationary member's admission vote)."""

    @extend_schema(request=DuesFromInput, responses={200: OpenApiTypes.OBJECT})
    def post(self, request, person: int) -> Response:
        member = _person(request, person)
        data = DuesFromInput(data=request.data)
        data.is_valid(raise_exception=True)
        account = services.set_dues_from(actor=request.user, person=member, **data.validated_data)
        return Response({"person": member.pk, "dues_from": account.dues_from})


# --- payments -----------------------------------------------------------------------------


class PaymentSerializer(serializers.ModelSerializer):
    months = serializers.SerializerMethodField()
    amount = money()
    dues_amount = money()
    voluntary_extra = money()
    large_voluntary = serializers.SerializerMethodField()
    recorded_by = serializers.CharField(source="recorded_by.username", default=None, allow_null=True)

    class Meta:
        model = Payment
        fields = [
            "id",
            "person",
            "org",
            "months",
            "amount",
            "dues_amount",
            "voluntary_extra",
            "large_voluntary",
            "paid_on",
            "channel",
            "reference",
            "paid_by",
            "recorded_by",
        ]

    def get_months(self, payment: Payment) -> list[str]:
        return [format_month(m) for m in sorted(row.month for row in payment.months.all())]

    def get_large_voluntary(self, payment: Payment) -> bool:
        return hasattr(payment, "large_voluntary")


class PaymentInput(serializers.Serializer):
    """`amount` must equal the months' dues plus any declared `voluntary_extra`; a `reference` makes it idempotent."""

    person = serializers.IntegerField()
    months = serializers.ListField(child=MonthField(), allow_empty=True)
    amount = money()
    voluntary_extra = money(required=False, default="0.00")
    paid_on = serializers.DateField()
    channel = serializers.ChoiceField(choices=Channel.choices)
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True, allow_null=True)
    paid_by = serializers.IntegerField(required=False, allow_null=True)


class PaymentsView(generics.ListAPIView):
    """Payments (?person=, ?org=, ?year=); POST records one (201), or returns the same one again for a known reference (200)."""

    serializer_class = PaymentSerializer

    def get_queryset(self):
        request = self.request
        payments = Payment.objects.filter(person__in=selectors.people_with_dues_visible_to(request.user))
        if request.query_params.get("person"):
            payments = payments.filter(person=_person(request, request.query_params["person"]))
        if request.query_params.get("org"):
            payments = payments.filter(org__path__startswith=_org(request, request.query_params["org"]).path)
        if request.query_params.get("year"):
            payments = payments.filter(paid_on__year=_year(request))
        return payments.select_related("recorded_by", "large_voluntary").prefetch_related("months")

    @extend_schema(request=PaymentInput, responses={201: PaymentSerializer, 200: PaymentSerializer})
    def post(self, request) -> Response:
        data = PaymentInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        person = _person(request, values.pop("person"))
        paid_by_id = values.pop("paid_by", None)
        paid_by = get_object_or_404(Person.objects.all(), pk=paid_by_id) if paid_by_id else None
        payment, created = services.record_payment(actor=request.user, person=person, paid_by=paid_by, **values)
        payment = Payment.objects.select_related("recorded_by", "large_voluntary").get(pk=payment.pk)
        return Response(
            PaymentSerializer(payment).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


# --- monthly assessment -------------------------------------------------------------------


class AssessmentInput(serializers.Serializer):
    month = MonthField()
    org = serializers.IntegerField(required=False, allow_null=True)


class AssessmentView(APIView):
    """Assess a month's dues in one batch, for an organization's subtree (`org`) or, for a county admin, the whole county."""

    @extend_schema(request=AssessmentInput, responses={200: OpenApiTypes.OBJECT})
    def post(self, request) -> Response:
        data = AssessmentInput(data=request.data)
        data.is_valid(raise_exception=True)
        month = data.validated_data["month"]
        org = None
        if data.validated_data.get("org"):
            org = _org(request, data.validated_data["org"])
            if not can(request.user, "manage_dues", org):
                raise PermissionDenied()
        elif not is_county_admin(request.user):
            raise PermissionDenied()
        result = assess_month(actor=request.user, month=month, org=org)
        return Response({"month": format_month(month), **result.__dict__})


# --- relief -------------------------------------------------------------------------------


class ReliefSerializer(serializers.ModelSerializer):
    start_month = MonthField()
    end_month = MonthField()
    reduced_amount = money(allow_null=True)
    proposed_by = serializers.CharField(source="proposed_by.username", default=None)
    decided_by = serializers.CharField(source="decided_by.username", default=None, allow_null=True)

    class Meta:
        model = Relief
        fields = [
            "id",
            "person",
            "org",
            "kind",
            "reduced_amount",
            "start_month",
            "end_month",
            "reason",
            "retiree",
            "status",
            "proposed_by",
            "proposed_on",
            "decided_by",
            "decided_on",
            "decision_comment",
        ]


class ReliefInput(serializers.Serializer):
    person = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=ReliefKind.choices)
    reduced_amount = money(required=False, allow_null=True)
    start_month = MonthField()
    end_month = MonthField()
    reason = serializers.CharField()
    proposed_on = serializers.DateField(required=False, allow_null=True)


class ReliefsView(generics.ListAPIView):
    """Relief requests in scope (?status=, ?person=); POST: the branch proposes one, which starts a `dues`
    process whose decision is a task of the inbox (/api/tasks/?flow=dues)."""

    serializer_class = ReliefSerializer

    def get_queryset(self):
        reliefs = selectors.reliefs_visible_to(self.request.user)
        if self.request.query_params.get("status") in ReliefStatus.values:
            reliefs = reliefs.filter(status=self.request.query_params["status"])
        if self.request.query_params.get("person"):
            reliefs = reliefs.filter(person=_person(self.request, self.request.query_params["person"]))
        return reliefs

    @extend_schema(request=ReliefInput, responses={201: ReliefSerializer})
    def post(self, request) -> Response:
        data = ReliefInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        person = _person(request, values.pop("person"))
        relief = dues_relief.propose_relief(actor=request.user, person=person, **values)
        return Response(ReliefSerializer(relief).data, status=status.HTTP_201_CREATED)


class DecisionInput(serializers.Serializer):
    date = serializers.DateField(required=False, allow_null=True)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ReliefDecisionView(APIView):
    """The upper committee (for a retiree, the branch) approves or rejects a proposed relief: a shortcut
    that completes the relief's decision task, as /api/tasks/{id}/complete/ does (`comment` is a
    rejection's reason)."""

    decision = None

    @extend_schema(request=DecisionInput, responses=ReliefSerializer)
    def post(self, request, pk: int) -> Response:
        relief = get_object_or_404(selectors.reliefs_visible_to(request.user), pk=pk)
        data = DecisionInput(data=request.data)
        data.is_valid(raise_exception=True)
        relief = dues_relief.decide_relief(
            actor=request.user,
            relief=relief,
            decision=self.decision,
            date=data.validated_data.get("date"),
            comment=data.validated_data["comment"],
        )
        return Response(ReliefSerializer(relief).data)


class ReliefApproveView(ReliefDecisionView):
    decision = APPROVE


class ReliefRejectView(ReliefDecisionView):
    decision = REJECT


# --- arrears ------------------------------------------------------------------------------


class ArrearsSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name")
    org = serializers.IntegerField(source="person.org_id")
    since = MonthField()

    class Meta:
        model = Arrears
        fields = ["person", "person_name", "org", "months_unpaid", "consecutive_unpaid", "since", "as_of"]


class ArrearsView(generics.ListAPIView):
    """Members in arrears at the last monthly computation: ?over=3 (more than 3 months unpaid) or
    ?consecutive=6 (6 months in a row or more)."""

    serializer_class = ArrearsSerializer

    def get_queryset(self):
        rows = selectors.arrears_rows().filter(person__in=selectors.people_with_dues_visible_to(self.request.user))
        params = self.request.query_params
        try:
            if params.get("over"):
                rows = rows.filter(months_unpaid__gt=int(params["over"]))
            if params.get("consecutive"):
                rows = rows.filter(consecutive_unpaid__gte=int(params["consecutive"]))
        except ValueError as exc:
            raise RuleViolation(_("Give a number of months."), field="over") from exc
        return rows.order_by("-months_unpaid", "person_id")


# --- remittances, uses, ledgers, publication ----------------------------------------------


def _ledger_rows(request, rows, *, year_field: str):
    """Ledger rows of the organizations whose dues the caller sees, narrowed by ?org= (subtree) and ?year=."""
    rows = rows.filter(org__in=selectors.orgs_with_dues_visible_to(request.user))
    if request.query_params.get("org"):
        rows = rows.filter(org__path__startswith=_org(request, request.query_params["org"]).path)
    if request.query_params.get("year"):
        rows = rows.filter(**{year_field: _year(request)})
    return rows.select_related("recorded_by")


class RemittanceSerializer(serializers.ModelSerializer):
    amount = money()
    late = serializers.BooleanField(read_only=True)
    recorded_by = serializers.CharField(source="recorded_by.username", default=None, allow_null=True, read_only=True)

    class Meta:
        model = Remittance
        fields = ["id", "org", "to_org", "year", "quarter", "amount", "remitted_on", "deadline", "late", "recorded_by"]


class RemittanceInput(serializers.Serializer):
    org = serializers.IntegerField()
    year = serializers.IntegerField(min_value=2008, max_value=2100)
    quarter = serializers.IntegerField()
    amount = money()
    remitted_on = serializers.DateField()
    # Past the deadline, while the quarter's remittance task is open, the task asks why.
    late_reason = serializers.CharField(required=False, allow_blank=True, default="")


class RemittancesView(generics.ListAPIView):
    """Branch remittances upward (?org=, ?year=); POST records a quarter's (late ones are recorded, marked late),
    completing the quarter's remittance task when one is open."""

    serializer_class = RemittanceSerializer

    def get_queryset(self):
        return _ledger_rows(self.request, Remittance.objects.all(), year_field="year")

    @extend_schema(request=RemittanceInput, responses={201: RemittanceSerializer})
    def post(self, request) -> Response:
        data = RemittanceInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        org = _org(request, values.pop("org"))
        remittance = dues_remittance.record_remittance(actor=request.user, org=org, **values)
        return Response(RemittanceSerializer(remittance).data, status=status.HTTP_201_CREATED)


class UseSerializer(serializers.ModelSerializer):
    amount = money()
    recorded_by = serializers.CharField(source="recorded_by.username", default=None, allow_null=True, read_only=True)

    class Meta:
        model = UseEntry
        fields = ["id", "org", "date", "amount", "purpose", "recorded_by"]


class UseInput(serializers.Serializer):
    org = serializers.IntegerField()
    date = serializers.DateField()
    amount = money()
    purpose = serializers.CharField(max_length=300)


class UsesView(generics.ListAPIView):
    """The use ledger's entries (?org=, ?year=); POST records one."""

    serializer_class = UseSerializer

    def get_queryset(self):
        return _ledger_rows(self.request, UseEntry.objects.all(), year_field="date__year")

    @extend_schema(request=UseInput, responses={201: UseSerializer})
    def post(self, request) -> Response:
        data = UseInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        org = _org(request, values.pop("org"))
        entry = services.record_use(actor=request.user, org=org, **values)
        return Response(UseSerializer(entry).data, status=status.HTTP_201_CREATED)


def _ledger_for(request) -> dict:
    org = _org(request, request.query_params.get("org"))
    return selectors.ledger(org, _year(request))


LEDGER_PARAMS = [
    OpenApiParameter("org", OpenApiTypes.INT, required=True),
    OpenApiParameter("year", OpenApiTypes.INT, required=True),
]


class LedgerView(APIView):
    """The collection ledger (payments and remittances) and the use ledger of an organization for a year."""

    @extend_schema(parameters=LEDGER_PARAMS, responses={200: OpenApiTypes.OBJECT})
    def get(self, request) -> Response:
        ledger = _ledger_for(request)
        return Response(
            {
                "org": ledger["org"].pk,
                "year": ledger["year"],
                "collection": {
                    "payments": PaymentSerializer(ledger["payments"], many=True).data,
                    "remittances": RemittanceSerializer(ledger["remittances"], many=True).data,
                    "collected": f"{ledger['collected']:.2f}",
                    "large_voluntary": f"{ledger['large_voluntary']:.2f}",
                    "remitted": f"{ledger['remitted']:.2f}",
                    "keepers": ledger["collection_keepers"],
                },
                "use": {
                    "entries": UseSerializer(ledger["uses"], many=True).data,
                    "used": f"{ledger['used']:.2f}",
                    "keepers": ledger["use_keepers"],
                },
                "balance": f"{ledger['balance']:.2f}",
            }
        )


class LedgerXlsxView(APIView):
    """Both ledgers as an .xlsx workbook with Chinese headers, stamped with who exported it."""

    renderer_classes = [JSONRenderer, XlsxRenderer]

    @extend_schema(parameters=LEDGER_PARAMS, responses={(200, XLSX): OpenApiTypes.BINARY})
    def get(self, request) -> HttpResponse:
        ledger = _ledger_for(request)
        content = spreadsheets.write_ledger(ledger, request.user.get_username())
        content = stamped(content, request._request, what="dues_ledger", org=ledger["org"].pk, year=ledger["year"])
        response = HttpResponse(content, content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="dues-ledger-{ledger["org"].pk}-{ledger["year"]}.xlsx"'
        return response


class PublicationSerializer(serializers.ModelSerializer):
    collected = money()
    remitted = money()
    used = money()
    org_name = serializers.CharField(source="org.name", read_only=True)
    published_by = serializers.CharField(source="published_by.username", default=None, allow_null=True, read_only=True)

    class Meta:
        model = AnnualPublication
        fields = [
            "id",
            "org",
            "org_name",
            "year",
            "collected",
            "remitted",
            "used",
            "members_owing",
            "members_paid_in_full",
            "published_by",
            "published_on",
        ]


class PublishInput(serializers.Serializer):
    org = serializers.IntegerField()
    year = serializers.IntegerField(min_value=2008, max_value=2100)
    published_on = serializers.DateField(required=False, allow_null=True)


class PublicationsView(generics.ListAPIView):
    """The yearly publications of collection and use (?org=, ?year=), which a branch's members see;
    POST {"org", "year"} publishes one."""

    serializer_class = PublicationSerializer

    def get_queryset(self):
        rows = selectors.publications_visible_to(self.request.user)
        if self.request.query_params.get("org", "").isdigit():
            rows = rows.filter(org_id=int(self.request.query_params["org"]))
        if self.request.query_params.get("year"):
            rows = rows.filter(year=_year(self.request))
        return rows.order_by("-year", "org__path")

    @extend_schema(request=PublishInput, responses={201: PublicationSerializer})
    def post(self, request) -> Response:
        data = PublishInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        org = _org(request, values.pop("org"))
        publication = services.publish_annual(actor=request.user, org=org, **values)
        return Response(PublicationSerializer(publication).data, status=status.HTTP_201_CREATED)


class SettlementInput(serializers.Serializer):
    year = serializers.IntegerField(min_value=2008, max_value=2100)
    amount = money()
    settled_on = serializers.DateField()


class CentreShareView(APIView):
    """The centre's share of ?year= (5% of the county's dues plus the large voluntary payments) and its deadline;
    POST {"year", "amount", "settled_on"} records its settlement (county administrators)."""

    @extend_schema(
        parameters=[OpenApiParameter("year", OpenApiTypes.INT, required=True)], responses={200: OpenApiTypes.OBJECT}
    )
    def get(self, request) -> Response:
        if not is_county_admin(request.user):
            raise PermissionDenied()
        share = selectors.centre_share(_year(request))
        return Response(
            {
                key: f"{value:.2f}" if key in ("collected", "share", "large_voluntary", "total") else value
                for key, value in share.items()
            }
        )

    @extend_schema(request=SettlementInput, responses={201: OpenApiTypes.OBJECT})
    def post(self, request) -> Response:
        data = SettlementInput(data=request.data)
        data.is_valid(raise_exception=True)
        settlement = services.settle_centre_share(actor=request.user, **data.validated_data)
        return Response(
            {
                "year": settlement.year,
                "amount": f"{settlement.amount:.2f}",
                "settled_on": settlement.settled_on,
                "deadline": settlement.deadline,
                "late": settlement.late,
            },
            status=status.HTTP_201_CREATED,
        )


urlpatterns = [
    path("dues/rates/", RatesView.as_view(), name="dues-rates"),
    path("dues/settings/farmer-default/", FarmerDefaultView.as_view(), name="dues-farmer-default"),
    path("dues/bases/", BasesView.as_view(), name="dues-bases"),
    path("dues/bases/<int:pk>/adjust/", BaseAdjustView.as_view(), name="dues-base-adjust"),
    path("dues/accounts/<int:person>/", AccountView.as_view(), name="dues-account"),
    path("dues/accounts/<int:person>/arrangement/", ArrangementView.as_view(), name="dues-arrangement"),
    path("dues/accounts/<int:person>/dues-from/", DuesFromView.as_view(), name="dues-from"),
    path("dues/payments/", PaymentsView.as_view(), name="dues-payments"),
    path("dues/assessments/", AssessmentView.as_view(), name="dues-assessments"),
    path("dues/reliefs/", ReliefsView.as_view(), name="dues-reliefs"),
    path("dues/reliefs/<int:pk>/approve/", ReliefApproveView.as_view(), name="dues-relief-approve"),
    path("dues/reliefs/<int:pk>/reject/", ReliefRejectView.as_view(), name="dues-relief-reject"),
    path("dues/arrears/", ArrearsView.as_view(), name="dues-arrears"),
    path("dues/remittances/", RemittancesView.as_view(), name="dues-remittances"),
    path("dues/uses/", UsesView.as_view(), name="dues-uses"),
    path("dues/ledger/", LedgerView.as_view(), name="dues-ledger"),
    path("dues/ledger.xlsx", LedgerXlsxView.as_view(), name="dues-ledger-xlsx"),
    path("dues/publications/", PublicationsView.as_view(), name="dues-publications"),
    path("dues/centre-share/", CentreShareView.as_view(), name="dues-centre-share"),
]
