"""The data version as a server process knows it, without asking the database on every request.

On PostgreSQL every change of the version row is announced (a trigger calls pg_notify, migration 0016), and
the announcement is delivered when the writing transaction commits. A gunicorn worker listens on its own
connection (timeline.server.gunicorn) and keeps the last version announced: a cached page then costs no database
round trip at all. Anywhere else (SQLite, tests, manage.py, a listener that lost its connection) `heard()`
is None and the version is read from its row, as before.

A page may go on being served under the old version for the moment between a commit and its announcement
(a millisecond on one machine); every 30 s the listener also reads the row itself, which catches a version
that changed without an announcement (a restore that bypassed the trigger).
"""

import logging
import threading
import time

import psycopg
from django.db import connections

CHANNEL = "timeline_data_version"
CHECK_SECONDS = 30
log = logging.getLogger(__name__)

_listener = None  # the listening thread of this process, if any


def heard():
    """The version last announced, or None: not listening (or not connected), read the row."""
    listener = _listener
    return listener.version if listener else None


def listen(alias="default"):
    """Start keeping the version in this process (PostgreSQL only; a no-op elsewhere). True if started."""
    global _listener
    if connections[alias].vendor != "postgresql":
        return False
    stop()
    _listener = _Listener(connections[alias].get_connection_params())
    _listener.start()
    return True


def stop():
    """Stop listening (tests): requests read the row again at once, whatever the old thread still hears."""
    global _listener
    listener, _listener = _listener, None
    if listener:
        listener.stopping.set()
        listener.join(5)  # its connection closed: a test database can then be dropped


class _Listener(threading.Thread):
    def __init__(self, params):
        super().__init__(name="data-version-listener", daemon=True)
        self.params, self.version, self.pid, self.stopping = params, None, None, threading.Event()

    def run(self):
        while not self.stopping.is_set():
            try:
                with psycopg.connect(**self.params, autocommit=True) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self.pid = conn.info.backend_pid
                    while not self.stopping.is_set():
                        # Read after LISTEN, so no change between the two goes unheard; and every CHECK_SECONDS,
                        # which also finds a connection that died without a word.
                        self.version, checked = _read(conn), time.monotonic()
                        while time.monotonic() - checked < CHECK_SECONDS and not self.stopping.is_set():
                            for note in conn.notifies(timeout=1):  # a second: how long stop() may wait
                                self.version = int(note.payload)  # delivered in commit order: the last is newest
            except Exception:
                self.version = None  # until it is back, every request reads the row
                log.exception("Lost the data version announcements; reading the version row until they are back.")
                self.stopping.wait(1)


def _read(conn):
    row = conn.execute("SELECT value FROM timeline_dataversion WHERE id = 1").fetchone()
    return row[0] if row else 0
