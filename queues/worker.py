"""The worker process: migrations, recovery of lost work, then RQ's worker loop with its scheduler.

``idp worker`` runs documents, applications and the periodic round in this process (each upload read in the
bounded child of :mod:`queues.sandbox`) and starts ``webhook_workers`` separate processes for the webhook
queue, so a receiver that drips its answer never holds back anyone's documents. Every child this process
starts (webhook workers, RQ's scheduler, the reading child) dies with it, even on SIGKILL, and is reaped on
a normal exit.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Sequence

from rq.worker import SimpleWorker

from idp.settings import Settings
from idp.storage.migrate import upgrade
from queues import enqueue, liveness, recovery, sla
from queues.clock import utcnow
from queues.connection import get_redis
from queues.sandbox import die_with_parent, start_warm

logger = logging.getLogger(__name__)

#: Seconds between checks that the webhook workers still run (a dead one is started again).
_SUPERVISE_EVERY_S = 5.0


class IdpWorker(SimpleWorker):
    """Runs jobs in this process, so the OCR engine is loaded once per worker, not once per job.

    Its maintenance round (every ``maintenance_interval`` seconds, idle or not: the blocking dequeue waits
    no longer than that) recovers jobs of dead workers (see :mod:`queues.liveness`), requeues work whose next
    step is missing, and schedules the SLA sweep: one job per ``sla_sweep_interval_s`` across all workers.
    """

    idp_settings: Settings | None = None
    #: Seconds the command-channel thread blocks per read. redis-py 8 joins that thread without a bound when
    #: the worker stops, so rq's 60-second read made a stopping worker wait up to a minute for it.
    command_poll_s: float = 1.0

    def subscribe(self) -> None:
        """rq's subscription to the worker's command channel (stop, kill-horse), read in short polls."""
        self.log.info("Worker %s: subscribing to channel %s", self.name, self.pubsub_channel_name)
        self.pubsub = self.connection.pubsub()
        self.pubsub.subscribe(**{self.pubsub_channel_name: self.handle_payload})
        self.pubsub_thread = self.pubsub.run_in_thread(
            sleep_time=self.command_poll_s, daemon=True, exception_handler=self._pubsub_exception_handler
        )

    @property
    def dequeue_timeout(self) -> int:
        return max(1, int(self.maintenance_interval))

    def run_maintenance_tasks(self) -> None:
        super().run_maintenance_tasks()
        if self.idp_settings is not None:
            maintenance_round(self.idp_settings, self.connection)


def maintenance_round(settings: Settings, conn: object) -> None:
    """Recovery and the SLA sweep's scheduling; a failure is logged and tried again next round."""
    try:
        now = utcnow()
        recovery.recover_abandoned(settings, now=now)
        recovery.requeue_orphans(settings, now=now)
    except Exception:
        logger.exception("recovery round failed")
    try:
        sla.schedule_sweep(settings, conn, utcnow())  # type: ignore[arg-type]
    except Exception:
        logger.exception("could not schedule the SLA sweep")


def run_worker(settings: Settings, *, burst: bool = False, name: str | None = None,
               maintenance_interval: int | None = None, queues: Sequence[str] | None = None) -> bool:
    """Work the idp queues until stopped (or until empty with ``burst``).

    ``queues`` limits the worker to some queue names (``idp worker --queues webhooks``); by default it works
    every queue, and when not in burst mode hands the webhook queue to ``webhook_workers`` processes.
    """
    unknown = set(queues or ()) - set(enqueue.ALL)
    if unknown:
        raise ValueError(f"unknown queue(s) {sorted(unknown)}; the queues are {', '.join(enqueue.ALL)}")
    upgrade(settings.effective_database_url)
    _children_die_with_us()
    conn = get_redis(settings)
    names = list(queues or enqueue.ALL)
    helpers = None
    if queues is None and not burst and settings.webhook_workers > 0:
        names.remove(enqueue.WEBHOOKS)
        helpers = WebhookWorkers(settings.webhook_workers, name).start()
    if settings.job_sandbox and enqueue.DOCUMENTS in names:
        start_warm(settings)
    worker = IdpWorker([enqueue.queue(settings, n) for n in names], connection=conn, name=name,
                       maintenance_interval=maintenance_interval or settings.maintenance_interval_s)
    worker.idp_settings = settings
    lease = liveness.LeaseKeeper(conn, worker.name).start()
    try:
        now = utcnow()
        recovery.recover_abandoned(settings, now=now)
        recovery.requeue_orphans(settings, now=now)
        return bool(worker.work(burst=burst, with_scheduler=True, logging_level="WARNING"))
    finally:
        lease.stop()
        if helpers is not None:
            helpers.stop()
        from queues.sandbox import shutdown

        shutdown()


_AT_FORK: list[bool] = []


def _children_die_with_us() -> None:
    """Every process forked from here (RQ's scheduler among them) ends when this one does."""
    if not _AT_FORK:
        os.register_at_fork(after_in_child=die_with_parent)
        _AT_FORK.append(True)


class WebhookWorkers:
    """``count`` processes of ``idp worker --queues webhooks``, started again when one dies (a clean exit, a
    deliberate warm shutdown, is left alone)."""

    def __init__(self, count: int, name: str | None) -> None:
        self.count = count
        self.name = name
        self.procs: list[subprocess.Popen[bytes] | None] = [None] * count
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._supervise, name="webhook-workers", daemon=True)

    def start(self) -> WebhookWorkers:
        for i in range(self.count):
            self._spawn(i)
        self._thread.start()
        return self

    def _spawn(self, i: int) -> None:
        args = [sys.executable, "-m", "idp.app.cli", "worker", "--queues", enqueue.WEBHOOKS]
        if self.name:
            args += ["--name", f"{self.name}-webhooks-{i}"]
        # its own process group: a signal to this worker's group reaches it only through stop()
        self.procs[i] = subprocess.Popen(args, preexec_fn=die_with_parent,  # noqa: PLW1509 - prctl only
                                         start_new_session=True)

    def _supervise(self) -> None:
        while not self._stop.wait(_SUPERVISE_EVERY_S):
            for i, proc in enumerate(self.procs):
                if proc is not None and proc.poll() not in (None, 0) and not self._stop.is_set():
                    logger.warning("webhook worker %d exited (%s); starting it again", i, proc.returncode)
                    self._spawn(i)

    def stop(self) -> None:
        """Ask each to finish its delivery (SIGTERM = RQ's warm shutdown), then reap it."""
        self._stop.set()
        for proc in self.procs:
            if proc is not None and proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs:
            if proc is None:
                continue
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
