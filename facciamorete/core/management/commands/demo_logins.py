"""`manage.py demo_logins`: print the demo accounts, so that `make run` tells how to get in."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.urls import reverse

from facciamorete.core.demo import demo_accounts, demo_password
from facciamorete.organizations.models import OrganizationOperator


def _table(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]


def _organisation(email: str, fallback: str) -> str:
    """The organisation the account really operates for, as the database says."""
    links = OrganizationOperator.objects.filter(user__email=email).select_related("organization")
    names = [f"{link.organization.name} ({link.get_role_display().lower()})" for link in links]
    return ", ".join(names) or fallback


class Command(BaseCommand):
    help = (
        "Stampa gli accessi dimostrativi: indirizzo dell'area riservata, e-mail, ruolo, password."
    )

    def handle(self, *args, **options):
        accounts = demo_accounts()
        existing = set(
            get_user_model()
            .objects.filter(email__in=[a["email"] for a in accounts])
            .values_list("email", flat=True)
        )
        if not existing:
            self.stdout.write("Gli account demo non ci sono ancora: esegui manage.py seed_demo.")
            return
        url = settings.SITE_URL + reverse("admin:index")
        rows = [("E-mail", "Ruolo", "Ente")]
        for account in accounts:
            if account["email"] in existing:
                ente = _organisation(
                    account["email"], account["organization_name"] or account.get("scope", "")
                )
                rows.append((account["email"], account["role_label"], ente))
        self.stdout.write(self.style.SUCCESS("Accessi dimostrativi di Facciamo Rete"))
        self.stdout.write(f"Area riservata: {url}")
        self.stdout.write(f"Password (uguale per tutti): {demo_password()}")
        self.stdout.write("")
        lines = _table(rows)
        self.stdout.write(lines[0])
        self.stdout.write("-" * max(len(line) for line in lines))
        for line in lines[1:]:
            self.stdout.write(line)
