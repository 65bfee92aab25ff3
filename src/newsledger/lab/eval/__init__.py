"""Evaluation harnesses (`newsledger eval ...`)."""
from __future__ import annotations

import json
from typing import Callable, Optional

from rich.console import Console


def print_and_save(res: dict, report: Callable[[dict, Console, int], None], examples: int,
                   json_out: Optional[str]) -> dict:
    """Print a harness's report (wide enough to read when piped) and write its figures as JSON."""
    console = Console(highlight=False)
    if not console.is_terminal:
        console.width = max(console.width, 160)
    report(res, console, examples)
    if json_out:
        with open(json_out, "w", encoding="utf-8") as f:
            json.dump(res, f, indent=1, ensure_ascii=False)
    return res
