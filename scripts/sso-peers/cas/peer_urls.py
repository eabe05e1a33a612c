"""Rounds: the CAS test peer's URLs: the CAS protocol under /cas/."""

from django.urls import include, path

urlpatterns = [path("cas/", include("mama_cas.urls"))]
