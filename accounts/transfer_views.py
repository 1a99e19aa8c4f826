"""Export (download) and import (upload) of a person's own data."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from accounts import transfer


class ImportForm(forms.Form):
    file = forms.FileField(
        label="SpasmCare export file (.json)",
        help_text="The JSON file from “Download all my data”. At most 5 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
        error_messages={
            "required": "Choose the export file to import.",
            "empty": "This file is empty. Nothing was changed.",
        },
    )


# kind -> (what makes the file, content type, file name stem, extension)
DOWNLOADS = {
    "json": (transfer.export_json, "application/json; charset=utf-8", "data", "json"),
    "entries_csv": (transfer.entries_csv, "text/csv; charset=utf-8", "pain-entries", "csv"),
    "practices_csv": (transfer.practices_csv, "text/csv; charset=utf-8", "practices", "csv"),
}


@login_required
@require_GET
def export_page(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/export.html", {"nav": "account"})


@login_required
@require_GET
def export_download(request: HttpRequest, kind: str) -> HttpResponse:
    """One of the person's export files, dated, never stored by a cache."""
    make, content_type, stem, ext = DOWNLOADS[kind]
    response = HttpResponse(make(request.user), content_type=content_type)
    filename = f"spasmcare-{stem}-{timezone.now():%Y-%m-%d}.{ext}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "accounts/import.html", {"form": ImportForm(), "nav": "account"})
    form = ImportForm(request.POST, request.FILES)
    if getattr(request, "upload_too_big", False):
        form.is_valid()
        form.errors.pop("file", None)
        form.add_error("file", f"{transfer.TOO_BIG} Nothing was changed.")
    elif form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > transfer.MAX_IMPORT_BYTES:
                raise transfer.ImportRefused(transfer.TOO_BIG)
            data = transfer.parse_upload(upload.read(transfer.MAX_IMPORT_BYTES + 1))
            result = transfer.import_data(data, request.user)
        except transfer.ImportRefused as exc:
            form.add_error("file", f"{exc} Nothing was changed.")
        else:
            if result.total_created:
                added = ", ".join(f"{n} {what}" for what, n in result.created.items() if n)
                messages.success(request, f"Import finished. Added: {added}.")
            else:
                messages.info(request, "Import finished. Everything in this file was already here.")
            return redirect("accounts:import")
    return render(request, "accounts/import.html", {"form": form, "nav": "account"}, status=400)
