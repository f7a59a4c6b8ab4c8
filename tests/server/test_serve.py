"""`make serve` as run in production, with clients that try to starve it (one server for the module)."""

import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port, path, timeout=10):
    started = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    connection.request("GET", path, headers={"X-Forwarded-Proto": "https"})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status, time.monotonic() - started


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    """A database of its own, of the kind the suite runs on: a SQLite file, or a PostgreSQL database (then
    `make serve` reads it through its connection pool, as in production)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path_factory.mktemp('serve') / 'db.sqlite3'}"
        return
    import psycopg

    settings = connection.settings_dict
    admin = f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT'] or 5432}/postgres"
    name = f"timeline_serve_{os.getpid()}"
    with psycopg.connect(admin, autocommit=True) as server:
        server.execute(f"DROP DATABASE IF EXISTS {name}")
        server.execute(f"CREATE DATABASE {name}")
    yield admin.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(admin, autocommit=True) as server:
        server.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="module")
def served(database):
    port = free_port()
    # Not the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE: the deploy check refuses it, as it should.
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DATABASE_URL": database,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    }
    server = subprocess.Popen(
        ["make", "--no-print-directory", "serve", f"PORT={port}", "WORKERS=2", f"PY={sys.executable}"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                if get(port, "/")[0] == 200:
                    break
            except OSError:
                pass
            assert server.poll() is None, server.stderr.read().decode()[-3000:]
            assert time.monotonic() < deadline, "make serve did not answer within 180 s"
            time.sleep(0.5)
        yield port
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(30)


def test_slow_and_idle_clients_cannot_starve_the_server(served):
    """200 idle keep-alive connections and 5 that send their headers a byte every half second: a sync worker
    per connection would be held by each until its timeout; a normal request must still answer within 2 s."""
    idle = []
    for _ in range(200):
        connection = socket.create_connection(("127.0.0.1", served), timeout=10)
        connection.sendall(b"GET /robots.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-Proto: https\r\n\r\n")
        idle.append(connection)
    for connection in idle:
        assert connection.recv(12).startswith(b"HTTP/1.1 200")  # answered, and kept open
    stop = threading.Event()

    def slowly():
        with socket.create_connection(("127.0.0.1", served)) as connection:
            for byte in b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + b"X-Slow: 1\r\n" * 100:
                if stop.wait(0.5):
                    return
                connection.send(bytes([byte]))

    slow = [threading.Thread(target=slowly, daemon=True) for _ in range(5)]
    for thread in slow:
        thread.start()
    try:
        time.sleep(2)  # every slow client is connected and sending
        for path in ("/?kind=visit", "/events.json?kind=assembly", "/events/operation-hurricane/"):
            status, seconds = get(served, path, timeout=5)
            assert status == 200 and seconds < 2, (path, status, seconds)
    finally:
        stop.set()
        for connection in idle:
            connection.close()
