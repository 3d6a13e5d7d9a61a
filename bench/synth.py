"""Synthetic hdgen projects: the honeyDue values, grown to many apps in many envs.

The values model is generic over apps, so a bigger project is the real
defaults plus N generated apps in each of M envs. The three app shapes mirror
honeyDue's own: an api (Deployment, Service, HPA, PDB), a worker (Deployment)
and a web frontend (Deployment, Service).
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from hdgen.yaml.dump import dump

REPO = Path(__file__).resolve().parent.parent
SHA = "0badc0de"  # a commit SHA tag, so the strict-env rules pass


@dataclass(frozen=True)
class Scale:
    name: str
    apps: int  # generated apps per env, on top of honeyDue's four (0: the real project)
    envs: int  # generated envs (0: the real prod and staging values)


SCALES = (
    Scale("honeydue", 0, 0),
    Scale("s-40x1", 40, 1),  # one env of s-40x2: 147 resources
    Scale("s-40x2", 40, 2),
    Scale("xl-330x1", 330, 1),  # one env of xl-330x12: 1,016 resources
    Scale("m-100x5", 100, 5),
    Scale("l-200x6", 200, 6),
    Scale("xl-330x12", 330, 12),  # ~12,000 resources: the memory target's scale
)


def make_project(scale: Scale, folder: Path) -> list[str]:
    """A scratch hdgen project in folder (a git repository, values committed); returns its envs."""
    (folder / "values").mkdir(parents=True)
    shutil.copy(REPO / "hdgen.yaml", folder / "hdgen.yaml")
    (folder / "schemas").symlink_to(REPO / "schemas")
    shutil.copy(REPO / "values" / "defaults.yaml", folder / "values" / "defaults.yaml")
    if scale.envs == 0:
        envs = ["prod"]
        shutil.copy(REPO / "values" / "prod.yaml", folder / "values" / "prod.yaml")
    else:
        envs = [f"env-{number:02d}" for number in range(scale.envs)]
        for env in envs:
            (folder / "values" / f"{env}.yaml").write_text(env_values(env, scale.apps))
    (folder / ".gitignore").write_text("rendered/.*\n")
    _git(folder, "init", "-q", "-b", "main")
    return envs


def env_values(env: str, apps: int) -> str:
    """values/ENV.yaml with honeyDue's four apps and `apps` generated ones, in block YAML as people write it."""
    values: dict = {
        "registry": "gitea.treytartt.com/admin",
        "imagePullSecrets": ["gitea-registry"],
        "secrets": {"observabilityToken": {"name": "honeydue-obs", "key": "token"}},
        "config": {"APP_ENV": env, "LOG_LEVEL": "info", "PUBLIC_WEB_URL": f"https://{env}.example.com"},
        "apps": {
            "api": {"image": {"tag": SHA}, "autoscaling": {"minReplicas": 3, "maxReplicas": 6},
                    "disruptionBudget": {"maxUnavailable": 1}},
            "worker": {"image": {"tag": SHA}, "replicas": 2},
            "admin": {"image": {"tag": SHA}, "replicas": 1},
            "web": {"image": {"tag": SHA}, "replicas": 2},
        },
        "redis": {"image": {"allowMutableTag": True}},
        "ingress": {"tlsSecret": "honeydue-tls", "routes": [{"host": f"api.{env}.example.com", "app": "api"}]},
        "observability": {
            "image": {"allowMutableTag": True},
            "remoteWriteUrl": "https://metrics.example.com/api/v1/write",
            "externalLabels": {"env": env},
        },
        "gitops": {"agent": "argocd", "repoUrl": "https://git.example.com/deploy.git", "revision": "main"},
    }
    for number in range(apps):
        shape = ("api", "worker", "web")[number % 3]
        name = f"{shape}-{number:03d}"
        values["apps"][name] = _app(shape, number)
        if shape != "worker":
            values["ingress"]["routes"].append({"host": f"{name}.{env}.example.com", "app": name})
    return dump(values)


def _app(shape: str, number: int) -> dict:
    resources = {"requests": {"cpu": f"{50 + number % 200}m", "memory": "128Mi"}, "limits": {"memory": "256Mi"}}
    http = {"readiness": {"httpGet": {"path": "/ready"}, "periodSeconds": 5},
            "liveness": {"httpGet": {"path": "/healthz"}, "periodSeconds": 15}}
    if shape == "api":
        return {
            "component": "api", "image": {"tag": SHA}, "containerPort": 8000, "servicePort": 80,
            "coldBootSeconds": 60,
            "probes": {**http, "startup": {"httpGet": {"path": "/healthz"}, "periodSeconds": 10, "failureThreshold": 12}},
            "autoscaling": {"minReplicas": 2, "maxReplicas": 8, "targetCpuUtilization": 75},
            "disruptionBudget": {"maxUnavailable": 1},
            "env": {"SERVICE_NAME": f"svc-{number}", "FEATURE_FLAGS": "a,b,c"},
            "metrics": {"port": 8000},
            "resources": resources,
            "drainSeconds": 10, "shutdownSeconds": 15,
        }
    if shape == "worker":
        return {
            "component": "worker", "image": {"tag": SHA}, "replicas": 2, "command": ["/app/worker"],
            "args": ["--queue", f"q{number}"],
            "probes": {"liveness": {"exec": ["/app/worker", "healthcheck"], "periodSeconds": 30}},
            "resources": resources,
        }
    return {
        "component": "frontend", "image": {"tag": SHA}, "containerPort": 8080, "servicePort": 80,
        "replicas": 2, "useSecrets": False, "probes": http, "resources": resources,
        "drainSeconds": 10, "shutdownSeconds": 5,
    }


def commit_all(folder: Path, message: str) -> None:
    _git(folder, "add", "-A")
    _git(folder, "-c", "user.name=bench", "-c", "user.email=bench@example.com", "commit", "-q", "-m", message)


def _git(folder: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=folder, check=True, stdout=subprocess.DEVNULL)


# The repository's envs with what the bench's scales never hold (issue 17): a migration, a canary and
# a hand-written object, on Argo CD (prod) and on Flux (staging). `make bench` checks that helm
# renders these too; nothing is timed on them.
ROLLOUT_CANARY_TAG = "a1b2c3d"
MIDDLEWARE = """\
apiVersion: traefik.io/v1alpha1
kind: Middleware
metadata:
  name: security-headers
spec:
  headers:
    stsSeconds: 31536000
    contentTypeNosniff: true
"""


def make_rollout_project(folder: Path) -> list[str]:
    """A scratch copy of the repository's project whose envs run a migration (api), a canary (web) and an extra."""
    from hdgen.yaml.read import load_data

    envs = ["prod", "staging"]
    (folder / "values" / "extra" / "prod").mkdir(parents=True)
    shutil.copy(REPO / "hdgen.yaml", folder / "hdgen.yaml")
    (folder / "schemas").symlink_to(REPO / "schemas")
    shutil.copy(REPO / "values" / "defaults.yaml", folder / "values" / "defaults.yaml")
    for env in envs:
        values = load_data((REPO / "values" / f"{env}.yaml").read_text())
        apps = values.setdefault("apps", {})
        apps.setdefault("api", {})["migration"] = {"command": ["/app/api", "migrate"]}
        apps.setdefault("web", {})["canary"] = {"image": {"tag": ROLLOUT_CANARY_TAG}, "weight": 10}
        (folder / "values" / f"{env}.yaml").write_text(dump(values))
    (folder / "values" / "extra" / "prod" / "middleware.yaml").write_text(MIDDLEWARE)
    _git(folder, "init", "-q", "-b", "main")
    return envs
