"""Which decision policy applies: policy files per client and product over the shipped default (issue 7).

Files are TOML and live in ``IDP_POLICY_DIR``, named after the client's **name** (as given to
``idp client create``), not its id: ``<client>.<product>.toml``, else ``<client>.toml``, else
``default.toml``, else the shipped ``idp/policies/default.toml``. A file is merged key by key onto the policy
it ``extends`` (another file of the same folder, named without ``.toml``: ``extends = "acme"``) or, without
``extends``, onto the folder's ``default.toml`` (itself merged onto the shipped file): a table merges, a list
or a value replaces.
Every file states its ``version``; the merged result is validated by :class:`idp.policy.DecisionPolicy`
(unknown keys are errors) and records ``<version>@<hash>``, the hash taken over the merged content, so a file
edited without a new version is still told apart in every decision.

``IDP_DEFAULT_FIELD_THRESHOLD``, when set, overrides the shipped ``default_threshold`` (files still win).
"""

from __future__ import annotations

import hashlib
import json
import logging
import tomllib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

import idp.policies
from idp.errors import InputRejected
from idp.policy import DecisionPolicy
from idp.settings import Settings
from queues.sla_config import policies_for

logger = logging.getLogger(__name__)

#: The shipped policy: exactly the defaults of :class:`DecisionPolicy`.
SHIPPED = Path(idp.policies.__file__).with_name("default.toml")
#: Longest ``version`` a file may state (the stored version adds ``@`` and 8 hex digits; the column holds 60).
_VERSION_MAX = 40
#: Words for pydantic's error types, so a reviewer of a bad file reads Chinese first.
_ERROR_WORDS = {
    "extra_forbidden": "未知的键 (unknown key)",
    "enum": "取值不在允许范围内 (value not allowed)",
    "less_than_equal": "超出范围 (out of range)",
    "greater_than_equal": "超出范围 (out of range)",
    "missing": "缺少必填项 (missing)",
}

_RAW: dict[Path, tuple[tuple[int, int], dict[str, Any]]] = {}
_LOADED: dict[tuple[Any, ...], DecisionPolicy] = {}
_CLIENT_NAMES: dict[tuple[str, str], str] = {}


class PolicyFileInvalid(InputRejected):
    """A policy file that cannot be used; ``problems`` lists ``(file, key, message)``."""

    code = "policy_invalid"
    message = "决策策略文件无效 (invalid policy file)"

    def __init__(self, path: Path, problems: list[tuple[Path, str, str]]) -> None:
        self.path = path
        self.problems = problems
        lines = "; ".join(f"{file.name} 键 (key) {key}: {text}" for file, key, text in problems)
        super().__init__(f"决策策略文件无效 (invalid policy file) {path}: {lines}", path=str(path),
                         problems=[{"file": str(f), "key": k, "message": m} for f, k, m in problems])


def policy_for(settings: Settings, *, client_id: str | None = None, product: str = "") -> DecisionPolicy:
    """The policy of an application of this client (by id) and product (the shipped default without files)."""
    name = client_name(settings, client_id) if client_id and settings.policy_dir else None
    return policy_for_client(settings, name, product)


def policy_for_client(settings: Settings, client: str | None, product: str = "") -> DecisionPolicy:
    """The policy of this client (by name) and product, its SLA names checked against the SLA policies."""
    return check_file(settings, policy_path(settings.policy_dir, client, product))


def check_file(settings: Settings, path: Path) -> DecisionPolicy:
    """The policy a file gives under these settings, SLA names checked; raises :class:`PolicyFileInvalid`."""
    policy = load_policy(path, threshold=_env_threshold(settings))
    _check_sla_names(settings, path, policy)
    return policy


def policy_path(policy_dir: Path | None, client: str | None, product: str = "") -> Path:
    """The first that exists: ``<client>.<product>.toml``, ``<client>.toml``, ``default.toml``, shipped."""
    if policy_dir is None:
        return SHIPPED
    names = []
    if client and _safe(client):
        if product and _safe(product):
            names.append(f"{client}.{product}.toml")
        names.append(f"{client}.toml")
    names.append("default.toml")
    for name in names:
        if (policy_dir / name).is_file():
            return policy_dir / name
    return SHIPPED


def load_policy(path: Path, *, threshold: float | None = None) -> DecisionPolicy:
    """The policy a file states, merged onto what it extends; raises :class:`PolicyFileInvalid`.

    Args:
        path: the policy file.
        threshold: replaces the shipped ``default_threshold`` (under every deployment file).
    """
    layers = policy_layers(path)
    key = (tuple((p, _RAW[p][0]) for p in layers), threshold)
    cached = _LOADED.get(key)
    if cached is not None:
        return cached
    merged: dict[str, Any] = {}
    for index, layer in enumerate(layers):
        body = {k: v for k, v in _RAW[layer][1].items() if k != "extends"}
        merged = _merge(merged, body)
        if index == 0 and threshold is not None:
            merged["default_threshold"] = threshold
    try:
        policy = DecisionPolicy.model_validate(merged)
    except ValidationError as exc:
        raise PolicyFileInvalid(path, [_problem(layers, err) for err in exc.errors()]) from None
    content = policy.model_dump(mode="json", exclude={"version"})
    digest = hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:8]
    policy = policy.model_copy(update={"version": f"{policy.version}@{digest}"})
    _LOADED[key] = policy
    return policy


def policy_layers(path: Path) -> list[Path]:
    """The files a policy is made of, the shipped default first and ``path`` last."""
    chain: list[Path] = []
    current: Path | None = path.resolve()
    while current is not None:
        if current in chain:
            cycle = " → ".join(p.name for p in (*reversed(chain), current))
            raise PolicyFileInvalid(path, [(current, "extends", f"循环继承 (extends cycle): {cycle}")])
        raw = _read(current)
        chain.append(current)
        current = _parent(current, raw)
    return list(reversed(chain))


def client_name(settings: Settings, client_id: str) -> str | None:
    """The client's name (names never change, so it is remembered); None for an unknown id."""
    from idp.storage import clients
    from idp.storage.db import session_scope

    key = (settings.effective_database_url, client_id)
    if key not in _CLIENT_NAMES:
        with session_scope(settings.effective_database_url) as s:
            row = clients.get(s, client_id)
            if row is None:
                return None
            _CLIENT_NAMES[key] = row.name
    return _CLIENT_NAMES[key]


def _read(path: Path) -> dict[str, Any]:
    """A file's TOML, parsed again only when its mtime or size changed; checks ``version`` and ``extends``."""
    try:
        stat = path.stat()
    except OSError as exc:
        raise PolicyFileInvalid(path, [(path, "-", f"无法读取 (cannot read): {exc.strerror}")]) from None
    stamp = (stat.st_mtime_ns, stat.st_size)
    hit = _RAW.get(path)
    if hit is not None and hit[0] == stamp:
        return hit[1]
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise PolicyFileInvalid(path, [(path, "-", f"不是有效的 UTF-8 TOML (not valid TOML): {exc}")]) from None
    version = data.get("version")
    if not isinstance(version, str) or not version.strip() or "@" in version or len(version) > _VERSION_MAX:
        raise PolicyFileInvalid(path, [(path, "version", f"每个文件都须写明 version: 1–{_VERSION_MAX} 个字符, "
                                                         f"不含 '@' (every file states its version)")])
    extends = data.get("extends")
    if extends is not None and (not isinstance(extends, str) or not _safe(extends)):
        raise PolicyFileInvalid(path, [(path, "extends", "应为同一目录下另一文件的名字 (不含 .toml) "
                                                         "(the name of another file in the same folder)")])
    _RAW[path] = (stamp, data)
    return data


def _parent(path: Path, raw: dict[str, Any]) -> Path | None:
    """What a file is merged onto: its ``extends``, else the folder's ``default.toml``, else the shipped."""
    if path == SHIPPED.resolve():
        return None
    extends = raw.get("extends")
    if extends is not None and extends != "default":
        target = path.with_name(f"{extends}.toml")
        if not target.is_file():
            raise PolicyFileInvalid(path, [(path, "extends", f"找不到 {target.name} (no such file)")])
        return target
    local = path.with_name("default.toml")
    return local if local.is_file() and local != path else SHIPPED.resolve()


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """``over`` onto ``base``: tables merge key by key, anything else replaces (neither input is changed)."""
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _problem(layers: list[Path], err: Any) -> tuple[Path, str, str]:
    """One validation error as (the file that sets the key, the key, a Chinese-first message)."""
    loc = [str(part) for part in err["loc"]]
    words = _ERROR_WORDS.get(err["type"]) or (
        "类型或格式不对 (wrong type or format)" if err["type"].endswith(("_type", "_parsing")) else "取值无效")
    return _origin(layers, loc), _dotted(loc), f"{words}: {err['msg']}"


def _origin(layers: list[Path], loc: list[str]) -> Path:
    """The last file that sets the key at ``loc`` (the top file when none does)."""
    origin = layers[-1]
    for layer in layers:
        node: Any = _RAW[layer][1]
        for part in loc:
            if not isinstance(node, dict) or part not in node:
                break
            node = node[part]
        else:
            origin = layer
    return origin


def _dotted(loc: list[str]) -> str:
    """A key path as TOML writes it (``routing.rules."statement.".sla``)."""
    return ".".join(p if p.replace("_", "").replace("-", "").isalnum() and p.isascii() else json.dumps(p,
                    ensure_ascii=False) for p in loc) or "-"


def _check_sla_names(settings: Settings, path: Path, policy: DecisionPolicy) -> None:
    known = {p.name for p in policies_for(settings)}
    routes = {("routing", "rules", k): r for k, r in policy.routing.rules.items()}
    routes |= {("routing", "severity", k.value): r for k, r in policy.routing.severity.items()}
    routes[("routing", "default")] = policy.routing.default
    layers = policy_layers(path)
    bad = [(_origin(layers, [*loc, "sla"]), _dotted([*loc, "sla"]),
            f"没有这个 SLA 策略 (no such SLA policy): {route.sla}; 可用 (known): {', '.join(sorted(known))}")
           for loc, route in routes.items() if route.sla and route.sla not in known]
    if bad:
        raise PolicyFileInvalid(path, bad)


def _env_threshold(settings: Settings) -> float | None:
    """``IDP_DEFAULT_FIELD_THRESHOLD`` only when set: unset, the shipped file's calibrated value applies."""
    explicit = "default_field_threshold" in settings.model_fields_set
    return settings.default_field_threshold if explicit else None


def _safe(name: str) -> bool:
    """Usable in a file name: not empty, no path separator, not hidden."""
    return bool(name) and not name.startswith(".") and not any(c in name for c in "/\\\0")
