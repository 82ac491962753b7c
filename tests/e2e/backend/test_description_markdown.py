"""App and Service Description markdown through the real API: every known way of smuggling
a script link is a 400 naming the field, and nothing is stored."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.e2e.backend.conftest import TEST_APP, Backend
from tests.unit.test_markdown_links import REFUSED


def _refused(resp: httpx.Response, field: str) -> None:
    assert resp.status_code == 400, resp.text
    body = resp.json()
    assert body["field"] == field and "not allowed" in body["message"], body


@pytest.mark.parametrize("case", ["nested brackets", "decimal entity", "mixed case",
                                  "entity tab inside", "autolink", "reference link",
                                  "unused reference", "image", "raw html inline"])
def test_descriptions_with_script_links_are_refused(backend: Backend, case: str,
                                                    quiet_session: dict[str, Any]) -> None:
    before = backend.snapshot()
    auth = quiet_session["auth"]
    bad = {"en": f"Fine text.\n\n{REFUSED[case]}"}
    with httpx.Client(base_url=backend.url, timeout=30) as c:
        _refused(c.put(f"/v3/apps/{TEST_APP}", auth=auth,
                       json={"name": {"en": "Test"}, "description": bad}), "description.en")
        recipe = {"description": {"title": {"en": "R"}, "description": bad}, "actions": []}
        _refused(c.put(f"/v3/apps/{TEST_APP}/services/r1/recipe", auth=auth, json=recipe),
                 "description.description.en")
    assert backend.snapshot() == before


def test_a_description_with_safe_links_is_stored(backend: Backend,
                                                 quiet_session: dict[str, Any]) -> None:
    auth = quiet_session["auth"]
    text = "See [terms](https://example.com/t), <mailto:help@example.com> and [r][]\n\n" \
           "[r]: http://example.com/r"
    with httpx.Client(base_url=backend.url, timeout=30) as c:
        current = c.get(f"/v3/apps/{TEST_APP}", headers=backend.device())
        assert current.status_code == 200, current.text
        resp = c.put(f"/v3/apps/{TEST_APP}", auth=auth,
                     json={"name": {"en": "Test"}, "description": {"en": text}})
        assert resp.status_code in (200, 201, 204), resp.text
        got = c.get(f"/v3/apps/{TEST_APP}", headers=backend.device()).json()
    assert got["description"] == {"en": text}
