"""Command functions of the `solieu` CLI, and what they share."""

from __future__ import annotations

import functools

import typer

from solieu.errors import SolieuError


def user_errors(fn):
    """Turn solieu's own errors into one readable line and exit code 1."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except SolieuError as e:
            typer.echo(f"error: {e}", err=True)
            raise typer.Exit(1) from e

    return wrapper
