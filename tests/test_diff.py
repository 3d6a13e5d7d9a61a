"""hdgen diff, end to end: real git repositories in temp folders, the real CLI.

Each test copies the project's values/ and rendered/ into a fresh git
repository (branch `main`), commits, switches to a branch `pr`, changes values
or crafts a base tree, and runs `hdgen diff`.

Golden files: tests/golden/diff/* (tests/goldens.py; `make golden` refreshes them).
"""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
from pathlib import Path

import pytest

from tests.conftest import HDGEN, REPO, run_hdgen
from tests.goldens import assert_golden

# A fixed identity and clock, and no user or system git config: commits are reproducible.
GIT_ENV = {
    "GIT_AUTHOR_NAME": "hdgen tests",
    "GIT_AUTHOR_EMAIL": "tests@example.invalid",
    "GIT_COMMITTER_NAME": "hdgen tests",
    "GIT_COMMITTER_EMAIL": "tests@example.invalid",
    "GIT_AUTHOR_DATE": "2024-01-01T00:00:00Z",
    "GIT_COMMITTER_DATE": "2024-01-01T00:00:00Z",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
}


def git(root: Path, *args: str) -> str:
    proc = subprocess.run(
        ["git", "-C", str(root), *args], env={**os.environ, **GIT_ENV}, capture_output=True, text=True, check=True
    )
    return proc.stdout.strip()


def commit_all(root: Path, message: str) -> str:
    git(root, "add", "-A")
    git(root, "commit", "-q", "--allow-empty", "-m", message)
    return git(root, "rev-parse", "HEAD")


@pytest.fixture
def repo(project: Path) -> Path:
    """The project copy as a git repository: main holds the committed tree, HEAD is branch pr."""
    git(project, "init", "-q", "-b", "main")
    commit_all(project, "base")
    git(project, "checkout", "-q", "-b", "pr")
    return project


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert text.count(old) == 1, f"{old!r} must occur once in {path}"
    path.write_text(text.replace(old, new))


def diff_json(root: Path, *args: str) -> dict:
    result = run_hdgen("diff", "prod", "--format", "json", *args, cwd=root)
    assert result.code == 0, result.err
    return json.loads(result.out)


def by_name(report: dict) -> dict[str, dict]:
    return {f"{r['kind']}/{r['name']}": r for r in report["resources"]}


def prod_objects(*folders: str) -> int:
    """How many objects the committed prod folders hold (one per file): the env's and the agent's by default."""
    folders = folders or ("prod", "_gitops/prod")
    paths = [p for f in folders for p in (REPO / "rendered" / f).rglob("*.yaml") if p.name != "kustomization.yaml"]
    return len(paths)


def bump_api(root: Path, tag: str = "0badc0de") -> None:
    edit(root / "values" / "prod.yaml", 'api:\n    image: {tag: "d3708e6"}', f'api:\n    image: {{tag: "{tag}"}}')


# --- what each kind of change does at rollout -------------------------------------------


def test_image_bump_rolls_the_pods_of_that_deployment_only(repo: Path) -> None:
    bump_api(repo)
    report = diff_json(repo)
    assert list(by_name(report)) == ["Deployment/api"]
    api = by_name(report)["Deployment/api"]
    assert (api["change"], api["impact"]) == ("changed", "rolls-pods")
    # No replicas in the Deployment (the HPA owns them): the count comes from the HPA's minReplicas.
    assert api["impactDetail"] == "rolls at least 3 pods one at a time (maxSurge 1, maxUnavailable 0)"
    assert api["fields"] == [
        {
            "path": "spec.template.spec.containers[api].image",
            "old": "gitea.treytartt.com/admin/honeydue-api:d3708e6",
            "new": "gitea.treytartt.com/admin/honeydue-api:0badc0de",
            "redacted": False,
        }
    ]
    # 21 objects of rendered/prod and the Argo CD Application of rendered/_gitops/prod are unchanged.
    assert report["summary"] == {"added": 0, "removed": 0, "changed": 1, "unchanged": prod_objects() - 1, "impacts": {"rolls-pods": 1}}
    assert api["folder"] == "rendered/prod" and report["headTree"] is None


def test_config_change_rolls_every_workload_that_reads_the_configmap(repo: Path) -> None:
    edit(repo / "values" / "prod.yaml", "LOG_LEVEL: info", "LOG_LEVEL: warn")
    resources = by_name(diff_json(repo))
    config = resources.pop("ConfigMap/honeydue-config")
    assert config["impact"] == "config-rolls"
    assert config["impactDetail"] == "rolls Deployment admin, Deployment api, Deployment worker (pod template changes with it)"
    assert config["fields"] == [{"path": "data.LOG_LEVEL", "old": "info", "new": "warn", "redacted": False}]
    # The linked workloads are exactly those that read it (web does not use the config).
    assert sorted(resources) == ["Deployment/admin", "Deployment/api", "Deployment/worker"]
    for workload in resources.values():
        assert workload["impact"] == "rolls-pods"
        assert workload["impactDetail"].endswith("(its config checksum changed)")
        assert [f["path"] for f in workload["fields"]] == ['spec.template.metadata.annotations["checksum/config.LOG_LEVEL"]']


def test_config_change_without_checksum_warns_that_pods_keep_old_values() -> None:
    # hdgen's own templates always add the checksum, so this case needs a crafted tree:
    # a ConfigMap changes, the Deployment reading it does not, so nothing restarts it.
    from hdgen.diff.impact import assess
    from hdgen.objects.record import Document
    from hdgen.diff.references import references
    from hdgen.diff.semantic import diff_manifests

    def configmap(level: str) -> Document:
        body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg", "namespace": "ns"}, "data": {"LEVEL": level}}
        return Document("cfg.yaml", 1, body)

    deployment = Document(
        "app.yaml",
        1,
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "app", "namespace": "ns"},
            "spec": {"template": {"spec": {"containers": [{"name": "app", "envFrom": [{"configMapRef": {"name": "cfg"}}]}]}}},
        },
    )
    head = [configmap("warn"), deployment]
    diffs, unchanged = diff_manifests([configmap("info"), deployment], head)
    assert unchanged == 1
    impacts = assess(diffs, head, references(head))
    assert impacts[("", "ConfigMap", "ns", "cfg")] == (
        "config-rolls",
        "Deployment app read it but do not roll: their pods keep the old values until "
        "`kubectl rollout restart` (add a checksum/config annotation)",
    )


def test_a_pod_security_label_change_says_what_the_namespace_admits_from_now_on() -> None:
    from hdgen.diff.impact import assess
    from hdgen.diff.references import references
    from hdgen.diff.semantic import diff_manifests
    from hdgen.objects.record import Document

    def namespace(**labels: str) -> Document:
        body = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "ns", "labels": labels}}
        return Document("namespace.yaml", 1, body)

    enforce = "pod-security.kubernetes.io/enforce"
    head = [namespace(**{enforce: "restricted", "team": "a"})]
    diffs, _ = diff_manifests([namespace(**{enforce: "baseline", "team": "a"})], head)
    impact, detail = assess(diffs, head, references(head))[("", "Namespace", "", "ns")]
    assert impact == "other" and "admits the namespace's new pods at enforce restricted" in detail
    diffs, _ = diff_manifests([namespace(**{enforce: "restricted", "team": "b"})], head)
    assert assess(diffs, head, references(head))[("", "Namespace", "", "ns")][0] == "metadata-only"


def test_replicas_only_change_scales_without_churn(repo: Path) -> None:
    edit(repo / "values" / "prod.yaml", "worker:\n    image: {tag: \"d3708e6\"}\n    replicas: 2", "worker:\n    image: {tag: \"d3708e6\"}\n    replicas: 4")
    resources = by_name(diff_json(repo))
    assert list(resources) == ["Deployment/worker"]
    worker = resources["Deployment/worker"]
    assert (worker["impact"], worker["impactDetail"]) == ("scales", "scales 2 -> 4 pods; no pod restarts")
    assert worker["fields"] == [{"path": "spec.replicas", "old": 2, "new": 4, "redacted": False}]


def test_selector_change_is_immutable_with_what_to_do(repo: Path) -> None:
    path = repo / "rendered" / "prod" / "worker" / "deployment.yaml"
    edit(path, "  selector:\n    matchLabels:\n", "  selector:\n    matchLabels:\n      tier: background\n")
    commit_all(repo, "base with an extra selector label")
    git(repo, "branch", "-f", "main")
    worker = by_name(diff_json(repo))["Deployment/worker"]
    assert worker["impact"] == "immutable"
    assert worker["impactDetail"].startswith("the apply will fail (spec.selector cannot change): ")
    assert "kubectl delete deployment/worker -n honeydue --cascade=orphan" in worker["impactDetail"]
    assert worker["fields"] == [
        {"path": "spec.selector.matchLabels.tier", "old": "background", "new": None, "redacted": False}
    ]
    markdown = run_hdgen("diff", "prod", "--format", "markdown", cwd=repo).out
    assert "> [!CAUTION]\n> The apply will fail: `Deployment honeydue/worker`" in markdown


def test_removed_resource_is_pruned(repo: Path) -> None:
    # One worker pod needs no disruption budget (nor a spread): its PDB goes.
    edit(repo / "values" / "prod.yaml", "    replicas: 2\n  admin:", "    replicas: 1\n  admin:")
    resources = by_name(diff_json(repo))
    assert list(resources) == ["Deployment/worker", "PodDisruptionBudget/worker"]
    pdb = resources["PodDisruptionBudget/worker"]
    assert (pdb["change"], pdb["impact"]) == ("removed", "removed")
    assert pdb["impactDetail"] == "the GitOps agent prunes it from the cluster"
    assert {"path": "spec.maxUnavailable", "old": 1, "new": None, "redacted": False} in pdb["fields"]


def test_added_resource_is_created(repo: Path) -> None:
    (repo / "rendered" / "prod" / "api" / "pdb.yaml").unlink()
    commit_all(repo, "base without the PDB")
    git(repo, "branch", "-f", "main")
    resources = by_name(diff_json(repo))
    assert list(resources) == ["PodDisruptionBudget/api"]
    assert (resources["PodDisruptionBudget/api"]["change"], resources["PodDisruptionBudget/api"]["impact"]) == (
        "added",
        "added",
    )


def test_base_without_the_env_folder_shows_everything_added(repo: Path) -> None:
    git(repo, "rm", "-r", "-q", "rendered/prod")
    commit_all(repo, "no prod yet")
    git(repo, "branch", "-f", "main")
    report = diff_json(repo)
    assert report["summary"]["added"] == prod_objects("prod") and report["summary"]["changed"] == report["summary"]["removed"] == 0
    api = by_name(report)["Deployment/api"]
    assert api["impactDetail"] == "the GitOps agent creates it; starts at least 3 pods"


def test_reordering_lists_and_keys_is_not_a_change(repo: Path) -> None:
    vmagent = repo / "rendered" / "prod" / "observability" / "vmagent-deployment.yaml"
    text = vmagent.read_text()
    # volumeMounts by mountPath/name, volumes by name: move the last of each to the front.
    mounts = re.search(r"(        volumeMounts:\n)((?:        - .*\n(?:          .*\n)*)+)", text)
    items = re.findall(r"        - .*\n(?:          .*\n)*", mounts.group(2))
    text = text.replace(mounts.group(2), "".join([items[-1], *items[:-1]]))
    vmagent.write_text(text)
    ingress = repo / "rendered" / "prod" / "ingress" / "ingress.yaml"
    text = ingress.read_text()
    head, _, rules = text.partition("  rules:\n")
    blocks = re.findall(r"  - host: .*\n(?:    .*\n)*", rules)
    ingress.write_text(head + "  rules:\n" + "".join(reversed(blocks)))
    config = repo / "rendered" / "prod" / "config" / "honeydue-config.yaml"
    text = config.read_text()
    data_head, _, data = text.partition("\ndata:\n")
    config.write_text(data_head + "\ndata:\n" + "".join(reversed(data.splitlines(keepends=True))))
    assert len(git(repo, "status", "--porcelain").splitlines()) == 3  # the three files really changed
    commit_all(repo, "reordered base")
    git(repo, "branch", "-f", "main")
    result = run_hdgen("diff", "prod", "--exit-code", cwd=repo)
    assert (result.code, result.err) == (0, "")
    assert f"no differences ({prod_objects()} objects unchanged)" in result.out
    # The reordered files are committed at HEAD but are not what values/ render: said, though
    # the agent would apply the same objects (so --exit-code still finds no differences).
    assert "rendered/prod at HEAD is not what values/ render: 3 files differ" in result.out


# --- secrets ----------------------------------------------------------------------------

PLANTED = {
    "secret data": "c3VwZXItc2VjcmV0LWRhdGEtdmFsdWU=",
    "secret stringData": "plain-secret-string-value-42",
    "token by key": "tok_live_9f8e7d6c5b4a",
    "url with password": "hunter2pass",
    "env password": "env-pw-value-77",
    "jwt": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ0ZXN0In0.c2lnbmF0dXJlLXZhbHVl",
    "flag": "flag-secret-value-31",
    "pem": "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC",
    "head public key": "pk_live_head_side_value_55",
}


def test_secret_values_never_appear_in_any_format(repo: Path) -> None:
    prod = repo / "rendered" / "prod"
    (prod / "extra").mkdir()
    (prod / "extra" / "secret.yaml").write_text(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: leaked\n  namespace: honeydue\n"
        f"data:\n  password: {PLANTED['secret data']}\nstringData:\n  note: {PLANTED['secret stringData']}\n"
    )
    config = prod / "config" / "honeydue-config.yaml"
    edit(config, "  REDIS_URL: redis://redis:6379/0\n", f"  REDIS_URL: redis://app:{PLANTED['url with password']}@redis:6379/0\n  API_TOKEN: {PLANTED['token by key']}\n")
    edit(config, "\ndata:\n", f"\n  annotations:\n    session: {PLANTED['jwt']}\ndata:\n")
    edit(
        prod / "worker" / "deployment.yaml",
        "        command:\n        - /app/worker\n",
        f"        command:\n        - /app/worker\n        - --db-password={PLANTED['flag']}\n"
        f"        env:\n        - name: DB_PASSWORD\n          value: {PLANTED['env password']}\n"
        f'        - name: TLS\n          value: "-----BEGIN PRIVATE KEY-----\\n{PLANTED["pem"]}\\n-----END PRIVATE KEY-----"\n',
    )
    commit_all(repo, "a base tree that leaks")
    git(repo, "branch", "-f", "main")
    # The head side too: a key that looks secret but is declared public in values.
    values = repo / "values" / "prod.yaml"
    edit(values, "  LOG_LEVEL: info\n", f"  LOG_LEVEL: info\n  STRIPE_PUBLISHABLE_KEY: {PLANTED['head public key']}\n")
    values.write_text(values.read_text() + "configPublicKeys: [STRIPE_PUBLISHABLE_KEY]\n")
    outputs = {fmt: run_hdgen("diff", "prod", "--format", fmt, cwd=repo) for fmt in ("text", "markdown", "json")}
    for fmt, result in outputs.items():
        assert result.code == 0, result.err
        for what, value in PLANTED.items():
            assert value not in result.out + result.err, f"{what} leaked in {fmt}"
        assert "<redacted" in result.out
    assert "data.password: <redacted: removed, 32 bytes>" in outputs["text"].out
    old_url = f"redis://app:{PLANTED['url with password']}@redis:6379/0"
    assert f"data.REDIS_URL: <redacted: changed, {len(old_url)} bytes -> 20 bytes>" in outputs["text"].out
    fields = {f["path"]: f for r in json.loads(outputs["json"].out)["resources"] for f in r["fields"]}
    assert fields["data.API_TOKEN"] == {"path": "data.API_TOKEN", "old": "<redacted>", "new": None, "redacted": True}
    assert fields["data.STRIPE_PUBLISHABLE_KEY"]["new"] == "<redacted>"
    assert fields["spec.template.spec.containers[worker].env[DB_PASSWORD].value"]["redacted"] is True
    # Redaction hides values, not the facts: what is not secret still shows.
    assert fields["metadata.name"] == {"path": "metadata.name", "old": "leaked", "new": None, "redacted": False}
    assert "Secret honeydue/leaked" in outputs["markdown"].out


# --- the markdown report ------------------------------------------------------------------


def test_huge_diff_is_truncated_with_every_block_closed(repo: Path) -> None:
    extra = repo / "rendered" / "prod" / "bulk"
    extra.mkdir()
    for index in range(120):
        data = "".join(f"  KEY_{n:04d}: value-{index}-{n}-{'x' * 40}\n" for n in range(60))
        (extra / f"cm-{index:03d}.yaml").write_text(
            f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bulk-{index:03d}\n  namespace: honeydue\ndata:\n{data}"
        )
    (extra / "one-huge.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: aaa-huge\n  namespace: honeydue\ndata:\n"
        + "".join(f"  K{n:05d}: '```'\n" for n in range(2000))
    )
    commit_all(repo, "a base with many objects the head drops")
    git(repo, "branch", "-f", "main")
    result = run_hdgen("diff", "prod", "--format", "markdown", "--exit-code", cwd=repo)
    assert result.code == 1, result.err
    text = result.out
    assert len(text) < 60_000
    assert "> **Truncated:** the details of " in text
    assert "Run `hdgen diff prod` for the full diff." in text
    assert "_The graph is left out: 121 objects changed" in text
    assert text.count("<details>") == text.count("</details>") > 0
    fences = re.findall(r"^(`{3,})(\w*)$", text, flags=re.MULTILINE)
    opened = [f for f in fences if f[1]]
    closed = [f for f in fences if not f[1]]
    assert len(opened) == len(closed) and [o[0] for o in opened] == [c[0] for c in closed]
    # The value '```' lives in a longer fence, so it cannot close the block early.
    assert "````diff\n" in text
    assert "more lines not shown" in text
    truncated = text.index("for the full diff.")
    # The committed base is also HEAD, and not what values/ render: that section comes last.
    assert text.index("#### What the agent would apply") > truncated


def _normalised(text: str, commit: str) -> str:
    return text.replace(commit, "<base-commit>").replace(commit[:12], "<base>")


def _review_change(repo: Path) -> None:
    bump_api(repo)
    edit(repo / "values" / "prod.yaml", "LOG_LEVEL: info", "LOG_LEVEL: warn")
    edit(repo / "values" / "prod.yaml", "  web:\n    image: {tag: \"d3708e6\"}\n    replicas: 2", "  web:\n    image: {tag: \"d3708e6\"}\n    replicas: 3")
    edit(repo / "values" / "prod.yaml", "    replicas: 2\n  admin:", "    replicas: 1\n  admin:")  # prunes its PDB


@pytest.mark.parametrize("fmt,golden", [("markdown", "prod-review.md"), ("json", "prod-review.json")])
def test_report_matches_golden_file(repo: Path, fmt: str, golden: str) -> None:
    _review_change(repo)
    result = run_hdgen("diff", "prod", "--format", fmt, cwd=repo)
    assert result.code == 0, result.err
    assert_golden(f"diff/{golden}", _normalised(result.out, git(repo, "rev-parse", "main")))


def test_output_is_deterministic(repo: Path) -> None:
    _review_change(repo)
    first = run_hdgen("diff", "prod", "--format", "markdown", cwd=repo).out
    assert first == run_hdgen("diff", "prod", "--format", "markdown", cwd=repo).out


# --- base ref, exit codes and errors -----------------------------------------------------


def test_default_base_is_the_merge_base_with_main(repo: Path) -> None:
    bump_api(repo)
    assert run_hdgen("render", "prod", cwd=repo).code == 0
    commit_all(repo, "bump api and re-render")
    # main moves on after the branch started: its change must not show in the PR's diff.
    git(repo, "checkout", "-q", "main")
    edit(repo / "values" / "prod.yaml", "LOG_LEVEL: info", "LOG_LEVEL: warn")
    assert run_hdgen("render", "prod", cwd=repo).code == 0
    main_tip = commit_all(repo, "config change on main")
    git(repo, "checkout", "-q", "pr")
    report = diff_json(repo)
    assert report["base"] == {"ref": "merge base with main", "commit": git(repo, "merge-base", "HEAD", "main")}
    assert report["base"]["commit"] != main_tip
    assert list(by_name(report)) == ["Deployment/api"]
    # --base names any ref; against HEAD (already re-rendered) there is nothing left to review.
    assert diff_json(repo, "--base", "HEAD")["resources"] == []
    text = run_hdgen("diff", "prod", "--base", "main", cwd=repo).out
    assert "rendered/prod at main (" in text


def test_exit_code_flag(repo: Path) -> None:
    assert run_hdgen("diff", "prod", "--exit-code", cwd=repo).code == 0
    bump_api(repo)
    assert run_hdgen("diff", "prod", cwd=repo).code == 0
    assert run_hdgen("diff", "prod", "--exit-code", cwd=repo).code == 1
    assert run_hdgen("diff", "prod", "--exit-code", "--format", "json", cwd=repo).code == 1


def test_unknown_ref_is_an_input_error(repo: Path) -> None:
    result = run_hdgen("diff", "prod", "--base", "no-such-branch", cwd=repo)
    assert result.code == 2
    assert result.err.startswith("hdgen: error: --base 'no-such-branch': unknown git ref")
    assert result.err.count("\n") == 1 and result.out == ""
    assert run_hdgen("diff", "prod", "--base", "--upload-pack=x", cwd=repo).code == 2


def test_not_a_git_repository_is_a_tool_error(project: Path) -> None:
    result = run_hdgen("diff", "prod", cwd=project, env={"GIT_CEILING_DIRECTORIES": str(project.parent)})
    assert result.code == 3
    assert result.err.startswith("hdgen: error: `git -C ") and "rev-parse --git-dir` failed (exit 128)" in result.err
    assert "not a git repository" in result.err and "Traceback" not in result.err


def test_broken_yaml_in_the_base_names_file_and_line(repo: Path) -> None:
    path = repo / "rendered" / "prod" / "api" / "service.yaml"
    path.write_text(path.read_text() + "  broken: [unclosed\n")
    base = commit_all(repo, "broken base")
    git(repo, "branch", "-f", "main")
    result = run_hdgen("diff", "prod", cwd=repo)
    assert result.code == 2
    assert result.err.startswith(f"hdgen: error: {base[:12]}:rendered/prod/api/service.yaml:")
    assert "invalid YAML" in result.err and result.err.count("\n") == 1


def test_unknown_env_is_an_input_error(repo: Path) -> None:
    result = run_hdgen("diff", "qa", cwd=repo)
    assert result.code == 2 and "unknown env 'qa'" in result.err


def test_text_is_coloured_on_a_terminal_unless_no_color(repo: Path) -> None:
    bump_api(repo)

    def on_terminal(extra_env: dict) -> str:
        leader, follower = pty.openpty()
        env = {key: value for key, value in os.environ.items() if key != "NO_COLOR"}
        env.update(extra_env)
        proc = subprocess.Popen([*HDGEN, "diff", "prod"], cwd=repo, stdout=follower, stderr=subprocess.PIPE, env=env)
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(leader)
        assert proc.wait() == 0
        return b"".join(chunks).decode()

    assert "\033[32m" in on_terminal({})
    assert "\033[" not in on_terminal({"NO_COLOR": "1"})
    assert "\033[" not in run_hdgen("diff", "prod", cwd=repo).out  # a pipe is not a terminal


def test_help_lists_the_flags() -> None:
    result = subprocess.run([*HDGEN, "diff", "--help"], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0
    for flag in ("--base REF", "--format {text,markdown,json}", "--exit-code"):
        assert flag in result.stdout
