from django.contrib import admin

from routines.models import GuideItem, GuidePage, Stretch

# Content admin: stretches and guide pages. Slugs are the stable keys that
# fixtures/, links and people's sessions rely on, so they are fixed once saved.


@admin.register(Stretch)
class StretchAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order", "position", "per_side", "hold_range", "repeat_range"]
    list_display_links = ["name"]
    list_editable = ["order"]
    list_filter = ["position", "per_side"]
    search_fields = ["name", "slug", "purpose", "steps", "cautions"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug", "order", "purpose", "description"]}),
        (
            "Instructions",
            {
                "fields": ["position", "starting_position", "steps", "cautions"],
                "description": "Steps and cautions: one per line, in order.",
            },
        ),
        (
            "Hold and repeats",
            {
                "fields": [
                    ("hold_min_seconds", "hold_max_seconds"),
                    ("repeats_min", "repeats_max"),
                    "per_side",
                    "side_note",
                ]
            },
        ),
        ("Illustration", {"fields": ["illustration", "illustration_alt"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        return ["slug"] if obj else []

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj else self.prepopulated_fields

    @admin.display(description="Hold (s)")
    def hold_range(self, obj: Stretch) -> str:
        return f"{obj.hold_min_seconds}–{obj.hold_max_seconds}"

    @admin.display(description="Repeats")
    def repeat_range(self, obj: Stretch) -> str:
        return f"{obj.repeats_min}–{obj.repeats_max}"


class GuideItemInline(admin.TabularInline):
    model = GuideItem
    fields = ["order", "heading", "body"]
    extra = 0


@admin.register(GuidePage)
class GuidePageAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "order", "summary"]
    list_editable = ["order"]
    search_fields = ["title", "slug", "summary", "intro", "items__heading", "items__body"]
    prepopulated_fields = {"slug": ["title"]}
    fields = ["title", "slug", "order", "summary", "intro", "outro"]
    inlines = [GuideItemInline]

    def get_readonly_fields(self, request, obj=None):
        return ["slug"] if obj else []

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj else self.prepopulated_fields
