"""The staff roles of the network, kept as Django groups so that an admin can read them.

`ensure_groups()` is the one place where a role's permissions are declared: the demo seed, a
deployment script or a data migration may call it, as often as they like.
"""

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db import transaction

OPERATORS = "Operatori di ente"
COORDINATORS = "Coordinatori di distretto"

# What an organisation's operator keeps up to date: its services and everything hanging off them.
OPERATOR_EDITS = (
    "service",
    "location",
    "serviceatlocation",
    "schedule",
    "closure",
    "contact",
    "phone",
    "requireddocument",
)
OPERATOR_EXTRA = (
    ("organizations", "change_organization"),
    ("organizations", "view_organization"),
    ("core", "view_taxonomyterm"),
    ("territory", "view_municipality"),
    ("directory", "view_language"),
    # Their organisation's calls for volunteers (scoped to it in the staff area).
    *(("engagement", f"{action}_opportunity") for action in ("add", "change", "view", "delete")),
)
COORDINATOR_APPS = ("directory", "organizations", "engagement")
# Coordinators review applications to join and keep the network's news and events.
COORDINATOR_EXTRA = (
    ("engagement", "change_joinapplication"),
    *(
        ("engagement", f"{action}_{model}")
        for model in ("newsitem", "event", "eventregistration", "campaign", "pledge", "donation")
        for action in ("add", "change", "delete")
    ),
)


def operator_permissions() -> list[tuple[str, str]]:
    edits = [
        ("directory", f"{action}_{model}")
        for model in OPERATOR_EDITS
        for action in ("add", "change", "view", "delete")
    ]
    return edits + list(OPERATOR_EXTRA)


def coordinator_permissions() -> list[tuple[str, str]]:
    """Read access to every model of the catalogue and of the registry, present and future."""
    return [
        (label, f"view_{model._meta.model_name}")
        for label in COORDINATOR_APPS
        for model in apps.get_app_config(label).get_models()
    ] + list(COORDINATOR_EXTRA)


def role_permissions() -> dict[str, list[tuple[str, str]]]:
    return {OPERATORS: operator_permissions(), COORDINATORS: coordinator_permissions()}


def _permissions(pairs: list[tuple[str, str]]) -> list[Permission]:
    wanted = set(pairs)
    found = {
        (p.content_type.app_label, p.codename): p
        for p in Permission.objects.select_related("content_type").filter(
            content_type__app_label__in={label for label, _ in wanted},
            codename__in={codename for _, codename in wanted},
        )
    }
    missing = sorted(wanted - found.keys())
    if missing:
        names = ", ".join(f"{label}.{codename}" for label, codename in missing)
        raise LookupError(f"Permessi mancanti: {names}. Esegui prima manage.py migrate.")
    return [found[pair] for pair in pairs]


@transaction.atomic
def ensure_groups() -> list[str]:
    """Create or align the role groups; return the names of the groups that changed.

    A group ends up with exactly the declared permissions, so a permission granted by hand in
    the admin is taken away again: the declaration here is the single source of truth.
    """
    # Permissions are normally made by post_migrate; make sure they exist when called earlier.
    for label in {"core", "territory", "directory", "organizations", "engagement"}:
        create_permissions(apps.get_app_config(label), verbosity=0)
    changed = []
    for name, pairs in role_permissions().items():
        group, created = Group.objects.get_or_create(name=name)
        wanted = _permissions(pairs)
        current = set(group.permissions.values_list("pk", flat=True))
        if created or current != {p.pk for p in wanted}:
            group.permissions.set(wanted)
            changed.append(name)
    return changed
