"""Error types and the exit codes they map to (the CLI contract in README)."""

EXIT_OK = 0
EXIT_FINDINGS = 1  # findings, differences, stale tree
EXIT_INPUT = 2  # usage or input error: bad values, unknown env, bad flag
EXIT_TOOL = 3  # a tool failed: kubeconform or git missing, crashed or hung
EXIT_INTERRUPTED = 130


class HdgenError(Exception):
    """An error the user can act on; the CLI prints it as one line."""

    exit_code = EXIT_INPUT

    def __init__(self, message: str, *, detail: str | None = None):
        super().__init__(message)
        self.message = message
        # Extra lines (a tool's output) shown under the message.
        self.detail = detail


class InputError(HdgenError):
    """Bad values, unknown env, bad argument: exit 2."""

    exit_code = EXIT_INPUT


class ToolError(HdgenError):
    """An external tool (kubeconform, git, kustomize) failed: exit 3."""

    exit_code = EXIT_TOOL
