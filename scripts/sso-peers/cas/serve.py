"""Rounds: a real CAS server (django-mama-cas) for the server's SSO tests (server/tests/sso.rs).

    python serve.py --service http://127.0.0.1:PORT/ [--db DIR/cas.sqlite3]

Loopback only, on a port the system picks; prints "CAS peer ready http://127.0.0.1:PORT/cas"
once it serves. Services whose URL starts with --service may ask for tickets, which release
the attribute staffNo. Users (password "cas-peer-password"): zhang (T1001), disabled (T1002),
stranger (T9999).
"""

import argparse
import os
import socketserver
import sys
import tempfile
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

PASSWORD = "cas-peer-password"


class ThreadingServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--service", required=True)
    # By default in the directory the test gives it (ROUNDS_PEER_DIR), else a temporary one.
    parser.add_argument("--db")
    args = parser.parse_args()
    if not args.db:
        args.db = os.path.join(os.environ.get("ROUNDS_PEER_DIR") or tempfile.mkdtemp(), "cas.sqlite3")
    os.environ["ROUNDS_CAS_SERVICE"] = args.service
    os.environ["ROUNDS_CAS_DB"] = args.db
    os.environ["DJANGO_SETTINGS_MODULE"] = "peer_settings"
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application

    call_command("migrate", verbosity=0, interactive=False)
    users = get_user_model()
    for name, full in [("zhang", "Zhang San"), ("disabled", "Li Si"), ("stranger", "Wang Wu")]:
        if not users.objects.filter(username=name).exists():
            first, last = full.split(" ")
            users.objects.create_user(username=name, password=PASSWORD, first_name=first, last_name=last)

    server = make_server("127.0.0.1", 0, get_wsgi_application(), server_class=ThreadingServer, handler_class=QuietHandler)
    print(f"CAS peer ready http://127.0.0.1:{server.server_port}/cas", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
