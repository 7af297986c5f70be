"""The staff area: desks are kept by network admins; requests, referrals and unmet needs are worked
on in purpose-made pages (staff.py) mounted here, so that they share the staff login and never go
through the generic change forms (which would bypass visible_to, audit and the workflows)."""

from django.contrib import admin
from django.urls import path

from . import staff
from .models import AuditEntry, Desk, HelpRequest, Referral, UnmetNeed, is_admin


@admin.register(Desk)
class DeskAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "municipality", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "address"]
    autocomplete_fields = ["municipality", "municipalities", "operators"]
    filter_horizontal = ["languages"]
    prepopulated_fields = {"slug": ["name"]}


class PurposeMadeAdmin(admin.ModelAdmin):
    """A model whose staff pages are the purpose-made views listed in `pages`."""

    pages: list[tuple[str, object, str]] = []

    def get_urls(self):
        label = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path(route, self.admin_site.admin_view(view), name=f"{label}_{name}")
            for route, view, name in self.pages
        ]

    def may_view(self, request) -> bool:
        return is_admin(request.user)

    def may_add(self, request) -> bool:
        return False

    def has_module_permission(self, request):
        return self.may_view(request) or self.may_add(request)

    def has_view_permission(self, request, obj=None):
        return self.may_view(request)

    def has_add_permission(self, request):
        return self.may_add(request)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def operates_a_desk(request) -> bool:
    return Desk.objects.operated_by(request.user).exists()


@admin.register(HelpRequest)
class HelpRequestAdmin(PurposeMadeAdmin):
    pages = [
        ("", staff.desk_queue, "changelist"),
        ("nuova/", staff.take_on_behalf, "add"),
        ("<str:code>/", staff.request_detail, "detail"),
        ("<str:code>/esporta/", staff.request_export, "export"),
        ("<str:code>/cancella/", staff.request_erase, "erase"),
    ]

    def may_view(self, request):
        return operates_a_desk(request)

    def may_add(self, request):
        return operates_a_desk(request)


@admin.register(Referral)
class ReferralAdmin(PurposeMadeAdmin):
    pages = [
        ("", staff.org_queue, "changelist"),
        ("<int:pk>/", staff.referral_detail, "detail"),
    ]

    def may_view(self, request):
        return is_admin(request.user) or request.user.organization_roles.exists()


@admin.register(UnmetNeed)
class UnmetNeedAdmin(PurposeMadeAdmin):
    pages = [
        ("", staff.summary, "changelist"),
        ("nuovo/", staff.unmet_need_new, "add"),
    ]

    def may_view(self, request):
        return request.user.is_active and request.user.is_staff

    def may_add(self, request):
        return operates_a_desk(request)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Who read or changed personal data, and when: for network admins only, read-only."""

    list_display = ["at", "user", "action", "object_type", "object_id", "detail"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_id", "user__email"]
    date_hierarchy = "at"

    def get_queryset(self, request):
        return AuditEntry.objects.visible_to(request.user).select_related("user")

    def has_module_permission(self, request):
        return is_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return is_admin(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
