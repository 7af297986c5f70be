"""Records created from a public form at most once per submission token.

A model that inherits `SubmittedOnce` stores the form's token in a unique column. `create_once`
looks the token up first and, if two requests race, lets the database's unique constraint decide:
the loser gets the winner's record. Either way the caller gets one record and knows whether it
made it.
"""

import uuid
from collections.abc import Callable
from typing import TypeVar

from django.db import IntegrityError, models, transaction

M = TypeVar("M", bound=models.Model)


class SubmittedOnce(models.Model):
    submission_token = models.UUIDField(unique=True, null=True, blank=True, editable=False)

    class Meta:
        abstract = True


def create_once(model: type[M], token: uuid.UUID, create: Callable[[], M]) -> tuple[M, bool]:
    """Return (record, created): the record made by `create()`, or the one this token made."""
    existing = model._default_manager.filter(submission_token=token).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return create(), True
    except IntegrityError:
        existing = model._default_manager.filter(submission_token=token).first()
        if existing is None:
            raise
        return existing, False


def already_submitted(model: type[M], data) -> M | None:
    """The record a form with this POST data made already, if it was sent before.

    Views check it before validating, so that a second click lands on the first result rather
    than on an error such as "this e-mail is registered already"."""
    raw = data.get("submission_token", "")
    try:
        token = uuid.UUID(str(raw))
    except ValueError:
        return None
    return model._default_manager.filter(submission_token=token).first()
