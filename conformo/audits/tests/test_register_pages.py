"""The complaints register through its page: register, assign a handler by email, refuse an unknown one."""

from __future__ import annotations

from django.urls import reverse

from conformo.audits.models import Complaint
from conformo.conftest import login


def test_a_programme_manager_registers_a_complaint_and_assigns_a_handler(programme_manager, decision_maker, acme):
    browser = login(programme_manager)
    response = browser.post(
        reverse("audits:complaint-receive"),
        {
            "organization": str(acme.public_id),
            "complainant": "A customer of Acme",
            "subject": "Certificate shown for an uncertified site",
            "description": "The website shows the mark for the Leipzig site.",
        },
        follow=True,
    )
    assert "Complaint registered." in response.content.decode()
    complaint = Complaint.objects.get()
    assign = reverse("audits:complaint-assign", args=[complaint.public_id])
    unknown = browser.post(assign, {"handler": "nobody@x.test"})
    assert unknown.status_code == 422
    assert "No user has that address." in unknown.content.decode()
    assert 'value="nobody@x.test"' in unknown.content.decode()
    complaint.refresh_from_db()
    assert complaint.handler_id is None
    assigned = browser.post(assign, {"handler": "DECISION@northbridge.test"}, follow=True)
    assert "Handler assigned." in assigned.content.decode()
    complaint.refresh_from_db()
    assert complaint.handler == decision_maker
