"""Fixtures of the app unit tests."""

from tests.helpers.scripted_http import serve  # noqa: F401 (the scripted HTTP server)
