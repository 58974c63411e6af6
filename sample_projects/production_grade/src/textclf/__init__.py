"""textclf: a small, typed text-classification library and HTTP service."""

from textclf.config import AppConfig, load_config
from textclf.model import Classifier

__all__ = ["AppConfig", "Classifier", "load_config"]
__version__ = "1.2.0"
