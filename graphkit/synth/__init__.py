"""Fictional report bundles calibrated to the July 2025 figures: the plan (``plan``), names
(``names``) and the files (``write``)."""
