"""The corpus of hostile and broken inputs, and what hdgen must do with each.

One list drives both the tests (tests/test_bad_inputs.py runs every entry
through the real CLI) and the table "Bad input and what hdgen does" in
docs/reliability.md (a test keeps the table equal to `markdown_table()`, and
`make docs` rewrites it), so the documentation cannot drift from what is checked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

# Where the generated table lives, between these markers.
TABLE_FILE = "docs/reliability.md"
TABLE_START = "<!-- bad-inputs-table: generated from tests/bad_inputs.py; do not edit -->"
TABLE_END = "<!-- end of bad-inputs-table -->"


@dataclass(frozen=True)
class BadValues:
    """A values file (values/broken.yaml, rendered as env `broken`) and the one error line it must give."""

    name: str  # the row of the docs table
    content: Callable[[], bytes]
    message: str  # the whole stderr line after "hdgen: error: "


@dataclass(frozen=True)
class BadManifest:
    """A manifest file given to `hdgen validate` and the parse finding it must give (exit 1)."""

    name: str
    content: Callable[[], bytes]
    finding: str  # the text report line for it


def billion_laughs(indent: str = "") -> bytes:
    """Nine levels of nine aliases: 9**9 (387 million) strings once expanded, 600 bytes on disk."""
    lines = [f'{indent}a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 10):
        lines.append(f"{indent}a{level}: &a{level} [" + ",".join([f"*a{level - 1}"] * 9) + "]")
    return ("\n".join(lines) + "\n").encode()


def _prod_with(extra: str) -> Callable[[], bytes]:
    """The shipped prod values with lines appended (read when the case runs)."""

    def content() -> bytes:
        from tests.conftest import REPO

        return (REPO / "values" / "prod.yaml").read_bytes() + extra.encode()

    return content


def _prod_replacing(old: str, new: str) -> Callable[[], bytes]:
    def content() -> bytes:
        text = _prod_with("")().decode()
        assert old in text, f"values/prod.yaml drifted: {old!r} is not in it"
        return text.replace(old, new, 1).encode()

    return content


def _prod_adding(anchor: str, lines: str) -> Callable[[], bytes]:
    return _prod_replacing(anchor, anchor + lines)


def _deep_block(levels: int) -> bytes:
    return ("registry:\n" + "".join(" " * i + "k:\n" for i in range(1, levels))).encode()


VALUES_CASES = [
    BadValues("malformed YAML (an unclosed flow list)", lambda: b"registry: [a, b\nnamespace: x\n",
              "values/broken.yaml:2: expected ',' or ']', but got ':'"),
    BadValues("a tab in the indentation", lambda: b"apps:\n\tapi: {}\n",
              "values/broken.yaml:2: found character '\\t' that cannot start any token"),
    BadValues("a duplicate key", lambda: b"registry: a\nnamespace: x\nregistry: b\n",
              "values/broken.yaml:3: duplicate key 'registry'"),
    BadValues("a YAML alias bomb (billion laughs, 600 bytes)", billion_laughs,
              "values/broken.yaml:6: a5: too many values (200,000+ after expanding aliases)"),
    BadValues("collections nested 5,000 deep (`[[[[…`)", lambda: b"registry: " + b"[" * 5000 + b"]" * 5000 + b"\n",
              "values/broken.yaml:1: nested more than 100 levels deep"),
    BadValues("mappings nested 1,000 deep (indentation)", lambda: _deep_block(1000),
              "values/broken.yaml:101: nested more than 100 levels deep"),
    BadValues("a 10 MB values file", lambda: b"registry: x\n" + b"# padding\n" * 1_000_000,
              "values/broken.yaml: file is 10,000,012 bytes, over the 2,097,152 byte limit for a values file"),
    BadValues("a 1 MB string value", lambda: b'registry: "' + b"x" * 1_000_000 + b'"\n',
              "values/broken.yaml:1: registry: 1,000,000 characters, over the 65,536 limit for one value "
              "(Linux refuses to start a process with an env var over 128 KiB, and a ConfigMap holds at most 1 MiB)"),
    BadValues("bytes that are not UTF-8", lambda: b"registry: caf\xe9\n",
              "values/broken.yaml:1: not UTF-8 text (byte 0xe9)"),
    BadValues("a NUL character", lambda: b"registry: a\x00b\n",
              "values/broken.yaml:1: character U+0000 is not allowed in YAML"),
    BadValues("a lone surrogate escape (`\"\\uD83D\"`)", lambda: b'registry: "\\uD83D"\n',
              "values/broken.yaml:1: registry: holds U+D83D, half of a surrogate pair, which is not a character "
              "(write the character itself, or its \\U escape)"),
    BadValues("an empty file", lambda: b"",
              "values/broken.yaml: the file is empty: expected a mapping of values"),
    BadValues("only comments", lambda: b"# nothing here\n",
              "values/broken.yaml: the file is empty: expected a mapping of values"),
    BadValues("`null` at the root", lambda: b"null\n",
              "values/broken.yaml: the file is empty: expected a mapping of values"),
    BadValues("a list at the root", lambda: b"- registry: x\n",
              "values/broken.yaml:1: the file holds a list: expected a mapping of values"),
    BadValues("a number at the root", lambda: b"42\n",
              "values/broken.yaml:1: the file holds a scalar (int): expected a mapping of values"),
    BadValues("two YAML documents", lambda: b"registry: x\n---\nnamespace: y\n",
              "values/broken.yaml:2: expected a single document in the stream, but found another document"),
    BadValues("an alias to an undefined anchor", lambda: b"registry: *nowhere\n",
              "values/broken.yaml:1: found undefined alias 'nowhere'"),
    BadValues("a key that is not a string", lambda: b"? [a, b]\n: 1\n",
              "values/broken.yaml:1: key ('a', 'b') is not a string"),
    # A plain 2024-01-01 is a string (the YAML 1.2 core schema has no timestamps); only the explicit tag makes a date.
    BadValues("a `!!timestamp` where a string belongs", lambda: b"registry: !!timestamp 2024-01-01\n",
              "values/broken.yaml:1: registry: unsupported YAML value of type date (quote it as a string)"),
    BadValues("a `!!binary` value", lambda: b"registry: !!binary aGVsbG8=\n",
              "values/broken.yaml:1: registry: unsupported YAML value of type bytes (quote it as a string)"),
    BadValues("a `!!python/object` tag", lambda: b"registry: !!python/object:os.system {}\n",
              "values/broken.yaml:1: registry: Input should be a valid string"),
    BadValues("a merge key `<<` (accepted; merged keys are checked like any other)",
              lambda: b"apps:\n  api:\n    <<: {replicsa: 2}\n",
              "values/broken.yaml:2: apps.api.replicsa: unknown key (did you mean 'replicas'?)"),
    BadValues("odd unicode in a name (`apps.ápi`)", _prod_replacing("apps:\n  api:", "apps:\n  \u00e1pi:\n    component: api\n  api:"),
              "values/broken.yaml:20: apps.ápi: String should match pattern '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$'"),
    BadValues("`yes` for a boolean (a string in YAML 1.2)",
              _prod_replacing("registry: gitea", "allowMutableTags: yes\nregistry: gitea"),
              "values/broken.yaml:5: allowMutableTags: Input should be a valid boolean"),
    BadValues("a password in a URL outside config (`gitops.repoUrl`)",
              _prod_replacing("repoUrl: https://gitea", "repoUrl: https://ci:PLANTED@gitea"),
              "values/broken.yaml:60: gitops.repoUrl: holds a URL with a password: keep it in a Secret the "
              "tree references, never in values"),
    BadValues("a secret passed as a command-line flag (`--requirepass x`)",
              _prod_replacing("redis:\n  image:", "redis:\n  args: [--requirepass, PLANTED]\n  image:"),
              "values/broken.yaml:39: redis.args.1: is the value of 'requirepass', a secret on the command line: "
              "read it from the app Secret instead"),
    BadValues("a Secret revision that is not an integer (`secrets.revisions`)",
              _prod_replacing("    key: token\n", "    key: token\n  revisions: {honeydue-secrets: \"3\"}\n"),
              "values/broken.yaml:12: secrets.revisions.honeydue-secrets: Input should be a valid integer"),
    BadValues("a revision for a Secret the env does not reference",
              _prod_replacing("    key: token\n", "    key: token\n  revisions: {honeydue-secret: 3}\n"),
              "values/broken.yaml:12: secrets.revisions.honeydue-secret: 'honeydue-secret' is not a Secret this env "
              "references (did you mean 'honeydue-secrets'? it references: gitea-registry, honeydue-obs, "
              "honeydue-secrets, honeydue-tls)"),
    BadValues("`SECRET_VERSION` in env, to roll pods after a Secret changed",
              _prod_replacing("    image: {tag: \"d3708e6\"}\n    replicas: 2",
                              "    image: {tag: \"d3708e6\"}\n    env: {SECRET_VERSION: \"3\"}\n    replicas: 2"),
              "values/broken.yaml:30: apps.worker.env.SECRET_VERSION: looks like a secret's version, set to roll pods: "
              "set the Secret's revision instead (`hdgen rotate ENV SECRET` raises secrets.revisions.<name>, which "
              "rolls exactly its readers)"),
]


# The hardened tree's refusals (issue 16): what the namespace's Pod Security level, the drain, the
# budgets, Redis, vmagent and TLS checks say. Each edits the shipped prod values in one place.
_API = '  api:\n    image: {tag: "d3708e6"}\n'
_WEB = '  web:\n    image: {tag: "d3708e6"}\n    replicas: 2\n'
_REDIS, _OBS, _ING = "redis:\n  image:\n", "observability:\n  image:\n", "ingress:\n  tlsSecret: honeydue-tls\n"
VALUES_CASES += [
    BadValues("a root uid while the namespace enforces `restricted`",
              _prod_adding(_API, "    securityContext: {runAsUser: 0, reason: the image needs root}\n"),
              "values/broken.yaml:22: apps.api.securityContext.runAsUser: 0 is root: the namespace enforces Pod "
              "Security 'restricted', which refuses pods that may run as root; give the image's non-root uid"),
    BadValues("privilege escalation while the namespace enforces `restricted`",
              _prod_adding(_API, "    securityContext: {allowPrivilegeEscalation: true, reason: setuid helper}\n"),
              "values/broken.yaml:22: apps.api.securityContext.allowPrivilegeEscalation: true is refused by Pod "
              "Security 'restricted', which the namespace enforces"),
    BadValues("an added capability `restricted` refuses (`NET_ADMIN`)",
              _prod_adding(_API, "    securityContext: {addCapabilities: [NET_ADMIN], reason: raw sockets}\n"),
              "values/broken.yaml:22: apps.api.securityContext.addCapabilities.0: NET_ADMIN is not allowed at Pod "
              "Security level 'restricted' (allowed: NET_BIND_SERVICE): the API server would refuse the pods"),
    BadValues("a writable root filesystem without a `reason`",
              _prod_adding(_API, "    securityContext: {readOnlyRootFilesystem: false}\n"),
              "values/broken.yaml:22: apps.api.securityContext.readOnlyRootFilesystem: relaxes the hardened "
              "default: say why in securityContext.reason"),
    BadValues("a `reason` with nothing relaxed",
              _prod_adding(_API, "    securityContext: {reason: writes its cache}\n"),
              "values/broken.yaml:22: apps.api.securityContext.reason: nothing is relaxed (root uid, writable "
              "root, privilege escalation, capabilities): remove it"),
    BadValues("two writable paths that name the same volume",
              _prod_adding(_API, "    securityContext: {writablePaths: {/var/tmp-x: 64Mi, /var/tmp/x: 64Mi}}\n"),
              "values/broken.yaml:22: apps.api.securityContext.writablePaths./var/tmp-x: gives the same volume "
              "name 'writable-var-tmp-x' as another path: rename one"),
    BadValues("an app with a Service and no `drainSeconds`",
              _prod_adding(_API, "    drainSeconds: null\n"),
              "values/broken.yaml:22: apps.api.drainSeconds: required for an app with a Service: without a "
              "preStop drain, a terminating pod still gets requests until the endpoints update (502s during every "
              "rollout)"),
    BadValues("a grace period below drain + shutdown",
              _prod_adding(_API, "    terminationGracePeriodSeconds: 20\n"),
              "values/broken.yaml:22: apps.api.terminationGracePeriodSeconds: 20s is below drainSeconds 10 + "
              "shutdownSeconds 20: the kubelet would kill the app before it finishes shutting down"),
    BadValues("a disruption budget of `maxUnavailable: 0`",
              _prod_replacing("      maxUnavailable: 1\n", "      maxUnavailable: 0\n"),
              "values/broken.yaml:27: apps.api.disruptionBudget.maxUnavailable: 0 leaves no pod to evict at 3 "
              "replicas: node drains would hang"),
    BadValues("a disruption budget of `minAvailable: 100%`",
              _prod_replacing("      maxUnavailable: 1\n", "      minAvailable: 100%\n"),
              "values/broken.yaml:27: apps.api.disruptionBudget.minAvailable: 100% leaves no pod to evict at 3 "
              "replicas: node drains would hang"),
    BadValues("Redis `maxmemory` at its memory limit",
              _prod_replacing(_REDIS, "redis:\n  maxmemory: 256Mi\n  image:\n"),
              "values/broken.yaml:39: redis.maxmemory: 256Mi is not below the memory limit 256Mi: the kernel "
              "would OOM-kill Redis before it refuses writes"),
    BadValues("`--maxmemory` in Redis' args",
              _prod_replacing(_REDIS, "redis:\n  args: [--appendonly, \"yes\", --maxmemory, 200mb]\n  image:\n"),
              "values/broken.yaml:39: redis.args.2: set redis.maxmemory instead (hdgen derives it from the memory "
              "limit)"),
    BadValues("vmagent's disk cap at its buffer's sizeLimit",
              _prod_replacing(_OBS, "observability:\n  buffer: {maxDiskUsage: 1Gi}\n  image:\n"),
              "values/broken.yaml:51: observability.buffer.maxDiskUsage: 1Gi is not below buffer.sizeLimit 1Gi: "
              "the kubelet would evict vmagent before it drops old data"),
    BadValues("an ephemeral-storage limit below the writable paths",
              _prod_adding(_WEB, "    resources: {limits: {ephemeral-storage: 200Mi}}\n"),
              "values/broken.yaml:37: apps.web.resources.limits.ephemeral-storage: 200Mi does not hold its "
              "writablePaths (256Mi): the kubelet would evict the pod before they fill"),
    BadValues("an ephemeral-storage request above its limit",
              _prod_adding(_WEB, "    resources: {requests: {ephemeral-storage: 1Gi}}\n"),
              "values/broken.yaml:37: apps.web.resources.requests.ephemeral-storage: 1Gi is above the limit 512Mi"),
    BadValues("Traefik asked for TLS with no certificate",
              _prod_replacing(_ING, "ingress:\n  tlsSecret: null\n"),
              "values/broken.yaml:44: ingress.tlsSecret: required: the annotations ask Traefik for TLS, and "
              "without spec.tls it serves its self-signed default certificate; name the certificate's Secret, or "
              "set tlsDefaultStore: true"),
    BadValues("both `tlsSecret` and `tlsDefaultStore`",
              _prod_adding(_ING, "  tlsDefaultStore: true\n"),
              "values/broken.yaml:45: ingress.tlsDefaultStore: set either tlsSecret or tlsDefaultStore, not both"),
    BadValues("a route host the TLS hosts do not cover",
              _prod_adding(_ING, "  tlsHosts: [\"*.myhoneydue.com\"]\n"),
              "values/broken.yaml:49: ingress.routes.2.host: myhoneydue.com is not covered by tlsHosts "
              "(*.myhoneydue.com)"),
    BadValues("`minReadySeconds` at the progress deadline",
              _prod_replacing("registry: gitea", "minReadySeconds: 600\nregistry: gitea"),
              "values/broken.yaml:5: minReadySeconds: 600s is not below the progress deadline (600s): the API "
              "server refuses such a Deployment"),
    BadValues("`podSecurity.version: latest`",
              _prod_replacing("registry: gitea", "podSecurity: {version: latest}\nregistry: gitea"),
              "values/broken.yaml:5: podSecurity.version: 'latest' is not a Kubernetes minor version like v1.33: "
              "pin the cluster's, so that an upgrade does not change what the namespace refuses"),
]


MANIFEST_CASES = [
    BadManifest("malformed YAML", lambda: b"apiVersion: v1\nkind: [ConfigMap\n",
                "error parse invalid YAML: did not find expected ',' or ']'"),
    BadManifest("a duplicate key", lambda: b"apiVersion: v1\nkind: ConfigMap\nkind: Secret\n",
                "error parse duplicate key 'kind'"),
    BadManifest("a YAML alias bomb", lambda: b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\nx:\n"
                + billion_laughs("  "),
                "error schema error unmarshalling resource: error converting YAML to JSON: yaml: document contains excessive aliasing"),
    BadManifest("collections nested 50,000 deep (crashed the C loader before)",
                lambda: b"apiVersion: v1\nkind: ConfigMap\ndata: " + b"[" * 50_000 + b"]" * 50_000 + b"\n",
                "error parse nested more than 100 levels deep"),
    BadManifest("JSON nested 50,000 deep", lambda: b'{"kind": ' + b"[" * 50_000 + b"]" * 50_000 + b"}",
                "error parse nested more than 100 levels deep"),
    BadManifest("bytes that are not UTF-8", lambda: b"apiVersion: v1\nkind: caf\xe9\n",
                "error parse not UTF-8 text (byte 0xe9)"),
    BadManifest("a document without kind", lambda: b"apiVersion: v1\nmetadata: {name: x}\n",
                "error parse document has no kind"),
]


def markdown_table() -> str:
    """The docs table: every input the tests try, the exit code and the message."""
    rows = ["| input | command | exit | what hdgen says |", "|---|---|---|---|"]
    for case in VALUES_CASES:
        rows.append(f"| {case.name} | `hdgen render` | 2 | `{_cell(case.message)}` |")
    for manifest in MANIFEST_CASES:
        rows.append(f"| {manifest.name} | `hdgen validate` | 1 | `{_cell(manifest.finding)}` |")
    rows += [f"| {name} | {command} | {code} | {said} |" for name, command, code, said in OTHER_ROWS]
    return "\n".join(rows) + "\n"


def _cell(text: str) -> str:
    short = text if len(text) <= 140 else text[:137] + "…"
    return short.replace("|", "\\|")


# Cases whose setup is not a file's content. Tests: tests/test_bad_inputs.py (names, symlinks,
# disks), tests/test_atomicity.py (kills, concurrency), tests/test_secrets.py, tests/test_validate.py
# (kubeconform), tests/test_values_errors.py (render with path-like env names).
OTHER_ROWS: list[tuple[str, str, int, str]] = [
    ("an env name with `/`, `..`, an absolute path, `;`, a newline or non-ASCII", "`render`, `bump`, `diff`", 2,
     "`invalid env name '../outside': use lowercase letters, digits and '-' (known envs: prod, staging)`"),
    ("`rendered/` a symlink out of the project", "`render`, `bump`", 2,
     "`rendered is a symlink to /elsewhere, outside the project: refusing to write there`"),
    ("`rendered/` a symlink to a folder inside the project", "`render`", 0, "followed; the tree is written there"),
    ("`rendered/prod` or `rendered/_gitops` a symlink out of the project", "`render`", 2,
     "`… is a symlink …: refusing to …`; nothing written outside"),
    ("`rendered/.prod.lock` planted as a symlink", "`render`", 2,
     "`…/rendered/.prod.lock is a symlink: refusing to follow it (remove it)`"),
    ("read-only `rendered/` (a read-only bind mount; `chmod 555` when not root)", "`render`", 2,
     "`cannot write …/rendered: Read-only file system; the previous tree is untouched`"),
    ("a full disk mid-write (a tiny tmpfs)", "`render`", 2,
     "`cannot write …/rendered/prod: No space left on device; the previous tree is untouched`"),
    ("a file size limit mid-write (`RLIMIT_FSIZE`)", "`render`", 2,
     "`cannot write …/rendered/prod: File too large; the previous tree is untouched`"),
    ("`hdgen render` killed (SIGKILL) at 20 points, a reader polling", "`render`", 0,
     "the folder is always the whole old or the whole new tree; the next run removes the scratch folder"),
    ("two renders, or three bumps, of one env at once", "`render`, `bump`", 0,
     "the second waits (`hdgen: waiting for another hdgen writing prod to finish`); a bump that lost the race "
     "exits 2: `changed while bumping …: run again`"),
    ("a secret in values (config, env, args, URLs, annotations, labels)", "`render`, `bump`", 2,
     "`values/prod.yaml:60: gitops.repoUrl: holds a URL with a password: …`, never the value"),
    ("a Secret and secret env values in a tree", "`validate`, `diff`, `ci`", 1,
     "findings and `<redacted: …>`, never the value"),
    ("a base file nested 50,000 deep in git", "`diff`", 2,
     "`<commit>:rendered/prod/deep.yaml:3: nested more than 100 levels deep`"),
    ("kubeconform missing", "`validate`", 3, "`kubeconform not found: …` and how to install it"),
    ("kubeconform crashing or printing garbage", "`validate`", 3,
     "`kubeconform failed with exit status 2: …` with its output"),
    ("kubeconform hanging", "`validate`", 3, "`… did not finish within N s` (`HDGEN_KUBECONFORM_TIMEOUT`)"),
]
