"""Kubernetes objects as hdgen reads them: the records, and the readers that make them.

The stages, in order: read files and folders into records with their lines (reader.py,
record.py), or a git tree's files into manifests (manifestfiles.py, manifest.py).
Used by validate, the rules and diff; the entry point is reader.manifest_files(...) then
reader.load_file(...). This file imports nothing, so each reader stays as light as it is.
"""
