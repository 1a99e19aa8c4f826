from django.contrib import admin
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.utils.html import format_html_join

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
        (
            "Drawings",
            {
                "fields": [
                    "start_illustration",
                    "start_alt",
                    "hold_illustration",
                    "hold_alt",
                    "drawings",
                ],
                "description": "Where the stretch starts and the position held, each with "
                "its alt text. The drawings are made by scripts/drawings/build.py.",
            },
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        return ["slug", "drawings"] if obj else ["drawings"]

    @admin.display(description="As shown")
    def drawings(self, obj: Stretch) -> str:
        if not obj.pk:
            return "—"
        return format_html_join(
            " ",
            '<img src="{}" alt="{}" width="160" height="100">',
            (
                (static(path), alt)
                for path, alt in (
                    (obj.start_illustration, obj.start_alt),
                    (obj.hold_illustration, obj.hold_alt),
                )
                if finders.find(path)
            ),
        )

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
