"""Survey submissions over HTTP for bench/skm.py: read the public form, then POST it.

:func:`read_form` parses the survey page's first POST form with the standard library
(hidden fields, radio groups, selects, text inputs) so the benchmark fills whatever fields
the page offers. :func:`run_posts` sends a fixed number of submissions at a fixed
concurrency, each as a new respondent: a fresh browser (only the CSRF cookie, never the
one-response cookie) from its own client address (X-Forwarded-For, read by Prima when
BEHIND_PROXY=1). A submission counts when the server redirects (302/303), as a form does
after accepting; anything else fails the run.
"""

from __future__ import annotations

import http.client
import random
import urllib.parse
from dataclasses import dataclass, field
from html.parser import HTMLParser

from bench.loadgen import LoadError, LoadResult, drive

ACCEPTED = (302, 303)


@dataclass
class Form:
    """The fields of a form: fixed values, and the choices of each choice field."""

    action: str = ""
    fixed: dict[str, str] = field(default_factory=dict)
    choices: dict[str, list[str]] = field(default_factory=dict)

    def fill(self, rng: random.Random) -> dict[str, str]:
        """One submission: fixed values, and a random non-blank choice for each field."""
        data = dict(self.fixed)
        for name, options in self.choices.items():
            filled = [option for option in options if option]
            if filled:
                data[name] = rng.choice(filled)
        return data


class _FormParser(HTMLParser):
    """Every POST form of a page (the survey form, and e.g. a language switch)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            if a.get("method", "").lower() == "post":
                self.form = Form(action=a.get("action", ""))
                self.forms.append(self.form)
            return
        form = self.form
        if form is None:
            return
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("radio", "checkbox"):
                form.choices.setdefault(name, []).append(a.get("value", "on"))
            elif kind in ("hidden", "text", "date", "number", "email"):
                form.fixed.setdefault(name, a.get("value", ""))
        elif tag == "select" and name:
            self.select = name
            form.choices.setdefault(name, [])
        elif tag == "option" and self.select is not None:
            form.choices[self.select].append(a.get("value", ""))
        elif tag == "textarea" and name:
            form.fixed.setdefault(name, "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self.select = None
        elif tag == "form":
            self.form = None


def read_form(html: str) -> Form:
    """The page's POST form with the most choice fields (the survey form)."""
    parser = _FormParser()
    parser.feed(html)
    if not parser.forms:
        raise LoadError("the page has no POST form")
    return max(parser.forms, key=lambda form: len(form.choices))


def _csrf_cookie(headers: list[tuple[str, str]]) -> str:
    for name, value in headers:
        if name.lower() == "set-cookie" and value.startswith("csrftoken="):
            return value.split(";", 1)[0]
    return ""


def fetch_form(host: str, port: int, path: str) -> tuple[Form, str]:
    """The survey page's form and the CSRF cookie a browser would get with it."""
    connection = http.client.HTTPConnection(host, port, timeout=60)
    try:
        connection.request("GET", path, headers={"X-Forwarded-For": "10.255.255.254"})
        response = connection.getresponse()
        body = response.read().decode("utf-8", "replace")
        if response.status != 200:
            raise LoadError(f"GET {path} answered {response.status}: {body[:300]}")
        return read_form(body), _csrf_cookie(response.getheaders())
    finally:
        connection.close()


def _address(n: int) -> str:
    return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


def run_posts(
    host: str,
    port: int,
    path: str,
    form: Form,
    cookie: str,
    *,
    requests: int,
    concurrency: int,
    warmup: int = 10,
    seed: int = 5,
    first_address: int = 1,
    timeout: float = 60.0,
) -> LoadResult:
    """POST `requests` filled forms to `path` from `concurrency` keep-alive connections.

    Every POST is one new respondent (own X-Forwarded-For address, no survey cookie)."""
    if requests < concurrency or concurrency < 1:
        raise ValueError("need at least one request per thread")
    rng = random.Random(seed)
    bodies = [urllib.parse.urlencode(form.fill(rng)).encode() for _ in range(warmup + requests)]
    base = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}

    def post(connection: http.client.HTTPConnection, n: int) -> None:
        headers = {**base, "X-Forwarded-For": _address(first_address + n)}
        try:
            connection.request("POST", path, body=bodies[n], headers=headers)
            response = connection.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            connection.close()
            connection.request("POST", path, body=bodies[n], headers=headers)
            response = connection.getresponse()
        body = response.read()
        if response.status not in ACCEPTED:
            snippet = body[:600].decode("utf-8", "replace")
            raise LoadError(f"POST {path} answered {response.status}: {snippet}")

    warm = http.client.HTTPConnection(host, port, timeout=timeout)
    for n in range(warmup):
        post(warm, n)
    warm.close()
    return drive(
        host,
        port,
        path,
        post,
        requests=requests,
        concurrency=concurrency,
        timeout=timeout,
        first=warmup,
        bytes_per_response=len(bodies[0]),
    )
