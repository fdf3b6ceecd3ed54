"""Helpers of the service tests: a tiny pipeline, error-shape assertions,
files built on the fly (PDF by hand, DOCX with python-docx), a live server.

A module with a name of its own (not conftest) so that test modules can
import it whatever other conftest.py files exist."""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import httpx

from solieu.extractors import rules_pipeline
from solieu.interface import PipelineInterface
from solieu.schema import Document, DocumentInput

SAMPLE = "Tính đến hết ngày 14/05/2025 thu được 17.271 triệu đồng đạt 55,3% dự toán tỉnh giao."
SAMPLE_OWNER = (
    "Sở Xây dựng đã giải ngân 24,023 tỷ đồng cho dự án Tuyến Cao tốc cửa khẩu Hữu Nghị - Chi Lăng "
    "trong năm 2024."
)


class FakePipeline(PipelineInterface):
    """The pipeline interface with a tiny extractor: the rules, plus knobs
    for tests (a name and version, a gate that holds extraction until the
    test opens it, an error to raise, a record of what it was given)."""

    def __init__(self, *, name: str = "fake", version: str = "1", meta: dict | None = None,
                 gate: threading.Event | None = None, fail_with: Exception | None = None):
        self.meta = {"name": name, "version": version, **(meta or {})}
        self.gate = gate
        self.fail_with = fail_with
        self.entered = threading.Event()
        self.seen: list[DocumentInput] = []
        self.threads: set[str] = set()
        self._rules = rules_pipeline()

    def extract_many(self, inputs: Iterable[DocumentInput]) -> Iterator[Document]:
        self.threads.add(threading.current_thread().name)
        self.entered.set()
        if self.gate is not None and not self.gate.wait(timeout=10):
            raise RuntimeError("test gate never opened")
        if self.fail_with is not None:
            raise self.fail_with
        for item in inputs:
            self.seen.append(item)
            yield self._rules.extract(item.text, doc_id=item.id or "doc", document_date=item.document_date)


def assert_error(response, status: int, code: str | None = None, *, contains: str | None = None) -> dict:
    """The one error shape, with the request id of the answer."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert {"code", "message", "request_id"} <= set(error), error
    assert error["request_id"] == response.headers["x-request-id"]
    assert error["message"] and "Traceback" not in error["message"]
    if code is not None:
        assert error["code"] == code, error
    if contains is not None:
        assert contains.lower() in error["message"].lower(), error["message"]
    return error


def assert_valid_documents(body: dict) -> list[Document]:
    """Every answered document satisfies the schema's invariants (offsets included)."""
    return [Document.model_validate(doc) for doc in body["documents"]]


# --- files built on the fly -------------------------------------------------

def make_pdf(lines: list[str]) -> bytes:
    """A one-page PDF whose text layer holds `lines`, Vietnamese included.

    Each distinct character gets a one-byte code in a simple font, and a
    ToUnicode map says which character each code is, which is what text
    extraction reads.
    """
    chars = sorted(set("".join(lines)))
    assert len(chars) < 255
    code = {c: i + 1 for i, c in enumerate(chars)}
    ops = ["BT", "/F1 11 Tf", "14 TL", "40 800 Td"]
    for line in lines:
        ops.append("<" + "".join(f"{code[c]:02X}" for c in line) + "> Tj T*")
    ops.append("ET")
    content = "\n".join(ops).encode("ascii")
    entries = [f"<{code[c]:02X}> <{ord(c):04X}>" for c in chars]
    blocks = []
    for i in range(0, len(entries), 100):
        chunk = entries[i : i + 100]
        blocks.append(f"{len(chunk)} beginbfchar\n" + "\n".join(chunk) + "\nendbfchar")
    cmap = (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<00> <FF>\nendcodespacerange\n"
        + "\n".join(blocks)
        + "\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend"
    ).encode("ascii")
    widths = " ".join("500" for _ in chars)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        f"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /FirstChar 1 /LastChar {len(chars)} "
        f"/Widths [{widths}] /ToUnicode 6 0 R >>".encode("ascii"),
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def make_encrypted_pdf(lines: list[str], *, user_password: str) -> bytes:
    import pypdf

    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(make_pdf(lines))))
    # RC4 needs no optional crypto backend in pypdf.
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def make_docx(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- a real server ----------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    def __init__(self, *args: str, env: dict[str, str] | None = None, log_path: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self._log = open(log_path, "wb")
        command = [sys.executable, "-m", "solieu.cli_commands.serve", "--host", "127.0.0.1",
                   "--port", str(self.port), *args]
        self.process = subprocess.Popen(command, stdout=self._log, stderr=subprocess.STDOUT,
                                        env={**os.environ, **(env or {})})

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"server exited with {self.process.returncode}:\n{self.log()}")
            try:
                if httpx.get(self.url + "/ready", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"server not ready after {timeout}s:\n{self.log()}")

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self._log.close()
