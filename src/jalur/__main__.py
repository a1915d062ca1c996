"""`python -m jalur …`: the CLI where the `jalur` script is not on PATH (a venv not activated)."""

from jalur.cli import main

main()
