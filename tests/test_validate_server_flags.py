"""hdgen validate --server without a cluster: bad flags and unreachable servers end in one line.

The dry run against a real API server is in tests/e2e (make e2e).
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

from hdgen.objects.record import Document
from hdgen.validate.server_dry_run import apply_order
from tests.conftest import REPO
from tests.conftest import run_hdgen as run_cli


def run_hdgen(*args: str, cwd: Path, env: dict | None = None):
    kubeconform = os.environ.get("HDGEN_KUBECONFORM") or str(REPO / ".tools" / "bin" / "kubeconform")
    return run_cli(*args, cwd=cwd, env={"HDGEN_KUBECONFORM": kubeconform, **(env or {})})


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed again when the with block ends: nothing listens


def one_line(text: str) -> bool:
    return text.count("\n") == 1 and text.startswith("hdgen: error: ")


def test_insecure_flag_needs_server(project: Path) -> None:
    result = run_hdgen("validate", "prod", "--insecure-skip-tls-verify", cwd=project)
    assert result.code == 2 and one_line(result.err) and "--server" in result.err
    assert result.out == ""


def test_server_must_be_a_url(project: Path) -> None:
    result = run_hdgen("validate", "prod", "--server", "127.0.0.1:6443", cwd=project)
    assert result.code == 2 and one_line(result.err) and "https://" in result.err


def test_a_missing_ca_file_is_an_input_error(project: Path) -> None:
    env = {"HDGEN_SERVER_CA": str(project / "no-such-ca.crt")}
    result = run_hdgen("validate", "prod", "--server", "https://127.0.0.1:6443", cwd=project, env=env)
    assert result.code == 2 and one_line(result.err) and "no-such-ca.crt" in result.err


def test_an_unreachable_server_is_a_tool_failure_without_the_token(project: Path) -> None:
    token = "e2e-secret-token-value"
    url = f"https://127.0.0.1:{closed_port()}"
    result = run_hdgen("validate", "prod", "--server", url, cwd=project, env={"HDGEN_SERVER_TOKEN": token})
    assert result.code == 3 and one_line(result.err)
    assert f"cannot reach the API server at {url}" in result.err
    assert token not in result.out + result.err


def test_namespaces_and_crds_are_applied_first_and_the_rest_keep_their_order() -> None:
    def doc(kind: str, name: str) -> Document:
        return Document(file="f.yaml", line=1, body={"apiVersion": "v1", "kind": kind, "metadata": {"name": name}})

    given = [doc("Service", "a"), doc("CustomResourceDefinition", "c"), doc("ConfigMap", "b"), doc("Namespace", "n")]
    assert [d.name for d in apply_order(given)] == ["n", "c", "a", "b"]


def test_a_refused_secret_names_the_fields_and_never_the_values_the_server_quotes() -> None:
    from hdgen.validate.kubeapi import ApiResponse
    from hdgen.validate.server_dry_run import _rejection

    secret = Document(file="s.yaml", line=1, body={"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}})
    response = ApiResponse(
        422,
        {
            "reason": "Invalid",
            "message": 'Secret "s" is invalid: data[token]: Invalid value: "hunter2-secret": bad',
            "details": {"causes": [{"field": "data[token]", "message": 'Invalid value: "hunter2-secret"'}]},
        },
    )
    message = _rejection(secret, response)
    assert "hunter2" not in message
    assert message == "the API server refuses it (Invalid): rejected data[token]"
    config_map = Document(file="c.yaml", line=1, body={**secret.body, "kind": "ConfigMap"})
    assert "hunter2-secret" in _rejection(config_map, response), "other kinds keep the server's own words"


def test_a_finding_points_at_the_deepest_line_of_the_field_the_server_names() -> None:
    from hdgen.validate.kubeapi import ApiResponse
    from hdgen.validate.server_dry_run import _cause_line

    document = Document(
        file="d.yaml",
        line=1,
        body={},
        key_lines={(): 1, ("spec",): 5, ("spec", "template"): 9, ("spec", "template", "spec", "containers", 0): 14},
    )

    def line(field: str) -> int:
        return _cause_line(document, ApiResponse(422, {"details": {"causes": [{"field": field}]}}))

    assert line("spec.template.spec.containers[0].image") == 14
    assert line("spec.template.metadata.labels[app.kubernetes.io/name]") == 9
    assert line("spec.clusterIPs[0]") == 5
    assert _cause_line(document, ApiResponse(422, {"message": "no causes"})) == 1


def test_warning_headers_read_as_the_server_quotes_them() -> None:
    """The API server sends `Warning: 299 - "<Go-quoted text>"`; the client keeps the text (tests/e2e sees real ones)."""
    from email.message import Message

    from hdgen.validate.kubeapi import _warnings

    headers = Message()
    headers["Warning"] = '299 - "would violate PodSecurity \\"restricted:v1.33\\": seccompProfile (pod must set it)"'
    headers["Warning"] = '299 - "tab\\there \\u00e9"'
    headers["Warning"] = "not the 299 form"
    assert _warnings(headers) == (
        'would violate PodSecurity "restricted:v1.33": seccompProfile (pod must set it)',
        "tab\there \u00e9",
        "not the 299 form",
    )
    assert _warnings(None) == ()
