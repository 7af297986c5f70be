"""What every engagement model shares: links by token and rows holding personal data."""

import secrets

from django.db import models

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read out on the phone


def new_access_token() -> str:
    return secrets.token_urlsafe(24)


def new_reference() -> str:
    return "ADE-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))


class PersonalDataQuerySet(models.QuerySet):
    """Rows holding personal data: coordinators and network admins read them, nobody else."""

    permission = ""

    def visible_to(self, user):
        if not user.is_authenticated or not user.is_active or not user.is_staff:
            return self.none()
        if user.is_superuser or user.has_perm(self.permission):
            return self
        return self.none()
