from django.contrib import admin

from .models import Page, Taxonomy, TaxonomyTerm


class TaxonomyTermInline(admin.TabularInline):
    model = TaxonomyTerm
    fields = ["code", "name", "icon", "order", "parent"]
    extra = 0
    show_change_link = True


@admin.register(Taxonomy)
class TaxonomyAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "official_codes", "version"]
    search_fields = ["name", "slug"]
    inlines = [TaxonomyTermInline]


@admin.register(TaxonomyTerm)
class TaxonomyTermAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "taxonomy", "order"]
    list_filter = ["taxonomy"]
    search_fields = ["name", "code"]
    list_select_related = ["taxonomy"]


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ["title", "section", "slug", "is_published", "updated_at"]
    list_filter = ["section", "is_published"]
    search_fields = ["title", "body"]
    prepopulated_fields = {"slug": ["title"]}
    fields = ["title", "slug", "section", "summary", "body", "order", "is_published", "source_note"]
