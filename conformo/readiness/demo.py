"""Demo readiness work, made through the same services a client administrator uses. Loading twice changes
nothing: an organization that already has an assessment is left as it is.

- Cobalt Cloud Services (applying for ISO/IEC 27001): an ISMS assessment part-way done, with one Annex A
  control (A.7.8) justified as not applicable, and its mandatory documented information registered; the
  information security policy (clause 5.2) is owned by a member and due for review in two weeks.
- Bluewater Logistics (ISO 14001, after stage 2): an integrated 14001 + 45001 assessment where the clauses
  the Harmonized Structure makes common are answered once for both standards; then (`demo_transition`) its
  transition assessment to ISO 14001:2026 in progress. The real 2026 outline is not in Conformo's sourced data,
  so the demo loads the made-up example edition `example-iso-14001-2026` ("ISO 14001:2026 (made-up example)",
  docs/examples/example-iso-14001-2026.yaml, replacing iso-14001-2015, transition end 2029-04-15): answers
  carried over, a few confirmed, one merged clause reviewed (docs/readiness.md, "Demo").
"""

from __future__ import annotations

from datetime import timedelta
from itertools import cycle
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from conformo.accounts.models import User
from conformo.core.actors import SYSTEM
from conformo.organizations.models import Organization
from conformo.readiness.choices import ItemStatus, TransitionState
from conformo.readiness.models import Assessment, Document, Item
from conformo.readiness.services import (
    answer_confirm,
    assessment_create,
    assessment_transition,
    document_register_prefill,
    document_update,
    item_answer,
)
from conformo.standards.models import ClauseKind, Standard
from conformo.standards.services import catalog_load_file

PLAN: list[tuple[str, str, list[str], str]] = [
    ("Cobalt Cloud Services Ltd", "ciso@cobalt.example", ["iso-iec-27001-2022"], "ISMS readiness"),
    ("Bluewater Logistics B.V.", "ehs@bluewater.example", ["iso-14001-2015", "iso-45001-2018"], "EHS readiness"),
]
REVIEWS: dict[str, tuple[str, str, int]] = {
    "Cobalt Cloud Services Ltd": ("engineer@cobalt.example", "5.2", 14),
}
"""Organization → (owner of the document, clause of its mandatory documented information, days to its review)."""
STATUSES = [ItemStatus.IMPLEMENTED, ItemStatus.IMPLEMENTED, ItemStatus.PARTIAL, ItemStatus.PLANNED]
NOT_APPLICABLE_CONTROL = "7.8"
NOT_APPLICABLE_WHY = "No server rooms or equipment of our own: hosting is outsourced to a certified provider."


@transaction.atomic
def demo_readiness() -> None:
    """Give the demo clients their readiness work, once."""
    for legal_name, admin_email, codes, title in PLAN:
        organization = Organization.objects.filter(legal_name=legal_name).first()
        admin = User.objects.filter(email=admin_email).first()
        standards = list(Standard.objects.filter(code__in=codes).order_by("code"))
        if organization is None or admin is None or len(standards) != len(codes):
            continue
        if Assessment.objects.filter(organization=organization).exists():
            continue
        assessment = assessment_create(actor=admin, organization=organization, standards=standards, title=title)
        document_register_prefill(actor=admin, organization=organization, standards=standards)
        _answer_some(admin, assessment)
        if legal_name in REVIEWS:
            _review_due(admin, organization, *REVIEWS[legal_name])


def _review_due(admin: User, organization: Organization, owner_email: str, clause_ref: str, days: int) -> None:
    """The registered document of the mandatory documented information at `clause_ref`: owned by `owner_email`
    and due for review in `days` days (it shows in the owner's and the administrator's My work)."""
    document = (
        Document.objects.filter(organization=organization, mandatory__clause_ref=clause_ref).order_by("id").first()
    )
    owner = User.objects.filter(email=owner_email).first()
    if document is None or owner is None:
        return
    document_update(actor=admin, document=document, owner=owner, review_due=timezone.localdate() + timedelta(days=days))


def _answer_some(admin: User, assessment: Assessment) -> None:
    """Answer the clauses of 4 to 7 (a shared answer once for every standard) and, for 27001, the first
    organizational controls, with A.7.8 (equipment siting) justified as not applicable."""
    items = Item.objects.filter(assessment=assessment).select_related("clause", "answer").order_by("clause__position")
    answered: set[int] = set()
    statuses = cycle(STATUSES)
    for item in items:
        clause = item.clause
        if item.answer_id in answered:
            continue
        if clause.kind == ClauseKind.CONTROL:
            if clause.ref == NOT_APPLICABLE_CONTROL:
                item_answer(actor=admin, item=item, status=ItemStatus.NOT_APPLICABLE, justification=NOT_APPLICABLE_WHY)
                answered.add(item.answer_id)
                continue
            if not clause.ref.startswith("5.") or int(clause.ref.split(".")[1]) > 10:
                continue
        elif clause.ref.split(".")[0] not in {"4", "5", "6", "7"}:
            continue
        item_answer(actor=admin, item=item, status=next(statuses), notes="Demo answer.")
        answered.add(item.answer_id)


#: The made-up example edition the demo moves Bluewater to (an illustration, never a real outline).
DEMO_EDITION_FILE = Path(settings.BASE_DIR) / "docs" / "examples" / "example-iso-14001-2026.yaml"
DEMO_EDITION = "example-iso-14001-2026"
TRANSITION_CLIENT = ("Bluewater Logistics B.V.", "ehs@bluewater.example")
CONFIRMED_IN_DEMO = 6


@transaction.atomic
def demo_transition() -> None:
    """Bluewater's move of its EHS assessment to the demo's ISO 14001:2026 edition, in progress, once."""
    legal_name, admin_email = TRANSITION_CLIENT
    organization = Organization.objects.filter(legal_name=legal_name).first()
    admin = User.objects.filter(email=admin_email).first()
    if organization is None or admin is None or not DEMO_EDITION_FILE.exists():
        return
    if Assessment.objects.filter(organization=organization, replaced_edition__isnull=False).exists():
        return
    old = Assessment.objects.filter(organization=organization, replaced_edition__isnull=True).order_by("id").first()
    if old is None or not old.standards.filter(code="iso-14001-2015").exists():
        return
    catalog_load_file(path=DEMO_EDITION_FILE, actor=SYSTEM)
    edition = Standard.objects.get(code=DEMO_EDITION)
    new = assessment_transition(
        actor=admin, assessment=old, standard=edition, title="EHS transition to ISO 14001:2026 (made-up example)"
    )
    items = (
        Item.objects.filter(assessment=new, clause__standard=edition)
        .select_related("answer", "clause", "assessment")
        .order_by("clause__position")
    )
    confirmed: set[int] = set()
    for item in items:
        state = item.answer.transition_state
        if (
            state == TransitionState.TO_CONFIRM
            and len(confirmed) < CONFIRMED_IN_DEMO
            and item.answer_id not in confirmed
        ):
            answer_confirm(actor=admin, item=item)
            confirmed.add(item.answer_id)
        elif state == TransitionState.TO_REVIEW and item.clause.ref == "7.4.2":
            item_answer(actor=admin, item=item, status=ItemStatus.PARTIAL, notes="Demo: one procedure for both.")
