from hdgen.cli import entry

entry()
