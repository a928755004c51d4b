"""The ASGI app: routers, the review UI, and one place that turns errors into ``{"code","message","detail"}``."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from idp import __version__
from idp.app.api import applications, corrections, health, metrics, tasks
from idp.app.api.edge import EdgeGuard, check_client_path_ids, check_staff_path_ids
from idp.app.auth.sessions import add_sessions
from idp.errors import IdpError
from idp.settings import Settings, get_settings
from idp.storage.migrate import upgrade

logger = logging.getLogger(__name__)


def _error(status: int, code: str, message: str, detail: dict[str, object] | None = None) -> JSONResponse:
    return JSONResponse(status_code=status, content={"code": code, "message": message, "detail": detail or {}})


def create_app(settings: Settings | None = None, *, migrate: bool = True) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if migrate:
            upgrade(settings.effective_database_url)
        yield

    app = FastAPI(title="idp 智能文档处理 API", version=__version__, lifespan=lifespan, docs_url=None,
                  redoc_url=None,
                  description="Submit a borrower's documents; get fields, findings and a decision back.")
    app.state.settings = settings
    add_sessions(app, settings)
    _offline_docs(app)
    from idp.app.web.errors import html_error, wants_html

    @app.exception_handler(IdpError)
    async def _idp_error(request: Request, exc: IdpError) -> Response:
        if wants_html(request):
            return html_error(request, exc.http_status, exc.message, exc=exc)
        return _error(exc.http_status, exc.code, exc.message, {k: str(v) for k, v in exc.detail.items()})

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        if wants_html(request):
            return html_error(request, 422, "请求参数不正确,请返回重试")
        errors = [{"loc": list(e.get("loc", [])), "msg": e.get("msg")} for e in exc.errors()]
        return _error(422, "validation_error", "请求参数不正确 (invalid request)", {"errors": errors})

    @app.exception_handler(DataError)
    async def _data(_: Request, exc: DataError) -> JSONResponse:
        logger.warning("value refused by the database: %s", exc.orig)
        return _error(422, "invalid_value", "请求中的值超出允许范围 (a value is out of range or too long)")

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        logger.exception("unexpected error on %s %s", request.method, request.url.path)
        return _error(500, "internal_error", "内部错误，请稍后重试 (internal error; please retry)")

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if wants_html(request):
            text = {404: "页面不存在", 405: "不支持该操作"}.get(exc.status_code, "请求无法处理")
            return html_error(request, exc.status_code, text)
        return _error(exc.status_code, f"http_{exc.status_code}", str(exc.detail))

    app.add_middleware(EdgeGuard)
    staff_ids = [Depends(check_staff_path_ids)]
    app.include_router(health.router)
    app.include_router(applications.router, dependencies=[Depends(check_client_path_ids)])
    app.include_router(tasks.router, dependencies=staff_ids)
    app.include_router(corrections.router, dependencies=staff_ids)
    app.include_router(metrics.router)
    from idp.app.web.routes import mount_web

    mount_web(app)
    return app


def _offline_docs(app: FastAPI) -> None:
    """Swagger UI and ReDoc from assets shipped in a package (fastapi-offline): the docs work without a CDN."""
    import fastapi_offline

    static = Path(fastapi_offline.__file__).resolve().parent / "static"
    app.mount("/docs-static", StaticFiles(directory=static), name="docs-static")

    @app.get("/docs", include_in_schema=False)
    def _swagger() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="/openapi.json", title=f"{app.title} · 接口文档",
                                   swagger_js_url="/docs-static/swagger-ui-bundle.js",
                                   swagger_css_url="/docs-static/swagger-ui.css",
                                   swagger_favicon_url="/docs-static/favicon.png")

    @app.get("/redoc", include_in_schema=False)
    def _redoc() -> HTMLResponse:
        return get_redoc_html(openapi_url="/openapi.json", title=f"{app.title} · 接口文档",
                              redoc_js_url="/docs-static/redoc.standalone.js",
                              redoc_favicon_url="/docs-static/favicon.png", with_google_fonts=False)
