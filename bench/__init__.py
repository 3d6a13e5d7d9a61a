"""hdgen's benchmark harness (`make bench`): not part of the package, not a test."""
