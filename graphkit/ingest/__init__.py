"""Ingest: reading report files (``formats``, ``text``, ``mappings``), normalising values (``values``,
``dates``), turning rows into records (``records``, ``prepare``, ``row_refs``, ``rejects``) and
writing them in batches (``engine`` with ``plan``, ``pipeline``, ``reports``, ``summary``;
``statements`` built from ``clauses``). ``load`` is the entry point."""
from graphkit.ingest.engine import load

__all__ = ["load"]
