"""Widgets: thin ipywidgets views over the domain layer (one module per widget)."""

from .classifier import VignetteClassifier
from .drafter import InterventionDrafter
from .inventory import InventoryMapper
from .simulator import SessionSimulator
from .symptoms import SymptomTracker
from .timeline import MoodTimeline
from .transcript import TranscriptCoder

__all__ = [
    "InterventionDrafter",
    "InventoryMapper",
    "MoodTimeline",
    "SessionSimulator",
    "SymptomTracker",
    "TranscriptCoder",
    "VignetteClassifier",
]
