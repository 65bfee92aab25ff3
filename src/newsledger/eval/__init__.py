"""Evaluation harnesses (`newsledger eval ...`)."""
