"""Golden files: expected values for real pages of the seed outlets (the pages themselves
stay in the shared data; ``python -m tests.golden.regenerate`` writes the expected JSON)."""
