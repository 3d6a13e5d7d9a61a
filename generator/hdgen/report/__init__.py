"""Finding reports: one Report of a validation run, and the writers that format it.

One stage: a Report (findings, counts, rule descriptions) goes to the writer chosen
by --format (writers.py: writer(name)). The entry point is writer(name)(report).
This file imports nothing: a cached `hdgen validate` reads Report from writers.py directly.
"""
