from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import NeedConcept, NeedPhrase


class NeedPhraseInline(admin.TabularInline):
    model = NeedPhrase
    extra = 3
    fields = ["language", "text"]


@admin.register(NeedConcept)
class NeedConceptAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order", "phrase_count", "in_orientation"]
    list_editable = ["order", "in_orientation"]
    search_fields = ["name", "slug", "keywords", "phrases__text"]
    filter_horizontal = ["areas", "families"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [NeedPhraseInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "description", "icon", "order", "in_orientation"]}),
        (_("Come il catalogo lo descrive"), {"fields": ["keywords", "areas", "families"]}),
    ]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(n_phrases=Count("phrases"))

    @admin.display(description=_("parole e frasi"), ordering="n_phrases")
    def phrase_count(self, obj):
        return obj.n_phrases
