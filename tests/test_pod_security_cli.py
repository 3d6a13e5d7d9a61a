"""HD017 through the real CLI: `hdgen validate FILE` fails a Deployment that runs as root without
seccomp or dropped capabilities and names each missing field on its own line (issue 16, done-when);
a project on baseline lowers the level in hdgen.yaml; `hdgen rules` shows the hardening rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from hdgen.rules import RULES
from hdgen.rules._shared.docs import full_doc
from tests.conftest import run_hdgen

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
"""
ROOT_DEPLOYMENT = DEPLOYMENT + """\
      containers:
      - name: api
        image: registry.example/api:1.0.0
        securityContext:
          runAsUser: 0
"""
HARDENED_DEPLOYMENT = DEPLOYMENT + """\
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
        seccompProfile: {type: RuntimeDefault}
      containers:
      - name: api
        image: registry.example/api:1.0.0
        securityContext:
          allowPrivilegeEscalation: false
          capabilities: {drop: [ALL]}
"""

PATH = "spec.template.spec.containers[0].securityContext"
TAIL = "[Deployment shop/api]"
# Line 12 is the container's securityContext (the missing fields belong under it), 13 its runAsUser.
EXPECTED = [
    f"api.yaml:12: error HD017 {PATH}.allowPrivilegeEscalation: container 'api' does not set "
    f"allowPrivilegeEscalation: false (Pod Security restricted: allowPrivilegeEscalation != false) {TAIL}",
    f"api.yaml:12: error HD017 {PATH}.capabilities.drop: container 'api' keeps the default capabilities: "
    f"set capabilities.drop: [ALL] (Pod Security restricted: unrestricted capabilities) {TAIL}",
    f"api.yaml:12: error HD017 {PATH}.runAsNonRoot: container 'api' may run as root: set runAsNonRoot: true "
    f"here or in spec.template.spec.securityContext.runAsNonRoot (Pod Security restricted: runAsNonRoot != true) {TAIL}",
    f"api.yaml:12: error HD017 {PATH}.seccompProfile: container 'api' has no seccomp profile: set "
    f"seccompProfile.type: RuntimeDefault here or in spec.template.spec.securityContext.seccompProfile "
    f"(Pod Security restricted: seccompProfile) {TAIL}",
    f"api.yaml:13: error HD017 {PATH}.runAsUser: container 'api' runs as user 0 (root): set a non-zero "
    f"runAsUser, or leave it to the image (Pod Security restricted: runAsUser=0) {TAIL}",
]


@pytest.fixture
def bare(project: Path) -> Path:
    """A scratch project with no hdgen.yaml: every rule at its default level."""
    (project / "hdgen.yaml").unlink()
    return project


def _validate(folder: Path, text: str, *args: str):
    (folder / "api.yaml").write_text(text)
    return run_hdgen("validate", "api.yaml", *args, cwd=folder)


def test_a_root_deployment_fails_naming_each_missing_field(bare: Path):
    result = _validate(bare, ROOT_DEPLOYMENT)
    assert result.code == 1, result.out + result.err
    assert [line for line in result.out.splitlines() if " HD017 " in line] == EXPECTED


def test_only_hd017_gives_exactly_those_lines_and_the_summary(bare: Path):
    result = _validate(bare, ROOT_DEPLOYMENT, "--rules", "HD017")
    assert result.code == 1, result.err
    assert result.out.splitlines() == [*EXPECTED, "hdgen validate: 5 errors (1 resource in 1 file)"]


def test_the_hardened_deployment_passes(bare: Path):
    result = _validate(bare, HARDENED_DEPLOYMENT, "--rules", "HD017")
    assert (result.code, result.err) == (0, "")
    assert result.out == "hdgen validate: no findings (1 resource in 1 file)\n"


def test_a_project_on_baseline_lowers_the_level_in_hdgen_yaml(project: Path):
    (project / "hdgen.yaml").write_text("rules:\n  HD017: {level: warning}   # namespaces enforce baseline\n")
    result = _validate(project, ROOT_DEPLOYMENT, "--rules", "HD017")
    assert result.code == 0, result.out + result.err
    assert result.out.splitlines() == [
        *(line.replace(": error HD017 ", ": warning HD017 ") for line in EXPECTED),
        "hdgen validate: 5 warnings (1 resource in 1 file)",
    ]


def test_an_opt_out_with_a_reason_skips_the_workload(bare: Path):
    reason = '  annotations: {hdgen.io/ignore-HD017: "node agent: runs in the privileged namespace"}\n'
    text = ROOT_DEPLOYMENT.replace("metadata: {name: api, namespace: shop}\n", "metadata:\n  name: api\n  namespace: shop\n" + reason)
    result = _validate(bare, text, "--rules", "HD017,HD016")
    assert (result.code, result.out) == (0, "hdgen validate: no findings (1 resource in 1 file)\n"), result.err


def test_rules_lists_the_hardening_rules_with_their_default_levels(tmp_path: Path):
    result = run_hdgen("rules", cwd=tmp_path)  # no hdgen.yaml: the defaults
    assert result.code == 0, result.err
    levels = {line.split()[0]: line.split()[1:3] for line in result.out.splitlines()}
    assert {rule: levels[rule] for rule in ("HD017", "HD018", "HD019", "HD020", "HD021", "HD022")} == {
        "HD017": ["error", "pod-security-restricted"],
        "HD018": ["warning", "prestop-drain"],
        "HD019": ["warning", "spread-replicas"],
        "HD020": ["warning", "pdb-unhealthy-eviction"],
        "HD021": ["warning", "statefulset-headless-service"],
        "HD022": ["error", "ingress-tls"],
    }


def test_rules_hd017_prints_its_documentation():
    result = run_hdgen("rules", "HD017")
    assert result.code == 0, result.err
    assert result.out.startswith("HD017 pod-security-restricted (default level: error)\n\n")
    assert full_doc(RULES["HD017"]) in result.out
    for field in ("runAsNonRoot", "seccompProfile", "allowPrivilegeEscalation", "capabilities.drop", "hostPath"):
        assert field in result.out
    assert "HD017: {level: warning}" in result.out  # how a project on baseline lowers it
