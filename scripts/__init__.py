"""Developer tools (benchmark, search quality, sample signing), importable from the repository root as
`scripts.<name>`: run them as files or with `python -m scripts.<name>` from the repository root."""
