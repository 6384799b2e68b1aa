"""In a real browser: a client administrator takes a fresh organization from nothing to a green stage-1
readiness check through the pages (ISO 9001, shipped catalog).

Every kind of step is done through the pages at least once — create the assessment, answer items inline
(htmx), fill the register from the catalog, upload / send for review / approve a document, plan and complete
an internal audit covering every clause, record the management review with its inputs, raise a major
nonconformity and take it through corrective action to an effective check. Where the same click would be
repeated dozens of times (answering every item, approving every mandatory document) the rest is prepared
through the same services the pages call.
"""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conformo.core.actors import SYSTEM
from conformo.core.roles import Role
from conformo.core.tests.browser import follow, sign_in
from conformo.core.tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from conformo.readiness.models import Assessment, Document, Item
from conformo.readiness.services import item_answer, revision_approve, revision_create, revision_submit
from conformo.standards.models import Clause, Standard
from conformo.standards.services import catalog_load_shipped

QMS = "iso-9001-2015"


def _check(page, label: str):
    """The stage-1 check's entry for `label` on the readiness dashboard."""
    return page.locator("ul.check > li").filter(has_text=label)


def _nav(page, name: str) -> None:
    follow(page, page.get_by_role("navigation", name="Readiness").get_by_role("link", name=name, exact=True))
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def _dashboard(page, org) -> None:
    page.goto(f"/readiness/o/{org.public_id}/")
    expect(page.get_by_role("heading", name="Stage-1 readiness check")).to_be_visible()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_client_admin_reaches_a_green_stage1_check_through_the_pages(page):
    catalog_load_shipped(actor=SYSTEM)
    qms = Standard.objects.get(code=QMS)
    org = OrganizationFactory(legal_name="Fresh Widgets Ltd")
    admin = UserFactory(email="admin@fresh.example", full_name="Ada Admin")
    MembershipFactory(user=admin, organization=org, role=Role.CLIENT_ADMIN, certification_body=None)

    sign_in(page, admin.email, "pw-for-tests")
    page.goto("/readiness/")
    page.wait_for_url(f"**/readiness/o/{org.public_id}/")
    for label in ("Mandatory documented information", "Internal audits have covered every clause"):
        expect(_check(page, label)).to_contain_text("Missing")
    expect(page.get_by_text("Create a gap assessment to select the standards").first).to_be_attached()

    # 1. The gap assessment, with items answered inline.
    _nav(page, "Assessments")
    page.get_by_label(qms.designation).check()
    page.get_by_role("button", name="Create assessment", exact=True).click()
    page.wait_for_url(re.compile(r"/readiness/assessments/[0-9a-f-]+/$"))
    assessment = Assessment.objects.get(organization=org)
    item = Item.objects.get(assessment=assessment, clause__ref="4.1")
    page.get_by_label("Status of 4.1", exact=True).select_option("implemented")
    expect(page.locator(f"#item-{item.pk}")).to_have_class(re.compile("status-implemented"))
    for other in Item.objects.filter(assessment=assessment).exclude(pk=item.pk).select_related("assessment"):
        item_answer(actor=admin, item=other, status="implemented")
    page.reload()
    expect(page.get_by_text("100.0 %").first).to_be_visible()

    _dashboard(page, org)
    expect(_check(page, "Mandatory documented information")).to_contain_text("Missing")
    expect(_check(page, "Internal audits have covered every clause")).to_contain_text("Missing")
    expect(_check(page, "Internal audits have covered every clause")).to_contain_text(f"{qms.designation} 4.1")
    expect(_check(page, "A management review")).to_contain_text("Missing")

    # 2. Documented information: the register from the catalog; one document through the whole flow.
    _nav(page, "Documented information")
    page.get_by_role("button", name="Add mandatory documents of the assessed standards", exact=True).click()
    expect(page.get_by_text("mandatory entries added")).to_be_visible()
    documents = list(Document.objects.filter(organization=org).order_by("title"))
    assert len(documents) > 5
    first, rest = documents[0], documents[1:]
    follow(page, page.get_by_role("link", name=first.title))
    page.get_by_label("Approver").select_option(label=str(admin))
    page.get_by_role("button", name="Save owner and approver", exact=True).click()
    expect(page.get_by_text("Owner, approver and review date saved.")).to_be_visible()
    page.get_by_label("File").set_input_files(
        files=[{"name": "policy.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 policy"}]
    )
    follow(page, page.get_by_role("button", name="Create draft", exact=True))
    follow(page, page.get_by_role("button", name="Send for review", exact=True))
    page.get_by_role("button", name="Approve", exact=True).click()
    expect(page.get_by_role("cell", name="Approved", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="policy.pdf")).to_be_visible()
    for document in rest:
        revision = revision_create(actor=admin, document=document)
        revision_submit(actor=admin, revision=revision)
        revision_approve(actor=admin, revision=revision)
    _dashboard(page, org)
    expect(_check(page, "Mandatory documented information")).to_contain_text("Ready")

    # 3. An internal audit covering every clause (the chapters 4-10 cover their sub-clauses).
    _nav(page, "Internal audits")
    page.get_by_role("textbox", name="Title").fill("Full system audit")
    page.get_by_label("Planned on").fill("2026-03-02")
    page.get_by_label("Auditor").fill("I. Ndependent")
    chapters = Clause.objects.filter(standard=qms, ref__in=[str(n) for n in range(4, 11)])
    page.get_by_role("listbox", name="Clauses").select_option(
        label=[f"{qms.designation} {chapter.ref} {chapter.title}" for chapter in chapters]
    )
    page.get_by_role("button", name="Plan audit", exact=True).click()
    page.wait_for_url(re.compile(r"/readiness/internal-audits/[0-9a-f-]+/$"))
    page.get_by_label("Completed on").fill("2026-03-03")
    page.get_by_role("button", name="Complete", exact=True).click()
    expect(page.get_by_text("its clauses now count as covered")).to_be_visible()

    # 4. A major nonconformity found at the audit turns the last item red, naming it ...
    page.get_by_role("textbox", name="Title").fill("Calibration records missing")
    page.get_by_label("Grade").select_option("major")
    page.get_by_role("button", name="Raise", exact=True).click()
    expect(page.get_by_text("NC-1 raised")).to_be_visible()
    _dashboard(page, org)
    expect(_check(page, "Internal audits have covered every clause")).to_contain_text("Ready")
    major = _check(page, "No open major internal nonconformity")
    expect(major).to_contain_text("Missing")
    expect(major).to_contain_text("NC-1 Calibration records missing")

    # ... until its corrective action is done and found effective.
    _nav(page, "Improvement log")
    follow(page, page.get_by_role("link", name="NC-1"))
    page.get_by_label("Root cause").fill("No calibration schedule")
    page.get_by_label("Corrective action").fill("Schedule and record calibrations")
    page.get_by_label("Due date").fill(timezone.localdate().isoformat())
    follow(page, page.get_by_role("button", name="Save", exact=True))
    follow(page, page.get_by_role("button", name="Mark action completed", exact=True))
    page.get_by_label("Effective (closes the nonconformity)").check()
    page.get_by_role("button", name="Record check", exact=True).click()
    expect(page.get_by_text("Closed", exact=True)).to_be_visible()

    # 5. The management review with every required input.
    _nav(page, "Management reviews")
    page.get_by_role("textbox", name="Title").fill("Management review 2026")
    page.get_by_label(qms.designation).check()
    page.get_by_role("button", name="Create", exact=True).click()
    page.wait_for_url(re.compile(r"/readiness/management-reviews/[0-9a-f-]+/$"))
    page.get_by_label("Held on").fill("2026-03-20")
    inputs = page.locator("textarea[name^='input-']")
    assert inputs.count() >= 8
    for index in range(inputs.count()):
        inputs.nth(index).fill(f"Reviewed, see minutes item {index + 1}")
    page.get_by_role("button", name="Save review", exact=True).click()
    expect(page.get_by_text("Management review saved.")).to_be_visible()

    # Green: every item of the check is ready.
    _dashboard(page, org)
    checks = page.locator("ul.check > li")
    expect(checks).to_have_count(4)
    for index in range(4):
        expect(checks.nth(index).locator(".status")).to_have_text("Ready")
    expect(page.get_by_text("Missing", exact=True)).to_have_count(0)
