"""Swagger UI at /docs from assets shipped in the package, so the documentation works offline."""

from __future__ import annotations

from importlib import resources

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = "/docs/static"


def install(app: FastAPI) -> None:
    """Serve /docs and its vendored Swagger UI assets (swagger-ui-dist, see static/swagger-ui/VERSION.md)."""
    folder = resources.files("liidi.api").joinpath("static/swagger-ui")
    app.mount(ASSETS, StaticFiles(directory=str(folder)), name="swagger-ui")

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{app.title} — API",
            swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS}/favicon-32x32.png",
            swagger_ui_parameters={"validatorUrl": None},
        )
