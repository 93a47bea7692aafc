"""The 错敏 lexicon: its entries (built-in and content/lexicon.yml), the text readers see, and the matcher."""

from .entries import FILE_NAME, Forbidden, Lexicon, Person, Replacement, Tenure, load_lexicon
from .matching import CrowdedHit, Hit, Matcher, TitleHit, WordHit
from .visible import Visible, visible

__all__ = [
    "CrowdedHit", "FILE_NAME", "Forbidden", "Hit", "Lexicon", "Matcher", "Person", "Replacement", "Tenure", "TitleHit", "Visible",
    "WordHit", "load_lexicon", "visible",
]
