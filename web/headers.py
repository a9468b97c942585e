"""What every answer tells the browser about itself, for a kiosk on a school LAN.

- A Content-Security-Policy that lets a page run only the kiosk's own script files (no inline
  script, no inline event handler, no ``javascript:`` link, no eval), load only its own styles,
  images and fonts, talk only to the kiosk, and never be framed by another site. The one
  addition is ``'wasm-unsafe-eval'``: it lets the kiosk's own WebAssembly (the camera scanner's
  bundled barcode decoder, web/static/vendor/barcode-detector) be compiled; JavaScript eval
  stays refused.
- A Permissions-Policy: the camera for the kiosk's own pages (the camera scanner), no
  microphone, no location.
- No referrer (a URL with a registration number stays on the kiosk), no MIME sniffing.
- The session cookie HttpOnly and SameSite=Strict always, and Secure when the page was served
  over TLS (directly, or by a reverse proxy that says so, see ``KIOSK_BEHIND_PROXY``).
"""

import os

from flask import Flask, Response, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'none'",
    "script-src 'self' 'wasm-unsafe-eval'",  # the camera's barcode decoder is WebAssembly; eval stays refused
    "style-src 'self'",
    "img-src 'self'",
    "font-src 'self'",
    "connect-src 'self'",
    "media-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
))
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
    # the camera scanner's pages (and only the kiosk's own) may ask for the camera; nothing else
    "Permissions-Policy": "camera=(self), microphone=(), geolocation=()",
}


class SessionOverTls(SecureCookieSessionInterface):
    """The session cookie is Secure exactly when the page came over TLS: a kiosk on
    http://localhost still signs in, one behind an HTTPS proxy never sends it in the clear."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return request.is_secure or super().get_cookie_secure(app)


def install(app: Flask) -> None:
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Strict")
    app.session_interface = SessionOverTls()
    if os.environ.get("KIOSK_BEHIND_PROXY") == "1":
        # One reverse proxy in front (see README, "On the school LAN"): trust its
        # X-Forwarded-For/-Proto/-Host, so request.is_secure is true behind HTTPS.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
    app.after_request(add_headers)


def add_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response
