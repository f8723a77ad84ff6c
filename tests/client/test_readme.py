"""The package README's examples hold as written: they compile, and every call they make takes those arguments."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import oms_sync_client
import pytest
from oms_sync_client import AsyncOmsClient, OmsClient

README = Path(oms_sync_client.__file__).resolve().parent.parent / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.DOTALL)
CLIENT_NAMES = {"client", "local"}


def calls_on_clients(tree: ast.AST) -> list[ast.Call]:
    """Every call `client.method(...)` (or `await client.method(...)`) in an example."""
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id in CLIENT_NAMES
    ]


def constructor_calls(tree: ast.AST) -> list[ast.Call]:
    """Every `OmsClient(...)`, `OmsClient.from_env(...)` and their async twins in an example."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        target = node.func.value if isinstance(node.func, ast.Attribute) else node.func
        if isinstance(target, ast.Name) and target.id in (OmsClient.__name__, AsyncOmsClient.__name__):
            found.append(node)
    return found


def test_the_readme_has_python_examples() -> None:
    assert len(BLOCKS) > 5


@pytest.mark.parametrize("block", BLOCKS, ids=lambda block: block.splitlines()[0][:40])
def test_every_python_example_compiles(block: str) -> None:
    compile(block, "README.md", "exec")


@pytest.mark.parametrize("block", BLOCKS, ids=lambda block: block.splitlines()[0][:40])
def test_every_client_method_an_example_calls_takes_the_arguments_it_passes(block: str) -> None:
    client_class = AsyncOmsClient if "async def" in block else OmsClient  # the async examples run in a coroutine
    for call in calls_on_clients(ast.parse(block)):
        assert isinstance(call.func, ast.Attribute)
        method = getattr(client_class, call.func.attr, None)
        assert method is not None, f"{client_class.__name__} has no method {call.func.attr}"
        accepted = inspect.signature(method).parameters
        for keyword in call.keywords:
            assert keyword.arg in accepted, f"{call.func.attr}() takes no argument {keyword.arg!r}"


@pytest.mark.parametrize("block", BLOCKS, ids=lambda block: block.splitlines()[0][:40])
def test_every_client_an_example_builds_takes_the_arguments_it_passes(block: str) -> None:
    for call in constructor_calls(ast.parse(block)):
        factory = OmsClient.from_env if isinstance(call.func, ast.Attribute) else OmsClient.__init__
        accepted = inspect.signature(factory).parameters
        for keyword in call.keywords:
            assert keyword.arg in accepted, f"{ast.unparse(call.func)}() takes no argument {keyword.arg!r}"
