"""The platform API's shapes: territory, taxonomies, organisations and services."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from facciamorete.core.models import Taxonomy, TaxonomyTerm
from facciamorete.directory.models import Language, Service
from facciamorete.organizations.models import Organization
from facciamorete.territory.models import District, Municipality, Province, Region


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "name"]


class ProvinceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Province
        fields = ["code", "name", "abbreviation", "region"]


class MunicipalitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Municipality
        fields = ["istat_code", "name", "slug", "province", "postal_codes", "latitude", "longitude"]


class DistrictSerializer(serializers.ModelSerializer):
    class Meta:
        model = District
        fields = ["code", "name", "health_authority", "lead_municipality", "municipalities"]


class TaxonomySerializer(serializers.ModelSerializer):
    class Meta:
        model = Taxonomy
        fields = ["id", "slug", "name", "description", "uri", "version", "source", "official_codes"]


class TaxonomyTermSerializer(serializers.ModelSerializer):
    class Meta:
        model = TaxonomyTerm
        fields = ["id", "taxonomy", "code", "name", "description", "parent", "term_uri"]


class LanguageSerializer(serializers.ModelSerializer):
    class Meta:
        model = Language
        fields = ["code", "name", "native_name"]


class OrganizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = [
            "id",
            "name",
            "slug",
            "alternate_name",
            "kind",
            "tax_code",
            "runts_section",
            "runts_number",
            "description",
            "website",
            "email",
            "pec",
            "municipality",
            "status",
            "updated_at",
        ]
        # What the network decides, not the organisation: who it is and whether it is listed.
        read_only_fields = ["id", "slug", "kind", "tax_code", "status", "updated_at"]

    def validate(self, attrs):
        """The same rules as the staff area (`Organization.clean`)."""
        Organization(**{**current_values(self.instance), **attrs}).clean()
        return attrs


def current_values(instance) -> dict:
    """A saved row's column values, to validate a partial update as a whole."""
    if instance is None:
        return {}
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


class TermCodeField(serializers.SlugRelatedField):
    """A taxonomy term given by its code, within one taxonomy."""

    def __init__(self, taxonomy_slug: str, **kwargs):
        self.taxonomy_slug = taxonomy_slug
        super().__init__(slug_field="code", many=False, **kwargs)

    def get_queryset(self):
        return TaxonomyTerm.objects.of(self.taxonomy_slug)


class ServiceSerializer(serializers.ModelSerializer):
    families = serializers.ManyRelatedField(child_relation=TermCodeField("famiglie"))
    areas = serializers.ManyRelatedField(
        child_relation=TermCodeField("aree-utenza"), required=False
    )
    audiences = serializers.ManyRelatedField(
        child_relation=TermCodeField("fasce-utenza"), required=False
    )
    languages = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=Language.objects.all(), required=False
    )
    url_page = serializers.SerializerMethodField(help_text=_("La pagina pubblica del servizio."))

    class Meta:
        model = Service
        fields = [
            "id",
            "organization",
            "name",
            "slug",
            "alternate_name",
            "description",
            "url",
            "email",
            "status",
            "families",
            "areas",
            "audiences",
            "eligibility_description",
            "minimum_age",
            "maximum_age",
            "application_process",
            "wait_time",
            "cost_class",
            "cost_amount",
            "cost_description",
            "languages",
            "accessibility_description",
            "service_area_municipalities",
            "service_area_districts",
            "assured_date",
            "updated_at",
            "url_page",
        ]
        read_only_fields = ["id", "slug", "updated_at"]

    def get_url_page(self, service) -> str:
        return service.get_absolute_url()

    def validate_organization(self, organization):
        user = self.context["request"].user
        if not Organization.objects.editable_by(user).filter(pk=organization.pk).exists():
            raise serializers.ValidationError(_("Puoi gestire solo i servizi del tuo ente."))
        return organization

    def validate(self, attrs):
        scalar = {k: v for k, v in attrs.items() if k not in self.Meta.many_fields}
        current = {}
        if self.instance is not None:
            current = {
                f.attname: getattr(self.instance, f.attname) for f in Service._meta.concrete_fields
            }
        Service(**{**current, **scalar}).clean()
        return attrs

    class Meta(Meta):
        many_fields = {
            "families",
            "areas",
            "audiences",
            "languages",
            "service_area_municipalities",
            "service_area_districts",
        }
