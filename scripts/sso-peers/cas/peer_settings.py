"""Rounds: settings of the CAS test peer (django-mama-cas); see serve.py."""

import os
import re

BASE_DIR = os.path.dirname(os.path.abspath(__file__))
SECRET_KEY = "rounds-sso-peer-not-a-secret"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "mama_cas",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
ROOT_URLCONF = "peer_urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["ROUNDS_CAS_DB"]}}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
USE_TZ = True
STATIC_URL = "/static/"
# Fast hashing: these are test accounts.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Only Rounds under test may ask for tickets; its tickets release the staff number.
MAMA_CAS_SERVICES = [
    {
        "SERVICE": "^" + re.escape(os.environ["ROUNDS_CAS_SERVICE"]),
        "CALLBACKS": ["peer_attributes.staff_number"],
        # Single logout: at CAS logout, a SAML logoutRequest is posted to the service URL.
        "LOGOUT_ALLOW": True,
    }
]
# CAS logout goes back to the service URL it is given (Rounds' /login).
MAMA_CAS_FOLLOW_LOGOUT_URL = True

LOGGING = {
    "version": 1,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["stderr"], "level": "WARNING"},
}
