"""An editor signs in while another imports a long article, on a SQLite file as `make run` uses.

Run by tests/editing/test_import.py in its own process (DATABASE_URL names a fresh file): SQLite's one write lock
is shared across connections only through a file, which the suite's in-memory database is not. Prints
JSON: the sign-in's status and seconds, and the import's.
"""

import json
import os
import sys
import threading
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "timeline.settings")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402

from timeline.editing import importer  # noqa: E402

SENTENCES = int(sys.argv[1]) if len(sys.argv) > 1 else 400
MONTHS = "January February March April May June July August September October November December".split()

call_command("migrate", verbosity=0)
call_command("load_seed", verbosity=0)
User.objects.create_superuser("importer", "i@example.org", "a-long-password-1")
User.objects.create_superuser("editor", "e@example.org", "a-long-password-2")
text = " ".join(
    f"On {1 + n % 28} {MONTHS[n % 12]} {1985 + n % 38}, officers from the Ministry of Public Security "
    f"met INTERPOL staff in Lyon about case number {n}."
    for n in range(SENTENCES)
)
article = {"title": "A long article", "publisher": "Test", "published": "1 January 2023", "url": "", "text": text}
importing = Client()
importing.force_login(User.objects.get(username="importer"))
connections.close_all()

writing = threading.Event()  # set when the first draft is being written: the lock is taken from then on
draft = importer.draft


def first_draft(*args):
    writing.set()
    return draft(*args)


importer.draft = first_draft
result = {}


def run_import():
    started = time.monotonic()
    response = importing.post(
        "/admin/timeline/event/import/",
        {**article, "step": "create", "create": [str(n) for n in range(1, SENTENCES + 1)]},
    )
    result["import"] = [response.status_code, time.monotonic() - started]
    connections.close_all()


def sign_in():
    writing.wait(60)
    time.sleep(0.5)  # well inside the import's writing
    started = time.monotonic()
    try:
        response = Client().post("/admin/login/?next=/admin/", {"username": "editor", "password": "a-long-password-2"})
        result["sign_in"] = [response.status_code, time.monotonic() - started]
    except Exception as error:  # noqa: BLE001 - "database is locked" is what this check is for
        result["sign_in"] = [repr(error), time.monotonic() - started]
    connections.close_all()


threads = [threading.Thread(target=run_import), threading.Thread(target=sign_in)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(json.dumps(result))
