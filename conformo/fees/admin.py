from django.contrib import admin

from conformo.fees.models import PriceSettings, Quotation


@admin.register(PriceSettings)
class PriceSettingsAdmin(admin.ModelAdmin[PriceSettings]):
    list_display = ["certification_body", "currency", "day_rate", "tax_percent", "validity_days"]


@admin.register(Quotation)
class QuotationAdmin(admin.ModelAdmin[Quotation]):
    list_display = ["application", "number", "currency", "total", "valid_until", "created_at"]
    readonly_fields = ["prices", "result", "trace", "facts", "subtotal", "tax", "total"]
