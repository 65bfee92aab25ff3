"""The run-time package apart from the lab: no module outside newsledger/lab/ imports the lab, nor
torch, transformers or safetensors (the `train` extra), at the top or inside a function. The CLI's
`train` and `eval` commands are the one door into the lab, opened inside the command."""
import ast
from pathlib import Path

import newsledger

PACKAGE = Path(newsledger.__file__).parent
TRAINING_ONLY = ("torch", "transformers", "safetensors")
# the CLI is the front door: `eval ...` and `train ...` import the lab inside the command
LAB_DOORS = {"cli/eval.py", "cli/train.py"}


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every module a file imports, anywhere in it, as absolute names (relative ones resolved)."""
    package = ".".join(("newsledger",) + path.relative_to(PACKAGE).parent.parts)
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            out.append((node.lineno, mod))
            out += [(node.lineno, f"{mod}.{alias.name}") for alias in node.names]
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None)) \
                in ("import_module", "__import__") and node.args and isinstance(node.args[0], ast.Constant):
            out.append((node.lineno, str(node.args[0].value)))
    return out


def _runtime_modules() -> list[Path]:
    return [p for p in sorted(PACKAGE.rglob("*.py")) if "lab" not in p.relative_to(PACKAGE).parts]


def test_the_walk_sees_the_runtime_and_resolves_relative_imports():
    names = {p.relative_to(PACKAGE).as_posix() for p in _runtime_modules()}
    assert {"pipeline.py", "components.py", "extract/attributions.py", "extract/attribution_tagger.py"} <= names
    assert not any(n.startswith("lab/") for n in names)
    assert (PACKAGE / "lab" / "training.py").is_file()
    mods = {m for _, m in _imports(PACKAGE / "extract" / "attributions.py")}
    assert "newsledger.extract.attribution_model" in mods and "newsledger.ledger" in mods
    assert "newsledger.lab.eval" in {m for _, m in _imports(PACKAGE / "cli" / "eval.py")}


def test_no_runtime_module_imports_the_lab_or_the_train_extra():
    found = []
    for path in _runtime_modules():
        rel = path.relative_to(PACKAGE).as_posix()
        for line, mod in _imports(path):
            top = mod.split(".")[0]
            lab = mod == "newsledger.lab" or mod.startswith("newsledger.lab.")
            if top in TRAINING_ONLY or (lab and rel not in LAB_DOORS):
                found.append(f"{rel}:{line} imports {mod}")
    assert not found, "\n".join(found)


def test_the_cli_imports_the_lab_only_inside_a_command():
    for path in sorted((PACKAGE / "cli").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
        assert not any((n.module or "").startswith("lab") or any(a.name.startswith("lab") for a in n.names)
                       for n in top if isinstance(n, ast.ImportFrom)), path.name
