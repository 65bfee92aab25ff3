"""newsledger: news articles in, a ledger of who said what, which figures and when, out."""
__version__ = "0.1.0"

__all__ = ["analyze", "analyze_articles", "Ledger", "Entity", "Attribution", "__version__"]

# Imported on first use (PEP 562): `newsledger --help` and `newsledger info` need neither spaCy nor
# the tagger, and importing the pipeline brings both.
_LAZY = {"analyze": "pipeline", "analyze_articles": "pipeline",
         "Ledger": "ledger", "Entity": "ledger", "Attribution": "ledger"}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib
        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
