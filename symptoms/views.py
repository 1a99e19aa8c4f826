from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def check(request: HttpRequest) -> HttpResponse:
    """Placeholder: the quick check lands with issue 3."""
    return render(request, "accounts/placeholder.html", {"nav": "check"})


def entry_list(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/placeholder.html", {"nav": "symptoms"})
