"""The HTTP API and the web pages over the same core as the CLI: `create_app(store)` (a URL or an open Store)."""
from __future__ import annotations

from .api import create_app

__all__ = ["create_app"]
