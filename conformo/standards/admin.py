from django.contrib import admin

from conformo.standards.models import Clause, MandatoryDocument, Standard


@admin.register(Standard)
class StandardAdmin(admin.ModelAdmin[Standard]):
    list_display = ["code", "designation", "status", "version", "source"]
    list_filter = ["status", "source"]
    search_fields = ["code", "designation", "title"]
    raw_id_fields = ["replaces"]


@admin.register(Clause)
class ClauseAdmin(admin.ModelAdmin[Clause]):
    list_display = ["standard", "kind", "ref", "title", "hs_ref", "retired"]
    list_filter = ["kind", "retired", "standard"]
    search_fields = ["ref", "title"]
    raw_id_fields = ["standard", "parent"]
    list_select_related = ["standard"]


@admin.register(MandatoryDocument)
class MandatoryDocumentAdmin(admin.ModelAdmin[MandatoryDocument]):
    list_display = ["standard", "clause_ref", "what", "kind", "retired"]
    list_filter = ["kind", "standard"]
    list_select_related = ["standard"]
