"""`python -m liidi` runs the CLI."""

from liidi.cli import main

main()
