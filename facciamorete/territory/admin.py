from django.contrib import admin

from .models import District, Municipality, Province, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name"]


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["name", "abbreviation", "code", "region"]
    list_filter = ["region"]
    search_fields = ["name", "abbreviation"]
    list_select_related = ["region"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "istat_code", "province", "postal_codes"]
    list_filter = ["province__region"]
    search_fields = ["name", "istat_code", "postal_codes"]
    list_select_related = ["province"]
    readonly_fields = ["istat_code"]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "health_authority", "lead_municipality"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["lead_municipality", "municipalities"]
