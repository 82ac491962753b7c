"""app.httpsetup: the cookie jar that keeps nothing and the URLs parsed once."""

from __future__ import annotations

import httpx

from app.client import BackendClient
from app.httpsetup import absolute_url


async def test_a_cookie_the_backend_sets_is_never_sent_back() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=["app"], headers={"Set-Cookie": "sid=abc; Path=/"})

    async with BackendClient("http://backend.test", "t",
                             transport=httpx.MockTransport(handler)) as client:
        assert await client.list_apps() == ["app"]
        assert await client.list_apps() == ["app"]
    assert len(seen) == 2 and "cookie" not in seen[1].headers
    assert seen[1].headers["authorization"] == "Bearer t"  # the token is what authenticates


def test_absolute_url_joins_base_and_path_and_is_shared() -> None:
    url = absolute_url("http://127.0.0.1:8080", "/v3/connector/json")
    assert str(url) == "http://127.0.0.1:8080/v3/connector/json"
    assert absolute_url("http://127.0.0.1:8080", "/v3/connector/json") is url
    with_query = absolute_url("http://127.0.0.1:8080", "/v3/apps?states=published")
    assert with_query.path == "/v3/apps" and with_query.params["states"] == "published"
