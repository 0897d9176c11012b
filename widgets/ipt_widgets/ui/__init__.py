"""Widgets: thin ipywidgets views over the domain layer (one module per widget)."""

from .classifier import VignetteClassifier

__all__ = ["VignetteClassifier"]
