"""liidi: the open lead-to-revenue engine."""

__version__ = "0.1.0"
