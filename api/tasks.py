"""Processes and tasks (API.md): the inbox, take / give back / complete, a process with its history, and /me/."""

from django.db.models import F
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from orgs.models import Organization
from workflows import selectors
from workflows.flows import FLOWS
from workflows.models import StepTask, WorkflowProcess
from workflows.services.tasks import assign_task, complete_task, unassign_task

from .pagination import CountingPagination

DATE = serializers.DateField()  # DRF's format of a date, for the rows TaskListSerializer builds itself


def _person(step_task: StepTask) -> dict:
    if hasattr(step_task, "person_name"):  # the inbox's rows (TaskList) carry them, without the process's rows
        return {"person": step_task.person_ref, "person_name": step_task.person_name}
    person = step_task.process.person
    return {"person": person.pk if person else None, "person_name": person.name if person else None}


class TaskListSerializer(serializers.ListSerializer):
    """Tasks as TaskSerializer shows them, read straight off each step task: DRF's generic walk over 14 fields
    cost about as much as the inbox's queries. tests/workflows/test_task_scope.py checks a row equals
    TaskSerializer's own."""

    def to_representation(self, data) -> list[dict]:
        date = DATE.to_representation
        return [
            {
                "id": step_task.task_id,
                "flow": selectors.step_node(step_task).flow_class.code,
                "step": step_task.step,
                "title": str(selectors.step_node(step_task).task_title),
                "process": step_task.process_id,
                **_person(step_task),
                "org": step_task.org_id,
                "org_name": step_task.org.name,
                "actor": step_task.actor,
                "due_date": date(step_task.due_date),
                "overdue": selectors.is_overdue(step_task),
                "status": step_task.task.status.lower(),
                "assignee": step_task.task.owner_id,
            }
            for step_task in data
        ]


class TaskSerializer(serializers.Serializer):
    """One task: `id` is the task's id for the actions below; `step` a step code of DOMAIN.md."""

    id = serializers.IntegerField(source="task_id")
    flow = serializers.SerializerMethodField()
    step = serializers.CharField()
    title = serializers.SerializerMethodField()
    process = serializers.IntegerField(source="process_id")
    person = serializers.IntegerField(source="process.person_id", allow_null=True)
    person_name = serializers.CharField(source="process.person.name", default=None, allow_null=True)
    org = serializers.IntegerField(source="org_id")
    org_name = serializers.CharField(source="org.name")
    actor = serializers.CharField()
    due_date = serializers.DateField(allow_null=True)
    overdue = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    assignee = serializers.IntegerField(source="task.owner_id", allow_null=True)

    def get_flow(self, step_task: StepTask) -> str:
        return selectors.flow_code_of(step_task.process)

    def get_title(self, step_task: StepTask) -> str:
        return str(selectors.step_node(step_task).task_title)

    def get_overdue(self, step_task: StepTask) -> bool:
        return selectors.is_overdue(step_task)

    def get_status(self, step_task: StepTask) -> str:
        return step_task.task.status.lower()

    class Meta:
        list_serializer_class = TaskListSerializer


class HistorySerializer(serializers.Serializer):
    """One recorded step: who, when, on whose behalf, the decision, the event's date and its record."""

    step = serializers.CharField()
    date = serializers.DateField(source="event_date")
    decision = serializers.CharField()
    actor = serializers.IntegerField(source="actor_id", allow_null=True)
    actor_name = serializers.CharField(source="actor.username", default=None)
    on_behalf_of_org = serializers.IntegerField(source="on_behalf_of_org_id", allow_null=True)
    on_behalf_of_person = serializers.IntegerField(source="on_behalf_of_person_id", allow_null=True)
    comment = serializers.CharField()
    data = serializers.JSONField()
    late = serializers.BooleanField()
    imported = serializers.BooleanField()
    recorded_at = serializers.DateTimeField()


class ProcessSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    flow = serializers.SerializerMethodField()
    person = serializers.IntegerField(source="person_id", allow_null=True)
    org = serializers.IntegerField(source="org_id")
    status = serializers.SerializerMethodField()
    current_steps = serializers.SerializerMethodField()
    history = serializers.SerializerMethodField()

    def get_flow(self, process: WorkflowProcess) -> str:
        return selectors.flow_code_of(process)

    def get_status(self, process: WorkflowProcess) -> str:
        return selectors.process_status(process)

    @extend_schema_field(TaskSerializer(many=True))
    def get_current_steps(self, process: WorkflowProcess):
        return TaskSerializer(selectors.open_steps(process), many=True).data

    @extend_schema_field(HistorySerializer(many=True))
    def get_history(self, process: WorkflowProcess):
        return HistorySerializer(selectors.history(process), many=True).data


class TaskFilterSerializer(serializers.Serializer):
    flow = serializers.ChoiceField(choices=sorted(FLOWS), required=False)
    org = serializers.IntegerField(required=False)
    overdue = serializers.BooleanField(required=False, default=False)


class CompleteSerializer(serializers.Serializer):
    decision = serializers.CharField(required=False, allow_blank=True, default="")
    date = serializers.DateField(required=False, allow_null=True, default=None)
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    data = serializers.JSONField(required=False, default=dict)


# What TaskListSerializer reads: the list leaves out the tasks' JSON data and the owner's row, and reads the
# person from the process's own table (annotated) rather than loading the process, whose viewflow parent
# table made the join a table longer (2 ms more planning a request).
LIST_COLUMNS = (
    "task_id", "process_id", "step", "actor", "org_id", "due_date", "overdue", "task__flow_task", "task__status",
    "task__owner_id", "org__name",
)  # fmt: skip


class TaskList(generics.ListAPIView):
    """The tasks the caller can act on now. Filters: `?flow=`, `?org=` (whole subtree), `?overdue=1`."""

    serializer_class = TaskSerializer
    filter_backends: list = []
    pagination_class = CountingPagination

    @extend_schema(parameters=[TaskFilterSerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        filters = TaskFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        org = None
        if "org" in filters.validated_data:
            org = Organization.objects.filter(pk=filters.validated_data["org"]).first()
            if org is None:
                return StepTask.objects.none()
        tasks = selectors.actionable_tasks(
            self.request.user, flow=filters.validated_data.get("flow"), org=org, overdue=filters.validated_data["overdue"]
        )
        return (
            tasks.select_related(None)
            .select_related("task", "org")
            .annotate(person_ref=F("process__person_id"), person_name=F("process__person__name"))
            .only(*LIST_COLUMNS)
        )


class TaskActionView(APIView):
    """Tasks outside the caller's scope answer 404, whether or not they exist."""

    def step_task(self, pk: int) -> StepTask:
        return get_object_or_404(selectors.tasks_open_to(self.request.user), task_id=pk)


class TaskAssign(TaskActionView):
    @extend_schema(request=None, responses=TaskSerializer)
    def post(self, request, pk: int):
        step_task = assign_task(actor=request.user, step_task=self.step_task(pk))
        return Response(TaskSerializer(self.step_task(step_task.task_id)).data)


class TaskUnassign(TaskActionView):
    @extend_schema(request=None, responses=TaskSerializer)
    def post(self, request, pk: int):
        step_task = unassign_task(actor=request.user, step_task=self.step_task(pk))
        return Response(TaskSerializer(self.step_task(step_task.task_id)).data)


class TaskComplete(TaskActionView):
    """Record the step: `decision`, `date` (the event's day, default today), `comment`, `data` (its record)."""

    @extend_schema(request=CompleteSerializer, responses=ProcessSerializer)
    def post(self, request, pk: int):
        step_task = self.step_task(pk)
        body = CompleteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        complete_task(actor=request.user, step_task=step_task, **body.validated_data)
        process = get_object_or_404(WorkflowProcess.objects.select_related("person"), pk=step_task.process_id)
        return Response(ProcessSerializer(process).data)


class ProcessDetail(generics.RetrieveAPIView):
    serializer_class = ProcessSerializer

    def get_queryset(self):
        return selectors.processes_visible_to(self.request.user)


class Me(APIView):
    @extend_schema(
        responses=inline_serializer(
            "Me",
            {
                "user": serializers.DictField(),
                "person": serializers.DictField(allow_null=True),
                "roles": serializers.ListField(child=serializers.DictField()),
                "stage": serializers.CharField(allow_null=True),
                "open_tasks": serializers.IntegerField(),
            },
        )
    )
    def get(self, request):
        person = selectors.person_of(request.user)
        return Response(
            {
                "user": {"id": request.user.pk, "username": request.user.get_username()},
                "person": {"id": person.pk, "name": person.name, "org": person.org_id} if person else None,
                "roles": selectors.roles_of(request.user),
                "stage": person.stage if person else None,
                "open_tasks": selectors.actionable_tasks(request.user).count(),
            }
        )


urlpatterns = [
    path("tasks/", TaskList.as_view(), name="tasks"),
    path("tasks/<int:pk>/assign/", TaskAssign.as_view(), name="task-assign"),
    path("tasks/<int:pk>/unassign/", TaskUnassign.as_view(), name="task-unassign"),
    path("tasks/<int:pk>/complete/", TaskComplete.as_view(), name="task-complete"),
    path("processes/<int:pk>/", ProcessDetail.as_view(), name="process-detail"),
    path("me/", Me.as_view(), name="me"),
]
