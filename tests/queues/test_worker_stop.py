"""A stopping worker is not held by its command channel: the thread that reads it polls in short reads, so
stopping it (as every burst run and every shutdown does) returns within seconds, not after rq's minute."""

from __future__ import annotations

import threading

from queues import enqueue
from queues.connection import get_redis
from queues.worker import IdpWorker


def test_the_command_channel_thread_stops_within_seconds(db_settings):
    worker = IdpWorker(enqueue.all_queues(db_settings), connection=get_redis(db_settings))
    worker.subscribe()
    reader = worker.pubsub_thread
    assert reader is not None and reader.is_alive()
    stopper = threading.Thread(target=reader.stop, daemon=True)  # no message comes to wake the read
    stopper.start()
    stopper.join(timeout=15)
    assert not stopper.is_alive(), "stopping waited on a long read of the command channel"
    assert not reader.is_alive()
    worker.pubsub.close()
