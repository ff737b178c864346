"""The commands of no family: each module defines `register(main: click.Group)`.

They take their options from `pipelines.cli_options` (imported as `opt`: `--db`, `--k`,
`--filter`, `--period`, `--format`, paths) and `handle_errors` and `emit` from
`pipelines.cli_output`, so every command has the same exit codes (0 ok, 1 data error, 2 usage
error) and one-sentence errors.
"""
