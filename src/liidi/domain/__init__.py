"""Pure domain model: no I/O, standard library only."""
