"""Implicit-feedback recommender for product carousels."""

__version__ = "0.4.2"
