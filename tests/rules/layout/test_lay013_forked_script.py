"""Tests of rule LAY013 (`mlaudit/rules/layout/lay013_forked_script.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree
from tests.rules.layout._helpers import PACKAGE

LOOP = "".join(
    f"    loss_{i} = criterion(model(batch_{i}), target_{i})\n    loss_{i}.backward()\n    optimizer.step()\n"
    for i in range(12)
)
TRAIN = (
    "import argparse\n\nimport torch\n\n\n"
    "def main() -> None:\n"
    "    parser = argparse.ArgumentParser()\n    args = parser.parse_args()\n"
    f"{LOOP}"
    "    torch.save(model.state_dict(), args.out)\n\n\n"
    'if __name__ == "__main__":\n    main()\n'
)
OTHER = (
    "import argparse\n\n\n"
    "def main() -> None:\n"
    "    parser = argparse.ArgumentParser()\n    args = parser.parse_args()\n"
    + "".join(f"    report_{i} = summarise(results_{i}, args.split)\n    print(report_{i})\n" for i in range(20))
    + '\n\nif __name__ == "__main__":\n    main()\n'
)


def test_lay013_fires_on_a_numbered_copy_of_a_training_script(tmp_path: Path) -> None:
    fork = TRAIN.replace("optimizer.step()\n", "scheduler.step()\n", 2)
    write_tree(tmp_path, {**PACKAGE, "train.py": TRAIN, "train2.py": fork, "evaluate.py": OTHER})
    [hit] = findings(tmp_path, "LAY013")
    assert hit.path == "train2.py"
    assert hit.message.startswith("train2.py and train.py are copies of one program: they share ")


def test_lay013_fires_on_a_sub_application_repeating_the_root_script(tmp_path: Path) -> None:
    segment = TRAIN.replace("args.out", "args.mask_out") + "".join(
        f"\n\ndef mask_{i}(x):\n    return x > {i}\n" for i in range(4)
    )
    write_tree(tmp_path, {**PACKAGE, "train.py": TRAIN, "segment/train.py": segment})
    [hit] = findings(tmp_path, "LAY013")
    assert hit.path == "train.py" and "train.py and segment/train.py are copies" in hit.message


def test_lay013_silent_on_scripts_sharing_a_small_block(tmp_path: Path) -> None:
    shared = "".join(f"    step_{i} = prepare(batch_{i})\n" for i in range(14))
    first = f"def main() -> None:\n{shared}{LOOP}\n\nif __name__ == '__main__':\n    main()\n"
    second = f"def main() -> None:\n{shared}" + OTHER.split("args = parser.parse_args()\n", 1)[1]
    write_tree(tmp_path, {**PACKAGE, "train.py": first, "report.py": "import argparse\n\n\n" + second})
    assert findings(tmp_path, "LAY013") == []
    assert [h.path for h in findings(tmp_path, "FUN009")] == ["train.py"]  # the shared block is there


def test_lay013_silent_on_course_steps_examples_and_library_modules(tmp_path: Path) -> None:
    files = {
        **PACKAGE,
        "week_1/train.py": TRAIN,
        "week_2/train.py": TRAIN.replace("args.out", "args.output"),
        "examples/train_mnist.py": TRAIN,
        "examples/train_cifar.py": TRAIN.replace("args.out", "args.cifar_out"),
        "src/churn/loop.py": LOOP.replace("    ", ""),
        "src/churn/loop_v2.py": "extra = 1\n" + LOOP.replace("    ", ""),
    }
    write_tree(tmp_path, files)
    assert findings(tmp_path, "LAY013") == []
    copies = {h.path for h in findings(tmp_path, "FUN009")}
    assert {"week_2/train.py", "examples/train_mnist.py", "src/churn/loop_v2.py"} <= copies


OPTIONS = "".join(
    f"    parser.add_argument(\n        '--opt-{i}',\n        default={i},\n        help='override setting {i} of the config '\n"
    f"        'file, in key=value form')\n"
    for i in range(4)
)


def _tool(name: str, body: str) -> str:
    return (
        f"import argparse\n\n\ndef main() -> None:\n    parser = argparse.ArgumentParser(description='{name}')\n"
        f"{OPTIONS}    args = parser.parse_args()\n{body}\n\nif __name__ == '__main__':\n    main()\n"
    )


def test_lay013_silent_on_tools_sharing_only_their_option_declarations(tmp_path: Path) -> None:
    show = _tool("show", "    print(load(args.opt_0))\n")
    analyse = _tool("analyse", "    results = load(args.opt_1)\n    plot(results, args.opt_2)\n")
    write_tree(tmp_path, {**PACKAGE, "tools/show_config.py": show, "tools/analyse_results.py": analyse})
    assert findings(tmp_path, "LAY013") == []
    fork = _tool("show", "    print(load(args.opt_0))\n" + LOOP)
    copy = _tool("show", "    print(load(args.opt_0))\n" + LOOP.replace("optimizer.step()", "scheduler.step()", 1))
    write_tree(tmp_path / "fork", {**PACKAGE, "tools/train.py": fork, "tools/train_v2.py": copy})
    [hit] = findings(tmp_path / "fork", "LAY013")
    assert hit.path == "tools/train_v2.py"


def test_lay013_silent_on_the_recipes_of_a_recipe_collection_but_not_on_a_fork_beside_them(tmp_path: Path) -> None:
    """One standalone run per dataset and model is what `recipes/` holds; a numbered copy outside it is a fork."""
    files = {
        **PACKAGE,
        "recipes/ljspeech/glow_tts/train_glowtts.py": TRAIN,
        "recipes/vctk/glow_tts/train_glowtts.py": TRAIN.replace("args.out", "args.vctk_out"),
    }
    write_tree(tmp_path / "recipes", files)
    assert findings(tmp_path / "recipes", "LAY013") == []
    [copy] = findings(tmp_path / "recipes", "FUN009")
    assert "(recipes, each a complete run for one dataset and model)" in copy.message
    files = {**PACKAGE, "recipes/ljspeech/train.py": TRAIN, "train_v2.py": TRAIN.replace("args.out", "args.v2")}
    write_tree(tmp_path / "fork", files)
    [hit] = findings(tmp_path / "fork", "LAY013")
    assert "train_v2.py" in hit.message
