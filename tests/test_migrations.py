"""apps.<name>.migration: a Job with the app's image that runs before the app's new pods (issue 17, item 1).

Rendered in process on a scratch copy of values/ (tests/rollout_values.py); the agent wiring is
checked for both agents: prod is Argo CD, staging is Flux.
"""

from __future__ import annotations

import re
import subprocess

import pytest
import yaml

from hdgen.render.plan import checksum
from tests.rollout_values import (
    CANARY_TAG,
    MIGRATION,
    agent,
    objects,
    one,
    pod_labels,
    render,
    replace,
    scratch,
    with_canary,
    with_migration,
)
from tests.test_kustomize import kustomize

JOB_NAME = re.compile(r"^api-migrate-[0-9a-f]{7}$")


def job(tree) -> dict:
    (found,) = objects(tree, "Job")
    return found


def test_the_shipped_envs_run_no_migration_job() -> None:
    """The runbook names no migrate command (migrations run in the api's boot): prod and staging declare none."""
    from tests.test_tree_invariants import rendered

    for env in ("prod", "staging"):
        assert objects(rendered(env), "Job") == []
        assert not any(m.file.startswith("migrations/") for m in rendered(env).manifests)


@pytest.mark.parametrize("env", ["prod", "staging"])
def test_the_job_runs_the_apps_container_with_the_migration_command(tmp_path, env: str) -> None:
    root = scratch(tmp_path)
    with_migration(root, env)
    tree = render(root, env)
    body = job(tree)
    assert tree.files["migrations/api.yaml"] == next(m.text for m in tree.manifests if m.kind == "Job")
    assert JOB_NAME.match(body["metadata"]["name"])
    app = one(tree, "Deployment", "api")["spec"]["template"]["spec"]
    pod = body["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    (app_container,) = app["containers"]
    assert container["command"] == ["/app/api", "migrate"]
    for key in ("image", "imagePullPolicy", "envFrom", "resources", "securityContext"):
        assert container[key] == app_container[key], key
    assert container.get("env") == app_container.get("env")
    for key in ("nodeSelector", "imagePullSecrets", "automountServiceAccountToken", "terminationGracePeriodSeconds",
                "securityContext", "serviceAccountName"):
        assert pod.get(key) == app.get(key), key
    assert not {"ports", "readinessProbe", "livenessProbe", "startupProbe"} & set(container)
    assert pod["restartPolicy"] == "Never"
    spec = body["spec"]
    assert spec["backoffLimit"] == 0 and spec["activeDeadlineSeconds"] == 600
    # A TTL would delete the Job, and the agent would create (and run) it again.
    assert "ttlSecondsAfterFinished" not in spec
    assert body["metadata"]["annotations"]["hdgen.io/migration-of"] == "api"


def test_the_name_is_a_hash_of_the_pod_template_so_a_new_image_runs_again_and_the_same_one_never(tmp_path) -> None:
    root = scratch(tmp_path)
    with_migration(root, "prod")
    first = job(render(root, "prod"))
    assert first["metadata"]["name"] == f"api-migrate-{checksum(first['spec']['template'])[:7]}"

    replace(root, "prod", "LOG_LEVEL: info", "LOG_LEVEL: warn")  # config only: the pods roll, no migration
    assert job(render(root, "prod")) == first
    replace(root, "prod", "LOG_LEVEL: warn", "LOG_LEVEL: info")

    replace(root, "prod", '  api:\n    image: {tag: "d3708e6"}', '  api:\n    image: {tag: "0badc0d"}')
    bumped = job(render(root, "prod"))
    assert bumped["metadata"]["name"] != first["metadata"]["name"]
    assert bumped["spec"]["template"]["spec"]["containers"][0]["image"].endswith(":0badc0d")

    replace(root, "prod", "command: [/app/api, migrate]", "command: [/app/api, migrate, --verbose]")
    assert job(render(root, "prod"))["metadata"]["name"] not in (first["metadata"]["name"], bumped["metadata"]["name"])


def test_with_a_canary_the_migration_runs_the_canarys_image_and_promoting_it_runs_nothing_again(tmp_path) -> None:
    root = scratch(tmp_path)
    with_migration(root, "prod")
    with_canary(root, "prod")
    during = job(render(root, "prod"))
    assert during["spec"]["template"]["spec"]["containers"][0]["image"].endswith(f":{CANARY_TAG}")
    # The promotion: the app takes the canary's image, the canary goes.
    replace(root, "prod", f'    canary:\n      image: {{tag: "{CANARY_TAG}"}}\n      weight: 10\n', "")
    replace(root, "prod", '  api:\n    image: {tag: "d3708e6"}', f'  api:\n    image: {{tag: "{CANARY_TAG}"}}')
    assert job(render(root, "prod")) == during


def test_no_selector_of_the_app_picks_the_jobs_pod(tmp_path) -> None:
    """A PDB over a pod whose controller cannot scale blocks node drains; a Service would route to it."""
    root = scratch(tmp_path)
    with_migration(root, "prod")
    tree = render(root, "prod")
    labels = pod_labels(job(tree))
    assert labels["app.kubernetes.io/name"] == "api-migrate"
    assert labels["app.kubernetes.io/component"] == "migration"
    for body in objects(tree):
        spec = body.get("spec") or {}
        selector = spec.get("selector") if body["kind"] == "Service" else (spec.get("selector") or {}).get("matchLabels")
        if body["kind"] in ("Service", "PodDisruptionBudget", "Deployment", "StatefulSet") and selector:
            assert not all(labels.get(k) == v for k, v in selector.items()), f"{body['kind']}/{body['metadata']['name']}"


def test_argocd_runs_the_job_and_the_config_in_the_wave_before_every_deployment(tmp_path) -> None:
    root = scratch(tmp_path)
    with_migration(root, "prod")
    tree = render(root, "prod")
    wave = "argocd.argoproj.io/sync-wave"
    assert job(tree)["metadata"]["annotations"][wave] == "-1"
    assert one(tree, "ConfigMap", "honeydue-config")["metadata"]["annotations"] == {wave: "-1"}
    for body in objects(tree):
        if body["kind"] not in ("Job", "ConfigMap"):
            assert wave not in (body["metadata"].get("annotations") or {}), body["metadata"]["name"]
    listed = yaml.safe_load(tree.files["kustomization.yaml"])["resources"]
    assert "migrations/api.yaml" in listed and "migrations/kustomization.yaml" not in tree.files
    # Not a PreSync hook: hooks run again on every sync, a config change included.
    assert "argocd.argoproj.io/hook" not in job(tree)["metadata"]["annotations"]


def test_without_a_migration_nothing_is_in_a_wave() -> None:
    from tests.test_tree_invariants import rendered

    assert "annotations" not in one(rendered("prod"), "ConfigMap", "honeydue-config")["metadata"]


def test_flux_applies_the_job_with_its_own_kustomization_that_the_envs_depends_on(tmp_path) -> None:
    root = scratch(tmp_path)
    with_migration(root, "staging")
    tree = render(root, "staging")
    listed = yaml.safe_load(tree.files["kustomization.yaml"])["resources"]
    assert not any(path.startswith("migrations/") for path in listed)
    assert yaml.safe_load(tree.files["migrations/kustomization.yaml"])["resources"] == ["api.yaml"]
    main = agent(tree, "Kustomization", "honeydue-staging")["spec"]
    migrations = agent(tree, "Kustomization", "honeydue-staging-migrations")["spec"]
    assert main["dependsOn"] == [{"name": "honeydue-staging-migrations"}]
    assert migrations["path"] == "./rendered/staging/migrations"
    assert migrations["wait"] is True and migrations["force"] is True and migrations["prune"] is True
    assert migrations["sourceRef"] == main["sourceRef"]
    assert int(migrations["timeout"].removesuffix("s")) > job(tree)["spec"]["activeDeadlineSeconds"]
    assert "force" not in main  # only the Jobs are recreated when they change
    assert "argocd.argoproj.io/sync-wave" not in job(tree)["metadata"]["annotations"]


def test_real_kustomize_builds_the_job_where_the_agent_looks_for_it(tmp_path) -> None:
    """Flux: the env's folder builds without the Job, its migrations folder builds exactly the Job;
    Argo CD: the env's folder builds it with everything else."""
    from hdgen.render.tree import write_env

    root = scratch(tmp_path)
    for env in ("prod", "staging"):
        with_migration(root, env)
        write_env(root / "rendered", render(root, env))

    def kinds(folder) -> list[str]:
        built = subprocess.run([kustomize(), "build", str(folder)], capture_output=True, text=True, check=True)
        return [doc["kind"] for doc in yaml.safe_load_all(built.stdout) if doc]

    assert "Job" not in kinds(root / "rendered" / "staging")
    assert kinds(root / "rendered" / "staging" / "migrations") == ["Job"]
    assert kinds(root / "rendered" / "prod").count("Job") == 1


def test_the_startup_budget_may_drop_with_the_migration_out_of_the_boot_but_must_cover_the_cold_boot(tmp_path) -> None:
    from hdgen.errors import InputError

    root = scratch(tmp_path)
    with_migration(root, "prod")
    api = one(render(root, "prod"), "Deployment", "api")
    startup = api["spec"]["template"]["spec"]["containers"][0]["startupProbe"]
    assert startup["failureThreshold"] * startup["periodSeconds"] == 90
    assert api["metadata"]["annotations"]["hdgen.io/cold-boot-seconds"] == "60"
    replace(root, "prod", "coldBootSeconds: 60", "coldBootSeconds: 120")
    with pytest.raises(InputError, match=r"apps\.api\.probes\.startup: budget 90s .* is below coldBootSeconds 120s"):
        render(root, "prod")


def test_the_migration_the_tests_declare_is_the_one_the_docs_show(tmp_path) -> None:
    """The block tests add is what docs/operations.md shows."""
    from tests.conftest import REPO

    assert MIGRATION.strip().splitlines()[1].strip() in (REPO / "docs" / "operations.md").read_text()
