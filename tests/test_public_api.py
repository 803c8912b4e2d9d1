"""The public API: what ``processing`` exports, and every ``processing``/``crawlers`` callable
the command line (processing/cli) and the DAGs (dags/, processing/airflow) call, is annotated
without ``Any`` anywhere: not at the top, not inside a union, a generic (``dict[str, Any]``), a
``Callable`` or a return type, not in the fields of a dataclass / TypedDict / NamedTuple /
pydantic model it takes or returns, not in the public methods of a class it exports or hands
out. A bare generic (``dict``, ``list``, ``Callable``) is ``Any`` in disguise and counts too,
as does a parameter or return left unannotated.

The callables are discovered from the callers' source (their imports and calls), so a new
command or task is checked without editing this file; in the packages the stages run in
(``MODULE_WIDE``) every public function and class is checked. ``make lint`` runs this module.
"""

from __future__ import annotations

import ast
import collections.abc
import dataclasses
import enum
import functools
import importlib
import inspect
import pkgutil
import subprocess
import sys
import types
import typing
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Literal, NamedTuple, TypedDict

import pytest
from typing_extensions import TypeAliasType

import processing

ROOT = Path(__file__).resolve().parents[1]
PROJECT = ("processing", "crawlers")
CALLERS = sorted(
    [
        *ROOT.glob("processing/cli/*.py"),
        *ROOT.glob("processing/airflow/*.py"),
        *ROOT.glob("dags/*.py"),
    ]
)

# Allowlists, one entry per function, method or class (its fields), for a leak that must wait
# for other work. Both are empty now and may only stay so or shrink: an entry that no longer
# leaks ``Any`` (or is no longer public) fails `test_the_allowlists_only_shrink`.
#
# ALLOWED_LEAKS: functions of the modules still to type; only names under STILL_TO_TYPE may be
# listed (none are left: every module the typing passes covered is typed).
STILL_TO_TYPE: tuple[str, ...] = ()
ALLOWED_LEAKS: frozenset[str] = frozenset()
# BLOCKED_BY_CALLERS: typed-module functions whose precise type would break the type check of
# callers still to type; each entry says which callers (a path under STILL_TO_TYPE).
BLOCKED_BY_CALLERS: dict[str, str] = {}


# -- the walker ------------------------------------------------------------------------------

_BARE_GENERICS: frozenset[object] = frozenset(
    {
        dict,
        list,
        set,
        frozenset,
        tuple,
        type,
        collections.abc.Callable,
        collections.abc.Mapping,
        collections.abc.MutableMapping,
        collections.abc.Sequence,
        collections.abc.MutableSequence,
        collections.abc.Iterable,
        collections.abc.Iterator,
        collections.abc.Generator,
        collections.abc.Collection,
        collections.abc.AsyncIterator,
        collections.abc.AsyncIterable,
        collections.abc.Awaitable,
        collections.abc.Set,
    }
)


def _is_project(obj: object) -> bool:
    module = getattr(obj, "__module__", None) or ""
    return module.split(".")[0] in PROJECT


def _name(obj: object) -> str:
    return f"{obj.__module__}:{obj.__qualname__}"  # type: ignore[attr-defined]


@functools.cache
def _type_checking_names(module_name: str) -> dict[str, object]:
    """The names a module imports under ``if TYPE_CHECKING:`` (scrapy's way to name a
    sibling layer's type without importing it at run time), imported here for real."""
    module = sys.modules[module_name]
    try:
        source = inspect.getsource(module)
    except (OSError, TypeError):
        return {}
    names: dict[str, object] = {}
    for node in ast.parse(source).body:
        if not isinstance(node, ast.If):
            continue
        test = ast.unparse(node.test)
        if test not in ("TYPE_CHECKING", "typing.TYPE_CHECKING"):
            continue
        imports = [n for n in node.body if isinstance(n, ast.Import | ast.ImportFrom)]
        block = ast.Module(body=imports, type_ignores=[])
        exec(compile(block, module.__file__ or module_name, "exec"), names)
    names.pop("__builtins__", None)
    return names


def _namespace(module_name: str) -> dict[str, object]:
    module = sys.modules[module_name]
    return {**_type_checking_names(module_name), **vars(module)}


def _hints(obj: object, module_name: str) -> dict[str, object]:
    return typing.get_type_hints(obj, globalns=_namespace(module_name), include_extras=True)


def _own_annotations(cls: type) -> dict[str, object]:
    """The annotations a project class (and its project bases) declares: third-party bases
    (pydantic's, typing's) are theirs to type."""
    found: dict[str, object] = {}
    for base in reversed(cls.__mro__):
        own = inspect.get_annotations(base)  # its own, not inherited ones
        if not _is_project(base) or not own:
            continue
        shim = types.new_class("shim")
        # a TypedDict's ForwardRefs are bound to its module's run-time names: unbind them, so
        # the names it imports under TYPE_CHECKING resolve too
        shim.__annotations__ = {
            k: v.__forward_arg__ if isinstance(v, typing.ForwardRef) else v for k, v in own.items()
        }
        shim.__module__ = base.__module__
        localns = {base.__name__: base}
        hints = typing.get_type_hints(
            shim, globalns=_namespace(base.__module__), localns=localns, include_extras=True
        )
        found.update({k: v for k, v in hints.items() if not k.startswith("_")})
    return found


def _is_structured(cls: type) -> bool:
    return (
        dataclasses.is_dataclass(cls)
        or typing.is_typeddict(cls)
        or (issubclass(cls, tuple) and hasattr(cls, "_fields"))
        or hasattr(cls, "model_fields")
    )


_ALIAS_TYPES = (TypeAliasType, getattr(typing, "TypeAliasType", TypeAliasType))


def _alias_value(alias: TypeAliasType) -> object:
    """What a ``TypeAliasType`` (``JSONValue``) stands for, its names resolved."""
    value = alias.__value__
    if isinstance(value, str):
        value = eval(value, _namespace(alias.__module__))  # an annotation
    return value


def _leaks_in(
    tp: object,
    where: str,
    found: list[str],
    reached: list[object],
    aliases: frozenset[int] = frozenset(),
) -> None:
    """Append to ``found`` every ``Any`` (or bare generic, or unresolved name) inside ``tp``;
    append to ``reached`` every project class it names (checked on its own)."""
    if isinstance(tp, _ALIAS_TYPES):
        if id(tp) not in aliases:  # a recursive alias is walked once
            _leaks_in(_alias_value(tp), where, found, reached, aliases | {id(tp)})
        return
    if tp is typing.Any:
        found.append(f"{where}: Any")
        return
    if isinstance(tp, typing.ForwardRef | str):
        found.append(f"{where}: unresolved {tp!r}")
        return
    if tp in _BARE_GENERICS or tp in (typing.Callable, typing.Dict, typing.List, typing.Tuple):  # noqa: UP006
        found.append(f"{where}: bare {tp!r} (implicit Any)")
        return
    origin = typing.get_origin(tp)
    if origin is Annotated:
        _leaks_in(typing.get_args(tp)[0], where, found, reached, aliases)
        return
    if origin is Literal:
        return
    if isinstance(tp, typing.TypeVar):
        for bound in (tp.__bound__, *tp.__constraints__):
            if bound is not None:
                _leaks_in(bound, where, found, reached, aliases)
        return
    args = typing.get_args(tp)
    if origin is not None and not args:
        found.append(f"{where}: bare {tp!r} (implicit Any)")
        return
    for arg in args:
        if arg is Ellipsis or arg == ():
            continue
        if isinstance(arg, list):  # Callable[[A, B], R]
            for a in arg:
                _leaks_in(a, where, found, reached, aliases)
        else:
            _leaks_in(arg, where, found, reached, aliases)
    if origin is None and isinstance(tp, type) and _is_project(tp):
        reached.append(tp)


def _function_leaks(fn: object, where: str, reached: list[object], *, method: bool) -> list[str]:
    fn = inspect.unwrap(fn)  # type: ignore[arg-type]
    found: list[str] = []
    try:
        hints = _hints(fn, fn.__module__)  # type: ignore[attr-defined]
    except Exception as exc:  # a name the annotations use that does not resolve
        return [f"{where}: annotations do not resolve ({exc!r})"]
    try:
        params = list(inspect.signature(fn).parameters.values())  # type: ignore[arg-type]
    except (TypeError, ValueError):
        params = []
    if method and params and params[0].name in ("self", "cls"):
        params = params[1:]
    for p in params:
        if p.name not in hints:
            found.append(f"{where}({p.name}): not annotated (implicit Any)")
    if "return" not in hints and getattr(fn, "__name__", "") != "__init__":
        found.append(f"{where} -> not annotated (implicit Any)")
    for key, tp in hints.items():
        _leaks_in(tp, f"{where} ->" if key == "return" else f"{where}({key})", found, reached)
    return found


def _methods(cls: type) -> Iterator[tuple[str, object]]:
    """Public methods (and ``__init__``/``__call__``) a project class defines itself or
    inherits from a project base; properties by their getter."""
    seen: set[str] = set()
    for base in cls.__mro__:
        if not _is_project(base):
            continue
        for key, value in base.__dict__.items():
            if key in seen or (key.startswith("_") and key not in ("__init__", "__call__")):
                continue
            seen.add(key)
            if key == "__init__" and _is_structured(cls):
                continue  # generated from the fields, which are checked as fields
            if isinstance(value, staticmethod | classmethod):
                value = value.__func__
            if isinstance(value, property) and value.fget is not None:
                value = value.fget
            elif isinstance(value, functools.cached_property):
                value = value.func
            if inspect.isfunction(value) and _is_project(value):  # not Protocol's own __init__
                yield key, value


def _class_leaks(cls: type, reached: list[object]) -> dict[str, list[str]]:
    """A class's leaks: its fields' under its own name, each method's under its name."""
    where = _name(cls)
    out: dict[str, list[str]] = {where: []}
    if issubclass(cls, enum.Enum):
        return out
    try:
        fields = _own_annotations(cls)
    except Exception as exc:
        return {where: [f"{where}: field annotations do not resolve ({exc!r})"]}
    for key, tp in fields.items():
        _leaks_in(tp, f"{where}.{key}", out[where], reached)
    for key, fn in _methods(cls):
        out[f"{where}.{key}"] = _function_leaks(fn, f"{where}.{key}", reached, method=True)
    return out


def leaks(roots: dict[str, object]) -> dict[str, list[str]]:
    """Every leak under ``roots`` (name -> callable or class), by the function, method or
    class (for its fields) where it is written; the project classes their annotations name
    are checked in turn."""
    out: dict[str, list[str]] = {}
    queue: list[tuple[str, object]] = list(roots.items())
    seen: set[str] = set()
    while queue:
        name, obj = queue.pop()
        if name in seen:
            continue
        seen.add(name)
        reached: list[object] = []
        if isinstance(obj, type):
            out.update(_class_leaks(obj, reached))
        else:
            out[name] = _function_leaks(obj, name, reached, method=False)
        for cls in reached:
            queue.append((_name(cls), cls))
    return out


# -- what the callers call -------------------------------------------------------------------


def _resolve(module: str, attrs: list[str]) -> object | None:
    try:
        obj: object = importlib.import_module(module)
    except ImportError:
        return None
    path = module
    for attr in attrs:
        path = f"{path}.{attr}"
        if hasattr(obj, attr):
            obj = getattr(obj, attr)
        else:
            try:
                obj = importlib.import_module(path)
            except ImportError:
                return None
    return obj


def _dotted(node: ast.expr) -> list[str] | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.insert(0, node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        return [node.id, *parts]
    return None


def called_names(path: Path) -> set[tuple[str, tuple[str, ...]]]:
    """``(module, attribute path)`` of every project name a caller imports and calls (or hands
    to a call, as a DAG hands a task function to a decorator)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    local: dict[str, set[tuple[str, tuple[str, ...]]]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, module] if module else base)
            if module.split(".")[0] not in PROJECT:
                continue
            for alias in node.names:
                local.setdefault(alias.asname or alias.name, set()).add((module, (alias.name,)))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] not in PROJECT:
                    continue
                if alias.asname:
                    local.setdefault(alias.asname, set()).add((alias.name, ()))
                else:
                    top = alias.name.split(".")[0]
                    local.setdefault(top, set()).add((top, ()))
    found: set[tuple[str, tuple[str, ...]]] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        for expr in [node.func, *node.args, *(k.value for k in node.keywords)]:
            dotted = _dotted(expr)
            if not dotted or dotted[0] not in local:
                continue
            for module, attrs in local[dotted[0]]:
                found.add((module, (*attrs, *dotted[1:])))
    return found


def public_api() -> dict[str, object]:
    """The roots: ``processing.__all__`` and the project callables the callers call."""
    roots: dict[str, object] = {}
    for name in processing.__all__:
        obj = getattr(processing, name)
        roots[_name(obj)] = obj
    for path in CALLERS:
        for module, attrs in called_names(path):
            obj = _resolve(module, list(attrs))
            if obj is None or isinstance(obj, types.ModuleType):
                continue
            if not (inspect.isfunction(inspect.unwrap(obj)) or inspect.isclass(obj)):
                continue
            obj = inspect.unwrap(obj)
            if not _is_project(obj):
                continue
            if (
                inspect.isfunction(obj)
                and "." in obj.__qualname__
                and "<locals>" not in obj.__qualname__
            ):
                owner = _resolve(obj.__module__, obj.__qualname__.split(".")[:-1])
                if isinstance(owner, type):  # Class.method called: the class is the API
                    roots[_name(owner)] = owner
                    continue
            roots[_name(obj)] = obj
    return roots


@functools.cache
def _report() -> tuple[tuple[str, object], ...]:
    return tuple((k, tuple(v)) for k, v in sorted(leaks(public_api()).items()))


# -- the tests -------------------------------------------------------------------------------


def test_every_public_name_resolves():
    for name in processing.__all__:
        assert getattr(processing, name) is not None, name


def test_importing_processing_is_light():
    code = (
        "import sys, processing; "
        "print([m for m in ('torch', 'transformers', 'scrapy', 'trafilatura', 'pyarrow',"
        " 'boto3') if m in sys.modules])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "[]"


def test_the_callers_calls_are_found():
    """The discovery reads what the callers really call (a few known ones, so a discovery
    that finds nothing cannot pass the leak test vacuously)."""
    roots = public_api()
    for expected in (
        "processing.airflow.tasks:crawl",  # dags/newsloom_daily.py, through `tasks as t`
        "processing.airflow:stage_task",  # handed the task functions
        "processing.corpus:open_corpus",  # the CLI's corpus commands
        "processing.core.runspec:RunSpec",  # RunSpec.from_dict(...) names the class
        "processing.report:write_report",
    ):
        assert expected in roots, sorted(roots)


def test_the_public_api_has_no_any():
    report = dict(_report())
    allowed = ALLOWED_LEAKS | BLOCKED_BY_CALLERS.keys()
    unexpected = {k: v for k, v in report.items() if v and k not in allowed}
    assert not unexpected, "\n".join(
        line
        for k, v in sorted(unexpected.items())
        for line in v  # type: ignore[attr-defined]
    )


def test_the_allowlists_only_shrink():
    report = dict(_report())
    stale = sorted(k for k in ALLOWED_LEAKS | BLOCKED_BY_CALLERS.keys() if not report.get(k))
    assert not stale, f"typed now (or no longer public): remove from the allowlist: {stale}"


def test_the_allowlists_name_only_what_waits_for_the_untyped_modules():
    wrong = sorted(k for k in ALLOWED_LEAKS if not k.startswith(STILL_TO_TYPE))
    assert not wrong, wrong
    paths = tuple(p.rstrip(".:").replace(".", "/") for p in STILL_TO_TYPE)
    unexplained = sorted(
        k for k, why in BLOCKED_BY_CALLERS.items() if not any(p in why for p in paths)
    )
    assert not unexplained, f"name the still-to-type callers that block these: {unexplained}"


# The packages the stages run in: every public function and class of every module of these is
# checked too, not only what the callers reach (a helper a caller does not call yet, a spider's
# callbacks Scrapy calls, the extraction readers the benchmarks call).
MODULE_WIDE = (
    "processing.pipeline",
    "processing.extraction",
    "processing.language",
    "processing.stories",
    "crawlers",
)


def module_wide_api() -> dict[str, object]:
    """Every public function and class defined in a module of ``MODULE_WIDE``."""
    names: list[str] = []
    for package in MODULE_WIDE:
        module = importlib.import_module(package)
        names.append(package)
        if hasattr(module, "__path__"):
            names += [m.name for m in pkgutil.walk_packages(module.__path__, f"{package}.")]
    roots: dict[str, object] = {}
    for name in names:
        for key, obj in vars(importlib.import_module(name)).items():
            if key.startswith("_") or getattr(obj, "__module__", None) != name:
                continue
            if inspect.isfunction(obj) or inspect.isclass(obj):
                roots[_name(obj)] = obj
    return roots


def test_the_stage_packages_have_no_any():
    roots = module_wide_api()
    assert "crawlers.spiders.base:OutletSpider" in roots, sorted(roots)  # not found vacuously
    report = leaks(roots)
    inside = tuple(f"{p}." for p in MODULE_WIDE) + tuple(f"{p}:" for p in MODULE_WIDE)
    found = {k: v for k, v in report.items() if v and k.startswith(inside)}
    assert not found, "\n".join(line for v in found.values() for line in v)


# -- the walker finds what it must -----------------------------------------------------------


@dataclasses.dataclass
class _Loose:
    payload: dict[str, typing.Any]


class _Shape(TypedDict):
    n: int
    extra: list[typing.Any]


class _Pair(NamedTuple):
    a: int
    b: typing.Any


def _in_union(x: int | typing.Any) -> None: ...
def _in_generic(x: dict[str, typing.Any]) -> None: ...
def _in_callable(x: Callable[[typing.Any], int]) -> None: ...
def _in_return() -> list[tuple[int, typing.Any]]: ...
def _in_annotated(x: Annotated[typing.Any, "doc"]) -> None: ...
def _bare(x: dict) -> None: ...  # type: ignore[type-arg]
def _unannotated(x) -> None: ...  # type: ignore[no-untyped-def]
def _no_return(x: int): ...  # type: ignore[no-untyped-def]
def _takes_dataclass(x: _Loose) -> None: ...
def _returns_typeddict() -> _Shape: ...  # type: ignore[empty-body]
def _returns_namedtuple() -> _Pair: ...  # type: ignore[empty-body]
def _clean(x: dict[str, int], f: Callable[[int], str] | None = None) -> Literal["a"]: ...  # type: ignore[empty-body]


_Tree = TypeAliasType("_Tree", "int | list[_Tree] | dict[str, _Tree]")
_LeakyTree = TypeAliasType("_LeakyTree", "int | list[_LeakyTree] | dict[str, typing.Any]")


def _json_clean(x: _Tree) -> dict[str, _Tree]: ...  # type: ignore[empty-body]
def _json_leaky(x: _LeakyTree) -> None: ...


class _Exported:
    def fine(self) -> int: ...  # type: ignore[empty-body]
    def leaky(self, value: typing.Any) -> None: ...

    @property
    def shape(self) -> dict[str, typing.Any]: ...  # type: ignore[empty-body]


@pytest.mark.parametrize(
    "fn",
    [
        _in_union,
        _in_generic,
        _in_callable,
        _in_return,
        _in_annotated,
        _bare,
        _unannotated,
        _no_return,
    ],
)
def test_the_walker_finds_a_nested_any(fn):
    found = leaks({fn.__name__: fn})
    assert found[fn.__name__], fn.__name__


@pytest.mark.parametrize(
    ("fn", "where"),
    [
        (_takes_dataclass, "_Loose"),
        (_returns_typeddict, "_Shape"),
        (_returns_namedtuple, "_Pair"),
    ],
)
def test_the_walker_follows_structured_types(fn, where, monkeypatch):
    monkeypatch.setattr(sys.modules[__name__], "PROJECT", (*PROJECT, __name__.split(".")[0]))
    found = leaks({fn.__name__: fn})
    assert not found[fn.__name__]  # the function itself is clean...
    (leaky,) = [k for k, v in found.items() if v]  # ...the type it names is not
    assert leaky.endswith(where)


def test_the_walker_checks_methods_and_passes_clean_code(monkeypatch):
    monkeypatch.setattr(sys.modules[__name__], "PROJECT", (*PROJECT, __name__.split(".")[0]))
    found = leaks({"clean": _clean, "cls": _Exported})
    assert found["clean"] == []
    leaky = sorted(k.rpartition(".")[2] for k, v in found.items() if v)
    assert leaky == ["leaky", "shape"], found


def test_the_walker_follows_a_recursive_alias():
    assert leaks({"json": _json_clean})["json"] == []
    (line,) = leaks({"json": _json_leaky})["json"]
    assert line.endswith(": Any")
