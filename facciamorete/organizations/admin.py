from django.contrib import admin

from .models import Membership, Organization, OrganizationOperator


class OrganizationScopedAdmin(admin.ModelAdmin):
    """Network admins see everything; an organisation's operators only what is theirs.

    `organization_path` names the lookup from the model to its Organization.
    """

    organization_path = "organization"

    def _editable_organizations(self, request):
        return Organization.objects.editable_by(request.user)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        lookup = f"{self.organization_path}__in" if self.organization_path else "pk__in"
        return queryset.filter(**{lookup: self._editable_organizations(request)})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organization" and not request.user.is_superuser:
            kwargs["queryset"] = self._editable_organizations(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class OperatorInline(admin.TabularInline):
    model = OrganizationOperator
    extra = 0
    autocomplete_fields = ["user"]

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission


@admin.register(Organization)
class OrganizationAdmin(OrganizationScopedAdmin):
    organization_path = ""
    list_display = ["name", "kind", "municipality", "status", "tax_code"]
    list_filter = ["status", "kind", "municipality"]
    search_fields = ["name", "alternate_name", "tax_code", "email"]
    autocomplete_fields = ["municipality"]
    filter_horizontal = ["activities"]
    inlines = [MembershipInline, OperatorInline]
    fieldsets = [
        (None, {"fields": ["name", "alternate_name", "slug", "kind", "status", "description"]}),
        ("Registro", {"fields": ["tax_code", "runts_section", "runts_number", "activities"]}),
        ("Contatti", {"fields": ["municipality", "website", "email", "pec", "logo"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # Operators keep their profile up to date; the network decides who is in it.
        return [] if request.user.is_superuser else ["status", "slug"]

    def has_add_permission(self, request):
        return request.user.is_superuser
