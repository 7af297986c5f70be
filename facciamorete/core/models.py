"""Shared building blocks: base classes, the published vocabularies, the editable content pages.

Taxonomies live here rather than in `directory` because both organisations (art. 5 activities)
and services (families, areas, audiences) are tagged with them, and `organizations` sits below
`directory` in the dependency order.
"""

import uuid

import markdown
import nh3
from django.db import models
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("creato il"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modificato il"), auto_now=True)

    class Meta:
        abstract = True


class UUIDModel(models.Model):
    """Anything HSDS exports carries a UUID id, stable across exports and imports."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)

    class Meta:
        abstract = True


class Taxonomy(UUIDModel):
    """A published vocabulary (HSDS `taxonomy`), always recorded with where it comes from."""

    slug = models.SlugField(_("codice"), max_length=60, unique=True)
    name = models.CharField(_("nome"), max_length=200)
    description = models.TextField(_("descrizione"))
    uri = models.URLField(_("URI"), max_length=300, unique=True)
    version = models.CharField(_("versione"), max_length=60, blank=True)
    source = models.TextField(_("fonte"), help_text=_("Da dove vengono termini e codici."))
    official_codes = models.BooleanField(
        _("codici ufficiali"),
        default=False,
        help_text=_("Falso quando i codici sono nostri identificativi e non quelli della fonte."),
    )

    class Meta:
        verbose_name = _("tassonomia")
        verbose_name_plural = _("tassonomie")
        ordering = ["name"]

    def __str__(self):
        return self.name


class TaxonomyTermQuerySet(models.QuerySet):
    def of(self, taxonomy_slug: str):
        return self.filter(taxonomy__slug=taxonomy_slug)


class TaxonomyTerm(UUIDModel):
    """A term of a taxonomy (HSDS `taxonomy_term`)."""

    taxonomy = models.ForeignKey(
        Taxonomy, on_delete=models.PROTECT, related_name="terms", verbose_name=_("tassonomia")
    )
    code = models.CharField(_("codice"), max_length=60)
    name = models.CharField(_("nome"), max_length=250)
    description = models.TextField(_("descrizione"), blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("termine padre"),
    )
    icon = models.CharField(
        _("icona"), max_length=60, blank=True, help_text=_("Nome di un'icona Bootstrap Italia.")
    )
    order = models.PositiveSmallIntegerField(_("ordine"), default=0)

    objects = TaxonomyTermQuerySet.as_manager()

    class Meta:
        verbose_name = _("termine di tassonomia")
        verbose_name_plural = _("termini di tassonomia")
        ordering = ["taxonomy", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["taxonomy", "code"], name="unique_term_code")
        ]

    def __str__(self):
        return self.name

    @property
    def term_uri(self) -> str:
        return f"{self.taxonomy.uri.rstrip('/')}/{self.code}"


class PageQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


def render_markdown(text: str) -> str:
    """Markdown written by staff, rendered and then sanitised: no script ever reaches a page."""
    html = markdown.markdown(text, extensions=["extra", "sane_lists"])
    return nh3.clean(html)


class Page(TimeStampedModel):
    """An editable content page: the network's mission, its goals, privacy, accessibility…"""

    class Section(models.TextChoices):
        NETWORK = "rete", _("La rete")
        LEGAL = "note-legali", _("Note legali")

    slug = models.SlugField(_("indirizzo"), max_length=80, unique=True)
    section = models.CharField(
        _("sezione"), max_length=20, choices=Section.choices, default=Section.NETWORK
    )
    title = models.CharField(_("titolo"), max_length=200)
    summary = models.CharField(_("sommario"), max_length=400, blank=True)
    body = models.TextField(
        _("testo"), help_text=_("Formato Markdown: titoli con ##, elenchi con -.")
    )
    order = models.PositiveSmallIntegerField(_("ordine"), default=0)
    is_published = models.BooleanField(_("pubblicata"), default=True)
    source_note = models.CharField(
        _("nota sulla fonte"),
        max_length=300,
        blank=True,
        help_text=_("Per esempio: testo ufficiale approvato dall'assemblea il …"),
    )

    objects = PageQuerySet.as_manager()

    class Meta:
        verbose_name = _("pagina")
        verbose_name_plural = _("pagine")
        ordering = ["section", "order", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        name = "core:legal" if self.section == self.Section.LEGAL else "core:page"
        return reverse(name, args=[self.slug])

    def body_html(self):
        return mark_safe(render_markdown(self.body))  # noqa: S308 - sanitised by nh3
