from django.urls import path

from conformo.readiness.views import assessments, dashboard, documents, programme

app_name = "readiness"

urlpatterns = [
    path("", dashboard.home_view, name="home"),
    path("o/<uuid:org_id>/", dashboard.dashboard_view, name="dashboard"),
    path("o/<uuid:org_id>/assessments/", assessments.assessment_list_view, name="assessments"),
    path("o/<uuid:org_id>/documents/", documents.document_list_view, name="documents"),
    path("o/<uuid:org_id>/internal-audits/", programme.audit_programme_view, name="audit-programme"),
    path("o/<uuid:org_id>/management-reviews/", programme.review_list_view, name="reviews"),
    path("o/<uuid:org_id>/risks/", programme.risk_list_view, name="risks"),
    path("assessments/<uuid:public_id>/", assessments.assessment_detail_view, name="assessment-detail"),
    path("assessments/<uuid:public_id>/items/<int:item_id>/", assessments.item_view, name="item"),
    path(
        "assessments/<uuid:public_id>/items/<int:item_id>/evidence/",
        assessments.item_evidence_view,
        name="item-evidence",
    ),
    path(
        "assessments/<uuid:public_id>/items/<int:item_id>/answer-mode/",
        assessments.item_override_view,
        name="item-override",
    ),
    path("assessments/<uuid:public_id>/rerun/", assessments.assessment_rerun_view, name="assessment-rerun"),
    path("assessments/<uuid:public_id>/compare/", assessments.assessment_compare_view, name="assessment-compare"),
    path("assessments/<uuid:public_id>/export.<str:fmt>", assessments.assessment_export_view, name="assessment-export"),
    path("assessments/<uuid:public_id>/soa/", assessments.soa_view, name="soa"),
    path("soa/<uuid:public_id>.<str:fmt>", assessments.soa_export_view, name="soa-export"),
    path("documents/<uuid:public_id>/", documents.document_detail_view, name="document-detail"),
    path("revisions/<uuid:public_id>/action/", documents.revision_action_view, name="revision-action"),
    path("revisions/<uuid:public_id>/file/", documents.revision_file_view, name="revision-file"),
    path("internal-audits/<uuid:public_id>/", programme.internal_audit_view, name="internal-audit"),
    path("management-reviews/<uuid:public_id>/", programme.review_detail_view, name="review-detail"),
    path("risks/<uuid:public_id>/", programme.risk_detail_view, name="risk-detail"),
]
