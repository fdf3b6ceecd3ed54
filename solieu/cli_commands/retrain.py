"""`solieu retrain`: merge new annotations, train, compare, promote, reload.

Also `python -m solieu.cli_commands.retrain`, which is what the service's
training jobs run (the service itself never imports training code).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Annotated

import typer


def _packaged_config(name: str) -> Path:
    return Path(str(resources.files("solieu.training") / name))


def _default_models_dir() -> Path:
    from solieu.model_store import default_model_path

    return default_model_path().parent


def _existing_or_none(path: Path) -> Path | None:
    return path if path.exists() else None


def retrain(
    new: Annotated[list[Path], typer.Option("--new", help="New annotations: JSONL files or dirs (e.g. the import output, the webhook inbox).")],
    config: Annotated[Path | None, typer.Option(help="Training config (default: the packaged training/default.cfg).")] = None,
    relations_config: Annotated[Path | None, typer.Option(help="A relation scorer config trained apart and assembled behind the entity model, as 0.2.0 was (e.g. training/relations.cfg). Default: none; the relation component trained inside --config is kept, as in the shipped 0.3.0.")] = None,
    joint: Annotated[bool, typer.Option("--joint", help="Keep the relation component trained inside --config (the default; overrides --relations-config).")] = False,
    base: Annotated[list[Path] | None, typer.Option("--base", help="Base corpus (default: annotations/corpus).")] = None,
    splits: Annotated[Path | None, typer.Option(help="Split manifest of the base corpus (default: annotations/splits.json).")] = None,
    dev: Annotated[list[Path] | None, typer.Option("--dev", help="Dev documents (default: the manifest's dev split).")] = None,
    heldout: Annotated[list[Path] | None, typer.Option("--heldout", help="Held-out documents (default: the manifest's test split).")] = None,
    old_model: Annotated[Path | None, typer.Option(help="Model to compare with (default: the promoted one, else the shipped one).")] = None,
    models_dir: Annotated[Path | None, typer.Option(help="Where versioned models and promoted.json live (default: models/trained).")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Model directory (default: MODELS_DIR/NAME-VERSION).")] = None,
    name: Annotated[str, typer.Option(help="Model name.")] = "solieu_vi",
    version: Annotated[str | None, typer.Option(help="Model version (default: one patch above the latest).")] = None,
    override: Annotated[list[str] | None, typer.Option("--set", help="Config override KEY=VALUE (JSON value).")] = None,
    relations_override: Annotated[list[str] | None, typer.Option("--set-relations", help="Relations config override KEY=VALUE.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Promote even if worse on held-out.")] = False,
    no_promote: Annotated[bool, typer.Option("--no-promote", help="Train and compare only.")] = False,
    reload_url: Annotated[str | None, typer.Option(help="After promoting, POST URL/v1/admin/reload (e.g. http://127.0.0.1:8000).")] = None,
    admin_token: Annotated[str | None, typer.Option(envvar="SOLIEU_ADMIN_TOKEN", show_default=False,
                                                    help="The service's admin token, for --reload-url.")] = None,
) -> None:
    """Retrain on base + new annotations; promote the new model only if it is not worse on held-out."""
    from solieu.errors import SolieuError
    from solieu.training.retrain import retrain as run_retrain
    from solieu.training.train import parse_overrides

    try:
        result = run_retrain(
            config=config or _packaged_config("default.cfg"), new=new,
            relations_config=None if joint else relations_config,
            relation_overrides=parse_overrides(relations_override or []),
            base=base if base is not None else [p for p in [_existing_or_none(Path("annotations/corpus"))] if p],
            splits=splits if splits is not None else _existing_or_none(Path("annotations/splits.json")),
            dev=dev, held_out=heldout, old_model=old_model, models_dir=models_dir or _default_models_dir(),
            output=output, name=name, version=version, overrides=parse_overrides(override or []), force=force,
            promote=not no_promote, reload_url=reload_url, admin_token=admin_token, echo=typer.echo,
        )
    except SolieuError as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(1) from e
    typer.echo(f"model written to {result.model_dir}" + ("" if result.promoted else " (not promoted)"))


def main() -> None:
    typer.run(retrain)


if __name__ == "__main__":
    main()
