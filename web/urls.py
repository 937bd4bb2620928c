"""Pages of a county."""

from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.i18n import set_language

from . import (
    views,
    views_archive,
    views_disposition,
    views_dues,
    views_life,
    views_mobile,
    views_scoring,
    views_transfers,
    views_workflows,
)

app_name = "web"

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="registration/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("", views.home, name="home"),
    path("tasks/", views_workflows.inbox, name="tasks"),
    path("tasks/<int:pk>/assign/", views_workflows.task_assign, name="task_assign"),
    path("tasks/<int:pk>/unassign/", views_workflows.task_unassign, name="task_unassign"),
    path("tasks/<int:pk>/complete/", views_workflows.task_complete, name="task_complete"),
    path("processes/<int:pk>/", views_workflows.process_detail, name="process"),
    path("me/application/", views_workflows.my_application, name="my_application"),
    path("pipeline/", views_workflows.pipeline, name="pipeline"),
    path("dues/collection/", views_dues.collection_sheet, name="dues_collection"),
    path("me/dues/", views_dues.my_dues, name="my_dues"),
    path("dues/reliefs/", views_dues.reliefs, name="dues_reliefs"),
    path("dues/reliefs/<int:pk>/decide/", views_dues.relief_decide, name="dues_relief_decide"),
    path("dues/ledger/", views_dues.ledger, name="dues_ledger"),
    path("dues/publication/", views_dues.publication, name="dues_publication"),
    path("life/meetings/new/", views_life.meeting_new, name="life_meeting_new"),
    path("life/compliance/", views_life.compliance_calendar, name="life_compliance"),
    path("life/appraisals/open/", views_life.appraisal_open, name="life_appraisal_open"),
    path("life/appraisals/<int:pk>/ballot/", views_life.ballot_sheet, name="life_ballot"),
    path("scoring/board/", views_scoring.board, name="scoring_board"),
    path("scoring/red-yellow/", views_scoring.red_yellow, name="scoring_red_yellow"),
    path("scoring/entries/new/", views_scoring.entry_new, name="scoring_entry_new"),
    path("scoring/schemes/", views_scoring.schemes, name="scoring_schemes"),
    path("scoring/schemes/<int:pk>/", views_scoring.scheme_detail, name="scoring_scheme"),
    path("me/scores/", views_scoring.my_scores, name="my_scores"),
    path("dispositions/", views_disposition.index, name="dispositions"),
    path("dispositions/proposals/<int:pk>/open/", views_disposition.open_from_proposal, name="disposition_open"),
    path("dispositions/<int:pk>/", views_disposition.case_detail, name="disposition"),
    path("dispositions/<int:pk>/appeal/", views_disposition.appeal, name="disposition_appeal"),
    path("transfers/", views_transfers.index, name="transfers"),
    path("transfers/<int:pk>/", views_transfers.detail, name="transfer"),
    path("transfers/<int:pk>/receipt/", views_transfers.receipt, name="transfer_receipt"),
    path("mobile/", views_mobile.register, name="mobile_members"),
    path("mobile/new/", views_mobile.new, name="mobile_member_new"),
    path("mobile/<int:pk>/", views_mobile.detail, name="mobile_member"),
    path("mobile/<int:pk>/contact/", views_mobile.add_contact, name="mobile_member_contact"),
    path("mobile/<int:pk>/report/", views_mobile.add_report, name="mobile_member_report"),
    path("mobile/<int:pk>/review/", views_mobile.review, name="mobile_member_review"),
    path("mobile/<int:pk>/return/", views_mobile.record_return, name="mobile_member_return"),
    path("mobile/<int:pk>/suspend/", views_mobile.suspend, name="mobile_member_suspend"),
    path("people/<int:pk>/archive/", views_archive.archive, name="person_archive"),
    path("people/<int:pk>/archive/request/", views_archive.request_access, name="person_archive_request"),
    path("people/<int:pk>/archive/<int:entry>/document/", views_archive.document, name="person_archive_document"),
    path("archive/requests/", views_archive.requests, name="archive_requests"),
    path("archive/requests/<int:pk>/decide/", views_archive.decide, name="archive_request_decide"),
]
