"""Forms of the certification agreement's pages: a version's texts, the client's acceptance, the CB's record of
a signed copy and its reason to sign at stage 1."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from conformo.audits.forms.base import DATE, ActionForm
from conformo.audits.services.agreements import SIGNED_COPY_EXTENSIONS, TEMPLATE_LIMITS

_AREA = {"rows": 8}


class AgreementTemplateForm(ActionForm):
    id_prefix = "agreement"
    title = forms.CharField(max_length=TEMPLATE_LIMITS["title"], label="Title")
    body = forms.CharField(
        max_length=TEMPLATE_LIMITS["body"],
        widget=forms.Textarea(attrs={"rows": 14}),
        label="Agreement text",
        help_text="Your own text, as plain text; line breaks are kept.",
    )
    mark_rules = forms.CharField(
        max_length=TEMPLATE_LIMITS["mark_rules"],
        widget=forms.Textarea(attrs=_AREA),
        label="Rules for the use of certification marks and references to certification",
    )
    suspension_duties = forms.CharField(
        max_length=TEMPLATE_LIMITS["suspension_duties"],
        widget=forms.Textarea(attrs=_AREA),
        label="What the client must do on suspension or withdrawal",
        help_text="Repeated in the notices of a suspension or withdrawal.",
    )


class AgreementAcceptForm(ActionForm):
    """The client's acceptance of the version shown (`version`, hidden), on behalf of its organization."""

    id_prefix = "accept"
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    on_behalf = forms.BooleanField(label="I accept this agreement on behalf of the organization")

    def __init__(self, *args: Any, organization: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organization is not None:
            self.fields["on_behalf"].label = f"I accept this agreement on behalf of {organization}"


class AgreementRecordForm(ActionForm):
    """A signed copy recorded by the CB: the file, the date on it and the version signed."""

    id_prefix = "record"
    file = forms.FileField(
        label="Signed copy", help_text=f"A scan or signed PDF: {', '.join(sorted(SIGNED_COPY_EXTENSIONS))}."
    )
    signed_on = forms.DateField(widget=DATE, label="Signed on")
    version = forms.TypedChoiceField(coerce=int, label="Version signed")

    def __init__(self, *args: Any, versions: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["version"]
        field.choices = [(t.version, f"Version {t.version} — {t.title}") for t in versions]
        if versions:
            field.initial = versions[0].version
        self.fields["file"].widget.attrs["accept"] = ",".join(sorted(SIGNED_COPY_EXTENSIONS))


class AgreementStage1Form(ActionForm):
    id_prefix = "stage1"
    reason = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Why the agreement is signed at stage 1",
    )
