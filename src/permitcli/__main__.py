"""`python -m permitcli`: the same as the `permitcli` command."""

from permitcli.cli import main

main()
