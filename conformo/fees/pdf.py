"""The proposal as a PDF (WeasyPrint, in the stylesheet of the audit plan and report: conformo.audits.pdf): the
CB's identity, the client, standards and scope, the summary of the audit-time justification, the programme,
the fees and the total with tax, valid until a date.

The proposal is a list of sections (`PROPOSAL_SECTIONS`, one template each, in order); the last one names the
CB's certification agreement version current when the quotation was made (ISO/IEC 17021-1 5.1.2). Everything it
shows is the quotation's own copy (facts, prices, fees) or the determination it rests on, which is never changed: the
proposal of a quotation reads the same whenever it is downloaded."""

from __future__ import annotations

from typing import Any

from conformo.audits.pdf import render_pdf
from conformo.audits.views.determinations import determination_panel
from conformo.fees.models import Quotation

PROPOSAL_SECTIONS: tuple[str, ...] = (
    "fees/proposal/justification.html",
    "fees/proposal/programme.html",
    "fees/proposal/fees.html",
    "fees/proposal/agreement.html",
)
"""The proposal's sections after its heading, in order."""


def proposal_context(quotation: Quotation) -> dict[str, Any]:
    """What the proposal shows, from the quotation and its determination alone."""
    return {
        "q": quotation,
        "facts": quotation.facts,
        "result": quotation.result,
        "prices": quotation.prices,
        "panel": determination_panel(quotation.determination),
        "sections": PROPOSAL_SECTIONS,
        "lang_code": "en",
    }


def proposal_pdf(quotation: Quotation) -> bytes:
    """The PDF bytes of the quotation's proposal."""
    return render_pdf("fees/proposal_pdf.html", proposal_context(quotation))
