"""hdgen comment: post or update the one diff-report comment on a pull request."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from hdgen.errors import EXIT_OK, InputError

HELP = "post or update ONE pull-request comment (GitHub or Gitea) with a report file"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--forge", choices=["github", "gitea"], required=True)
    parser.add_argument("--api", required=True, help="API base URL, e.g. https://api.github.com or https://HOST/api/v1")
    parser.add_argument("--repo", required=True, metavar="OWNER/NAME")
    parser.add_argument("--pr", required=True, type=int, metavar="NUMBER")
    parser.add_argument("--file", required=True, type=Path, help="the markdown to post (e.g. the hdgen ci report)")
    parser.epilog = "The token is read from HDGEN_FORGE_TOKEN, never from the command line."


def run(args: argparse.Namespace) -> int:
    from hdgen.diff.forge import forge_from

    try:
        body = args.file.read_text()
    except OSError as error:
        raise InputError(f"{args.file}: cannot read: {error.strerror}") from None
    forge = forge_from(args.forge, args.api, args.repo, os.environ.get("HDGEN_FORGE_TOKEN"))
    action, comment_id = forge.upsert_comment(args.pr, body)
    print(f"{action} comment {comment_id} on {args.repo}#{args.pr}")
    return EXIT_OK
