"""Shared operators: clustering accounts by the identifiers and channels they share (``clustering``)."""
