from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def signup(request: HttpRequest) -> HttpResponse:
    """Placeholder: accounts land with issue 3."""
    return render(request, "accounts/placeholder.html", {"nav": "signup"})


def account(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/placeholder.html", {"nav": "account"})
