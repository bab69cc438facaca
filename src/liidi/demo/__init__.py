"""Demo data: a generative model of a B2B market with known hidden truth."""
