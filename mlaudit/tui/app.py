"""Provides MLAuditApp, the Textual app behind `mlaudit PATH`, and `run_app` for the CLI."""

from __future__ import annotations

import gc
import os
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events, on, work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.theme import Theme
from textual.widgets import Input

if TYPE_CHECKING:
    from textual.command import Provider

    from mlaudit.engine import ProgressCallback
    from mlaudit.tui.screens.findings import Place

from mlaudit.background import Audit, AuditFailed, Throttled
from mlaudit.model import Report, Severity
from mlaudit.options import AuditOptions
from mlaudit.present import score_deltas
from mlaudit.tools import children
from mlaudit.tui.messages import OpenPractice, ScanCancelled, ScanFailed, ScanFinished, ScanProgress
from mlaudit.tui.screens.dashboard import DashboardScreen
from mlaudit.tui.settings import config_file, load_theme, save_theme

NARROW = 80


def _commands() -> type[Provider]:
    """Return the palette provider, imported when the palette first opens."""
    from mlaudit.tui.commands import MLAuditCommands

    return MLAuditCommands


class MLAuditApp(App[int]):
    """Audit a repository in a background thread and browse its Report."""

    CSS_PATH = "mlaudit.tcss"
    TITLE = "mlaudit"
    COMMANDS: ClassVar = App.COMMANDS | {_commands}
    BINDINGS: ClassVar[list[BindingType]] = [
        # Help first: the footer lists the app's keys in this order, and a narrow footer cuts the last ones.
        Binding("question_mark", "help", "Help", tooltip="This help: every key and where files go"),
        Binding("q", "cancel_key", "Cancel scan", tooltip="Stop the running scan and its pip-audit or test run"),
        Binding(
            "q", "quit_or_cancel", "Quit", tooltip="Quit; while a scan runs, stop it and its pip-audit or test run"
        ),
        Binding("r", "rescan", "Rescan", tooltip="Audit again; the dashboard shows what changed"),
        Binding("x", "export('markdown')", "Export", tooltip="Export a scorecard, fix-it or JSON report (asks where)"),
        Binding("d", "toggle_theme", "Theme", show=False, tooltip="Switch dark/light (back to your palette theme)"),
    ]

    def __init__(
        self,
        root: Path,
        options: AuditOptions | None = None,
        report: Report | None = None,
        theme: str | None = None,
        persist_theme: bool = False,
        first_audit: Audit | None = None,
        gc_paused: bool = False,
    ) -> None:
        """`first_audit`: the first scan, already running in a forked child (`mlaudit.background.start`).

        `gc_paused`: the caller turned the garbage collector off for the start; it is back on after the first frame.
        """
        super().__init__()
        self._first_audit = first_audit
        self._gc_paused = gc_paused
        self.persist_theme = persist_theme
        self._other_theme: str | None = None
        self.unknown_theme = theme if theme and theme not in self.available_themes else None
        wanted = theme or (load_theme() if persist_theme else None)
        if wanted in self.available_themes:
            self.theme = wanted
        self.root = root
        self.options = options or AuditOptions()
        self.report = report
        self.scan_id = 0
        self._stop = threading.Event()
        self._scanning = False
        self.typeahead: list[str] | None = None
        self._place: Place | None = None

    @property
    def scanning(self) -> bool:
        """Return True while a scan runs."""
        return self._scanning

    @scanning.setter
    def scanning(self, value: bool) -> None:
        self._scanning = value
        self.refresh_bindings()

    async def on_event(self, event: events.Event) -> None:
        """Hold printable keys typed while the filter is being opened, so none fires a binding."""
        if (
            self.typeahead is not None
            and isinstance(event, events.Key)
            and not event.is_forwarded
            and event.is_printable
            and event.character
        ):
            self.typeahead.append(event.character)
            return
        if (
            isinstance(event, events.Key)
            and event.key == "slash"
            and not event.is_forwarded
            and self.report is not None
            and _has_filter(self.screen)
            and not isinstance(self.focused, Input)
        ):
            self.start_typeahead()  # the keys after `/` are queued before its binding runs
        await super().on_event(event)

    def start_typeahead(self) -> None:
        """Begin holding typed characters for a text field that is about to appear."""
        self.typeahead = []

    def take_typeahead(self) -> str:
        """Return the characters held since `start_typeahead` and stop holding."""
        text = "".join(self.typeahead or ())
        self.typeahead = None
        return text

    def get_default_screen(self) -> Screen[None]:
        """Start on the dashboard."""
        return DashboardScreen(str(self.root))

    @property
    def dashboard(self) -> DashboardScreen:
        """Return the dashboard (always the bottom screen)."""
        screen = self.screen_stack[0]
        assert isinstance(screen, DashboardScreen)
        return screen

    def on_mount(self) -> None:
        """Remember every theme change; say so when the theme asked for does not exist."""
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        if self.unknown_theme:
            names = ", ".join(sorted(self.available_themes))
            self.notify(f"No theme called {self.unknown_theme!r}; choose one of: {names}", severity="warning")

    def on_ready(self) -> None:
        """Begin as soon as the first frame is on screen (the dashboard before the engine loads)."""
        self._begin()

    def on_resize(self, event: events.Resize) -> None:
        """Below 80 columns the footer drops the `^p palette` hint (Ctrl+P still works; help lists it)."""
        self.set_class(event.size.width < NARROW, "-narrow")

    def _theme_changed(self, theme: Theme) -> None:
        if self.persist_theme:
            save_theme(theme.name)

    def _begin(self) -> None:
        """Show a given report, or start scanning (the first frame is on screen)."""
        if self._gc_paused:
            self._gc_paused = False
            gc.freeze()  # what the start made lives as long as the app: no collection needs to walk it
            gc.enable()
        if self.report is not None:
            if self._first_audit is not None:
                self._first_audit.end()
                self._first_audit = None
            self.dashboard.show_report(self.report)
            self.dashboard.scan_ended("")
        else:
            self.start_scan()  # after the first refresh: the dashboard frame is on screen before the engine loads

    def start_scan(self) -> None:
        """Start a new scan in a thread worker; a running one is told to stop and its child processes end."""
        self._stop.set()
        if self.scanning:
            children.kill_all()
        self._stop = threading.Event()
        self.scan_id += 1
        self.scanning = True
        self.dashboard.scan_started()
        forked, self._first_audit = self._first_audit, None
        self._scan(self.scan_id, self._stop, forked)

    @work(thread=True, exclusive=True, group="scan", exit_on_error=False)
    def _scan(self, scan: int, stop: threading.Event, forked: Audit | None = None) -> None:
        """Run the audit (or read the one already running in a child); only post messages, never touch widgets."""
        from mlaudit.project import Cancelled  # imported here: the engine loads after the first paint

        started = forked.started if forked is not None else time.monotonic()
        progress = Throttled(lambda p: self.post_message(ScanProgress(scan, p)))
        try:
            if forked is not None:
                report = forked.receive(progress, stop.is_set)
            else:
                report = audit(self.root, self.options, progress=progress, should_stop=stop.is_set)
        except Cancelled:
            self.post_message(ScanCancelled(scan))
            return
        except Exception as err:  # noqa: BLE001 - any scan failure becomes a notification, never a traceback
            self.post_message(ScanFailed(scan, failure_text(err)))
            return
        self.post_message(ScanFinished(scan, report, time.monotonic() - started))

    @on(ScanProgress)
    def _progress(self, message: ScanProgress) -> None:
        if message.scan != self.scan_id:
            return
        if message.progress.practice is not None:
            self.dashboard.show_early_score(message.progress.practice)
        else:
            self.dashboard.show_progress(message.progress)

    @on(ScanFinished)
    def _finished(self, message: ScanFinished) -> None:
        if message.scan != self.scan_id:
            return
        self.scanning = False
        before, self.report = self.report, message.report
        deltas = score_deltas(before, message.report) if before is not None else {}
        self.dashboard.show_report(message.report, deltas)
        self.dashboard.scan_ended("Scan finished")
        files = sum(message.report.files.values())
        change = f"; {delta_text(before, message.report, deltas)}" if before is not None else ""
        self.notify(f"{files} files audited in {message.seconds:.1f} s{change}", title="Scan finished", timeout=5)
        self._return_to_place()

    @on(ScanCancelled)
    def _cancelled(self, message: ScanCancelled) -> None:
        if message.scan == self.scan_id:
            self.scanning = False
            self.dashboard.scan_ended("Scan cancelled")
            self.notify("Scan cancelled.", severity="warning")
            self._return_to_place()

    @on(ScanFailed)
    def _failed(self, message: ScanFailed) -> None:
        if message.scan == self.scan_id:
            self.scanning = False
            self.dashboard.scan_ended(f"Scan failed: {message.error}")
            self.notify(message.error, title="Scan failed", severity="error", timeout=10)

    @on(OpenPractice)
    def _open_practice(self, message: OpenPractice) -> None:
        self.open_practice(
            message.practice,
            message.filter_text,
            message.severity,
            message.focus_filter,
            message.rule,
            message.capability,
        )

    def open_practice(
        self,
        practice: str | None,
        filter_text: str = "",
        severity: Severity | None = None,
        focus_filter: bool = False,
        rule: str | None = None,
        capability: str | None = None,
    ) -> None:
        """Show the findings of one practice (None: all findings; `rule`: one fix), on top of the dashboard.

        `capability` points at one capability of the practice in its capability list (a capability fix).
        """
        if self.report is None:
            self.notify("No report yet: wait for the scan to finish.", severity="warning")
            return
        from mlaudit.tui.screens.findings import FindingsScreen

        self._back_to_dashboard()
        screen = FindingsScreen(
            self.report, practice, filter_text, severity, rule=rule, focus_filter=focus_filter, capability=capability
        )
        self.push_screen(screen)

    def _back_to_dashboard(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def action_cancel_scan(self) -> None:
        """Ask the running scan to stop."""
        if self.scanning:
            self._stop.set()
            children.kill_all()
            self.scanning = False
            from mlaudit.engine import Progress

            self.dashboard.show_progress(Progress("cancel", 0, 1, ""))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer `q Cancel scan` while a scan runs, `q Quit` otherwise."""
        if action == "cancel_key":
            return self.scanning
        if action == "quit_or_cancel":
            return not self.scanning
        return True

    def action_cancel_key(self) -> None:
        """Cancel the running scan (the `q` key while scanning)."""
        self.action_cancel_scan()

    def action_quit_or_cancel(self) -> None:
        """Cancel the running scan; when none runs, quit."""
        if self.scanning:
            self.action_cancel_scan()
        else:
            self.action_quit()

    def action_rescan(self) -> None:
        """Audit the repository again; a findings list open now is reopened at the same finding afterwards."""
        from mlaudit.tui.screens.findings import FindingsScreen

        lists = [s for s in self.screen_stack if isinstance(s, FindingsScreen)]
        self._place = lists[-1].place() if lists else None
        self._back_to_dashboard()
        self.start_scan()

    def _return_to_place(self) -> None:
        """Reopen the findings list the user rescanned from, at the same finding."""
        place, self._place = self._place, None
        if place is None or self.report is None:
            return
        from mlaudit.tui.screens.findings import FindingsScreen

        screen = FindingsScreen(
            self.report, place.practice, place.filter_text, place.severity, rule=place.rule, capability=place.capability
        )
        self.push_screen(screen)
        self.call_after_refresh(screen.restore, place)

    def action_export(self, key: str) -> None:
        """Open the export dialog (format, full path outside the repository by default); nothing is written yet."""
        from mlaudit.tui.screens.export import ExportScreen

        if self.report is None:
            self.notify("No report yet: wait for the scan to finish.", severity="warning")
            return
        if not isinstance(self.screen, ExportScreen):
            self.push_screen(ExportScreen(self.report, key))

    def action_toggle_theme(self) -> None:
        """Switch between dark and light, back to the theme chosen before (also one picked in the palette)."""
        current = self.theme
        before = self.get_theme(self._other_theme) if self._other_theme else None
        if before is not None and before.dark != self.current_theme.dark:
            other = before.name
        else:
            other = "textual-light" if self.current_theme.dark else "textual-dark"
        self.theme = other
        self._other_theme = current

    def action_help(self) -> None:
        """Show every key binding."""
        from mlaudit.tui.screens.finding import FindingScreen
        from mlaudit.tui.screens.findings import FindingsScreen
        from mlaudit.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(
            HelpScreen(
                [
                    (
                        "everywhere",
                        [
                            *(b for b in self.BINDINGS if isinstance(b, Binding) and b.action != "cancel_key"),
                            Binding("ctrl+p", "", "Command palette: every action, practice, rule"),
                        ],
                    ),
                    (
                        "dashboard",
                        [Binding("enter", "", "Open the highlighted fix or practice"), *DashboardScreen.BINDINGS],
                    ),
                    ("dashboard", [Binding("tab", "", "Move between top fixes and practices")]),
                    ("lists", [Binding("j,k", "", "Down, up"), Binding("g,G", "", "First, last row")]),
                    ("practice", [Binding("enter", "", "Open the finding"), *FindingsScreen.BINDINGS]),
                    ("finding", FindingScreen.BINDINGS),
                ],
                self.file_places(),
            )
        )

    def deliver_screenshot(
        self, filename: str | None = None, path: str | None = None, time_format: str | None = None
    ) -> str | None:
        """Save an SVG screenshot into the reports folder (outside the repository) and say where."""
        from textual._files import generate_datetime_filename

        from mlaudit.tui.exports import reports_dir, write_text

        name = self.report.project_name if self.report else self.root.name
        folder = Path(path) if path else reports_dir(name)
        target = folder / (filename or generate_datetime_filename(self.title, ".svg", time_format))
        try:
            write_text(target, self.export_screenshot())
        except OSError as err:
            self.notify(f"Cannot save the screenshot to {target}: {err}", title="Screenshot", severity="error")
            return None
        self.notify(f"Saved a screenshot to {target}", title="Screenshot", timeout=8)
        return str(target)

    def file_places(self) -> list[tuple[str, str]]:
        """Return what the app writes and where; never into the audited repository unless you say so."""
        from mlaudit.tools.pipaudit import default_cache_dir
        from mlaudit.tui.exports import reports_dir

        name = self.report.project_name if self.report else self.root.name
        return [
            ("Exports (x)", f"{reports_dir(name)} by default; the dialog shows the full path and asks to overwrite"),
            ("Screenshots (palette)", str(reports_dir(name))),
            ("Theme", str(config_file())),
            ("pip-audit cache", str(default_cache_dir())),
            ("Report cache", f"{default_cache_dir() / 'reports'} (a rescan of an unchanged tree reads it)"),
            ("Audited repository", "never written to, unless you type a path inside it and confirm"),
        ]

    def on_unmount(self) -> None:
        """However the app ends, the scan stops and its child processes end."""
        self._stop.set()
        children.kill_all()

    def action_quit(self) -> None:  # type: ignore[override]
        """Stop any scan and its child processes, then quit."""
        self._stop.set()
        children.kill_all()
        self.exit(0)


def audit(root: Path, options: AuditOptions, progress: ProgressCallback, should_stop: Callable[[], bool]) -> Report:
    """Run the audit engine, imported in the scan thread so it does not delay the first paint."""
    from mlaudit.engine import audit as run_audit

    return run_audit(root, options, progress=progress, should_stop=should_stop)


def failure_text(err: Exception) -> str:
    """Return one line a user understands for a failed scan (no exception class for expected failures)."""
    from mlaudit.engine import EmptyTree

    if isinstance(err, EmptyTree | AuditFailed):
        return str(err)
    if isinstance(err, OSError) and err.strerror:
        return f"{err.strerror}: {err.filename}" if err.filename else err.strerror
    return f"{type(err).__name__}: {err}"


def delta_text(before: Report, after: Report, deltas: dict[str, int]) -> str:
    """Return `overall 72 -> 75 (+3), Typing +5` or `no score changed`."""
    if not deltas:
        return "no score changed"
    parts = []
    if "overall" in deltas:
        parts.append(f"overall {before.score} -> {after.score} ({deltas['overall']:+d})")
    parts += [f"{p.title} {deltas[p.key]:+d}" for p in after.practices if p.key in deltas]
    return ", ".join(parts)


def _has_filter(screen: Screen[object]) -> bool:
    """Return True on the screens where `/` opens a text filter."""
    from mlaudit.tui.screens.findings import FindingsScreen

    return isinstance(screen, DashboardScreen | FindingsScreen)


def _on_hangup(signum: int, _frame: object) -> None:
    """The terminal closed: end every child process group, then die of the signal as before."""
    children.kill_all()
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def run_app(
    root: Path,
    options: AuditOptions,
    theme: str | None = None,
    first_audit: Audit | None = None,
    gc_paused: bool = False,
) -> int:
    """Run the app on `root`; return the exit code. Child processes never outlive it.

    `first_audit` is the first scan, forked before Textual loaded (`mlaudit.background.start`);
    `gc_paused`: the garbage collector was turned off for the start, the app turns it on after its first frame.
    """
    app = MLAuditApp(root, options, theme=theme, persist_theme=True, first_audit=first_audit, gc_paused=gc_paused)
    previous = {sig: signal.signal(sig, _on_hangup) for sig in (signal.SIGHUP, signal.SIGTERM)}
    try:
        result = app.run()
    finally:
        app._stop.set()
        children.kill_all()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return result if isinstance(result, int) else (app.return_code or 0)
