"""Provides rule SEC013: eval/exec of dynamic input."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from mlaudit.facts.input_origin import (
    carries_request_data,
    config_entry,
    digits_only,
    request_derived,
    user_supplied,
)
from mlaudit.facts.randomness import module_paths
from mlaudit.facts.tested_modules import FROM_IMPORTS_FACT, from_imports
from mlaudit.model import Severity
from mlaudit.project import Project, PythonFile, assigned_values
from mlaudit.registry import FileRule, Hit, Output, register
from mlaudit.rules.security._shared import CODE_KINDS, place

CONFIG_FIX = (
    "Resolve config names through an explicit table ({'SiLU': nn.SiLU, ...}) or getattr(module, name), "
    "and parse literal values with ast.literal_eval."
)


@register
class EvalOfDynamicInput(FileRule):
    """Flags the builtins `eval`/`exec` applied to anything but a literal.

    ## What it does
    Finds calls of the builtin `eval` or `exec` whose argument is not a string literal
    (methods such as `model.eval()`, a module's own `def eval(...)` and a name an import binds, also a relative
    one: `from ..trainer import evaluate as eval`, are not builtins and are ignored). A string just checked with
    `.isnumeric()`/`.isdigit()` is left alone: that `eval` is `int()`, and so is a loop variable over a literal list of strings (`for expr in
    "model.args", "model.cfg": eval(expr)` evaluates only those literals, also when they are a class
    constant: `for key in self.DELEGATED_PARAMS`; so is a name the call only sees inside `if key in
    ["n_a", "n_d"]:`, or a list bound to such literals: `exec(f"self.{key} = value")` sets one of those
    attributes; so is a local every assignment of which is a string literal: `if op == "add": sign = "+"` /
    `else: sign = "-"` then `eval("a" + sign + "b")` runs one of two fixed expressions), and `exec` of a file at a
    fixed path (`exec(open("configurator.py").read())`, a path of literals and `__file__`), which runs
    the repository's own code as an import would, and `eval` of an expression its function parsed with
    `ast.parse` and walked node by node, raising before the `eval` on a node outside an allow-list
    (`if any(not isinstance(n, SAFE_NODES) for n in ast.walk(tree)): raise ValueError(...)`: a restricted
    evaluator of arithmetic on names, not arbitrary code), and `eval` of code compiled by RestrictedPython
    (`compile_restricted`, directly or by a function of the module) with globals defining its guard hooks
    (`_getattr_`, `_write_`, `_getitem_`: its sandbox). Code built only from literals, integer loop counters
    (`for l in range(depth): exec(f"self.bias_{l} = ...")`, the index of `enumerate`) and arithmetic on them
    is a fixed program, whatever else the template says (an f-string or a `.format` template, also filled with
    a literal list of names joined: `eval(f"[{','.join(keys)}]")`, or names numbered by a range and joined:
    `argnames = ",".join(f"arg{i}" for i in range(nargs))`; a list extended in place only with literals
    stays literal): no input chooses what runs. `eval` of an entry read from a config mapping by key (`cfg["act"]`,
    `d.get("act")`, `d.pop("name")`, a loop over `d["layers"]`, `d[key]` for a key looping over a literal list of names, or a
    local or `self.attr` bound to one), or an attribute of an object named as a config (`cfg.metric_agg`,
    `audio_cfg.model_name`, `self.model_config.act`,
    also filled into an f-string or `.format` template), or of a parameter whose default names a class
    (`def __init__(self, norm_layer="nn.LayerNorm"): eval(norm_layer)(dim)`, never rebound; also such parameters
    filled into a template: `exec(f"out = self.model.{method}(x)")`), or of a template filled with parameters every
    call of the function in its module passes a string literal for (`eval(f"self.extractor_{modality}")`, called
    as `self.features(x, modality="audio")` and `self.features(v, "video")`), or of a parameter whose value is called at once
    (`eval(metric)(y, p)`, `eval(pool_class)(**pool_kwargs)`, also for each name of a parameter list it loops over:
    a function or class its caller names), outside a request handler, is a warning: it
    turns names in the user's own config file into objects, so it runs only what whoever
    wrote that file could run anyway. Either one on a command-line argument (`eval(args.arch)` of
    `parse_args()`, `sys.argv`, a click/typer parameter, the `values` string an `argparse.Action`'s `__call__` is
    handed, an option read from an object named as a parsed command
    line: `args.encoder_layers`, `self.args.betas`, `FLAGS.arch`, or a parameter every caller fills from one) is a warning
    too: only whoever types the command chooses what runs. `exec`, and `eval` of anything else (a file's raw
    contents, a cell of a data table's row such as `row["nodes"]` over `df.iterrows()`, a parameter), is an error; either one on data a web route or serverless handler
    received from its client is critical (remote code execution). A module-level `exec` that
    binds names from plain values (`exec(f"{name} = items[{i}]")`: no call fills the template)
    is metaprogramming over the module's own names: a warning, as is one that defines a class or function named
    by a function of such values (`for o in Event: exec(f"class {snake2camel(o)}Event(Base): pass")`), and so is `eval` of an attribute path filled with
    the names a loop takes from a torch module's `named_parameters()`/`named_modules()` (`eval(f"target.{n}")`:
    the model's own attributes), and so is `exec` of an installed function's
    own source edited by string operations (`inspect.getsource(f).replace(...)`, `re.sub`, its lines split and
    joined again, also when a helper of the module returns the source or hands it back edited) or rewritten as its
    syntax tree (`ast.parse`, a transformer handed the tree, `ast.unparse`, `compile`): a fragile monkeypatch of code
    the program already runs, not outside input; `exec` into a namespace it is handed of code made from a
    module-level template holding a `def` or `class` (`exec(compile(_FLAT_CODE.format(name=...), "<gen>", "exec"),
    ns)`, as dataclasses builds its methods) is code generation: a warning too; `exec` of a template that is one
    import statement (`exec(f"from {module} import ({names})")`) is a warning too. A read of a table of literal
    expressions (`eval(ACTIVATIONS[name])`, ACTIVATIONS a dict literal of strings bound once, in the module or in
    another module of the project it imports it from) runs one of those fixed expressions and is not reported.

    ## Why is this bad?
    A config value, a request field or a notebook string passed to `eval` runs as code;
    a shared or downloaded config becomes a program. It is also impossible to type-check or test.

    ## Example
    ```python
    df["ratio"] = eval(cfg["feature_expr"])
    ```

    ## Use instead
    ```python
    FEATURES = {"ratio": lambda df: df.total / (df.tenure + 1)}
    df["ratio"] = FEATURES[cfg["feature"]](df)  # or ast.literal_eval for literals
    ```
    """

    code = "SEC013"
    title = "eval/exec of dynamic input"
    practice = "security"
    severity = Severity.ERROR
    fix = "Replace eval/exec with a lookup table of functions, or ast.literal_eval for literal data."

    file_kinds = CODE_KINDS

    def check(self, project: Project) -> Iterator[Output]:
        """Yield the files' hits, less those evaluating a literal table another module of the project defines."""
        for output in super().check(project):
            if isinstance(output, Hit) and _evaluates_imported_table(project, output):
                continue
            yield output

    def check_file(self, pf: PythonFile) -> Iterator[Hit]:
        for call, name, arg in dynamic_evals(pf):
            shown = f"{name}({ast.unparse(arg)[:40]})"
            if name == "eval" and config_entry(pf, call, arg) and not carries_request_data(pf, call, arg):
                yield Hit(
                    pf.path,
                    call.lineno,
                    f"{shown} {place(pf, call)} turns a config entry into code: any expression in that file runs",
                    severity=Severity.WARNING,
                    fix=CONFIG_FIX,
                )
            elif (picked := _picked_component(pf, call, arg)) is not None:
                yield Hit(
                    pf.path,
                    call.lineno,
                    f"{shown} {place(pf, call)} {picked}: any expression passed instead runs",
                    severity=Severity.WARNING,
                    fix="Take the class itself (norm_layer=nn.LayerNorm), look the name up in an explicit table, "
                    "or call a method chosen by name with getattr(obj, name)(...).",
                )
            elif request_derived(pf, call, arg):
                yield Hit(
                    pf.path,
                    call.lineno,
                    f"{shown} {place(pf, call)} runs code sent by the client: anyone who can call the service runs code on it",
                    severity=Severity.CRITICAL,
                )
            elif user_supplied(pf, call, arg):
                yield Hit(
                    pf.path,
                    call.lineno,
                    f"{shown} {place(pf, call)} runs a command-line argument as code: only whoever types the "
                    "command chooses it, but any expression in it runs",
                    severity=Severity.WARNING,
                    fix="Pick among named choices (argparse choices=[...] and a table of classes), or parse literals "
                    "with ast.literal_eval.",
                )
            elif name == "eval" and _module_tree_path(pf, call, arg):
                yield Hit(
                    pf.path,
                    call.lineno,
                    f"{shown} {place(pf, call)} reaches the model's own attributes by the names its module tree "
                    "gives them (named_parameters/named_modules): fragile metaprogramming, not outside input",
                    severity=Severity.WARNING,
                    fix="Use model.get_parameter(name), model.get_submodule(name) or operator.attrgetter(name)(model).",
                )
            elif name == "exec" and _binds_names_at_import(pf, call, arg):
                yield Hit(
                    pf.path,
                    call.lineno,
                    f"{shown} {place(pf, call)} binds module names through exec at import: metaprogramming "
                    "over the module's own names, hard to read and invisible to linters, not outside input",
                    severity=Severity.WARNING,
                    fix="Bind the names with globals()[name] = value (or setattr on the module) instead of exec.",
                )
            elif name == "exec" and patched_source(pf, call, arg):
                yield Hit(
                    pf.path,
                    call.lineno,
                    f"{shown} {place(pf, call)} re-runs an installed function's own source with edits "
                    "(inspect.getsource): a fragile monkeypatch that breaks when that package changes, not outside input",
                    severity=Severity.WARNING,
                    fix="Subclass or wrap the function instead of editing its source, and pin the patched package's version.",
                )
            elif name == "exec" and (template := generated_definition(pf, call, arg)) is not None:
                yield Hit(
                    pf.path,
                    call.lineno,
                    f"{shown} {place(pf, call)} defines code from the module's own template {template} into its own "
                    "namespace (code generation, as dataclasses does): hard to read, debug and type-check, but no "
                    "outside input chooses the code",
                    severity=Severity.WARNING,
                    fix="Build the function as a closure (or with functools.partial) unless the generated code is "
                    "measurably faster; then test the generated functions as the module's own.",
                )
            elif name == "exec" and _import_statement(arg):
                yield Hit(
                    pf.path,
                    call.lineno,
                    f"{shown} {place(pf, call)} builds one import statement at run time: it imports names, "
                    "invisible to linters and type checkers, and runs no other statement",
                    severity=Severity.WARNING,
                    fix="Import with importlib.import_module(module) and getattr(module, name) instead of exec.",
                )
            else:
                yield Hit(pf.path, call.lineno, f"{shown} {place(pf, call)} runs whatever string reaches it as code")


# Methods of a torch module yielding `(name, member)` for each member of its tree: names its own code gave them.
_MODULE_TREE_WALKS = frozenset({"named_parameters", "named_modules", "named_buffers", "named_children"})


def _module_tree_path(pf: PythonFile, call: ast.Call, arg: ast.expr) -> bool:
    """Return True for `eval(f"target.{n}")` where every value filled into the template is the name a loop takes
    from a module's `named_parameters()` (or `named_modules()`, `named_buffers()`, `named_children()`): the
    attribute path is one the model's own construction made, not outside input."""
    if not isinstance(arg, ast.JoinedStr):
        return False
    filled = [value.value for value in arg.values if isinstance(value, ast.FormattedValue)]
    return bool(filled) and all(isinstance(v, ast.Name) and _module_tree_name(pf, call, v.id) for v in filled)


def _module_tree_name(pf: PythonFile, call: ast.Call, name: str) -> bool:
    """Return True when `name` is the name part a loop around `call` takes from a module's `named_*()` walk
    (`for n, p in model.named_parameters():`)."""
    for anc in pf.ancestors(call):
        if not isinstance(anc, ast.For):
            continue
        walk = anc.iter
        if not (isinstance(walk, ast.Call) and isinstance(walk.func, ast.Attribute)):
            continue
        if walk.func.attr not in _MODULE_TREE_WALKS:
            continue
        target = anc.target
        first = target.elts[0] if isinstance(target, ast.Tuple) and target.elts else target
        if isinstance(first, ast.Name) and first.id == name:
            return True
    return False


_DOTTED_NAME = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*")


def _picked_component(pf: PythonFile, call: ast.Call, arg: ast.expr) -> str | None:
    """Return how `eval` resolves a component its caller picks by name (a parameter defaulting to a class name, or
    one whose value is called at once), or None."""
    if (default := _class_name_default(pf, call, arg)) is not None:
        return f"resolves a component name its caller picks (default {default!r})"
    if (param := _called_parameter(pf, call, arg)) is not None:
        return f"calls the function or class its caller names in `{param}`"
    if (values := _literal_arguments(pf, call, arg)) is not None:
        return f"picks one of the names its callers in the module pass ({', '.join(values)})"
    return None


def _literal_arguments(pf: PythonFile, call: ast.Call, arg: ast.expr) -> list[str] | None:
    """Return the literals passed for the parameters a template is filled with (`eval(f"self.extractor_{modality}")`)
    when the function is called in its module (`self.features(x, modality="audio")`, also positionally) and every
    such call passes a string literal for each of them: the module's own callers fix what runs; None otherwise."""
    func = pf.enclosing_function(call)
    if func is None or not isinstance(arg, ast.JoinedStr):
        return None
    filled = [p.value for p in arg.values if isinstance(p, ast.FormattedValue)]
    names = [v.id for v in filled if isinstance(v, ast.Name)]
    params = [a.arg for a in (*func.args.posonlyargs, *func.args.args)]
    if not names or len(names) < len(filled) or not all(n in params and not _rebound(func, n) for n in names):
        return None
    callers = [c for c in pf.nodes(ast.Call) if isinstance(c, ast.Call) and _calls_function(c, func.name)]
    values: list[str] = []
    for caller in callers:
        method = isinstance(caller.func, ast.Attribute)
        positional = params[1:] if method and params[:1] == ["self"] else params
        for name in names:
            index = positional.index(name) if name in positional else None
            passed = next((k.value for k in caller.keywords if k.arg == name), None)
            if passed is None and index is not None and index < len(caller.args):
                passed = caller.args[index]
            if not (isinstance(passed, ast.Constant) and isinstance(passed.value, str)):
                return None
            values.append(repr(passed.value))
    return sorted(set(values)) if values else None


def _calls_function(call: ast.Call, name: str) -> bool:
    """Return True for `name(...)` or `self.name(...)`."""
    func = call.func
    return (isinstance(func, ast.Name) and func.id == name) or (
        isinstance(func, ast.Attribute)
        and func.attr == name
        and isinstance(func.value, ast.Name)
        and func.value.id == "self"
    )


def _class_name_default(pf: PythonFile, call: ast.Call, arg: ast.expr) -> str | None:
    """Return the default of the parameter `eval` resolves when that default is a dotted name
    (`def __init__(self, norm_layer="nn.LayerNorm"): eval(norm_layer)(dim)`) and the function never rebinds it:
    a layer or class named by the caller, as a config entry names one; None otherwise. A template filled only with
    such parameters (`exec(f"out = self.model.{method}(x)")`, default "forward_features") calls what the caller
    names the same way."""
    func = pf.enclosing_function(call)
    if func is None or carries_request_data(pf, call, arg):
        return None
    if isinstance(arg, ast.JoinedStr):
        filled = [p.value for p in arg.values if isinstance(p, ast.FormattedValue)]
        defaults = [_name_default(func, p) for p in filled]
        return defaults[0] if defaults and all(defaults) else None
    return _name_default(func, arg)


def _called_parameter(pf: PythonFile, call: ast.Call, arg: ast.expr) -> str | None:
    """Return the parameter whose value `eval` turns into a callable that is called at once: `eval(metric)(y, p)`
    for a parameter `metric`, or for each `metric` of a parameter `metrics` the function loops over; the caller
    names a function, as a config entry would. None otherwise (also when the function rebinds the name)."""
    parent = pf.parent(call)
    func = pf.enclosing_function(call)
    if not (isinstance(parent, ast.Call) and parent.func is call and isinstance(arg, ast.Name) and func is not None):
        return None
    if carries_request_data(pf, call, arg):
        return None
    params = {a.arg for a in (*func.args.posonlyargs, *func.args.args, *func.args.kwonlyargs)}
    if arg.id in params:
        return None if _rebound(func, arg.id) else arg.id
    loop = next((a for a in pf.ancestors(call) if isinstance(a, ast.For) and _binds(a.target, arg.id)), None)
    if loop is None or not isinstance(loop.iter, ast.Name):
        return None
    # every binding of the name is a loop over a parameter (`for metric in rating_metrics:`, then `ranking_metrics`)
    loops = {id(n.target): n.iter for n in ast.walk(func) if isinstance(n, ast.For)}
    stores = [n for n in ast.walk(func) if isinstance(n, ast.Name) and n.id == arg.id and isinstance(n.ctx, ast.Store)]
    lists = [loops.get(id(n)) for n in stores]
    if not all(isinstance(i, ast.Name) and i.id in params and not _rebound(func, i.id) for i in lists):
        return None
    return loop.iter.id


def _binds(target: ast.expr, name: str) -> bool:
    return isinstance(target, ast.Name) and target.id == name


def _name_default(func: ast.FunctionDef | ast.AsyncFunctionDef, arg: ast.expr) -> str | None:
    """Return the dotted-name default of the parameter `arg` names, never rebound in `func`; None otherwise."""
    if not isinstance(arg, ast.Name):
        return None
    params = func.args
    positional = [*params.posonlyargs, *params.args]
    pairs = [*zip(positional[len(positional) - len(params.defaults) :], params.defaults, strict=True)]
    pairs += [(a, d) for a, d in zip(params.kwonlyargs, params.kw_defaults, strict=True) if d is not None]
    default = next((d for a, d in pairs if a.arg == arg.id), None)
    if not (isinstance(default, ast.Constant) and isinstance(default.value, str)):
        return None
    if not _DOTTED_NAME.fullmatch(default.value) or _rebound(func, arg.id):
        return None
    return default.value


def _rebound(func: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> bool:
    """Return True when the function assigns `name` anywhere (the parameter may then hold something else)."""
    return any(
        isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Store) for node in ast.walk(func)
    )


_IMPORT_TEMPLATE = re.compile(r"\s*(from\s+\S+\s+)?import\s+[^;\n]*$")


# a template holding a definition: a line that starts a function or a class
_DEFINITION_LINE = re.compile(r"(?m)^[ \t]*(?:async[ \t]+)?(?:def|class)[ \t]")


def generated_definition(pf: PythonFile, call: ast.Call, arg: ast.expr) -> str | None:
    """Return the template's name when `exec` runs code made from one of the module's own templates into a
    namespace it is handed: `code = _FLAT_CODE.format(name=...)` then `exec(compile(code, "<gen>", "exec"), ns)`,
    `_FLAT_CODE` a module-level string (or f-string of literals) holding a `def` or `class`. The filled-in parts
    name what is generated; the statements are the module's. None otherwise."""
    if len(call.args) < 2 and not any(k.arg == "globals" for k in call.keywords):
        return None  # run in the caller's namespace: not a generated definition handed over
    source = arg
    if isinstance(source, ast.Call) and isinstance(source.func, ast.Name) and source.func.id == "compile":
        source = source.args[0] if source.args else source
    if isinstance(source, ast.Name):
        scope = pf.enclosing_function(call)
        bound = assigned_values(scope, source.id) if scope is not None else []
        source = bound[0] if len(bound) == 1 else source
    if not (isinstance(source, ast.Call) and isinstance(source.func, ast.Attribute) and source.func.attr == "format"):
        return None
    template = source.func.value
    if not isinstance(template, ast.Name):
        return None
    hosts = [a for a in pf.ancestors(call) if isinstance(a, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)]
    if any(template.id in _parameters(host.args) for host in hosts):
        return None  # a template the caller hands in: its code, not the module's
    value = _module_constant(pf, template.id)
    text = _literal_text(value) if value is not None else None
    return template.id if text is not None and _DEFINITION_LINE.search(text) else None


def _module_constant(pf: PythonFile, name: str) -> ast.expr | None:
    """Return the value the module binds `name` to at its top level (`_CODE = "..."`, `_CODE: Final = "..."`),
    when that is the name's only binding anywhere in the module."""
    top = [
        stmt.value
        for stmt in pf.tree.body
        if (isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in stmt.targets))
        or (isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.target.id == name)
    ]
    stores = pf.name_nodes(pf.tree, name, ast.Store)
    return top[0] if len(top) == 1 and len(stores) == 1 and top[0] is not None else None


def _literal_text(node: ast.expr) -> str | None:
    """Return the literal text of a string constant, or of an f-string with its filled parts left out."""
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, str) else None
    if isinstance(node, ast.JoinedStr):
        return "".join(str(p.value) for p in node.values if isinstance(p, ast.Constant))
    return None


def _import_statement(arg: ast.expr) -> bool:
    """Return True for `exec(f"from {module} import ({', '.join(names)})")`: a template whose literal text is a
    single import statement (the filled-in parts replaced by a placeholder), with no `;` or newline to add another."""
    template = _template_text(arg)
    return template is not None and _IMPORT_TEMPLATE.fullmatch(template) is not None


def _template_text(node: ast.expr) -> str | None:
    """Return the literal text of an f-string or a `+` of literals and values, each value shown as `x`."""
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, str) else None
    if isinstance(node, ast.JoinedStr):
        return "".join(str(p.value) if isinstance(p, ast.Constant) else "x" for p in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _template_text(node.left), _template_text(node.right)
        return None if left is None or right is None else left + right
    return "x"


def patched_source(
    pf: PythonFile, call: ast.AST, arg: ast.expr, depth: int = 4, seen: frozenset[str] = frozenset()
) -> bool:
    """Return True when the text exec runs is `inspect.getsource(...)` of installed code edited only by string
    operations (`.replace`, `.format`, `re.sub`, splitting and joining its lines, slicing) or as its syntax tree
    (`ast.parse`, a transformer handed the tree, `ast.unparse`, `compile`), directly, through local names of the
    same function (a name met again on the way, `source` -> `tree` -> `source`, is decided by its other values), or
    through a helper of the module that returns such source (`def get_prep_code(): return inspect.getsource(prepare)`)."""
    node = _unedited(pf, arg)
    if isinstance(node, ast.Call):
        return pf.call_name(node) in _GETSOURCE or (depth > 0 and _helper_returns_source(pf, node, depth - 1))
    if not isinstance(node, ast.Name) or depth == 0:
        return False
    if node.id in seen:
        return True
    values = _local_values(pf, call, node.id)
    return bool(values) and all(patched_source(pf, call, value, depth - 1, seen | {node.id}) for value in values)


_EDITS = frozenset({"replace", "format", "strip", "lstrip", "rstrip", "split", "splitlines"})
_GETSOURCE = frozenset({"inspect.getsource", "getsource"})
_REGEX_EDITS = frozenset({"re.sub", "re.subn"})
# Steps that turn source text into a syntax tree or code and back, keeping what it says: the text stays the input's.
_SOURCE_STEPS = frozenset(
    {"ast.parse", "ast.unparse", "ast.fix_missing_locations", "compile", "textwrap.dedent", "dedent"}
)


def _unedited(pf: PythonFile, node: ast.expr) -> ast.expr:
    """Return the text a chain of string edits starts from: `src` for `src.replace(a, b).replace(c, d)`,
    `re.sub(pattern, repl, src)`, `"\\n".join(line[4:] for line in src.split("\\n"))` or `src[start:]`."""
    while True:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _EDITS:
            node = node.func.value
        elif isinstance(node, ast.Call) and len(node.args) >= 3 and pf.call_name(node) in _REGEX_EDITS:
            node = node.args[2]
        elif _string_join(node):
            assert isinstance(node, ast.Call)
            parts = node.args[0]
            node = parts.generators[0].iter if isinstance(parts, ast.GeneratorExp | ast.ListComp) else parts
        elif isinstance(node, ast.Subscript):
            node = node.value
        elif isinstance(node, ast.Call) and node.args and _source_step(pf, node):
            node = node.args[0]
        else:
            return node


def _source_step(pf: PythonFile, call: ast.Call) -> bool:
    """Return True for a call of `_SOURCE_STEPS`: imported (`ast.parse`) or the builtin `compile`."""
    name = pf.call_name(call) or (call.func.id if isinstance(call.func, ast.Name) else "")
    return name in _SOURCE_STEPS


def _string_join(node: ast.expr) -> bool:
    """Return True for `"sep".join(parts)` with one argument."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "join"
        and isinstance(node.func.value, ast.Constant)
        and isinstance(node.func.value.value, str)
        and len(node.args) == 1
    )


def _helper_returns_source(pf: PythonFile, call: ast.Call, depth: int) -> bool:
    """Return True for a call of a module-level function of the file every `return` of which gives installed source."""
    if not isinstance(call.func, ast.Name):
        return False
    helper = next(
        (s for s in pf.tree.body if isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef) and s.name == call.func.id),
        None,
    )
    returns = [r for r in ast.walk(helper) if isinstance(r, ast.Return) and r.value is not None] if helper else []
    return bool(returns) and all(r.value is not None and patched_source(pf, r.value, r.value, depth) for r in returns)


def _local_values(pf: PythonFile, call: ast.AST, name: str) -> list[ast.expr]:
    """Return the values assigned to `name` in the function around the call, leaving out edits of the name
    itself (`src = src.replace(a, b)`, `src, changed = detab(src)`: a helper handed the text returns it edited,
    keeping what `src` held); empty outside a function."""
    func = pf.enclosing_function(call)
    if func is None:
        return []
    found: list[ast.expr] = []
    for node in ast.walk(func):
        if not isinstance(node, ast.Assign):
            continue
        if any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            base = _unedited(pf, node.value)
            if not (isinstance(base, ast.Name) and base.id == name) and not _edits_itself(base, name):
                found.append(node.value)
        elif any(_unpacks(t, name) for t in node.targets) and not _edits_itself(node.value, name):
            found.append(node.value)
    return found


def _unpacks(target: ast.expr, name: str) -> bool:
    return isinstance(target, ast.Tuple) and any(isinstance(e, ast.Name) and e.id == name for e in target.elts)


def _edits_itself(value: ast.expr, name: str) -> bool:
    """Return True for `helper(src, ...)`: a call handed the name itself as its first argument."""
    first = value.args[0] if isinstance(value, ast.Call) and value.args else None
    return isinstance(first, ast.Name) and first.id == name


def dynamic_evals(pf: PythonFile) -> Iterator[tuple[ast.Call, str, ast.expr]]:
    """Yield (call, `eval` or `exec`, argument) for each builtin eval/exec of dynamic input in the module."""
    builtins = {"eval", "exec"} - _module_names(pf)
    for call in pf.nodes(ast.Call):
        func = call.func
        if not (isinstance(func, ast.Name) and func.id in builtins and func.id not in pf.imports):
            continue
        arg = call.args[0] if call.args else None
        if arg is None or isinstance(arg, ast.Constant) or digits_only(pf, call, arg):
            continue
        if func.id == "exec" and repository_file_text(pf, call, arg):
            continue
        if isinstance(arg, ast.Name) and _loops_over_constants(pf, call, arg.id):
            continue  # `for path in "model.args", "model.yaml": eval(path)` evaluates only those literals
        if _allow_listed_tree(pf, call, arg):
            continue  # a restricted evaluator: every node of the parsed expression was checked first
        if _restricted_python(pf, call, arg):
            continue  # RestrictedPython's sandbox: compiled code that reaches attributes only through the guards
        if not _constant_template(pf, call, arg):
            yield call, func.id, arg


def _allow_listed_tree(pf: PythonFile, call: ast.Call, arg: ast.expr) -> bool:
    """Return True when `eval` runs a tree its function parsed with `ast.parse` and walked node by node before, with
    a `raise` between the walk and the `eval` (`bad = [n for n in ast.walk(tree) if not isinstance(n, ALLOWED)];
    if bad: raise ValueError(...)`): an expression checked against an allow-list, not arbitrary code."""
    compiled = isinstance(arg, ast.Call) and isinstance(arg.func, ast.Name) and arg.func.id == "compile"
    tree = arg.args[0] if isinstance(arg, ast.Call) and compiled and arg.args else arg
    func = pf.enclosing_function(call)
    if not isinstance(tree, ast.Name) or func is None:
        return False
    parsed = any(
        isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == tree.id for t in node.targets)
        and isinstance(node.value, ast.Call)
        and pf.call_name(node.value) == "ast.parse"
        for node in ast.walk(func)
    )
    walks = [
        node.lineno
        for node in ast.walk(func)
        if isinstance(node, ast.Call)
        and pf.call_name(node) == "ast.walk"
        and any(isinstance(a, ast.Name) and a.id == tree.id for a in node.args)
        and _checks_every_node(pf, node)
    ]
    raises = [node.lineno for node in ast.walk(func) if isinstance(node, ast.Raise)]
    return parsed and any(w <= r < call.lineno for w in walks for r in raises)


# the hooks RestrictedPython's compiled code calls for every attribute read, write and item access
RESTRICTED_GUARDS = frozenset({"_getattr_", "_write_", "_getitem_"})


def _restricted_python(pf: PythonFile, call: ast.Call, arg: ast.expr) -> bool:
    """Return True for `eval(code, guarded_globals, ...)` where `code` was compiled by RestrictedPython's
    `compile_restricted*` (directly, or by a function of the module returning it) and the globals define its guard
    hooks (`_getattr_`, `_write_`, `_getitem_`): RestrictedPython's sandbox, whose compiled code reaches attributes,
    items and writes only through those guards."""
    scope = call.args[1] if len(call.args) > 1 else next((k.value for k in call.keywords if k.arg == "globals"), None)
    if scope is None or not _defines_guards(pf, scope):
        return False
    producers = {
        f.name
        for f in pf.nodes(ast.FunctionDef)
        if isinstance(f, ast.FunctionDef) and any(_compiles_restricted(pf, n) for n in ast.walk(f))
    }
    target = ast.unparse(arg)
    return any(
        _compiles_restricted(pf, node.value) or (isinstance(node.value, ast.Call) and _named_in(node.value, producers))
        for node in pf.nodes(ast.Assign)
        if isinstance(node, ast.Assign) and any(ast.unparse(t) == target for t in node.targets)
    )


def _compiles_restricted(pf: PythonFile, node: ast.AST) -> bool:
    """Return True for a call of RestrictedPython's `compile_restricted` (or its `_eval`/`_exec` variants)."""
    return isinstance(node, ast.Call) and (pf.call_name(node) or "").rsplit(".", 1)[-1].startswith("compile_restricted")


def _named_in(call: ast.Call, names: set[str]) -> bool:
    """Return True for a call of a module function by one of the names (`compile_checker(expr)`)."""
    return isinstance(call.func, ast.Name) and call.func.id in names


def _defines_guards(pf: PythonFile, scope: ast.expr) -> bool:
    """Return True for a globals mapping (a dict display, or a name bound to one) that defines RestrictedPython's
    guard hooks."""
    values = assigned_values(pf.tree, scope.id) if isinstance(scope, ast.Name) else [scope]
    return any(
        isinstance(v, ast.Dict) and any(isinstance(k, ast.Constant) and k.value in RESTRICTED_GUARDS for k in v.keys)
        for v in values
    )


def _checks_every_node(pf: PythonFile, walk: ast.Call) -> bool:
    """Return True when the nodes of an `ast.walk` are checked against allowed types: kept when
    `not isinstance(node, ...)` (a comprehension's condition, or an `if` in a loop over them), or tested with
    `all(isinstance(node, ...) for node in ...)`."""
    owner = pf.parent(walk)
    if isinstance(owner, ast.comprehension):
        expression = pf.parent(owner)
        tests: list[ast.expr] = list(owner.ifs)
        outer = pf.parent(expression) if expression is not None else None
        if isinstance(expression, ast.GeneratorExp) and isinstance(outer, ast.Call) and _named(outer, "all"):
            tests.append(ast.UnaryOp(ast.Not(), expression.elt))
    elif isinstance(owner, ast.For) and owner.iter is walk:
        tests = [node.test for node in ast.walk(owner) if isinstance(node, ast.If)]
    else:
        return False
    return any(
        isinstance(t, ast.UnaryOp)
        and isinstance(t.op, ast.Not)
        and isinstance(t.operand, ast.Call)
        and _named(t.operand, "isinstance")
        for t in tests
    )


def _named(call: ast.Call, name: str) -> bool:
    return isinstance(call.func, ast.Name) and call.func.id == name


PATH_CALLS = frozenset(
    {"os.path.join", "os.path.dirname", "os.path.abspath", "os.path.realpath", "pathlib.Path", "Path", "str"}
)
READ_METHODS = frozenset({"read", "read_text"})


def repository_file_text(pf: PythonFile, call: ast.Call, arg: ast.expr) -> bool:
    """Return True for the text of a file at a fixed path: `exec(open("configurator.py").read())`.

    A path built only from literals and `__file__` names a file the repository ships, so exec
    runs the repository's own code, as an import would; no input chooses what runs.
    """
    if not (isinstance(arg, ast.Call) and isinstance(arg.func, ast.Attribute) and arg.func.attr in READ_METHODS):
        return False
    source: ast.expr | None = arg.func.value
    if isinstance(source, ast.Name):
        source = _with_target(pf, call, source.id)
    if isinstance(source, ast.Call) and _is_open(pf, source):
        return bool(source.args) and _fixed_path(pf, source.args[0])
    return source is not None and _fixed_path(pf, source)


def _is_open(pf: PythonFile, call: ast.Call) -> bool:
    return (isinstance(call.func, ast.Name) and call.func.id == "open") or pf.call_name(call) in (
        "io.open",
        "builtins.open",
    )


def _with_target(pf: PythonFile, call: ast.Call, name: str) -> ast.expr | None:
    """Return the context expression an enclosing `with ... as name:` binds (None when there is none)."""
    for anc in pf.ancestors(call):
        if isinstance(anc, ast.With):
            for item in anc.items:
                if isinstance(item.optional_vars, ast.Name) and item.optional_vars.id == name:
                    return item.context_expr
        if isinstance(anc, ast.FunctionDef | ast.AsyncFunctionDef):
            break
    return None


def _fixed_path(pf: PythonFile, node: ast.expr) -> bool:
    """Return True for a path made only of string literals and `__file__` (joined, resolved or divided)."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.Name):
        return node.id == "__file__"
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div | ast.Add):
        return _fixed_path(pf, node.left) and _fixed_path(pf, node.right)
    if isinstance(node, ast.Attribute) and node.attr in ("parent", "resolve"):
        return _fixed_path(pf, node.value)
    if isinstance(node, ast.Call):
        if isinstance(node.func, ast.Attribute) and node.func.attr in ("resolve", "absolute") and not node.args:
            return _fixed_path(pf, node.func.value)
        name = pf.call_name(node) or (node.func.id if isinstance(node.func, ast.Name) else "")
        return name in PATH_CALLS and bool(node.args) and all(_fixed_path(pf, a) for a in node.args)
    return False


def _module_names(pf: PythonFile) -> set[str]:
    """Return the names the module binds at top level (`def eval(launcher): ...` shadows the builtin), and those a
    relative import binds (`from ..trainer import evaluate as eval`: the package's own function, as an absolute
    import's name is)."""
    names: set[str] = {
        alias.asname or alias.name for node in pf.nodes(ast.ImportFrom) if node.level for alias in node.names
    }
    for stmt in pf.tree.body:
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(stmt.name)
        elif isinstance(stmt, ast.Assign):
            names.update(t.id for t in stmt.targets if isinstance(t, ast.Name))
    return names


_ASSIGNMENT_TEMPLATE = re.compile(r"\s*\w*(\{\}|%[sdr])\w*(\.\w+)*\s*=(?!=)")
_PLAIN_VALUES = (ast.Name, ast.Subscript, ast.Attribute, ast.Constant, ast.Tuple, ast.Slice, ast.expr_context)


def _binds_names_at_import(pf: PythonFile, call: ast.Call, arg: ast.expr) -> bool:
    """Return True for module-level `exec(f"{name} = items[{i}]")`: a template that assigns to a name filled
    in from plain values (names, items, attributes; no call, so no file, input or request is read there)."""
    if pf.enclosing_function(call) is not None:
        return False
    if isinstance(arg, ast.JoinedStr):
        template = "".join(
            "{}" if isinstance(p, ast.FormattedValue) else str(getattr(p, "value", "")) for p in arg.values
        )
        filled: list[ast.expr] = [p.value for p in arg.values if isinstance(p, ast.FormattedValue)]
    elif isinstance(arg, ast.BinOp) and isinstance(arg.op, ast.Mod) and isinstance(arg.left, ast.Constant):
        template, filled = str(arg.left.value), [arg.right]
    else:
        return False
    plain = all(isinstance(node, _PLAIN_VALUES) for value in filled for node in ast.walk(value))
    if plain and _ASSIGNMENT_TEMPLATE.match(template) is not None:
        return True
    # `for o in Event: exec(f"class {snake2camel(o)}Event(GhEvent): pass")`: a class or def named by a function
    # of the loop's names; a call of nothing (`{load_doc()}`) brings in data from elsewhere and stays an error
    return _DEFINITION_TEMPLATE.match(template) is not None and all(_named_from(value) for value in filled)


_DEFINITION_TEMPLATE = re.compile(r"\s*(?:class|def)\s+\w*\{\}\w*\s*[(:]")


def _named_from(value: ast.expr) -> bool:
    """Return True for a plain value or one call on plain values (`snake2camel(o)`, `name.title()`)."""
    if isinstance(value, ast.Call):
        func, parts = value.func, [*value.args, *(k.value for k in value.keywords)]
        if isinstance(func, ast.Attribute):
            parts.append(func.value)
        elif not isinstance(func, ast.Name):
            return False
        return bool(parts) and all(isinstance(n, _PLAIN_VALUES) for part in parts for n in ast.walk(part))
    return all(isinstance(node, _PLAIN_VALUES) for node in ast.walk(value))


def _constant_template(pf: PythonFile, call: ast.Call, arg: ast.expr) -> bool:
    """Return True for code generated from constants: literals, and f-strings filled only by fixed values.

    `for o in "before_iter after_iter".split(): exec(f"def {o}(self): ...")` defines methods from a
    fixed list of names, and `for l in range(depth): exec(f"self.bias_{l} = ...")` numbered attributes;
    `"self.bias_0" + " = ..."` is one literal split in two, and `for x in ["_aic", "_bic"]: eval("self.m." + x)`
    joins a literal to one of a fixed list of names. No input reaches any of them.
    """
    if isinstance(arg, ast.Constant):
        return isinstance(arg.value, str)
    if isinstance(arg, ast.BinOp) and isinstance(arg.op, ast.Add):
        return all(
            _constant_template(pf, call, part)
            or (isinstance(part, ast.Name) and _loops_over_constants(pf, call, part.id))
            or _literal_table_read(pf, call, part)
            for part in (arg.left, arg.right)
        )
    if _format_call(arg):  # `"{0}[0] if is_list({0}) else {0}".format(key)`, key over a literal list
        assert isinstance(arg, ast.Call)
        filled = [*arg.args, *(k.value for k in arg.keywords)]
        return bool(filled) and all(_fixed_value(pf, call, v) for v in filled)
    if not isinstance(arg, ast.JoinedStr):
        return False
    filled = [part.value for part in arg.values if isinstance(part, ast.FormattedValue)]
    return bool(filled) and all(_fixed_value(pf, call, v) for v in filled)


def _format_call(node: ast.expr) -> bool:
    """Return True for `"literal template".format(...)`."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
        and isinstance(node.func.value, ast.Constant)
        and isinstance(node.func.value.value, str)
    )


def _fixed_value(pf: PythonFile, call: ast.Call, value: ast.expr) -> bool:
    """Return True for a loop name over a literal, an integer loop counter, a number, or arithmetic on those."""
    if isinstance(value, ast.Name):
        return _loops_over_constants(pf, call, value.id) or _counts(pf, call, value.id) or _numbered(pf, call, value.id)
    if isinstance(value, ast.BinOp):
        return _fixed_value(pf, call, value.left) and _fixed_value(pf, call, value.right)
    if _literal_table_read(pf, call, value):
        return True
    if _joined_constants(pf, call, value):
        return True
    return isinstance(value, ast.Constant) and isinstance(value.value, int) and not isinstance(value.value, bool)


def _numbered(pf: PythonFile, call: ast.Call, name: str) -> bool:
    """Return True when the function binds `name` only to names numbered by a range, joined:
    `argnames = ",".join(f"arg{i}" for i in range(nargs))` spells arg0, arg1, ... whatever `nargs` is."""
    func = pf.enclosing_function(call)
    values = assigned_values(func, name) if func is not None else []
    return bool(values) and all(_range_join(v) for v in values)


def _range_join(node: ast.expr) -> bool:
    """Return True for `"sep".join(<literal or f-string of the counters> for i in range(...))`."""
    if not (_string_join(node) and isinstance(node, ast.Call)):
        return False
    parts = node.args[0]
    if not isinstance(parts, ast.GeneratorExp | ast.ListComp):
        return False
    counters: set[str] = set()
    for gen in parts.generators:
        ranged = isinstance(gen.iter, ast.Call) and isinstance(gen.iter.func, ast.Name) and gen.iter.func.id == "range"
        if not (ranged and isinstance(gen.target, ast.Name) and not gen.ifs):
            return False
        counters.add(gen.target.id)
    elt = parts.elt
    if isinstance(elt, ast.Constant):
        return isinstance(elt.value, str)
    filled = (
        [p.value for p in elt.values if isinstance(p, ast.FormattedValue)] if isinstance(elt, ast.JoinedStr) else []
    )
    return bool(filled) and all(isinstance(v, ast.Name) and v.id in counters for v in filled)


def _joined_constants(pf: PythonFile, call: ast.Call, node: ast.expr) -> bool:
    """Return True for `",".join(keys)` of a literal list of names bound in the function (`mkeys = ["color", ...]`)."""
    if not (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "join"
        and isinstance(node.func.value, ast.Constant)
        and len(node.args) == 1
        and isinstance(node.args[0], ast.Name)
    ):
        return False
    scope = pf.enclosing_function(call) or pf.tree
    values = [*_assigned(scope, node.args[0].id), *_extended(scope, node.args[0].id)]
    return bool(values) and all(_constant_collection(pf, call, v) for v in values)


def _literal_table_read(pf: PythonFile, call: ast.Call, node: ast.expr) -> bool:
    """Return True for `table[key]` where every value the table can hold is a literal name: a dict literal of
    strings, or a dict filled only with the keys of a literal dict (`for name, aliases in dataset_aliases.items():
    alias2name[alias] = name`). Whatever the key, the value is one of those names: `eval(alias2name[dataset] +
    "_classes()")` runs one of a fixed set of calls."""
    if not (isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name)):
        return False
    scope: ast.AST = pf.enclosing_function(call) or pf.tree
    name = node.value.id
    bound = assigned_values(scope, name) or assigned_values(pf.tree, name)
    if len(bound) != 1 or not isinstance(bound[0], ast.Dict):
        return False
    if bound[0].values and all(isinstance(v, ast.Constant) and isinstance(v.value, str) for v in bound[0].values):
        return True
    stores = [
        n
        for n in ast.walk(scope)
        if isinstance(n, ast.Assign)
        and any(
            isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name) and t.value.id == name for t in n.targets
        )
    ]
    return not bound[0].values and bool(stores) and all(_literal_key(pf, store, store.value) for store in stores)


def _literal_key(pf: PythonFile, store: ast.Assign, value: ast.expr) -> bool:
    """Return True when `value` at `store` is a string literal or a loop name over the keys of a literal dict
    (`for name in D`, `for name in D.keys()`, `for name, _ in D.items()`, D a dict literal with string keys)."""
    if isinstance(value, ast.Constant):
        return isinstance(value.value, str)
    if not isinstance(value, ast.Name):
        return False
    for anc in pf.ancestors(store):
        if isinstance(anc, ast.For) and value.id in {n.id for n in ast.walk(anc.target) if isinstance(n, ast.Name)}:
            source: ast.expr = anc.iter
            method = ""
            if isinstance(anc.iter, ast.Call) and isinstance(anc.iter.func, ast.Attribute) and not anc.iter.args:
                source, method = anc.iter.func.value, anc.iter.func.attr
            key_position = (
                isinstance(anc.target, ast.Name)
                if method in ("", "keys")
                else method == "items"
                and isinstance(anc.target, ast.Tuple)
                and isinstance(anc.target.elts[0], ast.Name)
                and anc.target.elts[0].id == value.id
            )
            return key_position and isinstance(source, ast.Name) and _literal_keys(pf, source.id)
        if isinstance(anc, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            return False
    return False


def _literal_keys(pf: PythonFile, name: str) -> bool:
    """Return True when the module binds `name` once, to a dict literal whose keys are all strings."""
    return _string_dict(pf, name, keys=True)


def _string_dict(pf: PythonFile, name: str, *, keys: bool) -> bool:
    """Return True when the module binds `name` once, at its top level, to a dict literal whose keys (or values)
    are all strings."""
    bound = assigned_values(pf.tree, name)
    if len(bound) != 1 or not isinstance(bound[0], ast.Dict):
        return False
    items = bound[0].keys if keys else bound[0].values
    return bool(items) and all(isinstance(item, ast.Constant) and isinstance(item.value, str) for item in items)


def _counts(pf: PythonFile, call: ast.Call, name: str) -> bool:
    """Return True when `name` is the integer counter of an enclosing loop: `for i in range(n)` or the index
    of `for i, x in enumerate(xs)`, in the same function."""
    for anc in pf.ancestors(call):
        if isinstance(anc, ast.For) and isinstance(anc.iter, ast.Call) and isinstance(anc.iter.func, ast.Name):
            builtin = anc.iter.func.id
            target = anc.target
            if builtin == "range" and isinstance(target, ast.Name) and target.id == name:
                return True
            if builtin == "enumerate" and isinstance(target, ast.Tuple) and target.elts:
                first = target.elts[0]
                if isinstance(first, ast.Name) and first.id == name:
                    return True
        if isinstance(anc, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            return False
    return False


def _loops_over_constants(pf: PythonFile, call: ast.Call, name: str) -> bool:
    """Return True when `name` can only hold one of a literal list of strings at the call: it loops over that list,
    or the call sits in the body of `if name in LIST:` (`for key, value in kwargs.items(): if key in ALLOWED:`),
    or every binding of it in the function is a string literal (`if op == "add": sign = "+"` / `else: sign = "-"`)."""
    if _bound_only_to_literals(pf, call, name):
        return True
    child: ast.AST = call
    for anc in pf.ancestors(call):
        if isinstance(anc, ast.For) and isinstance(anc.target, ast.Name) and anc.target.id == name:
            return _constant_collection(pf, anc, anc.iter)
        if isinstance(anc, ast.If) and child in anc.body and _member_of_constants(pf, anc, name):
            return True
        if isinstance(anc, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            return False
        child = anc
    return False


def _bound_only_to_literals(pf: PythonFile, call: ast.Call, name: str) -> bool:
    """Return True when the function around the call binds `name` only by plain assignments of string literals:
    not a parameter (of it or of a lambda around the call), not declared global or nonlocal, never a loop, `with`,
    unpacking or augmented target. The name then holds one of those literals, whatever path led to the call."""
    func = pf.enclosing_function(call)
    if func is None or name in _parameters(func.args):
        return False
    if any(isinstance(a, ast.Lambda) and name in _parameters(a.args) for a in pf.ancestors(call)):
        return False
    stores = [n for n in ast.walk(func) if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Store)]
    if not stores or any(isinstance(n, ast.Global | ast.Nonlocal) and name in n.names for n in ast.walk(func)):
        return False
    return all(_literal_assignment(pf.parent(store), store) for store in stores)


def _parameters(args: ast.arguments) -> set[str]:
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
    return {a.arg for a in every if a is not None}


def _literal_assignment(parent: ast.AST | None, target: ast.Name) -> bool:
    """Return True when `target` is a whole target of `name = "literal"` (possibly `a = name = "literal"`)."""
    return (
        isinstance(parent, ast.Assign)
        and any(t is target for t in parent.targets)
        and isinstance(parent.value, ast.Constant)
        and isinstance(parent.value.value, str)
    )


def _member_of_constants(pf: PythonFile, test: ast.If, name: str) -> bool:
    """Return True for `if name in ("n_a", "n_d"):` or a name bound once, in the function, to a literal list."""
    compare = test.test
    if not (
        isinstance(compare, ast.Compare)
        and isinstance(compare.left, ast.Name)
        and compare.left.id == name
        and len(compare.ops) == 1
        and isinstance(compare.ops[0], ast.In)
    ):
        return False
    allowed = compare.comparators[0]
    if isinstance(allowed, ast.Name):
        bound = assigned_values(pf.enclosing_function(test) or pf.tree, allowed.id)
        if len(bound) != 1:
            return False
        allowed = bound[0]
    return isinstance(allowed, ast.List | ast.Tuple | ast.Set) and all(
        isinstance(e, ast.Constant) and isinstance(e.value, str) for e in allowed.elts
    )


def _constant_collection(pf: PythonFile, loop: ast.AST, node: ast.expr) -> bool:
    """Return True for a literal list/tuple/set of constants, `"a b".split()`, a sum of those, or a name bound to one
    (and only extended by such lists) in the body holding `loop`."""
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return all(isinstance(e, ast.Constant) for e in node.elts)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "split":
        return isinstance(node.func.value, ast.Constant) and not node.args
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _constant_collection(pf, loop, node.left) and _constant_collection(pf, loop, node.right)
    if isinstance(node, ast.Name):
        scope = pf.parent(loop)
        values, extended = _assigned(scope, node.id), _extended(scope, node.id)
        return len(values) == 1 and all(_constant_collection(pf, loop, v) for v in (*values, *extended))
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"):
        owner = next((a for a in pf.ancestors(loop) if isinstance(a, ast.ClassDef)), None)
        values = _assigned(owner, node.attr)  # a class constant: `DELEGATED_PARAMS = ["C", "kernel"]`
        return len(values) == 1 and _constant_collection(pf, loop, values[0])
    return False


def _extended(scope: ast.AST | None, name: str) -> list[ast.expr]:
    """Return the values added to `name` in place in a scope's body (`keys += ["title", "cmap"]`)."""
    return [
        s.value
        for s in getattr(scope, "body", [])
        if isinstance(s, ast.AugAssign) and isinstance(s.target, ast.Name) and s.target.id == name
    ]


def _assigned(scope: ast.AST | None, name: str) -> list[ast.expr]:
    """Return the values assigned to `name` directly in a scope's body."""
    return [
        s.value
        for s in getattr(scope, "body", [])
        if isinstance(s, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in s.targets)
    ]


def _evaluates_imported_table(project: Project, hit: Hit) -> bool:
    """Return True when the hit's eval/exec runs code built only from literals and reads of a table another module
    of the project binds once to a dict literal of strings (`from .registry import ACTIVATIONS` over
    `ACTIVATIONS = {"relu": "nn.ReLU()", ...}`, then `eval(ACTIVATIONS[name])`): whatever the key, one of those
    fixed expressions runs, as with a table the module defines itself."""
    pf = project.python.get(hit.path or "")
    if pf is None or hit.cell is not None or not _may_read_imported_table(pf, hit):
        return False
    return any(
        call.lineno == hit.line and _from_imported_tables(project, pf, arg) for call, _name, arg in dynamic_evals(pf)
    )


# a name indexed in the code a hit shows (`eval(ACTIVATIONS[name])`, `exec("x = " + OPS[k])`)
_INDEXED = re.compile(r"\b([A-Za-z_]\w*)\[")


def _may_read_imported_table(pf: PythonFile, hit: Hit) -> bool:
    """Return True when the code the hit shows indexes a name the file binds by `from ... import`: only then is
    its tree read again (from the per-file fact of its imports, so a cached file is not parsed for nothing)."""
    indexed = set(_INDEXED.findall(hit.message.split(" in ", 1)[0]))
    imported = {
        asname or name
        for _level, _module, names in pf.file_fact(FROM_IMPORTS_FACT, from_imports)
        for name, asname in names
    }
    return not indexed.isdisjoint(imported)


def _from_imported_tables(project: Project, pf: PythonFile, node: ast.expr) -> bool:
    """Return True for a read of an imported literal table, or literals and such reads joined (`+`, f-string)."""
    parts: list[ast.expr] = [node]
    if isinstance(node, ast.JoinedStr):
        parts = [v.value if isinstance(v, ast.FormattedValue) else v for v in node.values]
    elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        parts = [node.left, node.right]
    literal = [p for p in parts if isinstance(p, ast.Constant) and isinstance(p.value, str)]
    reads = [p for p in parts if _imported_table_read(project, pf, p)]
    return bool(reads) and len(literal) + len(reads) == len(parts)


def _imported_table_read(project: Project, pf: PythonFile, node: ast.expr) -> bool:
    """Return True for `TABLE[key]` where TABLE is imported from a project module that binds it once, at its top
    level, to a dict literal whose values are all strings."""
    if not (isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name)):
        return False
    module, name = pf.from_imports.get(node.value.id, ("", ""))
    source = project.python.get(module_paths(project).get(module, ""))
    return source is not None and _string_dict(source, name, keys=False)
