"""Small modal dialogs shared by the screens: a message (errors, with the same lines
``wargame check`` prints), a yes/no question, and a one-line prompt (rationale,
passphrase, file name). Text from content or files is shown with markup off."""

from __future__ import annotations

from typing import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Static

from wargame.tui.labels import tr

WORDS = {
    "ok": {"en": "OK", "zh": "确定"},
    "cancel": {"en": "Cancel", "zh": "取消"},
    "yes": {"en": "Yes", "zh": "是"},
    "no": {"en": "No", "zh": "否"},
    "too_short": {"en": "Please write at least {n} characters.", "zh": "请至少输入 {n} 个字符。"},
}


DIALOG_CSS = """
ModalScreen.dialog { align: center middle; background: $background 60%; }
ModalScreen.dialog .dialog-box {
    width: 72; max-width: 96%; height: auto; max-height: 90%;
    border: thick $primary; background: $surface; padding: 0 1;
}
ModalScreen.dialog .dialog-error { border: thick $error; }
ModalScreen.dialog .dialog-title { height: auto; margin-bottom: 1; }
ModalScreen.dialog .dialog-body { height: auto; max-height: 16; }
ModalScreen.dialog .dialog-line { height: auto; }
ModalScreen.dialog .dialog-problem { height: auto; color: $error; }
ModalScreen.dialog .dialog-buttons { height: auto; align: center middle; margin-top: 1; }
ModalScreen.dialog .dialog-buttons Button { margin: 0 1; }
"""


def _lang(screen) -> str:
    return getattr(screen.app, "lang", "en")


class MessageDialog(ModalScreen[None]):
    """A title and lines of text (never parsed as markup); Enter or Esc closes it."""

    DEFAULT_CSS = DIALOG_CSS
    SCOPED_CSS = False  # the rules name ModalScreen.dialog themselves

    BINDINGS = [Binding("escape", "close", "Close"), Binding("enter", "close", "Close", show=False)]

    def __init__(self, title: str, lines: Sequence[str], error: bool = True) -> None:
        super().__init__(classes="dialog")
        self.title_text, self.lines, self.error = title, list(lines), error

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box" + (" dialog-error" if self.error else "")):
            yield Static(Text(self.title_text, style="bold"), classes="dialog-title", markup=False)
            with VerticalScroll(classes="dialog-body"):
                for line in self.lines:
                    yield Static(Text(line), classes="dialog-line", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(tr(WORDS, "ok", _lang(self)), id="ok", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#ok", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)


class ConfirmDialog(ModalScreen[bool]):
    """A yes/no question; Esc answers no."""

    DEFAULT_CSS = DIALOG_CSS
    SCOPED_CSS = False  # the rules name ModalScreen.dialog themselves

    BINDINGS = [Binding("escape", "no", "No"), Binding("y", "yes", "Yes"), Binding("n", "no", "No")]

    def __init__(self, question: str) -> None:
        super().__init__(classes="dialog")
        self.question = question

    def compose(self) -> ComposeResult:
        lang = _lang(self)
        with Vertical(classes="dialog-box"):
            yield Static(Text(self.question), classes="dialog-title", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(tr(WORDS, "yes", lang), id="yes", variant="primary")
                yield Button(tr(WORDS, "no", lang), id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_yes(self) -> None:
        self.dismiss(True)

    def action_no(self) -> None:
        self.dismiss(False)


class PromptDialog(ModalScreen[str | None]):
    """A one-line answer (a rationale, a passphrase, a file name); Esc cancels (None).
    ``min_length`` is checked after stripping spaces; ``password`` hides what is typed."""

    DEFAULT_CSS = DIALOG_CSS
    SCOPED_CSS = False  # the rules name ModalScreen.dialog themselves

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, prompt: str, value: str = "", password: bool = False,
                 min_length: int = 0) -> None:
        super().__init__(classes="dialog")
        self.title_text, self.prompt, self.value = title, prompt, value
        self.password, self.min_length = password, min_length

    def compose(self) -> ComposeResult:
        lang = _lang(self)
        with Vertical(classes="dialog-box"):
            yield Static(Text(self.title_text, style="bold"), classes="dialog-title", markup=False)
            yield Static(Text(self.prompt), classes="dialog-line", markup=False)
            yield Input(value=self.value, password=self.password, id="answer")
            yield Static("", id="problem", classes="dialog-problem", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(tr(WORDS, "ok", lang), id="ok", variant="primary")
                yield Button(tr(WORDS, "cancel", lang), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#answer", Input).focus()

    def _submit(self) -> None:
        answer = self.query_one("#answer", Input).value
        if len(answer.strip()) < self.min_length:
            self.query_one("#problem", Static).update(
                Text(tr(WORDS, "too_short", _lang(self), n=self.min_length)))
            return
        self.dismiss(answer if self.password else answer.strip())

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "ok":
            self._submit()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class LeanFooter(Footer):
    """The footer every screen uses: compact (every key fits at 80 columns), without the
    palette hint (ctrl+p is in the help). Textual 8.2.8 keeps each rebuilt footer key
    alive through a watcher on the footer's ``compact`` setting; dropping the watchers of
    keys no longer on screen keeps focus changes and tab switches from piling up dead
    widgets (and the garbage-collection pauses they cause)."""

    def __init__(self) -> None:
        super().__init__(compact=True, show_command_palette=False)
        self._shown: tuple | None = None

    def _keys_shown(self) -> tuple | None:
        """What the footer would show now: rebuilding it for the same keys (a focus change
        inside a screen) is most of the cost of a tab switch."""
        if not self._bindings_ready or not self.is_attached:
            return None
        return tuple((binding.key, binding.action, binding.description, enabled, tooltip,
                      binding.group.description if binding.group else None)
                     for _, binding, enabled, tooltip in self.screen.active_bindings.values()
                     if binding.show)

    async def recompose(self) -> None:
        shown = self._keys_shown()
        if shown is not None and shown == self._shown:
            return
        self._shown = shown
        await super().recompose()
        for watchers in getattr(self, "__watchers", {}).values():
            watchers[:] = [(node, callback) for node, callback in watchers if node.is_attached]
