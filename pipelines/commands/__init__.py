"""Family-specific CLI commands: each module defines `register(main: click.Group)`.

They reuse `pipelines.cli.handle_errors` and the options of `pipelines.cli_options` (`--db`,
`--k`, `--filter`, `--period`, `--from/--to`, `--format`, `--exact`) so every command has the same
exit codes (0 ok, 1 data error, 2 usage error) and one-sentence errors.
"""
