"""The validation pipeline: manifests -> findings (`hdgen validate`, and the validate check of `hdgen ci`).

The stages, in order:
  cache       unchanged inputs give the last run's report, before anything is parsed (cache.py)
  read        every file into Documents; unreadable input becomes findings (hdgen.objects.reader)
  schemas     kubeconform, strict, on offline schemas, started first and run alongside
              (kubeconform.py, kubeconform_binary.py, schemas.py)
  rules       the policy rules over each group of documents (hdgen.rules)
  dry run     with --server, the API server's own dry-run (server_dry_run.py, kubeapi.py)
  report      every finding, sorted, in one Report (hdgen.report)

The one entry point is validate_targets(project, env_folders, paths, ...) (pipeline.py).
This file imports nothing: a cached `hdgen validate` imports validate.cache without
pydantic, Jinja2 or ruamel, and importing it runs this file first.
"""


def __getattr__(name: str):
    if name in ("validate_targets", "env_folders_of"):
        from hdgen.validate import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
