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
    """A values file (values/broken.yaml, rendered as env `broken`) and the one error it must give."""

    name: str  # the row of the docs table
    content: Callable[[], bytes]
    message: str  # the whole stderr line after "hdgen: error: "
    detail: str = ""  # the lines under it, if any: for a YAML syntax error, the line at fault and a caret


@dataclass(frozen=True)
class Mistake:
    """An everyday mistake (or several) in values/broken.yaml: the shipped prod values with edits,
    rendered as env `broken`, and the whole of stderr it must give (every error, each in words)."""

    name: str  # the row of the docs table
    content: Callable[[], bytes]
    stderr: str  # every line, exactly
    code: int = 2  # 0: a warning only, the render goes on


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


def _prod_edited(*edits: tuple[str, str]) -> Callable[[], bytes]:
    """The shipped prod values with each (old, new) replaced once."""

    def content() -> bytes:
        text = _prod_with("")().decode()
        for old, new in edits:
            assert old in text, f"values/prod.yaml drifted: {old!r} is not in it"
            text = text.replace(old, new, 1)
        return text.encode()

    return content


def _prod_adding(anchor: str, lines: str) -> Callable[[], bytes]:
    return _prod_replacing(anchor, anchor + lines)


def _deep_block(levels: int) -> bytes:
    return ("registry:\n" + "".join(" " * i + "k:\n" for i in range(1, levels))).encode()


VALUES_CASES = [
    BadValues("malformed YAML (an unclosed flow list)", lambda: b"registry: [a, b\nnamespace: x\n",
              "values/broken.yaml:1: the list opened with '[' here is not closed before ':' on line 2: "
              "add ']' where it ends",
              "    1 | registry: [a, b\n      |           ^"),
    BadValues("a tab in the indentation", lambda: b"apps:\n\tapi: {}\n",
              "values/broken.yaml:2: a tab in the indentation: YAML indents and separates with spaces only",
              "    2 | \u2192api: {}\n      | ^"),
    BadValues("a duplicate key", lambda: b"registry: a\nnamespace: x\nregistry: b\n",
              "values/broken.yaml:3: duplicate key 'registry' (first set on line 1)",
              "    3 | registry: b\n      | ^"),
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
              "values/broken.yaml:1: character U+0000 is not allowed in YAML",
              "    1 | registry: a?b\n      |            ^"),
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
              "values/broken.yaml:2: a second YAML document starts here ('---'): this file holds one mapping",
              "    2 | ---\n      | ^"),
    BadValues("an alias to an undefined anchor", lambda: b"registry: *nowhere\n",
              "values/broken.yaml:1: '*nowhere' refers to an anchor '&nowhere' that is not defined above it",
              "    1 | registry: *nowhere\n      |           ^"),
    BadValues("a key that is not a string", lambda: b"? [a, b]\n: 1\n",
              "values/broken.yaml:1: key ('a', 'b') is not a string"),
    # A plain 2024-01-01 is a string (the YAML 1.2 core schema has no timestamps); only the explicit tag makes a date.
    BadValues("a `!!timestamp` where a string belongs", lambda: b"registry: !!timestamp 2024-01-01\n",
              "values/broken.yaml:1: registry: unsupported YAML value of type date (quote it as a string)"),
    BadValues("a `!!binary` value", lambda: b"registry: !!binary aGVsbG8=\n",
              "values/broken.yaml:1: registry: unsupported YAML value of type bytes (quote it as a string)"),
    BadValues("a `!!python/object` tag",
              _prod_replacing("registry: gitea.treytartt.com/admin", "registry: !!python/object:os.system {}"),
              "values/broken.yaml:5: registry: Input should be a valid string"),
    BadValues("a merge key `<<` (accepted; merged keys are checked like any other)",
              _prod_replacing("    replicas: 2\n  admin:", "    <<: {replicsa: 2}\n  admin:"),
              "values/broken.yaml:28: apps.worker.replicsa: unknown key (did you mean 'replicas'?)"),
    BadValues("odd unicode in a name (`apps.ápi`)", _prod_replacing("apps:\n  api:", "apps:\n  \u00e1pi:\n    component: api\n  api:"),
              "values/broken.yaml:20: apps.ápi: 'ápi' is not a DNS label: 'á' at position 1 is not allowed "
              "(only lowercase letters, digits and '-')"),
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


TAG = 'image: {tag: "d3708e6"}'
FIVE_MISTAKES = _prod_edited(
    ("registry: gitea", "regsitry: gitea"),
    (TAG + "\n    autoscaling", 'image: {tag: "d3708e6 "}\n    autoscaling'),
    ("  worker:\n", "  wroker:\n"),
    ("    replicas: 1\n  web", "    replicas: 1\n    resources: {requests: {cpu: 100m, memory: 512MB}, limits: {memory: 1Gi}}\n  web"),
    ("app: admin}", "app: admn}"),
)

MISTAKES = [
    # Both keys that clash are named, each its line (it was the first only, when one error was all a run said).
    Mistake("two writable paths that name the same volume",
            _prod_adding(_API, "    securityContext: {writablePaths: {/var/tmp-x: 64Mi, /var/tmp/x: 64Mi}}\n"),
            ("hdgen: error: values/broken.yaml:22: apps.api.securityContext.writablePaths./var/tmp-x: gives the same "
             "volume name 'writable-var-tmp-x' as another path: rename one\n"
             "hdgen: error: values/broken.yaml:22: apps.api.securityContext.writablePaths./var/tmp/x: gives the same "
             "volume name 'writable-var-tmp-x' as another path: rename one\n"
             "hdgen: 2 errors in values/broken.yaml\n")),
    Mistake("five different mistakes in one file: five lines in one run", FIVE_MISTAKES,
            ("hdgen: error: values/broken.yaml:5: regsitry: unknown key (did you mean 'registry'?)\n"
             "hdgen: error: values/broken.yaml:21: apps.api.image.tag: the tag 'd3708e6 ' has a trailing space\n"
             "hdgen: error: values/broken.yaml:28: apps.wroker: unknown app 'wroker' (did you mean 'worker'?)\n"
             "hdgen: error: values/broken.yaml:34: apps.admin.resources.requests.memory: '512MB' is not a Kubernetes quantity: use 512Mi or 512M\n"
             "hdgen: error: values/broken.yaml:48: ingress.routes.1.app: unknown app 'admn' (did you mean 'admin'? apps: admin, api, web, worker, wroker)\n"
             'hdgen: 5 errors in values/broken.yaml\n')),
    Mistake("a memory of `512MB`", _prod_edited(("    replicas: 1\n  web", "    replicas: 1\n    resources: {requests: {cpu: 100m, memory: 512MB}, limits: {memory: 1Gi}}\n  web")),
            ("hdgen: error: values/broken.yaml:34: apps.admin.resources.requests.memory: '512MB' is not a Kubernetes quantity: use 512Mi or 512M\n")),
    Mistake("an image tag with a trailing space", _prod_edited((TAG + "\n    autoscaling", 'image: {tag: "d3708e6 "}\n    autoscaling')),
            ("hdgen: error: values/broken.yaml:21: apps.api.image.tag: the tag 'd3708e6 ' has a trailing space\n")),
    Mistake("an image tag with the repository in it", _prod_edited((TAG + "\n    autoscaling", 'image: {tag: "honeydue-api:d3708e6"}\n    autoscaling')),
            ("hdgen: error: values/broken.yaml:21: apps.api.image.tag: the tag 'honeydue-api:d3708e6' has ':' in it: the tag is what follows ':' in an image; the repository goes in image.repository\n")),
    Mistake("a digest one digit short", _prod_edited((TAG + "\n    autoscaling", 'image: {tag: "d3708e6", digest: "sha256:' + "a" * 63 + '"}\n    autoscaling')),
            ("hdgen: error: values/broken.yaml:21: apps.api.image.digest: 'sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' is not an image digest: it has 63 hex digits after 'sha256:', not 64\n")),
    Mistake("an uppercase letter in a name", _prod_edited(("[gitea-registry]", "[Gitea-registry]")),
            ("hdgen: error: values/broken.yaml:6: imagePullSecrets.0: 'Gitea-registry' is not a DNS label: 'G' at position 1 is uppercase (use 'gitea-registry')\n")),
    Mistake("a port out of range", _prod_edited(("    replicas: 2\n\nredis", "    replicas: 2\n    servicePort: 70000\n\nredis")),
            ('hdgen: error: values/broken.yaml:37: apps.web.servicePort: 70000 is not a port: use 1 to 65535\n')),
    Mistake("a port name where a name or a number belongs (`tcpSocket: Http`)", _prod_edited(("    replicas: 2\n\nredis", "    replicas: 2\n    probes: {liveness: {tcpSocket: Http}}\n\nredis")),
            ("hdgen: error: values/broken.yaml:37: apps.web.probes.liveness.tcpSocket: 'Http' is not a DNS label: 'H' at position 1 is uppercase (use 'http')\n")),
    Mistake("a URL where a host belongs", _prod_edited(("{host: api.myhoneydue.com,", "{host: https://api.myhoneydue.com,")),
            ("hdgen: error: values/broken.yaml:46: ingress.routes.0.host: 'https://api.myhoneydue.com' is not a host name: it is a URL; write the host only, 'api.myhoneydue.com'\n")),
    Mistake("a route path without its `/`", _prod_edited(("app: api}", "app: api, path: api}")),
            ("hdgen: error: values/broken.yaml:46: ingress.routes.0.path: 'api' is not a path: start it with '/' ('/api')\n")),
    Mistake("a duration of `1min`", _prod_edited(("  revision: main", "  revision: main\n  syncInterval: 1min")),
            ("hdgen: error: values/broken.yaml:62: gitops.syncInterval: '1min' is not a duration: the unit 'min' is none of ms, s, m, h\n")),
    Mistake("a remote-write URL without `https://`", _prod_edited(("remoteWriteUrl: https://", "remoteWriteUrl: ")),
            ("hdgen: error: values/broken.yaml:53: observability.remoteWriteUrl: 'obs.treytartt.com/api/v1/write' is not an http(s) URL: start it with https:// (or http://)\n")),
    Mistake("`agent: argo`", _prod_edited(("agent: argocd", "agent: argo")),
            ("hdgen: error: values/broken.yaml:59: gitops.agent: Input should be 'argocd' or 'flux' (did you mean 'argocd'?)\n")),
    Mistake("a typo in an app name (`apps.wroker`)", _prod_edited(("  worker:\n", "  wroker:\n")),
            ("hdgen: error: values/broken.yaml:28: apps.wroker: unknown app 'wroker' (did you mean 'worker'?)\n")),
    Mistake("a new app without its required keys", _prod_edited(("    replicas: 2\n\nredis", "    replicas: 2\n  cron:\n    " + TAG + "\n    replicas: 1\n\nredis")),
            ("hdgen: error: values/broken.yaml:37: apps.cron: new app 'cron' needs component, resources and probes.liveness (a complete app: docs/values.md#a-complete-app)\n")),
    Mistake("a misspelt nested key (no 'missing' twin for the key it meant)", _prod_edited(("minReplicas: 3", "minReplica: 3")),
            ("hdgen: error: values/broken.yaml:23: apps.api.autoscaling.minReplica: unknown key (did you mean 'minReplicas'?)\n")),
    Mistake("two routes with the same host and path to different apps", _prod_edited(("    - {host: myhoneydue.com, app: web}", "    - {host: myhoneydue.com, app: web}\n    - {host: myhoneydue.com, app: admin, path: /}")),
            ('hdgen: error: values/broken.yaml:49: ingress.routes.3: sends myhoneydue.com/ to admin, but the route at index 2 already sends it to web: only one of them would get the requests; give each its own host or path\n')),
    Mistake("`configKeysOnlyHere` listing a key config does not set", _prod_edited(("config:\n", "configKeysOnlyHere: [DEBUG_SQL]\nconfig:\n")),
            ("hdgen: error: values/broken.yaml:13: configKeysOnlyHere.0: lists 'DEBUG_SQL', which config does not set\n")),
    Mistake("a config key one edit from the key every other env sets (a warning; the render goes on)", _prod_edited(("LOG_LEVEL: info", "LOG_LEVL: info")),
            ("hdgen: warning: values/broken.yaml:15: config.LOG_LEVL: only broken sets it, and every other env sets 'LOG_LEVEL' instead, one edit away: a typo on one side? (a key meant for broken alone: list it in configKeysOnlyHere)\n"), code=0),
    Mistake("a route host one edit from the domain of the other routes (a warning)", _prod_edited(("host: admin.myhoneydue.com", "host: admin.myhonedue.com")),
            ("hdgen: warning: values/broken.yaml:47: ingress.routes.1.host: 'admin.myhonedue.com' is the only host on myhonedue.com, one edit from myhoneydue.com, the domain of the env's other routes: did you mean 'admin.myhoneydue.com'?\n"), code=0),
    Mistake("YAML: a key indented more than the key above it", _prod_edited(("    replicas: 1\n  web", "    replicas: 1\n      useConfig: false\n  web")),
            ("hdgen: error: values/broken.yaml:34: this key is indented more than 'replicas' above it, and 'replicas' already has a value, so it cannot start a new key here: indent it as 'replicas' is\n"
             '   34 |       useConfig: false\n'
             '      |       ^\n')),
    Mistake("YAML: a key indented between two levels", _prod_edited(("    replicas: 1\n  web", "    replicas: 1\n   useConfig: false\n  web")),
            ('hdgen: error: values/broken.yaml:34: this key is indented 3 spaces, which lines up with no key above it (they are at 4, 2 or 0 spaces): indent it like the keys it belongs with\n'
             '   34 |    useConfig: false\n'
             '      |    ^\n')),
    Mistake("YAML: `key: value: x`", _prod_edited(("  revision: main", "  revision: main: x")),
            ('hdgen: error: values/broken.yaml:61: a second \': \' on one line: the value of \'revision\' holds \': \', so quote it (revision: "main: x")\n'
             '   61 |   revision: main: x\n'
             '      |                 ^\n')),
    Mistake("YAML: no space after a colon", _prod_edited(("  revision: main", "  revision:main")),
            ("hdgen: error: values/broken.yaml:61: no space after the ':' of 'revision:main', so YAML reads it as one word, not a key and its value: write 'revision: main'\n"
             '   61 |   revision:main\n'
             '      |            ^\n')),
    Mistake("YAML: an unclosed quote (a secret-looking value is hidden)", _prod_edited(("  LOG_LEVEL: info", '  LOG_LEVEL: info\n  DB_PASSWORD: "hunter2')),
            ('hdgen: error: values/broken.yaml:16: this double-quoted value is not closed on its line, so YAML reads on into the lines below (the error it reports on line 23 comes from that): close it with "\n'
             '   16 |   DB_PASSWORD: …\n'
             '      |                ^\n')),
    Mistake("YAML: a value its tag does not fit (`!!int x`; crashed before)",
            _prod_edited(("  revision: main", "  revision: !!int main")),
            ("hdgen: error: values/broken.yaml:61: !!int 'main': the value is not an int; write one, or drop the tag\n"
             "   61 |   revision: !!int main\n"
             "      |             ^\n")),
    Mistake("YAML: a list item among the keys of a mapping", _prod_edited(("  tlsSecret: honeydue-tls", "  tlsSecret: honeydue-tls\n  - {host: x.myhoneydue.com, app: api}")),
            ("hdgen: error: values/broken.yaml:45: a list item among the keys of a mapping: put the list under a key of its own (the key, then the '- ' items indented below it)\n"
             '   45 |   - {host: x.myhoneydue.com, app: api}\n'
             '      |   ^\n')),
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
    BadManifest("a value its tag does not fit (`!!int x`; crashed before)",
                lambda: b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  a: !!int x\n",
                "error parse invalid YAML: !!int 'x': the value is not an int; write one, or drop the tag"),
    BadManifest("a document without kind", lambda: b"apiVersion: v1\nmetadata: {name: x}\n",
                "error parse document has no kind"),
]


def markdown_table() -> str:
    """The docs table: every input the tests try, the exit code and the message."""
    rows = ["| input | command | exit | what hdgen says |", "|---|---|---|---|"]
    for case in VALUES_CASES:
        rows.append(f"| {case.name} | `hdgen render` | 2 | `{_cell(case.message)}` |")
    for mistake in MISTAKES:
        # Whole, not cut at 140 characters: these rows are the words themselves (the caret lines are left out).
        lines = "<br>".join("`" + line.replace("|", "\\|") + "`" for line in mistake.stderr.splitlines()
                            if not line.startswith(" "))
        rows.append(f"| {mistake.name} | `hdgen render` | {mistake.code} | {lines} |")
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
    ("an env name with `/`, `..`, an absolute path, `;` or non-ASCII", "`render`, `bump`, `diff`", 2,
     "`invalid env name '../outside': use lowercase letters, digits and '-' (known envs: prod, staging)`"),
    ("whitespace or a control character in any argument (`--sha \"$SHA\"` with a newline)", "every command", 2,
     "`hdgen bump: error: argument --sha: '1a2b3c4d\\n' ends with a newline: this argument takes no whitespace "
     "or control character`, at parse time (tests/test_arguments.py)"),
    ("a `--base` that is not a git ref", "`diff`, `ci`", 2,
     "`--base 'nope': unknown git ref (no commit by that name in …)`; `ci` runs no check (tests/test_ci.py)"),
    ("`--commit` with uncommitted changes in the values file", "`bump`, `promote`, `rollback`, `rotate`", 2,
     "`values/prod.yaml: has uncommitted changes; …`, before any line of the plan (tests/test_bump.py)"),
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
