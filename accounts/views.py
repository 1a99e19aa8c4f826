from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from accounts import services, throttle
from accounts.forms import DeleteAccountForm, ProfileForm, SignUpForm
from accounts.ratelimit import account_mail_allowed
from accounts.tasks import send_email_confirmation

# Logging out and deleting the account leave nothing personal on the device: the
# browser drops its caches and this site's storage (the pages a person kept offline,
# entries waiting to be sent, the service worker). static/js/offline.js warns first if
# entries have not been sent, and clears them too where the header is not supported.
CLEAR_SITE_DATA = '"cache", "storage"'


class LogoutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response


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
            if account_mail_allowed(form.cleaned_data["email"]):
                send_email_confirmation.enqueue(user_id=user.pk)
            login(request, user, backend="accounts.backends.ProfileBackend")
            messages.success(
                request,
                "Welcome to SpasmCare. Your account is ready. We have sent a message to your "
                "email address: follow its link to confirm the address.",
            )
            return redirect("home")
        status = 400
    return render(request, "accounts/signup.html", {"nav": "signup", "form": form}, status=status)


@require_http_methods(["GET", "POST"])
def confirm_email(request: HttpRequest, token: str) -> HttpResponse:
    """The link mailed at sign-up. A GET only shows a button (mail scanners open
    links); the POST confirms. The token is the permission: signed in or not."""
    if request.method == "POST":
        user = services.confirm_email(token)
        status = 200 if user is not None else 400
        return render(
            request,
            "accounts/confirm_email.html",
            {"done": True, "ok": user is not None},
            status=status,
        )
    return render(request, "accounts/confirm_email.html", {"done": False})


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
    context = {"nav": "account", "form": form, "pending_email": profile.pending_email}
    return render(request, "accounts/account.html", context, status=status)


@sensitive_post_parameters("password")
@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        if locked := throttle.lockout_response(request, request.user):
            return locked
        if form.is_valid():
            user = request.user
            logout(request)
            services.delete_account(user=user)
            messages.success(request, "Your account and all your data are deleted.")
            response = redirect("home")
            response["Clear-Site-Data"] = CLEAR_SITE_DATA
            return response
        if form.has_error("password", "wrong_password"):
            throttle.wrong_password(request, request.user)
        status = 400
    return render(
        request, "accounts/delete_account.html", {"nav": "account", "form": form}, status=status
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change, with a wrong current password counted as a failed
    log-in (accounts/throttle.py)."""

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if locked := throttle.lockout_response(request, request.user):
            return locked
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form) -> HttpResponse:
        if form.has_error("old_password", "password_incorrect"):
            throttle.wrong_password(self.request, self.request.user)
        return super().form_invalid(form)
