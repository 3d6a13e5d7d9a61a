"""The Pod Security Standards, as far as a container's values can break them.

kubernetes.io/docs/concepts/security/pod-security-standards: the namespace's
`enforce` level refuses pods that break it. The model asks `breaks(level, …)`
before the render, so a values file that the API server would refuse at
admission (a pod the ReplicaSet can never create) fails with its key path
instead. Seccomp, dropped capabilities and runAsNonRoot are not values: the
templates always set them, so only what a values file can relax is checked.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

LEVELS = ("privileged", "baseline", "restricted")

# Capabilities a container may add under `baseline` (the standard's "Capabilities" control).
BASELINE_CAPABILITIES = frozenset(
    {
        "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE",
        "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
    }
)
# Under `restricted`, every capability is dropped and only this one may be added back.
RESTRICTED_CAPABILITIES = frozenset({"NET_BIND_SERVICE"})


def breaks(
    level: str, *, run_as_user: int, allow_privilege_escalation: bool, add_capabilities: Iterable[str]
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """(key path, why) for each setting a namespace enforcing `level` would refuse."""
    if level == "privileged":
        return
    allowed = RESTRICTED_CAPABILITIES if level == "restricted" else BASELINE_CAPABILITIES
    for index, capability in enumerate(add_capabilities):
        if capability not in allowed:
            yield ("addCapabilities", index), (
                f"{capability} is not allowed at Pod Security level {level!r} "
                f"(allowed: {', '.join(sorted(allowed))}): the API server would refuse the pods"
            )
    if level != "restricted":
        return
    if run_as_user == 0:
        yield ("runAsUser",), (
            "0 is root: the namespace enforces Pod Security 'restricted', which refuses pods that may run "
            "as root; give the image's non-root uid"
        )
    if allow_privilege_escalation:
        yield ("allowPrivilegeEscalation",), (
            "true is refused by Pod Security 'restricted', which the namespace enforces"
        )
