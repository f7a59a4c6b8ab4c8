"""gunicorn hooks for `make serve` (`--config python:timeline.server.gunicorn`)."""


def post_worker_init(worker):
    """Load the event index before the worker takes its first request: at a million events that takes seconds,
    which the first readers of every new worker would otherwise wait for (on a cached page too, since the
    worker's own cache starts empty)."""
    from django.db import connection

    from timeline import data_version
    from timeline.browse import index

    # On PostgreSQL, keep the data version in the worker as the database announces it: a cached page then
    # needs no database connection at all.
    data_version.listen()
    try:
        worker.log.info("Event index loaded: %s published events.", f"{index.current().size:,}")
    except Exception:  # no database yet, or it is down: requests will say so; the worker must still start
        worker.log.exception("Could not load the event index at start; it loads on the first request instead.")
    finally:
        if not connection.in_atomic_block:  # a test's transaction: closing would end it
            connection.close()
