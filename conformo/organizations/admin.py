from django.contrib import admin

from conformo.organizations.models import CertificationBody, ClientRelationship, Organization, Site


class SiteInline(admin.TabularInline[Site, Organization]):
    model = Site
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin[Organization]):
    list_display = ["legal_name", "country"]
    search_fields = ["legal_name"]
    inlines = [SiteInline]


admin.site.register(CertificationBody)
admin.site.register(ClientRelationship)
