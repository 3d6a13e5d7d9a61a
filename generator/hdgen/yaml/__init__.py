"""hdgen's YAML layer: the one sub-package that imports a YAML library.

The rest of hdgen calls this API, in the order data flows:

  read.read_text(path, label)        a values file or hdgen.yaml: UTF-8, at most MAX_VALUES_BYTES
  read.load_data(text)               one document, fast, no lines (values' first try)
  read.load_with_lines(text, label)  one document with the line of every key: (data, Lines);
                                     errors are `label:line: problem` (values, hdgen.yaml)
  read.load_rendered(text)           the read-back of a document hdgen's templates wrote
  stream.split_documents(text)       the one document splitter: (first line, text) per `---` document
  stream.load_document(text)         one split document (validate's reader: a problem becomes a finding)
  stream.load_all(text, label)       every document of a stream (a diff's base, CRD bundles)
  lines.key_lines(text, first_line)  key path -> line of one document, for findings
  dump.dump(data)                    canonical block YAML, the same bytes for equal data
  edit.set_string / edit.line_of     the surgical scalar edit `hdgen bump` makes, every other byte kept
  limits                             MAX_VALUES_BYTES, MAX_NODES, MAX_DEPTH and the depth check
  errors.YamlProblem                 the one wording of a YAML error: `file:line: problem`

Two libraries, each for what only it does well:
  ruamel.yaml (with ruamel.yaml.clib, its C extension): the round-trip loader, the only one that
    keeps the line of every key and the character range of every scalar (errors name file:line,
    findings name the line of a key, bump edits one scalar in place); as engines.py configures
    it, the reference every fast path is tested against; error wording; the dumper (dump.py).
  PyYAML, for its C parser only (construct.py): with the core schema's table it reads plain data
    about four times faster than ruamel's own C loader, and reading is most of `hdgen validate`
    and of a render's read-back. It refuses anything it might read differently from ruamel.
Every reader gives a plain scalar the YAML 1.2 core schema's meaning (core_schema.py: `=` and
dates are strings), and names the file's lines, counted by "\n" (breaks.py).
Inside, not called from outside: construct.py (the PyYAML-based constructor), engines.py
(ruamel's loaders and parsers, configured once), core_schema.py (what a plain scalar means),
breaks.py (parser lines to file lines), identity.py (the kind and name of a document that does
not read, for its finding), quoting.py and block_dump.py (dump's fast path).

yaml-rs, a third library, read rendered documents back faster still and was dropped: it saved
about 18% of `hdgen render`'s CPU at 1,290 resources and nothing at the honeyDue scale, and
keeping it within two libraries would have meant dropping PyYAML, which halves `hdgen validate`
and `hdgen ci` there (the measurements are in the commit that removed it).

Only construct.py imports a library at module level, and the readers import it when they
first read: importing hdgen.yaml costs nothing until a document is read.
"""
