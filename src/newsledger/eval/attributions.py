"""`newsledger eval attributions`: PolNeAR scoring in-process, with error analysis."""
from __future__ import annotations


def main(data: str, split: str = "dev", limit: int | None = None, json_out: str | None = None) -> dict:
    raise NotImplementedError
