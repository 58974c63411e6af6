"""Provides the command line: argument parsing; the only module that writes stdout and exits.

Exit codes: 0 ok, 1 a gate was breached, 2 usage or configuration error, 3 internal error
(one line on stderr, never a traceback). A reader that closes the pipe early (`| head`) ends
the run quietly.
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import logging
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console

# Only what the app's path needs before its first paint is imported here: modules used to
# report, gate or document a run are imported where they are used.
from mlaudit import __version__, collector
from mlaudit.config import PROFILES, Config, ConfigError, load_config
from mlaudit.discover import read_regular
from mlaudit.model import SCORING_VERSION, Severity
from mlaudit.options import AuditOptions
from mlaudit.practices import PRACTICES

if TYPE_CHECKING:
    from mlaudit.baseline import Gates
    from mlaudit.engine import Progress
    from mlaudit.model import Report, RuleDoc
    from mlaudit.report.locate import Locator

EXIT_OK = 0
EXIT_BREACHED = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
STDOUT = "-"
MAX_INPUT_BYTES = 256 * 1024 * 1024

log = logging.getLogger("mlaudit")


class UsageError(Exception):
    """A problem with the command line or configuration: one line, exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of `mlaudit`."""
    parser = _Parser(
        prog="mlaudit",
        description="Audit a Python ML repository against eleven engineering practices, without running it.",
    )
    parser.add_argument("path", nargs="?", default=".", help="repository to audit (default: .)")
    _add_output_args(parser)
    _add_gate_args(parser)
    _add_scan_args(parser)
    _add_meta_args(parser)
    return parser


def _add_output_args(parser: argparse.ArgumentParser) -> None:
    """Add the flags that choose where the report goes."""
    parser.add_argument("--json", action="store_true", help="write the JSON report to stdout (nothing else)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write the JSON report to FILE (- for stdout)")
    parser.add_argument("--plain", action="store_true", help="print the text summary instead of opening the app")
    parser.add_argument("--markdown", metavar="FILE", help="write the markdown scorecard to FILE (- for stdout)")
    parser.add_argument("--fix-report", metavar="FILE", help="write the fix-it report to FILE (- for stdout)")
    parser.add_argument("--sarif", metavar="FILE", help="write SARIF 2.1.0 to FILE (- for stdout)")
    parser.add_argument("--badge", metavar="FILE", help="write a shields.io endpoint JSON badge to FILE (- for stdout)")
    parser.add_argument("--gitlab", metavar="FILE", help="write a GitLab Code Quality report to FILE (- for stdout)")
    parser.add_argument(
        "--sarif-include-suppressed",
        action="store_true",
        help="keep suppressed and baselined findings in SARIF (marked; code scanning would show them as alerts)",
    )
    parser.add_argument(
        "--github-annotations",
        action="store_true",
        help="print GitHub Actions annotations for open findings (works on fork pull requests)",
    )
    parser.add_argument(
        "--compare", metavar="BASE_JSON", help="add deltas against an earlier JSON report to the scorecard"
    )
    parser.add_argument(
        "--write-baseline", metavar="FILE", help="record the current findings as the baseline in FILE (- for stdout)"
    )
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="print only what a gate or an error says (no summary, no progress)"
    )
    parser.add_argument(
        "--statistics", action="store_true", help="print the number of open findings per rule instead of the summary"
    )


def _add_gate_args(parser: argparse.ArgumentParser) -> None:
    """Add the CI gates: thresholds, baseline and ratchet."""
    parser.add_argument(
        "--fail-under", type=_score_arg, metavar="SCORE", help="exit 1 when the overall score is below SCORE"
    )
    parser.add_argument(
        "--fail-on",
        choices=[s.value for s in Severity],
        metavar="SEVERITY",
        help="exit 1 on any finding of SEVERITY or worse",
    )
    parser.add_argument("--baseline", metavar="FILE", help="mark findings recorded in FILE as baselined")
    parser.add_argument(
        "--fail-on-new", action="store_true", help="exit 1 on findings not in --baseline (warning or worse)"
    )
    parser.add_argument(
        "--fail-if-worse", metavar="BASE_JSON", help="exit 1 when any practice score dropped since BASE_JSON"
    )
    parser.add_argument(
        "--min-scored",
        type=_min_scored_arg,
        metavar="N",
        help="exit 1 when fewer than N of the 11 practices are scored",
    )


def _add_scan_args(parser: argparse.ArgumentParser) -> None:
    """Add the flags that shape the audit itself."""
    parser.add_argument(
        "--select",
        type=_codes_arg,
        default=(),
        metavar="CODES",
        help="only these rule codes/prefixes (comma-separated; replaces the config's select)",
    )
    parser.add_argument(
        "--extend-select",
        type=_codes_arg,
        default=(),
        metavar="CODES",
        help="add these rule codes/prefixes to the selection",
    )
    parser.add_argument(
        "--ignore",
        type=_codes_arg,
        default=(),
        metavar="CODES",
        help="skip these rule codes/prefixes (comma-separated; added to the config's ignore)",
    )
    parser.add_argument(
        "--exclude", action="append", default=[], metavar="GLOB", help="skip paths matching GLOB (repeatable)"
    )
    parser.add_argument("--offline", action="store_true", help="skip checks that need the network (pip-audit)")
    parser.add_argument(
        "--theme",
        metavar="NAME",
        default=None,
        help="app colour theme, e.g. textual-dark, textual-light, nord (remembered for the next run)",
    )
    parser.add_argument(
        "--history-depth",
        type=_depth_arg,
        default=500,
        metavar="N",
        help="commits to scan for leaked secrets (0 disables)",
    )
    parser.add_argument(
        "--run-tests", action="store_true", help="opt in: run the repo's tests under coverage (subprocess)"
    )
    parser.add_argument("--python", metavar="EXE", help="interpreter for --run-tests (default: the current one)")
    parser.add_argument(
        "--test-timeout", type=_depth_arg, default=600, metavar="SECONDS", help="timeout for --run-tests"
    )
    parser.add_argument(
        "--config", metavar="FILE", help="read settings from FILE instead of [tool.mlaudit]/mlaudit.toml"
    )
    parser.add_argument("--profile", choices=sorted(PROFILES), help="weights preset: prototype, research, production")
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="audit from scratch; do not read or write the report cache ($XDG_CACHE_HOME/mlaudit)",
    )
    parser.add_argument(
        "--jobs",
        type=_depth_arg,
        default=os.cpu_count() or 1,
        metavar="N",
        help="processes for large repos (default: the cores)",
    )


def _add_meta_args(parser: argparse.ArgumentParser) -> None:
    """Add rule listing, explanation, verbosity and version."""
    parser.add_argument("--list-rules", action="store_true", help="list every rule and exit")
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="format of --list-rules and --explain"
    )
    parser.add_argument(
        "--schema",
        nargs="?",
        const="report",
        choices=("report", "config"),
        help="print the JSON schema of the report (default) or of the configuration, and exit",
    )
    parser.add_argument(
        "--add-ignore",
        metavar="REASON",
        help="write `# mlaudit: ignore[CODE] REASON` at every open finding in Python files (edits the tree)",
    )
    parser.add_argument("--explain", metavar="CODE", help="show a rule's documentation and exit")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    parser.add_argument("--version", action="version", version=f"mlaudit {__version__}")


def _score_arg(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not 0 <= number <= 100:
        raise argparse.ArgumentTypeError(f"must be between 0 and 100, got {value}")
    return number


def _depth_arg(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if number < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return number


def _min_scored_arg(value: str) -> int:
    number = _depth_arg(value)
    if number > len(PRACTICES):
        raise argparse.ArgumentTypeError(f"must be between 0 and {len(PRACTICES)}")
    return number


def _codes_arg(value: str) -> tuple[str, ...]:
    return tuple(code.strip().upper() for code in value.split(",") if code.strip())


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the process exit code."""
    _tolerate_any_encoding()
    try:
        return _run(build_parser().parse_args(argv))
    except UsageError as err:
        print(f"mlaudit: error: {err}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("mlaudit: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        _detach_stdout()
        return EXIT_OK
    except Exception as err:  # noqa: BLE001 - any crash is one line and its own exit code, never a traceback
        first = (str(err).splitlines() or [""])[0][:300]
        print(f"mlaudit: internal error: {type(err).__name__}: {first} (please report it)", file=sys.stderr)
        return EXIT_INTERNAL


def _tolerate_any_encoding() -> None:
    """Make text on stdout/stderr survive a non-UTF-8 terminal or locale (unencodable characters become ?)."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            try:
                stream.reconfigure(errors="replace" if stream is sys.stdout else "backslashreplace")
            except (ValueError, OSError):
                continue


def _detach_stdout() -> None:
    """Point stdout at /dev/null after the reader went away, so the final flush stays quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        return


def _emit(text: str) -> None:
    """Write a machine-readable output to stdout as UTF-8 bytes, whatever the locale says.

    Undecodable file names (surrogate escapes) come out as `\\udcXX` escapes, valid inside JSON strings.
    """
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(text)
        return
    sys.stdout.flush()
    buffer.write(text.encode("utf-8", errors="backslashreplace"))
    buffer.flush()


def _run(args: argparse.Namespace) -> int:
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, stream=sys.stderr, format="mlaudit: %(message)s"
    )
    if args.schema:
        return _print_schema(args.schema)
    if args.list_rules:
        return _list_rules(args.format)
    if args.explain:
        return _explain(args.explain, args.format)
    if args.format == "json":
        raise UsageError("--format json applies to --list-rules and --explain; for a JSON report use --json or -o FILE")
    if args.fail_on_new and not args.baseline:
        raise UsageError("--fail-on-new needs --baseline FILE (written earlier with --write-baseline)")
    if args.add_ignore is not None and not args.add_ignore.strip():
        raise UsageError("--add-ignore needs a reason, e.g. --add-ignore 'legacy code, tracked in #123'")
    root = _root(args.path)
    config = _config(root, args.config)
    _check_codes([*args.select, *args.extend_select, *args.ignore], "")
    _check_codes([*config.select, *config.ignore, *(s.code for s in config.suppressions)], f"{config.source}: ")
    options = _options(args, config)
    _check_stdout_claims(args)
    _check_destinations(args)
    if _wants_app(args):
        # Loading and starting the app makes only long-lived objects: the collector waits until its first frame.
        gc.disable()
        from mlaudit import background

        first = background.start(root, options)  # forked while this process has one thread; starts after the paint
        from mlaudit.tui.app import run_app

        return run_app(root, options, args.theme, first, gc_paused=True)
    return _audit_and_report(root, options, config, args)


def _check_codes(codes: list[str], where: str) -> None:
    """Reject unknown rule codes; the rules are loaded only when codes were given."""
    if not codes:
        return
    from mlaudit.registry import load_rules, unknown_codes
    from mlaudit.suppress import META_RULES

    bad = [c for c in unknown_codes(load_rules(), codes) if not any(m.startswith(c.upper()) for m in META_RULES)]
    if bad:
        raise UsageError(f"{where}unknown rule code or prefix: {', '.join(bad)} (see --list-rules)")


def _audit_and_report(root: Path, options: AuditOptions, config: Config, args: argparse.Namespace) -> int:
    with collector.paused(freeze=True):  # loading the engine and rules makes only long-lived objects
        from mlaudit import baseline
        from mlaudit.baseline import Gates
        from mlaudit.engine import EmptyTree, audit
        from mlaudit.progress import ProgressLine

    base = _load_report(args.fail_if_worse, "--fail-if-worse")
    compared = _load_report(args.compare, "--compare")
    line = ProgressLine(sys.stderr) if _wants_progress_line(args) else None
    try:
        report = audit(root, options, _progress_logger() if log.isEnabledFor(logging.INFO) else line)
    except EmptyTree as err:
        raise UsageError(str(err)) from None
    finally:
        if line is not None:
            line.clear()
    _write_outputs(report, args, compared)
    if args.write_baseline:
        text = baseline.dumps(report)
        _deliver(args.write_baseline, text)
        _note(args, f"baseline of {len(json.loads(text)['findings'])} finding(s) in {_label(args.write_baseline)}")
    if args.add_ignore is not None:
        return _add_ignores(root, report, args.add_ignore.strip(), args)
    gates = Gates(
        fail_under=args.fail_under if args.fail_under is not None else config.fail_under,
        fail_on=args.fail_on or config.fail_on,
        fail_on_new=args.fail_on_new,
        base=base,
        min_scored=args.min_scored,
    )
    return _exit_code(report, gates)


def _wants_progress_line(args: argparse.Namespace) -> bool:
    """A progress line only on a terminal's stderr, and never with -q or -v (which logs the stages instead)."""
    from mlaudit.progress import is_terminal

    return not args.quiet and not args.verbose and is_terminal(sys.stderr)


def _progress_logger() -> Callable[[Progress], None]:
    """Return a progress callback that logs each stage once, and each tool, to stderr (for -v)."""
    start = time.monotonic()
    seen: set[str] = set()

    def on_progress(step: Progress) -> None:
        if step.stage == "tools":
            log.info("running %s", step.detail)
        elif step.stage not in seen:
            seen.add(step.stage)
            messages = {
                "discover": f"discovering files in {step.detail}",
                "parse": f"parsing {step.total} files",
                "rules": "running the rules",
                "done": f"audit done in {time.monotonic() - start:.1f} s",
            }
            if step.stage in messages:
                log.info("%s", messages[step.stage])

    return on_progress


def _note(args: argparse.Namespace, message: str) -> None:
    """Say on stderr what was written, unless -q."""
    if not args.quiet:
        print(f"mlaudit: wrote {message}", file=sys.stderr)


def _label(target: str) -> str:
    return "stdout" if target == STDOUT else target


def _deliver(target: str, text: str) -> None:
    """Send one output to stdout (`-`) or to a file; every output goes through here."""
    if target == STDOUT:
        _emit(text)
    else:
        _write_file(target, text)


def _root(path: str) -> Path:
    root = Path(path)
    if not root.exists():
        raise UsageError(f"path does not exist: {path}")
    if not root.is_dir():
        raise UsageError(f"not a folder: {path}")
    return root


def _config(root: Path, explicit: str | None) -> Config:
    if explicit is not None and not Path(explicit).is_file():
        raise UsageError(f"config file not found: {explicit}")
    try:
        return load_config(root, Path(explicit) if explicit else None)
    except ConfigError as err:
        raise UsageError(str(err)) from None


def _options(args: argparse.Namespace, config: Config) -> AuditOptions:
    """Merge the command line into the config the way ruff does: --select replaces, --ignore and --extend-select add."""
    profile = args.profile or config.profile
    weights = {**PROFILES[profile], **(config.weights or {})}
    select = tuple(args.select or config.select)
    if select and args.extend_select:
        select = (*select, *args.extend_select)
    return AuditOptions(
        select=select,
        ignore=tuple(dict.fromkeys((*config.ignore, *args.ignore))),
        exclude=(*config.exclude, *args.exclude),
        offline=args.offline,
        history_depth=args.history_depth,
        weights=weights,
        thresholds=dict(config.thresholds or {}),
        run_tests=args.run_tests,
        python=args.python,
        test_timeout=args.test_timeout,
        profile=profile,
        placeholders=config.placeholders,
        suppressions=config.suppressions,
        vulnerability_ignores=config.vulnerability_ignores,
        baseline=_load_baseline(args.baseline),
        jobs=args.jobs,
        cache=not args.no_cache,
    )


def _load_baseline(path: str | None) -> frozenset[str]:
    if path is None:
        return frozenset()
    try:
        from mlaudit import baseline

        return baseline.loads(_read_input(path))
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as err:
        raise UsageError(f"cannot read --baseline {path}: {_one_line(err)}") from None


def _check_stdout_claims(args: argparse.Namespace) -> None:
    claims = [flag for flag, value in _file_outputs(args) if value == STDOUT]
    claims += [
        flag
        for flag, value in (("--output", args.output), ("--write-baseline", args.write_baseline))
        if value == STDOUT
    ]
    if args.json:
        claims.append("--json")
    if args.github_annotations and claims:
        claims.append("--github-annotations")
    if len(claims) > 1:
        raise UsageError(f"only one output may go to stdout, got: {', '.join(claims)}")


def _check_destinations(args: argparse.Namespace) -> None:
    """Refuse link or special-file destinations before the audit runs (one-line error, exit 2)."""
    targets = [value for _flag, value in _file_outputs(args) if value not in (None, "-")]
    for target in [args.output, args.write_baseline, *targets]:
        if target:
            from mlaudit.output import OutputError, check_destination

            try:
                check_destination(Path(target))
            except OutputError as err:
                raise UsageError(str(err)) from None


def _file_outputs(args: argparse.Namespace) -> list[tuple[str, str | None]]:
    return [
        ("--markdown", args.markdown),
        ("--fix-report", args.fix_report),
        ("--sarif", args.sarif),
        ("--badge", args.badge),
        ("--gitlab", args.gitlab),
    ]


def _wants_app(args: argparse.Namespace) -> bool:
    """Open the full-screen app only for a person at a terminal: never in CI, a pipe, or with a CI-only flag."""
    exports = any(value for _flag, value in _file_outputs(args)) or args.output or args.github_annotations
    interactive = _isatty(sys.stdout) and _isatty(sys.stdin) and not _in_ci()
    ci_flags = (
        args.plain
        or args.json
        or exports
        or args.quiet
        or args.statistics
        or args.write_baseline
        or args.baseline
        or args.add_ignore is not None
        or args.fail_under is not None
        or args.fail_on
        or args.fail_if_worse
        or args.compare
        or args.min_scored is not None
    )
    return interactive and not ci_flags


def _isatty(stream: object) -> bool:
    try:
        return bool(stream is not None and stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError, OSError):
        return False


def _in_ci() -> bool:
    """Return True when a CI system says so (`CI` set to anything but empty, 0 or false)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _write_outputs(report: Report, args: argparse.Namespace, compared: Report | None) -> None:
    from mlaudit.report import json as json_report

    if args.output:
        _deliver(args.output, json_report.dumps(report))
    stdout_used = bool(args.json or STDOUT in (args.output, args.write_baseline))
    for flag, target in _file_outputs(args):
        if target is None:
            continue
        _deliver(target, _render(flag, report, args, compared))
        if target == STDOUT:
            stdout_used = True
        else:
            _note(args, f"{flag[2:]} to {target}")
    if args.json:
        _emit(json_report.dumps(report))
    if args.github_annotations:
        from mlaudit.report import github

        _emit(github.render(report, _locator(report)))
    if stdout_used or args.quiet:
        return
    if args.statistics:
        _emit(_statistics(report))
    else:
        _show_summary(report, compared, args.compare)


def _statistics(report: Report) -> str:
    """Return one line per rule with open findings: count, code, title; most frequent first (like ruff)."""
    counts: dict[str, int] = {}
    for finding in report.findings:
        if finding.is_new:
            counts[finding.rule] = counts.get(finding.rule, 0) + 1
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    width = len(str(rows[0][1])) if rows else 1
    lines = []
    for code, count in rows:
        doc = report.rule_doc(code)
        lines.append(f"{count:>{width}}\t{code}\t{doc.title if doc else ''}".rstrip())
    return "".join(f"{line}\n" for line in lines)


def _render(flag: str, report: Report, args: argparse.Namespace, compared: Report | None) -> str:
    if flag == "--markdown":
        from mlaudit.report import markdown

        return markdown.render(report, compared)
    if flag == "--fix-report":
        from mlaudit.report import fixit

        return fixit.render(report)
    if flag == "--sarif":
        from mlaudit.report import sarif

        return sarif.render(report, _locator(report), include_suppressed=args.sarif_include_suppressed)
    if flag == "--gitlab":
        from mlaudit.report import gitlab

        return gitlab.render(report, _locator(report))
    from mlaudit.report import badge

    return badge.render(report)


def _locator(report: Report) -> Locator:
    """Return where the report's paths sit in the git repository (read from files, git is not run)."""
    from mlaudit.model import FileKind
    from mlaudit.report.locate import locator_for

    notebooks = [e.path for e in report.inventory if e.kind is FileKind.NOTEBOOK]
    return locator_for(Path(report.root), notebooks)


def _load_report(path: str | None, flag: str) -> Report | None:
    if path is None:
        return None
    from mlaudit.report import json as json_report

    text = ""
    try:
        text = _read_input(path)
        base = _well_formed(json_report.loads(text))
    except KeyError as err:
        raise UsageError(f"cannot read {flag} report {path}: {_not_a_report(text, flag, err)}") from None
    except (OSError, ValueError, TypeError, AttributeError, IndexError, RecursionError) as err:
        raise UsageError(f"cannot read {flag} report {path}: {_one_line(err)}") from None
    if base.scoring_version != SCORING_VERSION:
        print(
            f"mlaudit: warning: {flag} {path} was scored with scoring version {base.scoring_version}, this run "
            f"with {SCORING_VERSION}; score changes may come from the new scoring, not from the code",
            file=sys.stderr,
        )
    return base


def _not_a_report(text: str, flag: str, err: KeyError) -> str:
    """Say which file `flag` needs when the one given lacks a report field (a baseline is the usual mix-up)."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        data = None
    if isinstance(data, dict) and "mlaudit_baseline" in data:
        return f"this is a baseline (--write-baseline); {flag} needs a JSON report (--json or -o FILE)"
    return f"not an mlaudit JSON report (--json or -o FILE): {_one_line(err)}"


def _well_formed(report: Report) -> Report:
    """Return the report when the fields the gates and deltas compare have the right types."""
    for p in report.practices:
        if not isinstance(p.key, str) or not (p.score is None or type(p.score) is int):
            raise ValueError(f"practice {str(p.key)[:40]!r} has no valid score")
    if not (report.score is None or type(report.score) is int):
        raise ValueError("the overall score is not a whole number")
    for f in report.findings:
        if (
            not isinstance(f.rule, str)
            or not isinstance(f.message, str)
            or not (f.path is None or isinstance(f.path, str))
        ):
            raise ValueError("a finding has no valid rule, path or message")
    return report


def _read_input(path: str) -> str:
    """Read a report or baseline the user named: a regular UTF-8 file of at most 256 MB."""
    return read_regular(Path(path), limit=MAX_INPUT_BYTES).decode("utf-8")


def _one_line(err: BaseException) -> str:
    """Return an error as one short line (OSError by its reason; KeyError names the missing key)."""
    if isinstance(err, OSError) and err.strerror:
        return err.strerror
    if isinstance(err, KeyError):
        return f"missing field {err}"
    if isinstance(err, RecursionError):
        return "nested too deeply"
    text = " ".join(str(err).split()) or type(err).__name__
    return text[:200]


class _SummaryConsole(Console):
    """A console that leaves a closed pipe to main() (rich would exit 1, the code of a breached gate)."""

    def on_broken_pipe(self) -> None:
        raise BrokenPipeError


def _show_summary(report: Report, compared: Report | None, compared_path: str | None) -> None:
    from mlaudit.report.compare import compare, summary_line
    from mlaudit.report.text import render

    console = _SummaryConsole(no_color="NO_COLOR" in os.environ or None, highlight=False)
    render(report, console)
    if compared is not None and compared_path is not None:
        since = f"Since {Path(compared_path).name}: {summary_line(compare(report, compared))}"
        console.print(since, markup=False)


def _write_file(path: str, text: str) -> None:
    """Write one output atomically, never through a symbolic link (one-line error, exit 2)."""
    from mlaudit.output import OutputError, write_output

    try:
        write_output(path, text)
    except OutputError as err:
        raise UsageError(str(err)) from None


def write_atomic(target: Path, text: str) -> None:
    """Replace `target` with `text` (UTF-8) in one rename; refuse a symlink at the destination."""
    from mlaudit.output import OutputError, write_output

    try:
        write_output(target, text)
    except OutputError as err:
        raise OSError(str(err)) from None


def _add_ignores(root: Path, report: Report, reason: str, args: argparse.Namespace) -> int:
    """Insert reasoned suppressions at every open finding (only on this explicit request)."""
    from mlaudit.add_ignore import add_ignores

    result = add_ignores(root, report, reason, write_atomic)
    if not args.quiet:
        print(f"mlaudit: {result.summary()}", file=sys.stderr)
        for line in result.not_inserted[:20]:
            print(f"mlaudit:   not inserted: {line}", file=sys.stderr)
    return EXIT_OK


def _print_schema(which: str) -> int:
    from importlib import resources

    name = "schema.json" if which == "report" else "config-schema.json"
    _emit(resources.files("mlaudit.report").joinpath(name).read_text(encoding="utf-8"))
    return EXIT_OK


def _exit_code(report: Report, gates: Gates) -> int:
    failures = gates.failures(report)
    for message in failures:
        print(f"mlaudit: {message}", file=sys.stderr)
    return EXIT_BREACHED if failures else EXIT_OK


def _all_docs() -> dict[str, RuleDoc]:
    """Return the documentation of every rule, the SUP meta rules included, by code."""
    from mlaudit.registry import load_rules
    from mlaudit.suppress import META_RULES

    docs = {code: rule.doc() for code, rule in load_rules().items()}
    docs.update((code, meta.doc("any")) for code, meta in META_RULES.items())  # they apply to every practice
    return dict(sorted(docs.items()))


def _doc_dict(doc: RuleDoc) -> dict[str, str | int]:
    from mlaudit.scoring import rule_scoring_line

    return {
        "code": doc.code,
        "title": doc.title,
        "practice": doc.practice,
        "severity": doc.severity.value,
        "what": doc.what,
        "why": doc.why,
        "example": doc.example,
        "use_instead": doc.use_instead,
        "fix": doc.fix,
        "scoring": doc.scoring,
        "weight": doc.weight,
        "cap": doc.cap,
        "scoring_text": rule_scoring_line(doc.scoring, doc.weight, doc.cap),
    }


def _list_rules(fmt: str) -> int:
    docs = _all_docs()
    if fmt == "json":
        _emit(json.dumps([_doc_dict(doc) for doc in docs.values()], indent=2, ensure_ascii=False) + "\n")
        return EXIT_OK
    for code, doc in docs.items():
        print(f"{code}  {doc.severity.value:<8}  {doc.scoring:<8}  {doc.practice:<15}  {doc.title}")
    return EXIT_OK


def _explain(code: str, fmt: str) -> int:
    doc = _all_docs().get(code.upper())
    if doc is None:
        raise UsageError(f"unknown rule code: {code} (see --list-rules)")
    if fmt == "json":
        _emit(json.dumps(_doc_dict(doc), indent=2, ensure_ascii=False) + "\n")
        return EXIT_OK
    print(f"{doc.code}: {doc.title}  [{doc.practice}, {doc.severity.value}]\n")
    for heading, body in (
        ("What it does", doc.what),
        ("Why is this bad?", doc.why),
        ("Example", doc.example),
        ("Use instead", doc.use_instead),
    ):
        print(f"## {heading}\n{body}\n")
    from mlaudit.registry import load_rules
    from mlaudit.scoring import rule_scoring_line

    print(f"Fix: {doc.fix}")
    rule = load_rules().get(doc.code)
    if rule is not None and rule.restates:
        print(
            f"Priced by the {rule.practice} capability `{rule.restates}` while it is assessed: its findings cost "
            "the capability's missing points, and the rule deducts nothing more."
        )
        if not doc.weight:
            return EXIT_OK
        print("Only when that capability cannot be assessed: ", end="")
    print(rule_scoring_line(doc.scoring, doc.weight, doc.cap))
    return EXIT_OK
