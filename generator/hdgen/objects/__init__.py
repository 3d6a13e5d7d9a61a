"""Kubernetes objects as hdgen reads them: the records, and the readers that make them.

The stages, in order: find the manifest files of the paths given (reader.manifest_files),
read each into records with their lines (reader.load_file, or reader.load_contents for
files that are not on disk: diff's base out of git, a cached render), each record one
Kubernetes object (record.py; workload kinds and their pod templates in kinds.py).
Used by render, validate, the rules and diff. This file imports nothing, so each reader stays as light as it is.
"""
