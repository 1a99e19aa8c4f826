from django.views.generic import DetailView, ListView

from routines.models import WARNING_SIGNS_PAGE, GuidePage, Stretch
from routines.timing import ORDER_TEXT
from safety.rules import RETIRED, rules_in_order


class StretchListView(ListView):
    model = Stretch
    template_name = "routines/stretch_list.html"
    context_object_name = "stretches"
    extra_context = {"nav": "stretches"}
    http_method_names = ["get", "head"]

    def get_queryset(self):
        return Stretch.objects.only(
            "slug",
            "name",
            "order",
            "purpose",
            "position",
            "hold_min_seconds",
            "hold_max_seconds",
            "repeats_min",
            "repeats_max",
            "per_side",
            "start_illustration",
            "start_alt",
            "hold_illustration",
            "hold_alt",
        )


class StretchDetailView(DetailView):
    model = Stretch
    template_name = "routines/stretch_detail.html"
    context_object_name = "stretch"
    extra_context = {"nav": "stretches", "side_order": ORDER_TEXT}
    http_method_names = ["get", "head"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # One query for the neighbours, whatever the number of stretches.
        ordered = list(Stretch.objects.values_list("slug", "name"))
        index = ordered.index((self.object.slug, self.object.name))
        context["previous"] = ordered[index - 1] if index > 0 else None
        context["next"] = ordered[index + 1] if index + 1 < len(ordered) else None
        context["number"] = index + 1
        context["count"] = len(ordered)
        return context


class GuideIndexView(ListView):
    model = GuidePage
    template_name = "routines/guide_index.html"
    context_object_name = "pages"
    extra_context = {"nav": "guide"}
    http_method_names = ["get", "head"]


class GuidePageView(DetailView):
    model = GuidePage
    template_name = "routines/guide_page.html"
    context_object_name = "page"
    extra_context = {"nav": "guide"}
    http_method_names = ["get", "head"]

    def get_queryset(self):
        return GuidePage.objects.prefetch_related("items")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["pages"] = GuidePage.objects.only("slug", "title", "order")
        context["items"] = self.object.items.all()
        if self.object.slug == WARNING_SIGNS_PAGE:
            # The same wording and urgency as the checker's alerts, from its rules; a
            # signed-in person's own flags are listed here, so no banner above them.
            context["rules"] = rules_in_order(retired=True)
            context["retired"] = RETIRED
            context["flags_on_page"] = self.request.user.is_authenticated
        return context
