from django.urls import path

from conformo.readiness.views import assessments, dashboard, documents, pickers, programme, risks, transition

app_name = "readiness"

urlpatterns = [
    path("", dashboard.home_view, name="home"),
    path("o/<uuid:org_id>/", dashboard.dashboard_view, name="dashboard"),
    path("o/<uuid:org_id>/assessments/", assessments.assessment_list_view, name="assessments"),
    path("o/<uuid:org_id>/assessments/new/", assessments.assessment_create_view, name="assessment-create"),
    path("o/<uuid:org_id>/documents/", documents.document_list_view, name="documents"),
    path("o/<uuid:org_id>/documents/new/", documents.document_create_view, name="document-create"),
    path("o/<uuid:org_id>/documents/prefill/", documents.document_prefill_view, name="documents-prefill"),
    path("o/<uuid:org_id>/internal-audits/", programme.audit_programme_view, name="audit-programme"),
    path("o/<uuid:org_id>/internal-audits/new/", programme.internal_audit_create_view, name="internal-audit-create"),
    path("o/<uuid:org_id>/internal-audits/clauses/", pickers.audit_clauses_view, name="internal-audit-clauses"),
    path("o/<uuid:org_id>/management-reviews/", programme.review_list_view, name="reviews"),
    path("o/<uuid:org_id>/management-reviews/new/", programme.review_create_view, name="review-create"),
    path("o/<uuid:org_id>/risks/", programme.risk_list_view, name="risks"),
    path("o/<uuid:org_id>/risks/new/", programme.risk_create_view, name="risk-create"),
    path("o/<uuid:org_id>/risks/matrix/", programme.risk_matrix_view, name="risk-matrix"),
    path("assessments/<uuid:public_id>/", assessments.assessment_detail_view, name="assessment-detail"),
    path("assessments/<uuid:public_id>/items/<int32:item_id>/", assessments.item_view, name="item"),
    path(
        "assessments/<uuid:public_id>/items/<int32:item_id>/evidence/",
        assessments.item_evidence_view,
        name="item-evidence",
    ),
    path(
        "assessments/<uuid:public_id>/items/<int32:item_id>/evidence/add/",
        assessments.item_evidence_add_view,
        name="item-evidence-add",
    ),
    path(
        "assessments/<uuid:public_id>/items/<int32:item_id>/status/", assessments.item_status_view, name="item-status"
    ),
    path(
        "assessments/<uuid:public_id>/items/<int32:item_id>/answer-mode/own/",
        assessments.item_override_view,
        name="item-override",
    ),
    path(
        "assessments/<uuid:public_id>/items/<int32:item_id>/answer-mode/shared/",
        assessments.item_share_view,
        name="item-share",
    ),
    path("assessments/<uuid:public_id>/rerun/", assessments.assessment_rerun_view, name="assessment-rerun"),
    path(
        "assessments/<uuid:public_id>/transition/",
        transition.assessment_transition_view,
        name="assessment-transition",
    ),
    path(
        "assessments/<uuid:public_id>/items/<int32:item_id>/confirm/",
        transition.item_confirm_view,
        name="item-confirm",
    ),
    path("assessments/<uuid:public_id>/compare/", assessments.assessment_compare_view, name="assessment-compare"),
    path("assessments/<uuid:public_id>/export.<str:fmt>", assessments.assessment_export_view, name="assessment-export"),
    path("assessments/<uuid:public_id>/soa/", assessments.soa_view, name="soa"),
    path("assessments/<uuid:public_id>/soa/publish/", assessments.soa_publish_view, name="soa-publish"),
    path("soa/<uuid:public_id>.<str:fmt>", assessments.soa_export_view, name="soa-export"),
    path("documents/<uuid:public_id>/", documents.document_detail_view, name="document-detail"),
    path("documents/<uuid:public_id>/owners/", documents.document_owners_view, name="document-owners"),
    path("documents/<uuid:public_id>/revisions/", documents.revision_create_view, name="revision-create"),
    path("revisions/<uuid:public_id>/submit/", documents.revision_submit_view, name="revision-submit"),
    path("revisions/<uuid:public_id>/approve/", documents.revision_approve_view, name="revision-approve"),
    path("revisions/<uuid:public_id>/reject/", documents.revision_reject_view, name="revision-reject"),
    path("revisions/<uuid:public_id>/withdraw/", documents.revision_withdraw_view, name="revision-withdraw"),
    path("revisions/<uuid:public_id>/file/", documents.revision_file_view, name="revision-file"),
    path("internal-audits/<uuid:public_id>/", programme.internal_audit_view, name="internal-audit"),
    path(
        "internal-audits/<uuid:public_id>/complete/",
        programme.internal_audit_complete_view,
        name="internal-audit-complete",
    ),
    path(
        "internal-audits/<uuid:public_id>/findings/",
        programme.internal_audit_finding_view,
        name="internal-audit-finding",
    ),
    path("management-reviews/<uuid:public_id>/", programme.review_detail_view, name="review-detail"),
    path("management-reviews/<uuid:public_id>/record/", programme.review_record_view, name="review-record"),
    path("management-reviews/<uuid:public_id>/actions/", programme.review_action_add_view, name="review-action-add"),
    path("review-actions/<uuid:public_id>/done/", programme.review_action_done_view, name="review-action-done"),
    path("review-actions/<uuid:public_id>/reopen/", programme.review_action_reopen_view, name="review-action-reopen"),
    path("risks/<uuid:public_id>/", risks.risk_detail_view, name="risk-detail"),
    path("risks/<uuid:public_id>/treatment/", risks.risk_update_view, name="risk-update"),
    path("risks/<uuid:public_id>/rerate/", risks.risk_rerate_view, name="risk-rerate"),
    path("risks/<uuid:public_id>/residual/", risks.risk_residual_view, name="risk-residual"),
    path("risks/<uuid:public_id>/accept/", risks.risk_accept_view, name="risk-accept"),
    path("risks/<uuid:public_id>/clauses/", pickers.risk_clauses_view, name="risk-clauses"),
]
