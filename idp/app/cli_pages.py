"""``idp pages-render``: page images for the review viewer of documents read before they were stored."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from idp.settings import get_settings

console = Console()


def register(app: typer.Typer) -> None:
    app.command("pages-render")(pages_render)


def pages_render(limit: Annotated[int | None, typer.Option(help="at most this many documents")] = None) -> None:
    """Store the review viewer's page images of documents read before they were stored (run once after upgrade)."""
    from idp.storage.migrate import upgrade
    from queues.clock import utcnow
    from queues.page_images import render_missing

    settings = get_settings()
    upgrade(settings.effective_database_url)
    console.print(f"已生成页面图像的文档 documents rendered: {render_missing(settings, now=utcnow(), limit=limit)}")
