"""Mirror accounts: handle and name look-alikes (``lookalike``), pair signals and scores (``signals``),
blocking, detection and the analyst's review (``detect``)."""
