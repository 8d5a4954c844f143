"""The workbench's lock: a token per run, the Host check, CSRF on every write, strict headers.

Like Jupyter: ``graphkit serve`` prints one URL with a fresh random token. The first visit with
``?token=...`` trades it for an HttpOnly, SameSite=Strict cookie (and is redirected to the same
address without the token); scripts send ``Authorization: Bearer TOKEN`` instead. A request
without a valid token gets 401; a request whose Host header is not the bound address gets 421
(DNS rebinding); any method but GET, HEAD and POST gets 405; a POST in ``--read-only`` mode gets
403. Each POST must carry the run's CSRF token (form field ``csrf`` or header ``X-CSRF-Token``):
``check_csrf``. Every response carries a strict Content-Security-Policy (scripts and styles only
from the workbench itself), no-store caching and no referrer.
"""
from __future__ import annotations

import hmac
import ipaddress
import secrets
import socket
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl, urlencode

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; frame-src 'self'; frame-ancestors 'none'; "
       "base-uri 'none'; object-src 'none'")
#: a map is one self-contained page with inline script: it runs sandboxed (an opaque origin, no
#: cookies, no same-origin requests), may only be framed by the workbench, and loads nothing
MAP_CSP = ("sandbox allow-scripts; default-src 'none'; script-src 'unsafe-inline'; "
           "style-src 'unsafe-inline'; img-src data:; connect-src 'none'; form-action 'none'; "
           "frame-ancestors 'self'; base-uri 'none'; object-src 'none'")
HEADERS = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"),
           (b"cache-control", b"no-store"), (b"cross-origin-opener-policy", b"same-origin"),
           (b"cross-origin-resource-policy", b"same-origin")]
SAFE_METHODS = ("GET", "HEAD")


def new_token() -> str:
    return secrets.token_urlsafe(32)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def allowed_hosts(host: str, port: int) -> frozenset[str]:
    """The Host headers a browser sends for this address (with and without the port for 80)."""
    names = {host}
    if is_loopback(host):
        names |= {"127.0.0.1", "localhost", "[::1]"}
    elif host in ("0.0.0.0", "::"):  # every interface: the machine's own names and addresses
        hostname = socket.gethostname()
        names |= {hostname, socket.getfqdn(), "127.0.0.1", "localhost"}
        try:
            names |= set(socket.gethostbyname_ex(hostname)[2])
        except OSError:
            pass
    if ":" in host and not host.startswith("["):
        names.add(f"[{host}]")
    hosts = {f"{n}:{port}" for n in names if ":" not in n or n.startswith("[")}
    if port == 80:
        hosts |= names
    return frozenset(h.lower() for h in hosts)


@dataclass
class Lock:
    """One run's secrets and rules."""

    token: str
    hosts: frozenset
    port: int
    read_only: bool = False
    csrf: str = field(default_factory=new_token)

    @property
    def cookie(self) -> str:
        return f"graphkit-{self.port}"

    def token_ok(self, given: str | None) -> bool:
        return bool(given) and hmac.compare_digest(given.encode(), self.token.encode())

    def csrf_ok(self, given: str | None) -> bool:
        return bool(given) and hmac.compare_digest(str(given).encode(), self.csrf.encode())


class LockMiddleware:
    """Pure ASGI middleware: Host, method, token (query, cookie or Bearer), read-only, headers."""

    def __init__(self, app, lock: Lock):
        self.app = app
        self.lock = lock

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        refusal = self.refuse(scope)
        if refusal is not None:
            return await refusal(scope, receive, send)
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True))
        if "token" in query and self.lock.token_ok(query["token"]) and scope["method"] in SAFE_METHODS:
            return await self.exchange(scope, query)(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [h for h in HEADERS if h[0] not in names]
                if b"content-security-policy" not in names:
                    extra.append((b"content-security-policy", CSP.encode()))
                if b"x-frame-options" not in names:
                    extra.append((b"x-frame-options", b"DENY"))
                message = {**message, "headers": list(message.get("headers", [])) + extra}
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def refuse(self, scope):
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if headers.get("host", "").lower() not in self.lock.hosts:
            return _plain("This workbench answers only at the address graphkit serve printed.", 421)
        if scope["method"] not in SAFE_METHODS + ("POST",):
            return _plain("Method not allowed.", 405)
        if not self.authorised(headers, scope):
            return _plain("Open the address with the token that `graphkit serve` printed "
                          "(or send Authorization: Bearer TOKEN).", 401)
        if scope["method"] == "POST" and self.lock.read_only:
            return _plain("This workbench runs --read-only: nothing can be changed.", 403)
        return None

    def authorised(self, headers: dict, scope) -> bool:
        auth = headers.get("authorization", "")
        if auth.lower().startswith("bearer ") and self.lock.token_ok(auth[7:].strip()):
            return True
        cookie = SimpleCookie()
        try:
            cookie.load(headers.get("cookie", ""))
        except Exception:  # noqa: BLE001 - a malformed cookie header is no token
            return False
        morsel = cookie.get(self.lock.cookie)
        if morsel is not None and self.lock.token_ok(morsel.value):
            return True
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        return scope["method"] in SAFE_METHODS and self.lock.token_ok(query.get("token"))

    def exchange(self, scope, query: dict):
        """``?token=`` -> the cookie, and the same address without the token."""
        rest = urlencode([(k, v) for k, v in query.items() if k != "token"])
        target = scope.get("root_path", "") + scope["path"] + (f"?{rest}" if rest else "")
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(self.lock.cookie, self.lock.token, httponly=True, samesite="strict", path="/")
        for name, value in HEADERS + [(b"content-security-policy", CSP.encode())]:
            response.headers[name.decode()] = value.decode()
        return response


def _plain(text: str, status: int):
    response = PlainTextResponse(text + "\n", status_code=status)
    response.headers["content-security-policy"] = CSP
    for name, value in HEADERS:
        response.headers[name.decode()] = value.decode()
    return response


async def check_csrf(request: Request) -> dict:
    """The POST's form (or JSON body) after its CSRF token was checked; 403 otherwise."""
    from starlette.exceptions import HTTPException

    lock: Lock = request.app.state.lock
    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            data = await request.json()
        except ValueError:
            data = None
        if not isinstance(data, dict):
            raise HTTPException(400, "The body must be a JSON object.")
    else:
        data = dict(await request.form())
    given = request.headers.get("x-csrf-token") or data.pop("csrf", None)
    if not lock.csrf_ok(given):
        raise HTTPException(403, "This form is missing its CSRF token (reload the page and try again).")
    return data
