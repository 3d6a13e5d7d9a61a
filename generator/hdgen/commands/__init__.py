"""The command layer: one module per subcommand, each only parsing, calling and printing.

Each module has HELP, add_arguments(parser) and run(args) -> exit code. run()
parses what argparse could not, calls the one entry point of its pipeline
(hdgen.render.render_envs, hdgen.validate.validate_targets, hdgen.diff.build_review,
hdgen.ops, hdgen.ci.run_ci), prints, and returns an EXIT_* code; heavy imports stay
inside run(), so `hdgen --help` and tab completion load only argparse and these tables.
"""
