"""Where an hdgen project lives on disk: values/, rendered/, schemas/."""

from __future__ import annotations

import re
from collections import namedtuple
from pathlib import Path

from hdgen.errors import InputError

DEFAULTS_NAME = "defaults"  # values/defaults.yaml: merged under every env
SETTINGS_FILE = "hdgen.yaml"  # the rules' and validation's settings (hdgen.settings), at the project root
EXTRA_DIR = "extra"  # values/extra/ENV/ in, rendered/ENV/extra/ out: objects hdgen does not model
AGENT_DIR = "_gitops"  # rendered/_gitops/<env>/: the GitOps agent's objects, outside the folder it applies
ENV_NAME = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")


# A named tuple, not a dataclass: the record style and its reason are in hdgen.objects.record.
class Project(namedtuple("Project", "root")):  # root: Path, the folder that holds values/
    __slots__ = ()

    @property
    def values_dir(self) -> Path:
        return self.root / "values"

    @property
    def rendered_dir(self) -> Path:
        return self.root / "rendered"

    def agent_dir(self, env: str) -> Path:
        return self.rendered_dir / AGENT_DIR / env

    @property
    def schemas_dir(self) -> Path:
        return self.root / "schemas"

    def envs(self) -> list[str]:
        """Every env that has a values file, sorted."""
        names = (p.stem for p in self.values_dir.glob("*.yaml"))
        return sorted(n for n in names if n != DEFAULTS_NAME and ENV_NAME.match(n))

    def check_env(self, env: str) -> str:
        """Return env if it is a known env name; raise naming the known ones."""
        known = self.envs()
        if env in known:
            return env
        listed = ", ".join(known) or "none"
        if not ENV_NAME.match(env):
            raise InputError(
                f"invalid env name {env!r}: use lowercase letters, digits and '-' "
                f"(known envs: {listed})"
            )
        raise InputError(f"unknown env {env!r}: no values/{env}.yaml (known envs: {listed})")

    def values_files(self, env: str) -> list[Path]:
        """The files merged for env, lowest precedence first."""
        files = [self.values_dir / f"{DEFAULTS_NAME}.yaml", self.values_dir / f"{env}.yaml"]
        return [f for f in files if f.is_file()]

    def extra_dir(self, env: str) -> Path:
        """values/extra/ENV: hand-written manifests rendered into rendered/ENV/extra/ (render/extra.py)."""
        return self.values_dir / EXTRA_DIR / env

    def extra_files(self, env: str) -> list[Path]:
        """The env's hand-written manifests (*.yaml, *.yml directly in its folder), sorted by name."""
        folder = self.extra_dir(env)
        if not folder.is_dir():
            return []
        found = [p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and not p.name.startswith(".")]
        return sorted((p for p in found if p.is_file()), key=lambda p: p.name)

    def relative(self, path: Path) -> str:
        """A path as the user should read it: relative to the project root when inside."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(path)


def find_project(start: Path | None = None) -> Project:
    """The nearest folder at or above start that holds a values/ folder."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "values").is_dir():
            return Project(folder)
    raise InputError(
        f"no values/ folder in {here} or any parent: run hdgen inside an hdgen project or pass -C DIR"
    )
