"""The review pipeline: what a change does to the cluster (`hdgen diff`, and the diff check of `hdgen ci`).

The stages, in order:
  base        the committed rendered/ENV at a git ref (the merge base by default) (base.py)
  head        a fresh render, from the render pipeline's entry point and so its cache (hdgen.render)
  match       objects paired by identity, field-level changes (semantic.py)
  references  which object names which (references.py)
  impact      what each change does on apply: restart, recreate, refused (impact.py)
  redact      every value hidden before any writer sees it (redact.py)
  write       text and json (writers.py), markdown for a PR comment (markdown.py, forge.py)

The one entry point is build_review(project, env, base_ref) (review.py).
This file imports nothing, so importing one stage does not import the others.
"""


def __getattr__(name: str):
    if name in ("build_review", "DiffReport"):
        from hdgen.diff import review

        return getattr(review, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
