"""The trust center's check engine: plain Python (no Django), to benchmark, fuzz and reuse."""

from .config import EngineConfig
from .engine import CheckEngine
from .result import CheckResult, Finding, MessageTooLarge

__all__ = ["CheckEngine", "CheckResult", "EngineConfig", "Finding", "MessageTooLarge"]
