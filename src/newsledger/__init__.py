"""newsledger: news articles in, a ledger of who said what, which figures and when, out."""
__version__ = "0.1.0"

from .pipeline import analyze, analyze_articles  # noqa: E402
from .ledger import Attribution, Entity, Ledger  # noqa: E402

__all__ = ["analyze", "analyze_articles", "Ledger", "Entity", "Attribution", "__version__"]
