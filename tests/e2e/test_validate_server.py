"""hdgen validate --server: the server-side dry run against a real API server, through the CLI."""

from __future__ import annotations

import json
import os
from pathlib import Path

from tests.conftest import REPO
from tests.conftest import run_hdgen as run_cli
from tests.e2e.cluster import ApiServer
from tests.e2e.objects import apply_each, read_tree, refused


def run_hdgen(*args: str, cwd: Path, env: dict):
    kubeconform = os.environ.get("HDGEN_KUBECONFORM") or str(REPO / ".tools" / "bin" / "kubeconform")
    return run_cli(*args, cwd=cwd, env={"HDGEN_KUBECONFORM": kubeconform, **env})


def validate(server: ApiServer, project: Path, *extra: str, env: dict | None = None):
    return run_hdgen(
        "validate", "prod", "--server", server.url, "--format", "json", *extra, cwd=project, env=env or server.env()
    )


def server_findings(out: str) -> list[dict]:
    return [f for f in json.loads(out)["findings"] if f["rule"] == "server"]


def test_a_fresh_cluster_warns_once_that_the_namespace_is_not_there_yet(apiserver: ApiServer, project: Path) -> None:
    result = validate(apiserver, project)
    assert result.code == 0, result.err
    documents = read_tree(project / "rendered" / "prod")
    (finding,) = server_findings(result.out)
    assert finding["level"] == "warning"
    assert (finding["file"], finding["kind"], finding["name"]) == ("rendered/prod/namespace.yaml", "Namespace", "honeydue")
    assert f"the {len(documents) - 1} objects in it could not be dry-run" in finding["message"]


def test_the_rendered_tree_passes_once_its_namespace_exists(apiserver: ApiServer, project: Path) -> None:
    namespace = [d for d in read_tree(project / "rendered" / "prod") if d.kind == "Namespace"]
    assert refused(apply_each(apiserver.client(), namespace, dry_run=False)) == {}
    result = validate(apiserver, project)
    assert result.code == 0, result.err
    assert server_findings(result.out) == []
    # A dry run stores nothing: the Deployments are still not there.
    assert apiserver.client().request("GET", "/apis/apps/v1/namespaces/honeydue/deployments").body["items"] == []


def test_what_only_the_server_checks_becomes_a_finding_on_the_file_and_line(apiserver: ApiServer, project: Path) -> None:
    apply_each(apiserver.client(), read_tree(project / "rendered" / "prod"), dry_run=False)
    # Schema-valid and consistent (the template still matches), so kubeconform passes it; but the
    # API server refuses to change the selector of the Deployment it already holds.
    deployment = project / "rendered" / "prod" / "api" / "deployment.yaml"
    text = deployment.read_text()
    selector = "  selector:\n    matchLabels:\n      app.kubernetes.io/instance: honeydue-prod\n      app.kubernetes.io/name: api\n"
    template_label = "\n        app.kubernetes.io/name: api\n"  # the pod label, not the spread's selector deeper in
    assert text.count(selector) == 1 and text.count(template_label) == 1
    text = text.replace(selector, selector.replace("name: api", "name: api-v2"))
    deployment.write_text(text.replace(template_label, template_label.replace("api", "api-v2")))

    # Only kubeconform and the server: policy rules are not this test's subject, and they have findings
    # of their own here (the hardening rules on a tree not yet hardened; on the hardened one, a spread
    # that no longer selects the relabelled pods).
    result = validate(apiserver, project, "--rules", "none")
    assert result.code == 1, result.err
    findings = json.loads(result.out)["findings"]
    assert [f["rule"] for f in findings] == ["server"], "kubeconform alone would have passed it"
    (finding,) = findings
    selector_line = text.splitlines().index("  selector:") + 1  # the field the server names
    assert (finding["file"], finding["line"], finding["kind"], finding["name"]) == (
        "rendered/prod/api/deployment.yaml", selector_line, "Deployment", "api"
    )
    assert finding["level"] == "error"
    assert "field is immutable" in finding["message"]
    assert apiserver.token not in result.out + result.err


def test_text_report_and_exit_code_for_a_refused_object(apiserver: ApiServer, project: Path) -> None:
    namespace = [d for d in read_tree(project / "rendered" / "prod") if d.kind == "Namespace"]
    apply_each(apiserver.client(), namespace, dry_run=False)
    service = project / "rendered" / "prod" / "web" / "service.yaml"
    service.write_text(service.read_text().replace("  type: ClusterIP\n", "  type: ClusterIP\n  clusterIP: 192.0.2.10\n"))
    result = run_hdgen("validate", "prod", "--server", apiserver.url, cwd=project, env=apiserver.env())
    assert result.code == 1, result.out + result.err
    # The server names spec.clusterIPs[0], which the file does not spell out: the deepest key it has is spec.
    spec_line = service.read_text().splitlines().index("spec:") + 1
    assert f"rendered/prod/web/service.yaml:{spec_line}: error server " in result.out
    assert "clusterIP" in result.out and "Invalid" in result.out


def test_a_wrong_token_is_an_input_error_that_does_not_echo_the_token(apiserver: ApiServer, project: Path) -> None:
    wrong = "not-the-token-" + apiserver.token[:6]
    result = validate(apiserver, project, env={"HDGEN_SERVER_TOKEN": wrong, "HDGEN_SERVER_CA": str(apiserver.ca_file)})
    assert result.code == 2
    assert result.out == ""
    assert result.err.count("\n") == 1 and "401 Unauthorized" in result.err and "HDGEN_SERVER_TOKEN" in result.err
    assert wrong not in result.err


def test_tls_is_verified_unless_told_not_to(apiserver: ApiServer, project: Path) -> None:
    without_ca = {"HDGEN_SERVER_TOKEN": apiserver.token, "HDGEN_SERVER_CA": ""}
    result = validate(apiserver, project, env=without_ca)
    assert result.code == 3
    assert result.err.count("\n") == 1 and "CERTIFICATE_VERIFY_FAILED" in result.err
    result = validate(apiserver, project, "--insecure-skip-tls-verify", env=without_ca)
    assert result.code == 0, result.err


def test_a_kind_the_server_does_not_serve_is_an_error(apiserver: ApiServer, project: Path) -> None:
    # The Argo CD Application passes kubeconform (its CRD schema is in schemas/crds), but this
    # cluster has no Argo CD: discovery does not know argoproj.io/v1alpha1.
    result = run_hdgen(
        "validate", "rendered/_gitops/prod", "--server", apiserver.url, "--format", "json",
        cwd=project, env=apiserver.env(),
    )
    assert result.code == 1, result.err
    (finding,) = json.loads(result.out)["findings"]
    assert (finding["rule"], finding["kind"], finding["level"]) == ("server", "Application", "error")
    assert finding["message"] == "the server does not serve apiVersion argoproj.io/v1alpha1"
