from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from facciamorete.organizations.admin import OrganizationAdmin as BaseOrganizationAdmin
from facciamorete.organizations.admin import OrganizationScopedAdmin
from facciamorete.organizations.models import Organization

from .models import (
    Closure,
    Contact,
    Language,
    Location,
    Phone,
    RequiredDocument,
    Schedule,
    Service,
    ServiceAtLocation,
)


class PhoneInline(admin.TabularInline):
    model = Phone
    fields = ["number", "extension", "type", "description"]
    extra = 0


class ScheduleInline(admin.TabularInline):
    model = Schedule
    fields = [
        "byday",
        "opens_at",
        "closes_at",
        "closes_next_day",
        "open_on_holidays",
        "valid_from",
        "valid_to",
        "description",
    ]
    extra = 0


class ClosureInline(admin.TabularInline):
    model = Closure
    fields = ["start_date", "end_date", "every_year", "reason"]
    extra = 0


class RequiredDocumentInline(admin.TabularInline):
    model = RequiredDocument
    extra = 0


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


class ServiceAtLocationInline(admin.TabularInline):
    model = ServiceAtLocation
    fields = ["location", "description"]
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "location" and not request.user.is_superuser:
            kwargs["queryset"] = Location.objects.filter(
                organization__in=Organization.objects.editable_by(request.user)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Service)
class ServiceAdmin(OrganizationScopedAdmin):
    list_display = ["name", "organization", "status", "cost_class", "assured_date"]
    list_filter = ["status", "cost_class", "families", "areas", "organization"]
    search_fields = ["name", "alternate_name", "description", "organization__name"]
    list_select_related = ["organization"]
    autocomplete_fields = ["organization", "service_area_municipalities"]
    filter_horizontal = ["families", "areas", "audiences", "languages", "service_area_districts"]
    readonly_fields = ["assured_by"]
    inlines = [
        ServiceAtLocationInline,
        ScheduleInline,
        ClosureInline,
        RequiredDocumentInline,
        ContactInline,
        PhoneInline,
    ]
    actions = ["mark_verified"]
    fieldsets = [
        (
            None,
            {"fields": ["organization", "name", "alternate_name", "slug", "status", "description"]},
        ),
        (_("Classificazione"), {"fields": ["families", "areas", "audiences"]}),
        (
            _("A chi si rivolge"),
            {"fields": ["eligibility_description", "minimum_age", "maximum_age"]},
        ),
        (_("Come accedere"), {"fields": ["application_process", "wait_time"]}),
        (_("Costo"), {"fields": ["cost_class", "cost_amount", "cost_description"]}),
        (
            _("Lingue, accessibilità, territorio"),
            {
                "fields": [
                    "languages",
                    "accessibility_description",
                    "service_area_municipalities",
                    "service_area_districts",
                ]
            },
        ),
        (_("Contatti"), {"fields": ["url", "email"]}),
        (_("Verifica"), {"fields": ["assured_date", "assured_by"]}),
    ]

    def save_model(self, request, obj, form, change):
        if "assured_date" in form.changed_data and obj.assured_date:
            obj.assured_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Segna come verificati oggi"))
    def mark_verified(self, request, queryset):
        updated = queryset.update(assured_date=timezone.localdate(), assured_by=request.user)
        self.message_user(request, _("%(n)d servizi segnati come verificati.") % {"n": updated})


@admin.register(Location)
class LocationAdmin(OrganizationScopedAdmin):
    list_display = [
        "name",
        "organization",
        "municipality",
        "location_type",
        "wheelchair_accessible",
    ]
    list_filter = ["location_type", "wheelchair_accessible", "municipality"]
    search_fields = ["name", "address_1", "organization__name"]
    list_select_related = ["organization", "municipality"]
    autocomplete_fields = ["organization", "municipality"]
    inlines = [PhoneInline]


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ["name", "native_name", "code"]
    search_fields = ["name", "native_name", "code"]


class OrganizationLocationInline(admin.StackedInline):
    model = Location
    extra = 0
    show_change_link = True
    fields = ["name", "location_type", "address_1", "postal_code", "municipality"]
    autocomplete_fields = ["municipality"]


# The organisation's page in the staff area also lists its phones and locations, which are
# catalogue objects: the directory adds them to the organisations' admin.
admin.site.unregister(Organization)


@admin.register(Organization)
class OrganizationAdmin(BaseOrganizationAdmin):
    inlines = [*BaseOrganizationAdmin.inlines, PhoneInline, OrganizationLocationInline]
