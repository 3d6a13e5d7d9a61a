"""hdgen values-schema: the JSON Schema of the values model, for editors."""

from __future__ import annotations

import argparse
from pathlib import Path

from hdgen.errors import EXIT_FINDINGS, EXIT_OK

HELP = "print the JSON Schema of the values model (editors use schemas/values.schema.json)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--write", action="store_true", help="write schemas/values.schema.json instead of printing")
    parser.add_argument("--check", action="store_true", help="exit 1 if schemas/values.schema.json is out of date")
    parser.add_argument(
        "--markdown", action="store_true", help="print the values reference of docs/values.md instead (from the model)"
    )


def schema_text() -> str:
    import json

    from hdgen.render.model import Values

    schema = Values.model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "hdgen values"
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


def run(args: argparse.Namespace) -> int:
    from hdgen.project import find_project

    if args.markdown:
        from hdgen.render.values_doc import reference_block

        print(reference_block(), end="")
        return EXIT_OK
    text = schema_text()
    if not (args.write or args.check):
        print(text, end="")
        return EXIT_OK
    path: Path = find_project(args.project_dir).schemas_dir / "values.schema.json"
    current = path.read_text() if path.is_file() else None
    if args.check:
        if current == text:
            return EXIT_OK
        print(f"{path} is out of date: run `hdgen values-schema --write`")
        return EXIT_FINDINGS
    if current != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return EXIT_OK
