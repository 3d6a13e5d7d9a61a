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
        # Extra lines (a tool's output, the YAML line at fault with a caret) shown under the message.
        self.detail = detail

    def each(self) -> list["HdgenError"]:
        """The errors this one stands for, each printed as its own `hdgen: error:` line."""
        return [self]


class InputError(HdgenError):
    """Bad values, unknown env, bad argument: exit 2."""

    exit_code = EXIT_INPUT


class InputErrors(InputError):
    """Every error one input file (or one env's merged files) holds, found in one pass.

    The CLI prints each as its own line, in file and line order, then this one's
    message, the count: fixing a file with five mistakes takes one run, not five.
    """

    def __init__(self, errors: list[InputError], files: list[str]):
        self.errors = errors
        super().__init__(f"{len(errors)} errors in {_files_text(errors, files)}")

    def each(self) -> list[HdgenError]:
        return list(self.errors)


def _files_text(errors: list[InputError], files: list[str]) -> str:
    counts = {name: sum(1 for e in errors if e.message.startswith(f"{name}:")) for name in files}
    named = [name for name in files if counts[name]]
    if len(named) <= 1:
        return named[0] if named else "the values"
    return ", ".join(f"{name} ({counts[name]})" for name in named)


def raise_all(errors: list[InputError], files: list[str]) -> None:
    """Raise the errors found (nothing when there are none): one as itself, several as InputErrors."""
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise InputErrors(errors, files)


class ToolError(HdgenError):
    """An external tool (kubeconform, git, kustomize) failed: exit 3."""

    exit_code = EXIT_TOOL
