"""Provides ExportScreen: choose a format and a path (outside the audited tree by default), confirm, write."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, RadioButton, RadioSet, Static

from mlaudit.model import Report
from mlaudit.tui.exports import EXPORTS, default_target, inside, reports_dir, write_export


class ExportScreen(ModalScreen[Path | None]):
    """Export dialog: nothing is written until Export is pressed; overwriting or writing into the repo asks twice."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("up", "step_format(-1)", "Previous format", show=False),
        Binding("down", "step_format(1)", "Next format", show=False),
    ]

    def __init__(self, report: Report, key: str = "markdown") -> None:
        super().__init__()
        self.report = report
        self.key = key
        self.confirming: Path | None = None

    def compose(self) -> ComposeResult:
        """Build the format choice, the path, the warning line and the buttons."""
        with Vertical(id="export"):
            yield Static("[b]Export the report[/b]  (↑↓ format · Enter exports · Esc cancels)", id="export-title")
            with RadioSet(id="export-format"):
                for key, export in EXPORTS.items():
                    yield RadioButton(f"{export.label} ({export.filename})", value=key == self.key, name=key)
            yield Static("Write to:")
            yield Input(
                str(default_target(self.report, self.key)), id="export-path", compact=True, select_on_focus=False
            )
            yield Static(self._full_path_text(), id="export-full")
            yield Static("", id="export-warning")
            with Horizontal(id="export-buttons"):
                yield Button("Export", variant="primary", id="export-go")
                yield Button("Cancel", id="export-cancel")

    def on_mount(self) -> None:
        """Start on the path so Enter exports at once."""
        self._mark_choice()
        self.query_one("#export-path", Input).focus()

    def _mark_choice(self) -> None:
        """Fill only the chosen format's button, so the choice shows without colour too (NO_COLOR)."""
        for button in self.query(RadioButton):
            button.BUTTON_INNER = "●" if button.value else " "
            button.refresh()

    def action_step_format(self, step: int) -> None:
        """Choose the previous or next format (the arrows work while the path has focus; it is one line)."""
        keys = list(EXPORTS)
        target = keys[min(max(keys.index(self.key) + step, 0), len(keys) - 1)]
        for button in self.query(RadioButton):
            if button.name == target:
                button.value = True

    @on(RadioSet.Changed, "#export-format")
    def _format_changed(self, event: RadioSet.Changed) -> None:
        key = event.pressed.name or self.key
        path_input = self.query_one("#export-path", Input)
        current = Path(path_input.value).expanduser()
        if current.name == EXPORTS[self.key].filename:
            path_input.value = str(current.with_name(EXPORTS[key].filename))
        self.key = key
        self._mark_choice()
        self._reset()

    def resolve(self, raw: str) -> Path | None:
        """Return the full path for what was typed; a relative path lies in the reports folder, not the cwd."""
        if not raw.strip():
            return None
        path = Path(raw.strip()).expanduser()
        return path if path.is_absolute() else reports_dir(self.report.project_name) / path

    def _full_path_text(self, raw: str | None = None) -> Text:
        target = self.resolve(raw if raw is not None else str(default_target(self.report, self.key)))
        return Text.assemble(("Full path: ", "bold"), str(target) if target else "(none)")

    @on(Input.Changed, "#export-path")
    def _reset(self) -> None:
        self.query_one("#export-full", Static).update(self._full_path_text(self.query_one("#export-path", Input).value))
        self.confirming = None
        self.query_one("#export-warning", Static).update("")
        self.query_one("#export-go", Button).label = "Export"

    @on(Input.Submitted, "#export-path")
    @on(Button.Pressed, "#export-go")
    def action_export(self) -> None:
        """Write the export, asking first before overwriting a file or writing into the audited tree."""
        target = self.resolve(self.query_one("#export-path", Input).value)
        if target is None:
            self._warn("Give a file path.")
            return
        risks = self._risks(target)
        if risks and self.confirming != target:
            self.confirming = target
            self._warn(f"{' and '.join(risks)}: press Export again to write {target}")
            self.query_one("#export-go", Button).label = "Write anyway"
            return
        try:
            write_export(self.report, self.key, target)
        except Exception as err:  # noqa: BLE001 - a failed export is reported, the app keeps running
            self._warn(f"Cannot write {target}: {err}")
            return
        self.app.notify(f"Wrote {EXPORTS[self.key].label} to {target}", title="Exported", timeout=8)
        self.dismiss(target)

    def _risks(self, target: Path) -> list[str]:
        risks = []
        if inside(target, self.report.root):
            risks.append("This is inside the audited repository")
        if target.exists():
            risks.append(f"{target.name} exists and will be overwritten")
        return risks

    def _warn(self, text: str) -> None:
        self.query_one("#export-warning", Static).update(Text(text, style="bold"))

    @on(Button.Pressed, "#export-cancel")
    def action_cancel(self) -> None:
        """Close without writing anything."""
        self.dismiss(None)
