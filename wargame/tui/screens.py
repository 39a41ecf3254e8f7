"""Help (the turn flow, the keys of every screen, what each meter means) and the error
screen shown when the game cannot be opened at launch.

Everything that comes from content or files is shown as ``rich.text.Text`` or with
``markup=False``: a card name or a file name may hold ``[``.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import import_module

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from wargame.tui.dialogs import LeanFooter
from wargame.report.labels import METER_HELP, tr, unit
from wargame.tui.opening import LoadFailure

WORDS = {
    "title": {"en": "Help · the turn, the keys, the meters", "zh": "帮助 · 回合流程、按键与指标"},
    "hint": {"en": "↑↓ PgUp PgDn scroll · Esc or F1 closes this help and goes back",
             "zh": "↑↓ PgUp PgDn 滚动 · Esc 或 F1 关闭帮助并返回"},
    "flow": {"en": "How a turn runs", "zh": "一个回合如何进行"},
    "flow_steps": {
        "en": ("1. Draw. Each team's hand is dealt for the new turn; teams played by a bot "
               "commit their orders at once.\n"
               "2. Plan and commit. The human teams take the keyboard one after another. A curtain "
               "(\"Pass the keyboard to …\") hides everything of the team before: press Enter only "
               "when the right team is looking. The team reads its dashboard and dependencies, plays "
               "cards from its hand within its budget (removing any it changes its mind about), then "
               "commits. Committed orders are sealed: no other team sees them.\n"
               "3. White Cell. When every human team has committed, the facilitator takes over (F5, "
               "with the passphrase if one was set at the start). The White Cell sees every order, "
               "may inject an event or withdraw one, veto or amend an order with a written reason "
               "(and lift such a ruling again), and then resolves the turn. It can also undo the "
               "last resolution.\n"
               "4. Report. The news of the turn: the orders revealed, the injects, the markets, and "
               "for every meter that moved, why. Charts show each meter over the turns so far. Then "
               "the next turn begins; after the last one, the debrief compares all the teams. At any "
               "time, \"Debrief\" in the command palette (ctrl+p) writes the game so far as a handout "
               "(a Markdown file, or a web page with charts when its name ends in .html), \"Briefings\" "
               "(for the White Cell) writes what each team is handed: its meters, supply chains and "
               "cards, and \"What-if\" (for the White Cell) starts a new game from after an earlier "
               "turn, to play on differently; the game before is kept as it is. \"Compare\" sets this game "
               "beside another save of the scenario: where they part, and by how much."),
        "zh": ("一、发牌。新回合开始时为各队发放手牌；由机器人操作的队伍立即提交命令。\n"
               "二、计划与提交。各真人队伍依次使用键盘。遮挡画面（“请将键盘交给……”）会隐藏上一队的"
               "全部内容：只有轮到的队伍在看屏幕时才按Enter。该队查看指标面板和依赖关系，在预算内"
               "从手牌中出牌（改变主意可以撤下），然后提交。提交后的命令是密封的，其他队伍看不到。\n"
               "三、白方。所有真人队伍提交后由导调组接手（按F5，若开局设了口令则需输入口令）。白方"
               "可以看到全部命令，可以插入或撤除事件，可以附书面理由否决或修改某条命令（也可再撤销"
               "该裁定），然后结算本回合；"
               "也可以撤销上一次结算。\n"
               "四、报告。本回合的新闻：公开的命令、插入的事件、市场结果，以及每个变动指标的原因。"
               "图表显示各项指标至今的走势。随后进入下一回合；最后一个回合结束后，复盘界面并列比较"
               "各队。任何时候都可以在命令面板（ctrl+p）中选择“复盘”，将至今的推演写成讲义（Markdown 文件；文件名以 .html 结尾时为带图表的网页）；"
               "选择“简报”（限白方）可写出发给各队的简报：指标、供应链与卡牌；"
               "选择“假设推演”（限白方）可从较早回合之后另开一局、换一种打法，原来的推演原样保留；"
               "选择“对比”可将本局与同一想定的另一存档并列比较：在何处分道、差距多大。"),
    },
    "autosave": {
        "en": "The game is saved after every commit, White Cell action and resolution: if the "
              "terminal is closed in the middle of a turn, load the autosave from the start screen "
              "and play on.",
        "zh": "每次提交、白方操作和结算之后都会自动保存：如果回合中途关闭了终端，在开始界面读取"
              "自动存档即可继续。",
    },
    "keys": {"en": "Keys", "zh": "按键"},
    "keys_note": {
        "en": "Every key a screen offers is also shown in the footer at the bottom; greyed-out keys "
              "do not apply at that moment. Tab and Shift+Tab move between fields, Enter chooses, "
              "Esc closes a dialog.",
        "zh": "每个界面可用的按键都显示在底部的提示栏中；灰色的按键表示此刻不可用。Tab 和 Shift+Tab "
              "在各栏之间移动，Enter 确认，Esc 关闭对话框。",
    },
    "everywhere": {"en": "Everywhere", "zh": "任何界面"},
    "palette": {"en": "Command palette: search the main actions", "zh": "命令面板：搜索主要操作"},
    "meters": {"en": "What the meters mean", "zh": "各项指标的含义"},
}

METER_NAMES: dict[str, dict[str, str]] = {
    "dependency": {"en": "Dependency", "zh": "依赖度"},
    "cost": {"en": "Cost", "zh": "成本"},
    "leverage": {"en": "Leverage", "zh": "杠杆"},
    "value_added": {"en": "Value added", "zh": "增加值"},
    "lock_in": {"en": "Lock-in", "zh": "锁定"},
    "cohesion": {"en": "Cohesion", "zh": "凝聚力"},
    "securitisation": {"en": "Securitisation", "zh": "安全化"},
    "price": {"en": "Price", "zh": "价格"},
}

ERROR_WORDS = {
    "title": {"en": "Cannot open the game", "zh": "无法打开推演"},
    "hint": {"en": "Press q to quit. Fix what is listed above (wargame check PATH lists the same "
                   "problems), then start the game again.",
             "zh": "按 q 退出。修正上面列出的问题（wargame check PATH 会列出同样的问题）后再重新开始。"},
}

# The screens whose keys the help lists, in the order a game meets them:
# (module, class, heading).
SCREENS: tuple[tuple[str, str, dict[str, str]], ...] = (
    ("wargame.tui.start", "StartScreen", {"en": "Start screen", "zh": "开始界面"}),
    ("wargame.tui.handover", "HandoverScreen", {"en": "Handover curtain", "zh": "交接遮挡画面"}),
    ("wargame.tui.team", "TeamScreen", {"en": "A team's turn", "zh": "队伍回合"}),
    ("wargame.tui.whitecell", "WhiteCellScreen", {"en": "White Cell", "zh": "白方"}),
    ("wargame.tui.report", "ReportScreen", {"en": "Report and debrief", "zh": "报告与复盘"}),
    ("wargame.tui.compare", "CompareScreen", {"en": "Two games compared (ctrl+p, Compare)",
                                              "zh": "两局对比（ctrl+p，对比）"}),
)

# Chinese for the key descriptions the screens give (their footers are in English).
KEY_WORDS: dict[str, str] = {
    "quit": "退出", "help": "帮助", "close": "关闭", "close help": "关闭帮助", "save": "保存",
    "save as": "另存为", "white cell": "白方", "english/中文": "English/中文",
    "start game": "开始推演", "start": "开始", "load save": "读取存档", "load": "读取",
    "ready": "就绪", "commit": "提交", "commit orders": "提交命令", "play": "出牌",
    "play card": "出牌", "remove": "撤下", "remove card": "撤下卡牌", "hand": "手牌",
    "dashboard": "指标面板", "meters": "指标", "dependency": "依赖关系", "dependencies": "依赖关系",
    "orders": "命令", "plan": "计划", "resolve": "结算", "inject": "插入事件", "veto": "否决",
    "withdraw event": "撤除事件", "veto or lift a veto": "否决或撤销否决", "reopen a team's orders": "退回某队的命令",
    "amend": "修改", "undo": "撤销结算", "report": "报告", "news": "新闻", "why": "原因",
    "charts": "图表", "chart": "图表", "web page": "网页", "compare": "比较", "comparison": "比较", "debrief": "复盘",
    "continue": "继续", "next": "下一个", "previous": "上一个", "next turn": "下一回合",
    "back": "返回", "cancel": "取消", "ok": "确定", "yes": "是", "no": "否", "select": "选择",
    "details": "详情", "card": "卡牌", "events": "事件", "timeline": "时间线",
    "previous turn": "上一回合", "end": "结束", "new game": "新推演", "menu": "菜单",
    "inject event": "插入事件", "undo turn": "撤销本回合结算", "earlier turn": "前一回合",
    "later turn": "后一回合", "next tab": "下一页", "team shown": "切换显示的队伍",
    "chart meter": "切换图表指标", "white cell mode": "白方模式", "add": "添加",
    "control": "白方导调", "w.cell": "白方", "中/en": "中/EN", "中文/en": "中文/EN", "tab": "下一页", "team": "切换队伍", "meter": "切换图表指标",
}


def _describe(description: str, lang: str) -> str:
    if lang == "zh":
        return KEY_WORDS.get(description.strip().lower(), description)
    return description


def key_lines(app, bindings: Iterable, lang: str) -> list[tuple[str, str]]:
    """(keys, what they do) for a screen's bindings: keys for the same action grouped,
    bindings without a description left out."""
    order: list[str] = []
    keys: dict[str, list[str]] = {}
    words: dict[str, str] = {}
    for binding in Binding.make_bindings(bindings):
        if not binding.description or not binding.action:
            continue
        if binding.action not in keys:
            order.append(binding.action)
            keys[binding.action], words[binding.action] = [], binding.description
        shown = app.get_key_display(binding)
        if shown not in keys[binding.action]:
            keys[binding.action].append(shown)
    return [(" / ".join(keys[a]), _describe(words[a], lang)) for a in order]


def _screen_bindings(module: str, name: str) -> list:
    """A screen's BINDINGS, imported only now (a screen that fails to import lists none)."""
    try:
        return list(getattr(import_module(module), name).BINDINGS)
    except Exception:
        return []


class HelpScreen(Screen):
    """The turn flow, every screen's keys and what each meter means: an opaque full screen
    (nothing of the screen below shows through), scrollable, in the current language."""

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("question_mark", "close", "Close help", key_display="?", show=False),
    ]
    DEFAULT_CSS = """
    HelpScreen { background: $background; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="help-title", markup=False)
        yield Static(id="help-hint", markup=False)
        with VerticalScroll(id="help-body"):
            yield Static(id="help-text", markup=False)
        yield LeanFooter()

    def on_mount(self) -> None:
        self.show_language(getattr(self.app, "lang", "en"))
        self.query_one("#help-body").focus()

    def show_language(self, lang: str) -> None:
        self.query_one("#help-title", Static).update(Text(tr(WORDS, "title", lang), style="bold"))
        self.query_one("#help-hint", Static).update(Text(tr(WORDS, "hint", lang)))
        self.query_one("#help-text", Static).update(self.help_text(lang))

    def help_text(self, lang: str) -> Text:
        text = Text()

        def heading(key: str) -> None:
            text.append(tr(WORDS, key, lang) + "\n", style="bold underline")

        heading("flow")
        for step in tr(WORDS, "flow_steps", lang).split("\n"):
            text.append(step + "\n\n")
        text.append(tr(WORDS, "autosave", lang) + "\n\n", style="italic")

        heading("keys")
        text.append(tr(WORDS, "keys_note", lang) + "\n")
        app_bindings = list(getattr(type(self.app), "BINDINGS", []))
        rows = key_lines(self.app, app_bindings, lang)
        palette = getattr(self.app, "COMMAND_PALETTE_BINDING", "ctrl+p")
        rows.append((self.app.get_key_display(Binding(palette, "command_palette")), tr(WORDS, "palette", lang)))
        self._key_block(text, tr(WORDS, "everywhere", lang), rows)
        for module, name, title in SCREENS:
            rows = key_lines(self.app, _screen_bindings(module, name), lang)
            if rows:
                self._key_block(text, title.get(lang) or title["en"], rows)

        text.append("\n")
        heading("meters")
        for meter, words in METER_HELP.items():
            names = METER_NAMES.get(meter)
            name = (names.get(lang) or names["en"]) if names else meter
            text.append(f"\n{name}", style="bold")
            measure = unit(meter, lang)
            brackets = "（{}）" if lang == "zh" else "({})"
            text.append("  " + brackets.format(measure) + "\n" if measure else "\n", style="dim")
            text.append(f"  {words.get(lang) or words['en']}\n")
        return text

    @staticmethod
    def _key_block(text: Text, title: str, rows: list[tuple[str, str]]) -> None:
        text.append(f"\n{title}\n", style="bold")
        width = max((len(keys) for keys, _ in rows), default=0)
        for keys, words in rows:
            text.append(f"  {keys.ljust(width)}", style="bold")
            text.append(f"  {words}\n")

    def action_close(self) -> None:
        self.app.pop_screen()


class ErrorScreen(Screen):
    """Why the game could not be opened at launch (``--scenario`` or ``--load``), in the
    lines ``wargame check`` prints; q quits with exit code 2."""

    BINDINGS = [
        Binding("q", "quit_error", "Quit"),
        Binding("escape", "quit_error", "Quit", show=False),
    ]
    DEFAULT_CSS = """
    ErrorScreen { background: $background; }
    """

    def __init__(self, failure: LoadFailure) -> None:
        super().__init__()
        self.failure = failure

    def compose(self) -> ComposeResult:
        yield Static(id="error-title", markup=False)
        with VerticalScroll(id="error-body"):
            yield Static(Text(self.failure.title, style="bold"), id="error-heading", markup=False)
            for line in self.failure.lines:
                yield Static(Text(line), classes="error-line", markup=False)
            yield Static(id="error-hint", markup=False)
        yield LeanFooter()

    def on_mount(self) -> None:
        self.show_language(getattr(self.app, "lang", "en"))
        self.query_one("#error-body").focus()
        report = getattr(self.app, "report_startup", None)
        if report is not None:
            report()

    def show_language(self, lang: str) -> None:
        self.query_one("#error-title", Static).update(Text(tr(ERROR_WORDS, "title", lang), style="bold"))
        self.query_one("#error-hint", Static).update(Text(tr(ERROR_WORDS, "hint", lang), style="italic"))

    def action_quit_error(self) -> None:
        self.app.exit(return_code=2)
