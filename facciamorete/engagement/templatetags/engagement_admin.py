from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from ..models import EventRegistration, Interest, JoinApplication, Pledge, Volunteer

register = template.Library()


@register.inclusion_tag("admin/engagement/pending.html", takes_context=True)
def engagement_pending(context):
    """What waits for the staff, with counts, each linking to the filtered list."""
    user = context["request"].user
    rows = []
    applications = JoinApplication.objects.visible_to(user)
    if user.has_perm("engagement.view_joinapplication"):
        url = reverse("admin:engagement_joinapplication_changelist")
        for status, label in [
            (JoinApplication.Status.SUBMITTED, _("Domande di adesione da esaminare")),
            (JoinApplication.Status.NEEDS_INFO, _("Domande in attesa di integrazioni")),
        ]:
            count = applications.filter(status=status).count()
            rows.append((label, count, f"{url}?status__exact={status}"))
    if user.has_perm("engagement.view_eventregistration"):
        url = reverse("admin:engagement_eventregistration_changelist")
        registrations = EventRegistration.objects.visible_to(user)
        for status, label in [
            (EventRegistration.Status.CONFIRMED, _("Iscrizioni confermate agli eventi")),
            (EventRegistration.Status.WAITING, _("Persone in lista d'attesa")),
        ]:
            count = registrations.filter(status=status).count()
            rows.append((label, count, f"{url}?status__exact={status}"))
    if user.has_perm("engagement.view_volunteer"):
        url = reverse("admin:engagement_volunteer_changelist")
        rows.append(
            (
                _("Volontari e professionisti disponibili"),
                Volunteer.objects.visible_to(user).active().count(),
                f"{url}?is_active__exact=1",
            )
        )
        rows.append(
            (
                _("Persone interessate in attesa della conferma di un ente"),
                Interest.objects.filter(
                    status=Interest.Status.OPEN, volunteer_interested=True
                ).count(),
                reverse("admin:engagement_opportunity_changelist"),
            )
        )
    if user.has_perm("engagement.view_pledge"):
        url = reverse("admin:engagement_pledge_changelist")
        rows.append(
            (
                _("Promesse di sostegno da seguire"),
                Pledge.objects.visible_to(user).filter(status=Pledge.Status.OPEN).count(),
                f"{url}?status__exact=open",
            )
        )
    return {"rows": rows}
