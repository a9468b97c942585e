"""The answers' security headers, and proof that the CSP is enforced in Chromium (so that the
CSP check every browser test makes, tests/csp_watch.py, can fail)."""

import re

import httpx
import pytest

from tests import csp_watch
from web import create_app


def test_every_answer_carries_the_headers(live_kiosk):
    for path in ("/", "/deliveries/new", "/copies/", "/no-such-page", "/static/kiosk.css"):
        answer = httpx.get(live_kiosk.url + path)
        policy = answer.headers["Content-Security-Policy"]
        assert "script-src 'self' 'wasm-unsafe-eval';" in policy  # the camera's decoder, and no other source
        assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
        assert answer.headers["Permissions-Policy"] == "camera=(self), microphone=(), geolocation=()"
        assert "frame-ancestors 'none'" in policy and "default-src 'none'" in policy
        assert answer.headers["Referrer-Policy"] == "no-referrer"
        assert answer.headers["X-Content-Type-Options"] == "nosniff"


def test_the_session_cookie_is_httponly_strict_and_not_secure_over_plain_http(live_kiosk):
    answer = httpx.get(live_kiosk.url + "/")
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Secure" not in cookie


@pytest.mark.parametrize("backend", ["sqlite"])
def test_behind_a_tls_proxy_the_session_cookie_is_secure(database_url, monkeypatch, tmp_path):
    from kiosk.library import create_library

    monkeypatch.setenv("KIOSK_BEHIND_PROXY", "1")
    monkeypatch.setenv("KIOSK_SAMPLE_CATALOGUE", str(tmp_path / "none.tsv"))
    app = create_app(database_url, {"SECRET_KEY": "t", "LOOKUP_OFFLINE": True})
    with app.extensions["kiosk_db"].write() as session:
        create_library(session, "ひまわり小学校図書館", actor="t")
    client = app.test_client()
    over_tls = client.get("/", headers={"X-Forwarded-Proto": "https"}).headers["Set-Cookie"]
    assert re.search(r"; Secure", over_tls) and "HttpOnly" in over_tls
    app.extensions["kiosk_db"].dispose()


def test_an_inline_script_is_refused_and_the_watch_sees_it(browser, live_kiosk):
    @live_kiosk.app.get("/csp-probe")
    def probe():
        return ('<!doctype html><title>probe</title><script>document.title = "ran"</script>'
                '<a href="javascript:void(0)" id="js-link">x</a>')

    context = browser.new_context()
    page = context.new_page()
    violations = csp_watch.watch(page)
    page.goto(live_kiosk.url + "/csp-probe")
    page.click("#js-link")
    page.wait_for_timeout(200)
    title = page.title()
    context.close()
    assert title == "probe"  # the inline script did not run
    assert len(violations) >= 2 and all("Content Security Policy" in v for v in violations)
    with pytest.raises(AssertionError, match="broke its Content-Security-Policy"):
        csp_watch.assert_none(violations)


def test_wasm_may_compile_but_eval_stays_refused(browser, live_kiosk):
    """'wasm-unsafe-eval' (the camera's decoder) must not open the door to JavaScript eval."""
    @live_kiosk.app.get("/csp-eval-probe")
    def eval_probe_page():
        return '<!doctype html><title>probe</title><script src="/csp-eval-probe.js"></script>'

    @live_kiosk.app.get("/csp-eval-probe.js")
    def eval_probe_script():
        return ("var wasm = false; try { new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])); "
                "wasm = true; } catch (e) {} "
                "try { eval('1'); document.title = wasm ? 'wasm, eval' : 'eval'; } "
                "catch (e) { document.title = wasm ? 'wasm, no eval' : 'no wasm, no eval'; }",
                200, {"Content-Type": "text/javascript"})

    context = browser.new_context()
    page = context.new_page()
    page.goto(live_kiosk.url + "/csp-eval-probe")
    page.wait_for_timeout(200)
    title = page.title()
    context.close()
    assert title == "wasm, no eval"
