"""`python -m permitcli`: the same as the `permitcli` command."""

from permitcli.launch import main

if __name__ == "__main__":
    main()
