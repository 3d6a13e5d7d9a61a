"""The flaky validate-cache test: kubeconform names unknown fields in Go map order.

`test_any_input_change_is_a_miss[a schema file]` once failed on a fresh clone:
the cached and the uncached run printed different reports. The schema change
makes a ConfigMap carry two unknown fields, and kubeconform's schema library
lists them in the order Go iterates the object's map, which changes from run to
run ("'colour', 'data'" one time, "'data', 'colour'" the next). hdgen now names
them in sorted order, so the same bytes always give the same report.
"""

from __future__ import annotations

from pathlib import Path

from hdgen.objects.reader import load_file
from hdgen.validate import kubeconform
from tests.conftest import REPO

# Eight unknown fields: Go iterates a map from a random starting slot, so an unsorted listing of
# eight names seldom comes out sorted, let alone three runs in a row.
FIELDS = [f"unknown{number}" for number in range(8)]
MANIFEST = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: many\n" + "".join(f"{name}: x\n" for name in FIELDS)


def _listed(names: list[str]) -> str:
    return "additional properties " + ", ".join(f"'{name}'" for name in names) + " not allowed"


def _documents(folder: Path) -> list:
    path = folder / "many.yaml"
    path.write_text(MANIFEST)
    documents, findings = load_file(path, "many.yaml")
    assert findings == []
    return documents


def test_unknown_fields_are_named_in_one_order_whatever_order_kubeconform_gives(tmp_path: Path) -> None:
    (document,) = _documents(tmp_path)
    messages = [
        [f.message for f in kubeconform._findings({"status": "statusInvalid", "msg": f"- at '': {_listed(names)}"}, document, "1.33.0")]
        for names in (FIELDS, FIELDS[::-1], FIELDS[3:] + FIELDS[:3])
    ]
    assert messages == [[_listed(FIELDS)]] * 3


def test_the_real_kubeconform_gives_the_same_report_every_run(tmp_path: Path) -> None:
    """Without the sorting this fails: 20 runs of kubeconform 0.7.0 on this ConfigMap listed its
    eight names in 20 different orders, none of them sorted."""
    binary = REPO / ".tools" / "bin" / "kubeconform"
    assert binary.is_file(), f"kubeconform missing at {binary}: run `make bootstrap`"
    documents = _documents(tmp_path)
    source = kubeconform.SchemaSource(REPO / "schemas", "1.33.0")
    runs = {tuple(f.message for f in kubeconform.validate(documents, source, str(binary))) for _ in range(3)}
    assert runs == {(_listed(FIELDS),)}


def test_a_quote_inside_a_field_name_keeps_its_escape() -> None:
    assert kubeconform._in_one_order(r"additional properties 'b\'q', 'a' not allowed") == (
        r"additional properties 'a', 'b\'q' not allowed"
    )
    assert kubeconform._in_one_order(_listed(["only"])) == _listed(["only"])
