"""``idp policy show|check``: the decision policy a client and product get, and checking a policy file.

``show`` prints the resolved policy as JSON (the files it is made of, the version decisions record, every
setting); ``check`` validates one file with what it extends and exits 1 naming each bad key.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from idp.settings import get_settings

if TYPE_CHECKING:
    from queues.policies import PolicyFileInvalid

policy_app = typer.Typer(help="决策策略 (decision policies as data: thresholds, blocking rules, routing).",
                         no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add ``idp policy …`` to the main CLI."""
    app.add_typer(policy_app, name="policy")


@policy_app.command("show")
def show(
    client: Annotated[str | None, typer.Option(help="client name (as given to `idp client create`)")] = None,
    product: Annotated[str, typer.Option(help="product, e.g. 供应链订单贷")] = "",
) -> None:
    """Print the policy that applies to a client and product (IDP_POLICY_DIR, else the shipped default)."""
    from queues.policies import PolicyFileInvalid, policy_for_client, policy_layers, policy_path

    settings = get_settings()
    path = policy_path(settings.policy_dir, client, product)
    try:
        policy = policy_for_client(settings, client, product)
    except PolicyFileInvalid as exc:
        _problems(exc)
        raise typer.Exit(1) from None
    out = {"version": policy.version, "files": [str(p) for p in policy_layers(path)],
           "policy": policy.model_dump(mode="json")}
    typer.echo(json.dumps(out, ensure_ascii=False, indent=2))


@policy_app.command("check")
def check(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="TOML file")],
) -> None:
    """Validate a policy file with what it extends; prints the version it records, or every bad key."""
    from queues.policies import SHIPPED, PolicyFileInvalid, check_file, policy_layers

    try:
        policy = check_file(get_settings(), file)
    except PolicyFileInvalid as exc:
        _problems(exc)
        raise typer.Exit(1) from None
    shipped = SHIPPED.resolve()
    layers = " ← ".join("内置 (shipped) default" if p == shipped else p.name
                        for p in reversed(policy_layers(file)))
    typer.echo(f"有效 (valid) {file}: version {policy.version} ({layers})")


def _problems(exc: PolicyFileInvalid) -> None:
    typer.echo(f"决策策略文件无效 (invalid policy file): {exc.path}", err=True)
    for file, key, message in exc.problems:
        typer.echo(f"  {file}  键 (key) {key}: {message}", err=True)
