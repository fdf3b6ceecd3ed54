"""Pure-ASGI middleware: request ids with one JSON log line per request, and
the request body limit.

Pure ASGI rather than BaseHTTPMiddleware so that the request id context
variable reaches the route, its thread pool work and the error handlers.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid

from solieu.errors import RequestTooLarge

from .context import reset_request_id, set_request_id

log = logging.getLogger("solieu.service.access")
error_log = logging.getLogger("solieu.service")

# An id a caller sends is kept only if it is short and plain, so that it can
# be logged and echoed without escaping.
_CALLER_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def _error_message(status: int, code: str, message: str, request_id: str | None) -> tuple[dict, bytes]:
    body = json.dumps({"error": {"code": code, "message": message, "request_id": request_id}}).encode()
    start = {
        "type": "http.response.start",
        "status": status,
        "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
    }
    return start, body


class RequestContextMiddleware:
    """Gives each request an id (`X-Request-ID`), logs it, and is the last
    line of defence: an unexpected exception becomes a 500 in the one error
    shape, its traceback in the log, never in the answer."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope.get("headers") or []).get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if _CALLER_ID.match(incoming) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        token = set_request_id(request_id)
        started = time.perf_counter()
        status_holder = {"status": None}

        async def send_with_id(message):
            if message["type"] == "http.response.start":
                status_holder["status"] = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                headers.append((b"x-content-type-options", b"nosniff"))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception as e:  # the last line of defence; logged with its traceback
            error_log.error("unhandled error in %s %s", scope.get("method"), scope.get("path"), exc_info=e)
            if status_holder["status"] is None:
                start, body = _error_message(
                    500, "internal_error", "the service failed on this request; the log has the details",
                    request_id,
                )
                await send_with_id(start)
                await send({"type": "http.response.body", "body": body})
        finally:
            log.info(
                "request",
                extra={
                    "event": "request",
                    "method": scope.get("method"),
                    "path": scope.get("path"),
                    "status": status_holder["status"],
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                    "client": (scope.get("client") or [None])[0],
                },
            )
            reset_request_id(token)


class BodyLimitMiddleware:
    """Refuses bodies over `max_bytes` with 413 before the app sees them.

    The body is read here, up to the limit, and replayed to the app: a
    declared Content-Length over the limit is refused without reading, and a
    chunked body is refused as soon as it passes the limit.
    """

    def __init__(self, app, *, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def _refuse(self, send, size_note: str):
        from .context import current_request_id

        err = RequestTooLarge(
            f"the request body is {size_note}, over the limit of {self.max_bytes} bytes; "
            "send fewer or shorter documents, or split the file"
        )
        start, body = _error_message(413, err.code, str(err), current_request_id())
        await send(start)
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope.get("method") in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None:
            try:
                declared_size = int(declared)
            except ValueError:
                declared_size = -1
            if declared_size > self.max_bytes:
                await self._refuse(send, f"{declared_size} bytes")
                return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._refuse(send, f"more than {self.max_bytes} bytes")
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)
