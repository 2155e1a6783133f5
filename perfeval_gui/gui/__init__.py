"""Widgets only (PySide6)."""
