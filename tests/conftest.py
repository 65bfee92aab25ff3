import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"
HAVE_SHARED = (SHARED / "datasets").is_dir()
needs_shared = pytest.mark.skipif(not HAVE_SHARED, reason="../shared is absent")


@pytest.fixture
def write(tmp_path):
    """write(name, content) -> Path: text is written byte for byte (no newline translation)."""
    def _write(name: str, content) -> Path:
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            content = content.encode("utf-8")
        p.write_bytes(content)
        return p
    return _write


os.environ.setdefault("COLUMNS", "120")  # Rich reports in tests: no wrapping at 80 columns


@pytest.fixture(scope="module")
def nlp():
    """The real parsing pipeline; the test is skipped when no English model is installed."""
    from newsledger.nlp import ModelNotFound, load

    try:
        return load()
    except ModelNotFound as exc:  # pragma: no cover - set-up problem, not a behaviour
        pytest.skip(str(exc))
