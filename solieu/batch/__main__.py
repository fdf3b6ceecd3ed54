"""`python -m solieu.batch SOURCE -o OUT_DIR`: the `solieu batch` command, runnable on its own."""

import typer

from solieu.cli_commands.batch import batch

if __name__ == "__main__":
    typer.run(batch)
