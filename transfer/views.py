"""Export (download) and import (upload) of a person's own data."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from transfer import csv_files, export, fhir, importer, parsing
from transfer.forms import ImportForm
from transfer.uploads import MAX_IMPORT_BYTES, TOO_BIG

# kind -> (what makes the file, content type, file name stem, extension)
DOWNLOADS = {
    "json": (export.export_json, "application/json; charset=utf-8", "data", "json"),
    "entries_csv": (csv_files.entries_csv, "text/csv; charset=utf-8", "pain-entries", "csv"),
    "practices_csv": (csv_files.practices_csv, "text/csv; charset=utf-8", "practices", "csv"),
    "fhir": (fhir.fhir_json, fhir.CONTENT_TYPE, "fhir", "json"),
}


@login_required
@require_GET
def export_page(request: HttpRequest) -> HttpResponse:
    return render(request, "transfer/export.html", {"nav": "account"})


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
    """Upload an export: 302 when imported; else the form with what went wrong next to
    the file field and nothing changed: 413 for a file over the limit (its reading was
    stopped there), 409 while another import into the account runs, else 400."""
    if request.method != "POST":
        return render(request, "transfer/import.html", {"form": ImportForm(), "nav": "account"})
    form = ImportForm(request.POST, request.FILES)
    status = 400
    if getattr(request, "upload_too_big", False):
        form.is_valid()
        form.errors.pop("file", None)
        form.add_error("file", f"{TOO_BIG} Nothing was changed.")
        status = 413
    elif form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > MAX_IMPORT_BYTES:
                status = 413
                raise importer.ImportRefused(TOO_BIG)
            data = parsing.parse_upload(upload.read(MAX_IMPORT_BYTES + 1))
            result = importer.import_data(data, request.user)
        except importer.ImportBusy as exc:
            status = 409
            form.add_error("file", f"{exc} Nothing was changed.")
        except importer.ImportRefused as exc:
            form.add_error("file", f"{exc} Nothing was changed.")
        else:
            if result.total_created:
                added = ", ".join(f"{n} {what}" for what, n in result.created.items() if n)
                messages.success(request, f"Import finished. Added: {added}.")
            else:
                messages.info(request, "Import finished. Everything in this file was already here.")
            return redirect("transfer:import")
    context = {"form": form, "nav": "account"}
    return render(request, "transfer/import.html", context, status=status)
