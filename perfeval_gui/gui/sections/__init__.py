"""Section tabs, built from data: which figures, tables and narrative slots each tab shows."""
from .tab import AppendixTab, SectionTab, build_tabs, short_title  # noqa: F401
