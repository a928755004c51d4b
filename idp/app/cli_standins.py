"""``idp stand-in tax|registry``: local 发票查验 and 工商登记 services the demo uses instead of providers.

Credentials default to the settings the adapters sign with, so ``idp stand-in tax`` plus the default settings
work together offline.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from idp.settings import get_settings

#: The demo's authority data (what the tax authority and registry hold for ``samples/``).
DEFAULT_DATA = Path("samples/authority/authority.json")

standin_app = typer.Typer(help="本地替身服务：发票查验与工商登记 (local stand-ins for the provider APIs).",
                          no_args_is_help=True)

DataOption = Annotated[Path, typer.Option("--data", exists=True, dir_okay=False, readable=True,
                                          help="authority.json (bundles.md format)")]


@standin_app.command("tax")
def tax(
    data: DataOption = DEFAULT_DATA,
    port: Annotated[int, typer.Option(help="listen port (the default tax_base_url uses 8801)")] = 8801,
    host: Annotated[str, typer.Option()] = "127.0.0.1",
) -> None:
    """发票查验 stand-in: Tencent VatInvoiceVerifyNew (TC3-signed POST /) and Baidu's verification."""
    import uvicorn

    from idp.standins.tax import create_tax_app

    s = get_settings()
    app = create_tax_app(data, secret_id=s.tencent_secret_id,
                         secret_key=s.tencent_secret_key.get_secret_value(), baidu_api_key=s.baidu_api_key,
                         baidu_secret_key=s.baidu_secret_key.get_secret_value(),
                         daily_limit=s.verify_daily_limit)
    count = len(app.state.index.data.tax_invoices)
    typer.echo(f"发票查验替身服务 on http://{host}:{port} ({count} invoices)")
    uvicorn.run(app, host=host, port=port, log_level="warning")


@standin_app.command("registry")
def registry(
    data: DataOption = DEFAULT_DATA,
    port: Annotated[int, typer.Option(help="listen port (the default registry_base_url uses 8802)")] = 8802,
    host: Annotated[str, typer.Option()] = "127.0.0.1",
) -> None:
    """工商登记 stand-in: Tianyancha ic/baseinfo/normal with the Authorization token from settings."""
    import uvicorn

    from idp.standins.registry import create_registry_app

    app = create_registry_app(data, token=get_settings().tianyancha_token.get_secret_value())
    typer.echo(f"工商登记替身服务 on http://{host}:{port} ({len(app.state.index.data.companies)} companies)")
    uvicorn.run(app, host=host, port=port, log_level="warning")


def register(app: typer.Typer) -> None:
    """Add ``idp stand-in …`` to the main CLI."""
    app.add_typer(standin_app, name="stand-in")
