"""The render pipeline: values/ENV.yaml -> rendered/ENV/.

The stages, in order:
  values    load and merge values/defaults.yaml and values/ENV.yaml, with file:line for errors (values.py)
  model     check them against the typed model, the one description of every key (model.py)
  plan      which file comes from which template, with what context (plan.py)
  render    the templates, each document read back and normalised to canonical bytes (pipeline.py)
  tree      compare with the env folder, or replace it atomically under a lock (tree.py)
Around them, cache.py keeps whole renders keyed by every input, so an unchanged env is not rendered again.

The one entry point is render_envs(project, envs, ...) (envs.py): used by `hdgen render`,
`hdgen diff` and `hdgen ci`, so all of them share the render cache.

This file imports nothing: a cached `hdgen render` imports render.cache and render.tree
only, and importing either runs this file first.
"""


def __getattr__(name: str):
    if name in ("render_envs", "EnvRender"):
        from hdgen.render import envs

        return getattr(envs, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
