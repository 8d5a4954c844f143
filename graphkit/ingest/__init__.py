"""Ingest: reading report files (``formats``, ``text``, ``mappings``), normalising values (``values``),
turning rows into records (``records``, ``prepare``, ``rejects``) and writing them in batches
(``statements``, ``engine``). ``load`` is the entry point."""
from graphkit.ingest.engine import load

__all__ = ["load"]
