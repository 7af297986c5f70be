from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from facciamorete.organizations.admin import OrganizationScopedAdmin

from . import matching, services
from .forms import ReviewForm
from .models import (
    Campaign,
    Charter,
    Donation,
    Event,
    EventRegistration,
    HoursLog,
    JoinApplication,
    NewsItem,
    Opportunity,
    Pledge,
    Volunteer,
)

DECISIONS = {
    "approva": (services.application_approve, gettext_lazy("Approva la domanda")),
    "integrazioni": (services.application_request_info, gettext_lazy("Chiedi integrazioni")),
    "respingi": (services.application_reject, gettext_lazy("Respingi la domanda")),
}


class PersonalDataAdmin(admin.ModelAdmin):
    """Rows with personal data: only who `visible_to` allows, whatever the permissions say."""

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)


@admin.register(Charter)
class CharterAdmin(admin.ModelAdmin):
    list_display = ["version", "title", "published_on"]

    def get_readonly_fields(self, request, obj=None):
        # A version someone accepted is a record: publish a new version instead of editing it.
        if obj and JoinApplication.objects.filter(charter=obj).exists():
            return ["version", "title", "text", "published_on"]
        return []


@admin.register(JoinApplication)
class JoinApplicationAdmin(PersonalDataAdmin):
    change_form_template = "admin/engagement/joinapplication/change_form.html"
    list_display = ["reference", "name", "role", "kind", "status", "created_at"]
    list_filter = ["status", "role", "kind"]
    search_fields = ["reference", "name", "tax_code", "contact_name", "contact_email"]
    fieldsets = [
        (None, {"fields": ["reference", "status", "role", "created_at"]}),
        (
            gettext_lazy("Ente"),
            {
                "fields": [
                    "name",
                    "alternate_name",
                    "kind",
                    "tax_code",
                    "runts_section",
                    "runts_number",
                    "municipality",
                    "description",
                    "website",
                    "email",
                    "pec",
                    "goal_labels",
                    "services_offered",
                ]
            },
        ),
        (
            gettext_lazy("Referente"),
            {"fields": ["contact_name", "contact_role", "contact_email", "contact_phone"]},
        ),
        (gettext_lazy("Carta"), {"fields": ["charter", "charter_accepted_at"]}),
        (
            gettext_lazy("Esame"),
            {"fields": ["review_message", "reviewed_by", "reviewed_at", "organization"]},
        ),
    ]

    @admin.display(description=gettext_lazy("obiettivi condivisi"))
    def goal_labels(self, obj):
        return "; ".join(obj.get_goal_labels())

    def get_readonly_fields(self, request, obj=None):
        # What the applicant wrote is theirs: coordinators decide with the buttons, not by editing.
        return [f for fs in self.fieldsets for f in fs[1]["fields"]]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def get_urls(self):
        return [
            path(
                "<path:object_id>/esame/<str:decision>/",
                self.admin_site.admin_view(self.review_view),
                name="engagement_joinapplication_review",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "decisions": DECISIONS}
        return super().change_view(request, object_id, form_url, extra_context)

    def review_view(self, request, object_id, decision):
        if decision not in DECISIONS or not self.has_change_permission(request):
            raise PermissionDenied
        application = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not self.has_change_permission(request, application):
            raise PermissionDenied
        action, title = DECISIONS[decision]
        change_url = reverse("admin:engagement_joinapplication_change", args=[application.pk])
        form = ReviewForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                action(
                    application=application,
                    reviewer=request.user,
                    message=form.cleaned_data["message"],
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, errors in error.error_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, error)
            else:
                messages.success(request, _("Fatto: %(decision)s.") % {"decision": title})
                return redirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": application,
            "title": f"{title}: {application}",
            "form": form,
            "decision": decision,
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/engagement/joinapplication/review.html", context)


@admin.register(NewsItem)
class NewsItemAdmin(admin.ModelAdmin):
    list_display = ["title", "organization", "published_at", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["organization"]


class RegistrationInline(admin.TabularInline):
    model = EventRegistration
    extra = 0
    fields = ["name", "email", "phone", "status", "created_at"]
    readonly_fields = ["created_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("engagement.view_eventregistration")


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "starts_at", "organization", "seats", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["title", "place"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["organization", "municipality"]
    inlines = [RegistrationInline]


@admin.register(EventRegistration)
class EventRegistrationAdmin(PersonalDataAdmin):
    list_display = ["name", "event", "status", "created_at"]
    list_filter = ["status", "event"]
    search_fields = ["name", "email"]
    readonly_fields = ["event", "created_at"]


@admin.register(Volunteer)
class VolunteerAdmin(PersonalDataAdmin):
    list_display = ["name", "kind", "profession", "is_active", "created_at"]
    list_filter = ["kind", "profession", "is_active"]
    search_fields = ["name", "email", "skills"]
    filter_horizontal = ["languages", "municipalities"]


@admin.register(Opportunity)
class OpportunityAdmin(OrganizationScopedAdmin):
    """Operators keep their organisation's opportunities and answer the people interested."""

    change_form_template = "admin/engagement/opportunity/change_form.html"
    list_display = ["title", "organization", "municipality", "closes_on", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["title", "skills_wanted"]
    autocomplete_fields = ["organization", "municipality"]
    filter_horizontal = ["languages"]
    exclude = ["slug"]

    def get_urls(self):
        return [
            path(
                "<path:object_id>/collaborazioni/",
                self.admin_site.admin_view(self.collaboration_view),
                name="engagement_opportunity_collaboration",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        opportunity = self.get_object(request, object_id)
        extra = {}
        if opportunity is not None:
            interests = opportunity.interests.select_related("volunteer").prefetch_related(
                "hours", "volunteer__languages"
            )
            taken = {i.volunteer_id for i in interests}
            extra = {
                "interests": interests,
                "suggestions": [
                    v for v in matching.volunteers_for(opportunity) if v.pk not in taken
                ],
            }
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def collaboration_view(self, request, object_id):
        opportunity = get_object_or_404(self.get_queryset(request), pk=object_id)
        if request.method != "POST" or not self.has_change_permission(request, opportunity):
            raise PermissionDenied
        action = request.POST.get("action")
        try:
            if action == "propose":
                volunteer = get_object_or_404(
                    Volunteer.objects.active(), pk=request.POST.get("volunteer")
                )
                services.interest_from_organization(opportunity=opportunity, volunteer=volunteer)
            elif action in ("confirm", "decline"):
                interest = get_object_or_404(opportunity.interests, pk=request.POST.get("interest"))
                services.interest_decide(
                    interest=interest, user=request.user, confirm=action == "confirm"
                )
            elif action == "confirm_hours":
                log = get_object_or_404(
                    HoursLog, pk=request.POST.get("log"), interest__opportunity=opportunity
                )
                services.hours_confirm(log=log, user=request.user)
            else:
                raise PermissionDenied
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Fatto."))
        return redirect(reverse("admin:engagement_opportunity_change", args=[opportunity.pk]))


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["title", "organization", "goal", "starts_on", "ends_on", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["title", "project"]
    autocomplete_fields = ["organization"]
    exclude = ["slug"]


@admin.register(Pledge)
class PledgeAdmin(PersonalDataAdmin):
    list_display = ["name", "campaign", "kind", "amount", "status", "created_at"]
    list_filter = ["status", "kind", "campaign"]
    search_fields = ["name", "email"]
    readonly_fields = ["campaign", "created_at"]


@admin.register(Donation)
class DonationAdmin(PersonalDataAdmin):
    list_display = ["receipt", "donor_name", "campaign", "amount", "received_on", "receipt_link"]
    list_filter = ["campaign", "method"]
    search_fields = ["donor_name", "donor_email"]
    autocomplete_fields = ["pledge"]
    readonly_fields = ["receipt", "recorded_by"]

    @admin.display(description=gettext_lazy("ricevuta"))
    def receipt_link(self, obj):
        url = reverse("admin:engagement_donation_receipt", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Stampa la ricevuta"))

    def get_urls(self):
        return [
            path(
                "<path:object_id>/ricevuta/",
                self.admin_site.admin_view(self.receipt_view),
                name="engagement_donation_receipt",
            ),
            *super().get_urls(),
        ]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)
        if not change:
            services.donation_recorded(donation=obj)

    def receipt_view(self, request, object_id):
        donation = get_object_or_404(
            self.get_queryset(request).select_related(
                "campaign__organization__municipality__province"
            ),
            pk=object_id,
        )
        return TemplateResponse(
            request,
            "engagement/receipt.html",
            {"donation": donation, "organization": donation.campaign.organization},
        )
