"""Italy's administrative geography (ISTAT) and the social-health districts, loaded as data."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    code = models.CharField(_("codice ISTAT"), max_length=2, primary_key=True)
    name = models.CharField(_("nome"), max_length=100)

    class Meta:
        verbose_name = _("regione")
        verbose_name_plural = _("regioni")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Province(models.Model):
    """A province or its successor (città metropolitana, libero consorzio, UTS)."""

    code = models.CharField(_("codice ISTAT"), max_length=3, primary_key=True)
    name = models.CharField(_("nome"), max_length=100)
    abbreviation = models.CharField(_("sigla"), max_length=2)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="provinces", verbose_name=_("regione")
    )

    class Meta:
        verbose_name = _("provincia")
        verbose_name_plural = _("province")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.abbreviation})"


class Municipality(models.Model):
    istat_code = models.CharField(_("codice ISTAT"), max_length=6, primary_key=True)
    name = models.CharField(_("nome"), max_length=150, db_index=True)
    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        related_name="municipalities",
        verbose_name=_("provincia"),
    )
    cadastral_code = models.CharField(_("codice catastale"), max_length=4, blank=True)
    # A TextField: Roma alone has 73 postal codes.
    postal_codes = models.TextField(_("CAP"), blank=True, help_text=_("Separati da virgola."))
    latitude = models.DecimalField(
        _("latitudine"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitudine"), max_digits=9, decimal_places=6, null=True, blank=True
    )

    class Meta:
        verbose_name = _("comune")
        verbose_name_plural = _("comuni")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def postal_code_list(self) -> list[str]:
        return [c for c in self.postal_codes.split(",") if c]


class District(models.Model):
    """A distretto socio-sanitario: a set of comuni sharing a Piano di Zona and an ASL."""

    code = models.CharField(_("codice"), max_length=20, primary_key=True)
    name = models.CharField(_("nome"), max_length=200)
    health_authority = models.CharField(_("ASL"), max_length=150)
    lead_municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_districts",
        verbose_name=_("comune capofila"),
    )
    municipalities = models.ManyToManyField(
        Municipality, related_name="districts", verbose_name=_("comuni")
    )
    source = models.TextField(_("fonte"), blank=True)

    class Meta:
        verbose_name = _("distretto socio-sanitario")
        verbose_name_plural = _("distretti socio-sanitari")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} – {self.name}"

    def get_absolute_url(self):
        return reverse("directory:service_list") + f"?district={self.code}"
