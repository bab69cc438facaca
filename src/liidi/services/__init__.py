"""Use cases: each public function owns exactly one transaction."""
