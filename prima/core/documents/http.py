"""Serving a rendered document over HTTP."""

from __future__ import annotations

from django.http import HttpResponse


def pdf_response(content: bytes, filename: str, *, private: bool = False) -> HttpResponse:
    """The PDF shown in the browser (`inline`), saved under `filename` when downloaded.

    `private` documents (a draft) must not be kept by shared caches or the browser.
    """
    safe_name = "".join(c for c in filename if c.isalnum() or c in "-_.") or "dokumen.pdf"
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{safe_name}"'
    response["Content-Length"] = str(len(content))
    if private:
        response["Cache-Control"] = "private, no-store"
    return response
