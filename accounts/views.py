from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from accounts import services
from accounts.forms import DeleteAccountForm, ProfileForm, SignUpForm


@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            user = services.create_account(
                username=form.cleaned_data["username"],
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
                time_zone=form.cleaned_data.get("time_zone"),
            )
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "Welcome to SpasmCare. Your account is ready.")
            return redirect("home")
        status = 400
    return render(request, "accounts/signup.html", {"nav": "signup", "form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    profile = services.get_profile(request.user)
    form = ProfileForm(request.POST or None, instance=profile)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, "Your time zone and place are saved.")
            return redirect("accounts:account")
        status = 400
    return render(request, "accounts/account.html", {"nav": "account", "form": form}, status=status)


@sensitive_post_parameters("password")
@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            user = request.user
            logout(request)
            services.delete_account(user=user)
            messages.success(request, "Your account and all your data are deleted.")
            return redirect("home")
        status = 400
    return render(
        request, "accounts/delete_account.html", {"nav": "account", "form": form}, status=status
    )
