"""The review UI (server-rendered Jinja2, autoescaped; Chinese on screen, English in code): sign-in, the queue,
the task page with its page viewer, documents, and the supervisors' 驾驶舱. Every route takes a staff gate
(:mod:`idp.app.auth.gates`); unknown ``/review`` paths answer a Chinese page."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from idp.app.web.templating import HERE


def mount_web(app: FastAPI) -> None:
    """Add the review pages and their static files to the app."""
    from idp.app.web import auth_pages, dashboard, dashboard_actions, document_files, queue_page, task_page

    for module in (auth_pages, queue_page, task_page, document_files, dashboard, dashboard_actions):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
