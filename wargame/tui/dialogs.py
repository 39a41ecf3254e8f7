"""Small modal dialogs shared by the screens: a message (errors, with the same lines
``wargame check`` prints), a yes/no question, and a one-line prompt (rationale,
passphrase, file name). Text from content or files is shown with markup off. Also the
footer every screen uses, and the base of the screens that must come up fast."""

from __future__ import annotations

from dataclasses import replace
from typing import Callable, Mapping, Sequence, Union

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, DataTable, Footer, Input, Static
from textual.widgets._footer import FooterKey, FooterLabel, KeyGroup  # what Footer.compose builds

from wargame.terminal import printable
from wargame.report.labels import tr

WORDS = {
    "ok": {"en": "OK", "zh": "确定"},
    "cancel": {"en": "Cancel", "zh": "取消"},
    "yes": {"en": "Yes", "zh": "是"},
    "no": {"en": "No", "zh": "否"},
    "too_short": {"en": "Please write at least {n} {chars}.", "zh": "请至少输入 {n} 个字符。"},
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


# Footer words of the keys of the app, the dialogs and the screens without a table of
# their own (a team's screen and the White Cell's have theirs), by action; and of the
# groups of keys, by their English words.
KEYS: dict[str, dict[str, str]] = {
    "yes": {"en": "Yes", "zh": "是"},
    "no": {"en": "No", "zh": "否"},
    "close": {"en": "Close", "zh": "关闭"},
    "cancel": {"en": "Cancel", "zh": "取消"},
    "help": {"en": "Help", "zh": "帮助"},
    "white_cell": {"en": "W.Cell", "zh": "白方"},
    "save_as": {"en": "Save", "zh": "保存"},
    "request_quit": {"en": "Quit", "zh": "退出"},
    "quit_error": {"en": "Quit", "zh": "退出"},
    "start_game": {"en": "Start game", "zh": "开始推演"},
    "load_selected": {"en": "Load save", "zh": "读取存档"},
    "ready": {"en": "Ready", "zh": "就绪"},
    "continue": {"en": "Continue", "zh": "继续"},
    "prev_turn": {"en": "Earlier turn", "zh": "前一回合"},
    "next_turn": {"en": "Later turn", "zh": "后一回合"},
    "filter": {"en": "Team", "zh": "切换队伍"},
    "details": {"en": "Details", "zh": "详情"},
    "next_meter": {"en": "Meter", "zh": "切换指标"},
}
GROUPS: dict[str, dict[str, str]] = {"Turn": {"en": "Turn", "zh": "回合"}}


def localise_keys(node, words: Mapping[str, Mapping[str, str] | str], lang: str,
                  table: Mapping[str, Mapping[str, str]] | None = None) -> None:
    """Footer descriptions of ``node``'s keys (and of their groups) in ``lang``; the keys
    stay the same. ``words`` maps an action to its words, or to a key of ``table``
    holding them."""
    bindings = node._bindings.key_to_bindings
    for key, group in bindings.items():
        new = []
        for b in group:
            entry = words.get(b.action)
            if isinstance(entry, str):
                entry = (table or {}).get(entry)
            if entry is not None:
                b = replace(b, description=tr({"k": entry}, "k", lang))
            if b.group is not None:
                name = next((k for k, w in GROUPS.items() if b.group.description in w.values()), None)
                if name is not None:
                    b = replace(b, group=Binding.Group(GROUPS[name][lang], compact=b.group.compact))
            new.append(b)
        bindings[key] = new
    try:
        node.screen.refresh_bindings()
    except Exception:  # not mounted yet: its footer reads the new words when it is
        pass


class RowTable(DataTable):
    """A table read row by row (a hand, a plan, the saves): Home and End go to the first and
    last row, where a plain DataTable scrolls sideways to its first and last column."""

    BINDINGS = [Binding("home", "scroll_top", "First row", show=False),
                Binding("end", "scroll_bottom", "Last row", show=False)]


WIDE_AT = 140  # terminal columns from which screens lay out side by side what they stack below


Words = Union[str, Callable[[str], str]]  # fixed text, or text made in the language asked for


def say(words: Words, lang: str) -> str:
    """Words in ``lang``, with any control character or direction mark (from a file's name or
    content) shown as an escape: a terminal would obey it (Rich passes ESC through)."""
    return printable(words(lang) if callable(words) else words)


class Dialog(ModalScreen):
    """Base of the dialogs: a footer of their own keys (the footer of the screen underneath
    would offer keys that do nothing while a dialog is up), and F2, which a modal screen
    would otherwise keep from the app. The app puts their words in the language shown
    (``WargameApp.push_screen``); on F2 a dialog redraws them (``draw_words``): words
    given as a function of the language follow the switch."""

    BINDINGS = [Binding("f2", "app.toggle_language", "中/EN", show=False)]

    def on_mount(self) -> None:
        # Textual runs this as well as a subclass's own on_mount (handlers run up the classes)
        self.mount(LeanFooter())
        self.draw_words(_lang(self))

    def show_language(self, lang: str) -> None:
        localise_keys(self, KEYS, lang)
        self.draw_words(lang)

    def draw_words(self, lang: str) -> None:
        """Put the dialog's words in ``lang`` (its widgets exist)."""


class MessageDialog(Dialog, ModalScreen[None]):
    """A title and lines of text (never parsed as markup); Enter or Esc closes it."""

    DEFAULT_CSS = DIALOG_CSS
    SCOPED_CSS = False  # the rules name ModalScreen.dialog themselves

    BINDINGS = [Binding("escape", "close", "Close"), Binding("enter", "close", "Close", show=False)]

    def __init__(self, title: Words, lines: Sequence[Words], error: bool = True) -> None:
        super().__init__(classes="dialog")
        self.title_text, self.lines, self.error = title, list(lines), error

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box" + (" dialog-error" if self.error else "")):
            yield Static(classes="dialog-title", markup=False)
            with VerticalScroll(classes="dialog-body"):
                for _ in self.lines:
                    yield Static(classes="dialog-line", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("", id="ok", variant="primary")

    def draw_words(self, lang: str) -> None:
        self.query_one(".dialog-title", Static).update(Text(say(self.title_text, lang), style="bold"))
        for widget, line in zip(self.query(".dialog-line").results(Static), self.lines):
            widget.update(Text(say(line, lang)))
        self.query_one("#ok", Button).label = tr(WORDS, "ok", lang)

    def on_mount(self) -> None:
        self.query_one("#ok", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)


class ConfirmDialog(Dialog, ModalScreen[bool]):
    """A yes/no question; Esc answers no. Enter answers what has the focus: No, unless
    ``default_yes`` (for a question whose yes is the expected next step, not a loss)."""

    DEFAULT_CSS = DIALOG_CSS
    SCOPED_CSS = False  # the rules name ModalScreen.dialog themselves

    BINDINGS = [Binding("escape", "no", "No"), Binding("y", "yes", "Yes"), Binding("n", "no", "No")]

    def __init__(self, question: Words, default_yes: bool = False) -> None:
        super().__init__(classes="dialog")
        self.question = question
        self.default_yes = default_yes

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(classes="dialog-title", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("", id="yes", variant="primary")
                yield Button("", id="no")

    def draw_words(self, lang: str) -> None:
        self.query_one(".dialog-title", Static).update(Text(say(self.question, lang)))
        self.query_one("#yes", Button).label = tr(WORDS, "yes", lang)
        self.query_one("#no", Button).label = tr(WORDS, "no", lang)

    def on_mount(self) -> None:
        self.query_one("#yes" if self.default_yes else "#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_yes(self) -> None:
        self.dismiss(True)

    def action_no(self) -> None:
        self.dismiss(False)


class PromptDialog(Dialog, ModalScreen[str | None]):
    """A one-line answer (a rationale, a passphrase, a file name); Esc cancels (None).
    ``min_length`` is checked after stripping spaces; ``password`` hides what is typed;
    ``check`` says what is wrong with an answer (None: nothing), shown under it."""

    DEFAULT_CSS = DIALOG_CSS
    SCOPED_CSS = False  # the rules name ModalScreen.dialog themselves

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: Words, prompt: Words, value: str = "", password: bool = False,
                 min_length: int = 0, check: Callable[[str], Words | None] | None = None) -> None:
        super().__init__(classes="dialog")
        self.title_text, self.prompt, self.value = title, prompt, value
        self.password, self.min_length, self.check = password, min_length, check
        self.too_short = False  # whether the problem line says so
        self.problem: Words | None = None  # what ``check`` said of the last answer

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(classes="dialog-title", markup=False)
            yield Static(classes="dialog-line", markup=False)
            yield Input(value=self.value, password=self.password, id="answer")
            yield Static("", id="problem", classes="dialog-problem", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("", id="ok", variant="primary")
                yield Button("", id="cancel")

    def draw_words(self, lang: str) -> None:
        self.query_one(".dialog-title", Static).update(Text(say(self.title_text, lang), style="bold"))
        self.query_one(".dialog-line", Static).update(Text(say(self.prompt, lang)))
        self.query_one("#ok", Button).label = tr(WORDS, "ok", lang)
        self.query_one("#cancel", Button).label = tr(WORDS, "cancel", lang)
        self.query_one("#problem", Static).update(
            Text(tr(WORDS, "too_short", lang, n=self.min_length,
                    chars="character" if self.min_length == 1 else "characters")) if self.too_short else
            Text(say(self.problem, lang)) if self.problem is not None else "")

    def on_mount(self) -> None:
        self.query_one("#answer", Input).focus()

    def _submit(self) -> None:
        answer = self.query_one("#answer", Input).value
        self.too_short = len(answer.strip()) < self.min_length
        self.problem = None if self.too_short or self.check is None else self.check(answer.strip())
        if self.too_short or self.problem is not None:
            self.draw_words(_lang(self))
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


class FreshScreen(Screen):
    """A screen that must come up fast (a team's screen, the start screen). On each resume
    Textual restyles every widget of the screen, a fifth of the cost of showing a team's
    screen; the first time, every widget has just been styled as it was mounted, and
    again on each change since (focus, classes), so that restyle is skipped."""

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        # Handlers run subclass first: this one before Screen's own, which reads the flag.
        if not getattr(self, "_shown_before", False):
            self._shown_before = True
            event.refresh_styles = False


class LeanFooter(Footer):
    """The footer every screen uses: compact (every key fits at 80 columns), without the
    palette hint (ctrl+p is in the help). Textual 8.2.8 keeps each rebuilt footer key
    alive through a watcher on the footer's ``compact`` setting; dropping the watchers of
    keys no longer on screen keeps focus changes and tab switches from piling up dead
    widgets (and the garbage-collection pauses they cause). When only the words change
    (a language switch), the keys are relabelled in place instead of rebuilt, which is
    a few widgets refreshed instead of the footer built again."""

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
        if shown is not None and self._shown is not None and _layout(shown) == _layout(self._shown):
            self._relabel(shown)
            self._shown = shown
            return
        self._shown = shown
        await super().recompose()
        for watchers in getattr(self, "__watchers", {}).values():
            watchers[:] = [(node, callback) for node, callback in watchers if node.is_attached]

    def _relabel(self, shown: tuple) -> None:
        """Put new words on the keys on screen, built by ``Footer.compose`` for the same
        keys: a grouped key shows no words of its own (its binding's are its tooltip), a
        group's words follow its keys, and each action shows its first binding."""
        first: dict[str, tuple] = {}
        for entry in shown:
            first.setdefault(entry[1], entry)
        for key in self.query(FooterKey):
            _, _, description, _, tooltip, _ = first[key.action]
            if key.has_class("-grouped"):
                description, tooltip = "", tooltip or description
            if key.description != description:
                key.description = description
                key.refresh(layout=True)
            key.tooltip = tooltip or None
        row = list(self.children)
        for group, label in zip(row, row[1:]):
            keys = group.query(FooterKey) if isinstance(group, KeyGroup) else None
            if keys and isinstance(label, FooterLabel):
                label.update(first[keys.first().action][5] or "")


def _layout(shown: tuple) -> tuple:
    """What a footer's widgets depend on, words aside: the keys, their actions, whether
    they are enabled, and which of them are grouped together."""
    out, group, previous = [], -1, None
    for key, action, _, enabled, _, words in shown:
        if words is not None and (not out or words != previous):
            group += 1
        out.append((key, action, enabled, group if words is not None else None))
        previous = words
    return tuple(out)
