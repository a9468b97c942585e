"""Where a state-changing request may come from: the kiosk's own pages (whose form posts carry
``Origin: null`` under Referrer-Policy: no-referrer, with Sec-Fetch-Site: same-origin), never
another site, a sandboxed frame (a null origin from elsewhere) or a cross-site fetch."""

import pytest


@pytest.mark.parametrize("headers, status", [
    ({"Origin": "null", "Sec-Fetch-Site": "same-origin"}, 302),  # the kiosk's own form under no-referrer
    ({"Origin": "http://localhost"}, 302),
    ({}, 302),  # no browser headers at all: the token decides
    ({"Origin": "null"}, 403),  # a null origin that does not say it is the same site
    ({"Origin": "null", "Sec-Fetch-Site": "cross-site"}, 403),
    ({"Origin": "http://evil.example", "Sec-Fetch-Site": "cross-site"}, 403),
    ({"Sec-Fetch-Site": "same-site"}, 403),  # another host of the school's domain
    ({"Origin": "http://localhost", "Sec-Fetch-Site": "cross-site"}, 403),
])
def test_origin_and_fetch_site(client, headers, status):
    reply = client.post("/deliveries/", data={"source": "書店", "kind": "purchase"}, headers=headers)
    assert reply.status_code == status, reply.get_data(as_text=True)[:300]
