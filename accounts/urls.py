"""Account pages under /accounts/ (and /en/accounts/)."""

from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("sign-up/", views.sign_up, name="sign_up"),
    path("verify/", views.verify_sent, name="verify_sent"),
    path("verify/<str:token>/", views.verify_email, name="verify_email"),
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", views.SignOutView.as_view(), name="logout"),
    path("password-reset/", views.ResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", views.ResetDoneView.as_view(), name="password_reset_done"),
    path("password-reset/<uidb64>/<token>/", views.ResetConfirmView.as_view(), name="password_reset_confirm"),
    path("password-reset/done/", views.ResetCompleteView.as_view(), name="password_reset_complete"),
    path("profile/", views.profile, name="profile"),
]
