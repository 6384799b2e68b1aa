"""The complaints register through its page: register, assign a handler by email, refuse an unknown one."""

from __future__ import annotations

from conformo.audits.models import Complaint
from conformo.conftest import login


def test_a_programme_manager_registers_a_complaint_and_assigns_a_handler(programme_manager, decision_maker, acme):
    browser = login(programme_manager)
    response = browser.post(
        "/cb/complaints/",
        {
            "action": "receive",
            "organization": str(acme.public_id),
            "complainant": "A customer of Acme",
            "subject": "Certificate shown for an uncertified site",
            "description": "The website shows the mark for the Leipzig site.",
        },
        follow=True,
    )
    assert "Complaint registered." in response.content.decode()
    complaint = Complaint.objects.get()
    unknown = browser.post(
        "/cb/complaints/",
        {"action": "assign", "complaint": str(complaint.public_id), "handler": "nobody@x.test"},
        follow=True,
    )
    assert "No user has that address." in unknown.content.decode()
    complaint.refresh_from_db()
    assert complaint.handler_id is None
    assigned = browser.post(
        "/cb/complaints/",
        {"action": "assign", "complaint": str(complaint.public_id), "handler": "DECISION@northbridge.test"},
        follow=True,
    )
    assert "Handler assigned." in assigned.content.decode()
    complaint.refresh_from_db()
    assert complaint.handler == decision_maker
