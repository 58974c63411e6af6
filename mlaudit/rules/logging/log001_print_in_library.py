"""Provides rule LOG001: print in library code."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.facts.kind import is_example
from mlaudit.model import FileKind, Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.logging._shared import library_prints, script_output


@register
class PrintInLibrary(Rule):
    """Flags `print` used for diagnostics in library code.

    ## What it does
    Reports `print(...)` calls in library modules. Not reported: prints under
    `if __name__ == "__main__":`, in CLI modules (`cli.py`, `__main__.py`, modules of a `cli/`
    or `commands/` package, or any module whose top level parses the command line: a program
    run with `python -m`) and command functions (argparse `main()`, a function parsing argv with docopt, methods of a click `Command`/`Group` subclass or of a command class declaring its
    arguments on the parser it is handed (`def configure_parser(self, parser): parser.add_argument(...)`), handlers taking an
    `argparse.Namespace` (also as a forward reference, `args: "Namespace"`), `@click.command`, `@app.command`, interactive functions that ask the
    user (`input()`, `getpass`, click/typer/rich prompts, an input-reading helper such as
    `chatio.prompt_for_input(role)`), functions named in `[project.scripts]` or called from the main guard, and
    private helpers only such commands call), in
    `print_*`/`show_*` helpers, functions named for the terminal they write to (`write_stdout`, `to_console`), functions whose docstring opens with "Print"/"Show"/"Display"
    (or with "List" when they return nothing: `list_examples()` can list only by printing)
    and `__repr__`, methods of a class named as the console implementation of an output interface
    (`ConsoleLogger` beside a `WandbLogger`, `StdoutWriter`, `PrintCallback`, `TerminalReporter`: printing is its
    job), the display mode of a function whose flag chooses between returning its result and printing it
    (`def bug_report(as_dict=False)`: prints after `if as_dict: return report`, or under `if not as_dict:`),
    prints to a file handle, and scripts, tests,
    notebooks and the code of documentation, tutorial and demo folders, and a Sphinx `conf.py` wherever it lives
    (`docs/conf.py`, `web/conf.py` setting `extensions` and `html_theme`, printing its build steps). Prints behind a
    `verbose`/`verbosity` setting (or a flag verbosity goes by: R's `trace`, scipy's `disp`; or a debug level ranked
    against a number, `if DEBUG >= 2:`, unlike a bare `if debug:` switch; also in a helper its
    module calls only behind one: `if self.verbose: self.log_epoch(...)`), and prints of a module nothing imports (any print of a
    root-level training script run directly or of a tool whose main guard runs its `main()`, and
    module-level prints of a script in a folder, such as an analysis script printing its result),
    are reported as info.

    ## Why is this bad?
    Prints have no level, timestamp or module name, cannot be silenced or routed to a file
    or log service, and interleave with the real output of the program.

    ## Example
    ```python
    def train(model, loader):
        for epoch in range(10):
            print("epoch", epoch, "loss", loss)
    ```

    ## Use instead
    ```python
    logger = logging.getLogger(__name__)

    def train(model: nn.Module, loader: DataLoader) -> None:
        for epoch in range(10):
            logger.info("epoch %d loss %.4f", epoch, loss)
    ```
    """

    code = "LOG001"
    title = "print in library code"
    practice = "logging"
    severity = Severity.WARNING
    fix = "Use logger = logging.getLogger(__name__) and logger.info(...) instead of print."

    def check(self, project: Project) -> Iterator[Output]:
        for pf in project.python_of(FileKind.LIBRARY):
            if is_example(pf.path):
                continue  # a docs build's conf.py, a tutorial or demo: its prints are its output to the reader
            for call in library_prints(project, pf):
                verbose = call.verbose
                script = script_output(project, pf, call)
                suffix = " behind a verbose flag" if verbose else " (a script nothing imports)" if script else ""
                yield Hit(
                    pf.path,
                    call.line,
                    f"print({call.argument}) in {call.where}{pf.path}{suffix}",
                    severity=Severity.INFO if verbose or script else None,
                )
