"""The lexicon of needs: concepts named in everyday words, in the district's languages.

The search index itself is not a model: it is an engine table (FTS5 on SQLite, a tsvector table
on PostgreSQL) created and kept in sync by database triggers, see `migrations/0002_index.py`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

LANGUAGES = [
    ("it", _("Italiano")),
    ("en", _("Inglese")),
    ("ro", _("Rumeno")),
    ("ar", _("Arabo")),
    ("uk", _("Ucraino")),
    ("fr", _("Francese")),
    ("es", _("Spagnolo")),
    ("pa", _("Punjabi")),
]


class NeedConcept(models.Model):
    """A need as people name it ("casa e affitto"), mapped onto the catalogue's words and terms."""

    slug = models.SlugField(_("codice"), max_length=60, unique=True)
    name = models.CharField(_("nome"), max_length=120)
    description = models.CharField(_("descrizione"), max_length=300, blank=True)
    icon = models.CharField(
        _("icona"), max_length=60, blank=True, help_text=_("Nome di un'icona Bootstrap Italia.")
    )
    order = models.PositiveSmallIntegerField(_("ordine"), default=0)
    keywords = models.TextField(
        _("parole del catalogo"),
        blank=True,
        help_text=_(
            "Parole italiane con cui i servizi descrivono questo bisogno, separate da spazi o "
            "virgole: la ricerca le aggiunge a quelle della persona."
        ),
    )
    areas = models.ManyToManyField(
        "core.TaxonomyTerm",
        blank=True,
        related_name="+",
        limit_choices_to={"taxonomy__slug": "aree-utenza"},
        verbose_name=_("aree di utenza"),
    )
    families = models.ManyToManyField(
        "core.TaxonomyTerm",
        blank=True,
        related_name="+",
        limit_choices_to={"taxonomy__slug": "famiglie"},
        verbose_name=_("famiglie"),
    )
    in_orientation = models.BooleanField(
        _("nell'orientamento guidato"),
        default=True,
        help_text=_("Compare come pulsante nella pagina «Trova aiuto»."),
    )
    updated_at = models.DateTimeField(_("modificato il"), auto_now=True)

    class Meta:
        verbose_name = _("bisogno")
        verbose_name_plural = _("bisogni (lessico)")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class NeedPhrase(models.Model):
    """A word or phrase that names a concept in one language ("non riesco a pagare l'affitto")."""

    concept = models.ForeignKey(
        NeedConcept, on_delete=models.CASCADE, related_name="phrases", verbose_name=_("bisogno")
    )
    language = models.CharField(_("lingua"), max_length=3, choices=LANGUAGES)
    text = models.CharField(_("parola o frase"), max_length=200)

    class Meta:
        verbose_name = _("parola o frase")
        verbose_name_plural = _("parole e frasi")
        ordering = ["language", "text"]
        constraints = [
            models.UniqueConstraint(
                fields=["concept", "language", "text"], name="unique_need_phrase"
            )
        ]

    def __str__(self):
        return f"{self.text} ({self.language})"
