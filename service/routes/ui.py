"""GET /: the page a person uses (static HTML + JS, no external resources)."""

from __future__ import annotations

from importlib import resources

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)

# The page's scripts and styles are files under /static, so the policy can forbid inline code.
_CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'"


@router.get("/", response_class=HTMLResponse)
async def index() -> HTMLResponse:
    html = (resources.files("solieu.service") / "static" / "index.html").read_text(encoding="utf-8")
    return HTMLResponse(html, headers={"Content-Security-Policy": _CSP})
