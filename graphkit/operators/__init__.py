"""Shared operators: weighted evidence (``evidence``), clusters that do not chain (``clustering``),
coordination from posts (``coordination``) and the analyst's review (``review``). docs/operators.md."""
