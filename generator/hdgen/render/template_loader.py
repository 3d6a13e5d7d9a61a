"""The Jinja2 loader of a render: a template's precompiled module when it is current, else its source.

Imported only when a render needs templates (a render cache hit does not), as
it imports Jinja2. See templating.py for how the modules are named and written.
"""

from __future__ import annotations

import importlib
from typing import Callable

import jinja2


class PrecompiledLoader(jinja2.BaseLoader):
    """module_of(name, source): the dotted name of the module compiled from that source."""

    def __init__(self, source_loader: jinja2.BaseLoader, module_of: Callable[[str, str], str]):
        self.source_loader = source_loader
        self.module_of = module_of

    def get_source(self, environment, name):
        return self.source_loader.get_source(environment, name)

    def list_templates(self):
        return self.source_loader.list_templates()

    def load(self, environment, name, globals=None):
        source, _, uptodate = self.get_source(environment, name)
        try:
            module = importlib.import_module(self.module_of(name, source))
        except ModuleNotFoundError:
            return super().load(environment, name, globals)  # edited since `make golden`: compile it
        template = environment.template_class.from_module_dict(environment, module.__dict__, globals or {})
        template._uptodate = uptodate
        return template
