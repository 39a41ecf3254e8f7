"""Command line: play, run, fork, replay, briefing, debrief, compare, simulate, check, schema.

Exit codes: 0 success; 1 a replay that does not verify; 2 bad input (a file,
an order, an argument), with a one-line reason per problem and no traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Sequence

from wargame.runtime import keep_freed_memory
from wargame.terminal import printable

START = time.perf_counter()

EXIT_OK, EXIT_DIVERGED, EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_IO = 0, 1, 2, 70, 74


class BadInput(Exception):
    """Anything wrong with what the user gave us; printed as is, exit 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2 already; keep the message short
        self.print_usage(sys.stderr)
        raise BadInput(f"{self.prog}: {message}")


def _whole(low: int, high: int):
    """An argparse type: a whole number from ``low`` to ``high``, written in ASCII digits."""
    def parse(text: str) -> int:
        if not (text.isascii() and text.isdigit()) or len(text) > 19 or not low <= int(text) <= high:
            shown = text if len(text) <= 24 else text[:24] + "…"
            raise argparse.ArgumentTypeError(f"expected a whole number from {low} to {high}, got {shown!r}")
        return int(text)
    return parse


SEED = _whole(0, 2**63 - 1)


def _check_output(path: str, option: str, reading: Sequence[tuple[str | None, str]] = (),
                  replaces: str = "save") -> None:
    """Refuse, before any work, an output path that cannot be written or would destroy
    something: a folder or special file, a file being read (``reading``: (path, what)),
    or an existing file of another kind (``replaces`` "save": anything but a wargame
    save; "table" or "debrief": a wargame save)."""
    from wargame.store.save import save_target_problem, text_target_problem

    if not path.strip():
        raise BadInput(f"{option} {path!r}: expected a file path, got an empty one")
    p = Path(path)
    try:
        for other, what in reading:
            if other and p.exists() and Path(other).exists() and os.path.samefile(p, other):
                raise BadInput(f"{path}: this is the {what} being read; write to another file")
        # the path as given: Path() would drop a trailing slash
        why = save_target_problem(path) if replaces == "save" else text_target_problem(path, replaces)
    except OSError as exc:  # a name too long for the file system, a loop of links...
        raise BadInput(f"{option} {path}: cannot be used ({exc.strerror or exc})") from None
    if why is not None:
        raise BadInput(f"{path}: {why}")


def _same_file(a: str, b: str) -> bool:
    """Whether two output paths end in one file: the same name, a link to the other (even
    one not yet written), or a hard link."""
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    try:
        return os.path.exists(a) and os.path.exists(b) and os.path.samefile(a, b)
    except OSError:
        return False


def _load_content(path: str | None):
    from wargame.model.loader import ContentError, load_scenario
    from wargame.paths import default_scenario

    if path is not None and not path.strip():
        raise BadInput("--scenario: expected a scenario file or folder, got an empty path")
    target = Path(path) if path else default_scenario()
    try:
        return load_scenario(target)
    except ContentError as exc:
        raise BadInput(str(exc)) from None


def cmd_check(args) -> int:
    from wargame.model.loader import check_paths

    if any(not p.strip() for p in args.paths):
        print("check: expected the paths of scenario, deck or orders files or folders; got an empty one",
              file=sys.stderr)
        return EXIT_BAD_INPUT
    files, problems = check_paths(args.paths)
    if not files and not problems:
        print(f"no scenario, deck or orders files (*.yaml, *.yml) found in {' '.join(args.paths)}",
              file=sys.stderr)
        return EXIT_BAD_INPUT
    if problems:
        for p in problems:
            print(p, file=sys.stderr)
        total = sum(p.more or 1 for p in problems)
        shown = f" ({len(problems) - sum(1 for p in problems if p.more)} shown)" if total > len(problems) else ""
        print(f"{total} problem(s){shown} in {len({p.file for p in problems})} file(s)", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(f"ok: {len(files)} file(s) checked")
    return EXIT_OK


def cmd_schema(args) -> int:
    from wargame.store.schema import schema

    print(json.dumps(schema(args.kind), indent=2, ensure_ascii=False))
    return EXIT_OK


def _bots_for(args, content, script, seed: int):
    """The bots of a `run`, one per team that --bots hands to a policy (none without it).

    A bare policy covers every team the orders file never gives orders to; a team
    named with TEAM=POLICY is played by its bot in each turn its script leaves empty."""
    from wargame.game.bots import Bot, BotSpecError, parse_spec

    if args.bots is None:
        return {}
    teams = [t.id for t in content.scenario.teams]
    try:
        default, per_team = parse_spec(args.bots, teams)
    except BotSpecError as exc:
        from wargame.model.loader import one_line
        from wargame.store.listing import clip

        raise BadInput(f"wargame run: --bots: {clip(one_line(str(exc)), 300)}") from None
    scripted = {team for step in (script.turns if script else []) for team in step.orders}
    policies = {}
    for team in teams:
        policy = per_team.get(team, default if team not in scripted else None)
        if policy is not None and policy != "pass":
            policies[team] = policy
    return {team: Bot(team, policy, seed) for team, policy in policies.items()}


def _events_given(session) -> bool:
    """Whether the White Cell has injected or withdrawn an event in the turn in play."""
    for entry in reversed(session.log):
        if entry.type in ("resolve", "undo") or entry.turn != session.turn:
            return False
        if entry.type in ("inject", "withdraw"):
            return True
    return False


def cmd_run(args) -> int:
    from wargame.game.session import OrderError, Session
    from wargame.model.loader import ContentError, load_orders
    from wargame.store.save import SaveError, save

    if args.orders is None and args.bots is None:
        raise BadInput("wargame run: the following arguments are required: --orders (or --bots SPEC)")
    _check_output(args.out, "--out", [(args.orders, "orders file"), (args.scenario, "scenario"),
                                      (args.from_save, "save")])
    started = None
    if args.from_save is not None:
        started = _continued(args)
        content = started.content
    else:
        content = _load_content(args.scenario)
    script = None
    if args.orders is not None:
        try:
            script = load_orders(args.orders, content)
        except ContentError as exc:
            raise BadInput(str(exc)) from None
    if started is not None:
        seed = started.seed
        # notes of input left out go to standard error even with --quiet: what the file
        # asked for did not happen
        if script is not None and script.seed is not None and script.seed != seed:
            print(f"note: {args.orders} asks for seed {script.seed}; the game goes on with the seed of "
                  f"{args.from_save} ({seed})", file=sys.stderr)
    else:
        seed = args.seed if args.seed is not None else (script.seed if script and script.seed is not None else 0)
    bots = _bots_for(args, content, script, seed)
    session = started if started is not None else Session.new(content, seed)
    by_turn = {t.turn: t for t in script.turns} if script else {}
    past = sorted(t for t in by_turn if t < session.turn)
    if past:
        span = f"turn {past[0]}" if len(past) == 1 else f"turns {past[0]}-{past[-1]}"
        print(f"note: {args.orders}: {span} left out: {args.from_save} has played "
              f"{'it' if len(past) == 1 else 'them'} already", file=sys.stderr)
    if session.over:
        raise BadInput(f"{args.from_save}: the game is over ({session.scenario.turns} of {session.scenario.turns} "
                       f"turns played); fork it at an earlier turn first (wargame fork)")
    from wargame.store.save import MAX_SAVE_BYTES, projected_save_bytes, turn_summary

    projected = projected_save_bytes(session)
    if projected > MAX_SAVE_BYTES:  # say so now, not after hours of play
        A, M = len(session.index.actors), len(session.index.minerals)
        raise BadInput(f"{args.out}: the save of this game would grow to about {projected / 2**20:.0f} MB by its "
                       f"last turn, over the {MAX_SAVE_BYTES // 2**20} MB a save may hold (its meter history covers "
                       f"{A} actors x {M} minerals for {session.scenario.turns} turns); play fewer turns or a "
                       f"smaller world")

    saved = False  # whether this run has written --out yet

    def so_far() -> str:
        """What --out holds when the run stops early: the turns played before the stop."""
        return (f" ({args.out} holds the game up to the end of turn {session.world.turn}: go on from it with "
                f"--from once the orders are put right)") if saved else ""

    while not session.over:
        turn = session.turn
        step = by_turn.get(turn)
        for team_id, bot in bots.items():  # a team the script plays this turn keeps its script
            if (step is None or team_id not in step.orders) and not session.committed(team_id):
                try:
                    bot.play(session)
                except OrderError as exc:
                    raise BadInput(f"wargame run: the {bot.policy} bot for {team_id}: {exc}{so_far()}") from None
        if step is not None and any(session.committed(t) for t in step.orders):
            # a save in the middle of a turn: who committed there keeps those orders
            kept = [t for t in step.orders if session.committed(t)]
            # the file's rulings on those teams point at the file's orders, not at the save's
            rulings = [o for o in step.overrides if o.team in kept]
            them = 'it' if len(kept) == 1 else 'them'
            print(f"note: {args.orders}: turn {turn}: {', '.join(kept)} committed in {args.from_save} already; "
                  f"the file's orders for {them}" + (f" and its {len(rulings)} ruling(s) on {them}" if rulings
                                                     else "") + " are left out", file=sys.stderr)
            step = step.model_copy(update={"orders": {t: o for t, o in step.orders.items() if t not in kept},
                                           "overrides": [o for o in step.overrides if o.team not in kept]})
        if step is not None and (step.injects or step.withdraw) and _events_given(session):
            # a save in the middle of a turn whose White Cell has already played or withdrawn
            # events: those stand, and the file's events for the turn would come on top of them
            print(f"note: {args.orders}: turn {turn}: the White Cell of {args.from_save} already played "
                  f"or withdrew events this turn; the file's events for the turn are left out", file=sys.stderr)
            step = step.model_copy(update={"injects": [], "withdraw": []})
        try:
            if step is not None:
                session.play_script(step)
            result = session.resolve()
        except OrderError as exc:
            said = str(exc)
            raise BadInput(f"{args.orders}: " + (said if said.startswith(f"turn {turn}") else f"turn {turn}: {said}")
                           + so_far()) from None
        try:
            save(session, args.out)  # autosave after every turn, atomically
        except SaveError as exc:
            raise BadInput(str(exc)) from None
        saved = True
        if not args.quiet:
            print(turn_summary(session, turn, result))
    if not args.quiet:
        print(f"saved {session.world.turn} turn(s) to {args.out}")
    return EXIT_OK


def cmd_fork(args) -> int:
    from wargame.game.seminar import Seminar
    from wargame.store.save import TABLE_KEY, SaveError, fork, read, save

    _check_output(args.out, "--out", [(args.save, "save")])
    if args.note is not None:
        from wargame.model.loader import bad_char

        if len(args.note) > 2000:
            raise BadInput(f"wargame fork: --note is {len(args.note)} characters long; at most 2000")
        if bad_char(args.note):
            raise BadInput(f"wargame fork: --note: {bad_char(args.note).replace('content files', 'a note')}")
    try:
        loaded = read(args.save)
        session = fork(loaded, args.turn, args.note or "")
        # the table travels with the fork only as far as it is well formed
        table = Seminar.kept_table(loaded.document.get(TABLE_KEY), [t.id for t in session.scenario.teams])
        save(session, args.out, table or None)
    except SaveError as exc:
        raise BadInput(str(exc)) from None
    sc = session.scenario
    after = f"after turn {args.turn} ({int(round(sc.year(args.turn)))})" if args.turn else "at its start"
    print(f"{args.out}: a fork of {args.save} {after}; it plays on from turn {session.turn} of {sc.turns}")
    print(f"  play it:  wargame play --load {args.out}")
    print(f"  or:       wargame run --from {args.out} --orders ORDERS.yaml --out NEW.json")
    return EXIT_OK


def _continued(args):
    """The session of the save ``run --from`` goes on from, replayed and verified."""
    from wargame.store.save import SaveError, read, verified

    for given, option in ((args.scenario, "--scenario"), (args.seed, "--seed")):
        if given is not None:
            raise BadInput(f"wargame run: {option} cannot be given with --from: the game goes on with the "
                           f"scenario and seed of {args.from_save}")
    try:
        return verified(read(args.from_save))
    except SaveError as exc:
        raise BadInput(str(exc)) from None


def cmd_replay(args) -> int:
    from wargame.store.save import SaveError, read, replay

    tables = [(f, o) for f, o in ((args.meters_csv, "--meters-csv"), (args.ledger_csv, "--ledger-csv")) if f is not None]
    for f, option in tables:
        _check_output(f, option, [(args.save, "save")], replaces="table")
    if len(tables) == 2 and _same_file(args.meters_csv, args.ledger_csv):
        raise BadInput(f"{args.meters_csv}: --meters-csv and --ledger-csv name the same file; give each its own")
    try:
        loaded = read(args.save)
    except SaveError as exc:
        raise BadInput(str(exc)) from None
    report = replay(loaded, verify=args.verify, explain=args.explain, ledgers=args.ledger_csv is not None)
    for line in report.turns:
        print(line)
    if report.ok:
        _write_tables(args, report)
        # (the turns as they stand: a turn undone and played again counts once)
        print(f"{args.save}: {len(report.session.records)} turn(s) replayed"
              + (", every hash matches" if args.verify else ""))
        return EXIT_OK
    if report.invalid:
        print(f"{args.save}: invalid save: {report.problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    where = f" (first divergence at turn {report.first_bad_turn})" if report.first_bad_turn is not None else ""
    print(f"{args.save}: verification failed{where}: {report.problem}", file=sys.stderr)
    if args.meters_csv or args.ledger_csv:
        print(f"{args.save}: no table written: the replay does not match the save", file=sys.stderr)
    return EXIT_DIVERGED


def _write_tables(args, report) -> None:
    """The replayed game as tidy CSV tables, for analysis (wargame.store.export)."""
    from wargame.store.export import LEDGER_COLUMNS, METER_COLUMNS, ledger_rows, meter_rows, write_csv
    from wargame.store.save import SaveError

    try:
        if args.meters_csv:
            write_csv(args.meters_csv, METER_COLUMNS, meter_rows(report.session))
            print(f"meters of {len(report.session.history)} turn(s), the start included, written to {args.meters_csv}")
        if args.ledger_csv:
            write_csv(args.ledger_csv, LEDGER_COLUMNS, ledger_rows(report.session, report.results))
            print(f"the ledgers of {len(report.results)} turn(s) written to {args.ledger_csv}")
    except SaveError as exc:
        raise BadInput(str(exc)) from None


def _format_of(args) -> str:
    """A document's format: --format, else html for an --out name ending in .html or .htm."""
    from wargame.report.html import is_page

    return args.format or ("html" if args.out and is_page(args.out) else "md")


def _write_document(args, text: str, what: str, fmt: str, said: str) -> None:
    """Print a document, or write it to --out and say so (``said``: "the debrief of ...")."""
    from wargame.store.save import SaveError, write_text

    if args.out is None:
        sys.stdout.write(text)
        return
    try:
        write_text(args.out, text, what)
    except SaveError as exc:
        raise BadInput(str(exc)) from None
    print(f"{said} written to {args.out} ({'web page' if fmt == 'html' else 'Markdown'})")


def _document_args(p, what: str, page: str) -> None:
    """--lang, --out and --format, for a command that writes a document."""
    p.add_argument("--lang", choices=["en", "zh"], default="en", help=f"language of the {what} (default: en)")
    p.add_argument("--out", metavar="FILE", default=None, help="write it to FILE (default: print it)")
    p.add_argument("--format", choices=["md", "html"], default=None,
                   help=f"md: Markdown; html: {page} (default: html when FILE ends in .html or .htm, else md)")


def cmd_debrief(args) -> int:
    from wargame.store.save import SaveError, load_seminar

    fmt = _format_of(args)
    if args.out is not None:
        _check_output(args.out, "--out", [(args.save, "save")], replaces="debrief")
    charts_dir = _charts_folder(args.charts) if args.charts is not None else None
    try:
        seminar = load_seminar(args.save)
    except SaveError as exc:
        raise BadInput(str(exc)) from None
    from wargame.report.charts import ChartError

    try:
        if fmt == "html":
            from wargame.report.html import debrief_html  # matplotlib: only for a web page

            text = debrief_html(seminar, args.lang)
        else:
            from wargame.report.debrief import debrief_markdown  # the report's words

            text = debrief_markdown(seminar, args.lang)
        images = _debrief_charts(seminar, args.lang) if charts_dir is not None else []
    except ChartError as exc:
        raise BadInput(f"--charts {args.charts}: {exc}") from None
    # every chart checked, then the document, then the charts
    if charts_dir is not None:
        _check_charts(charts_dir, images, args.charts, [(args.out, "--out")])
    _write_document(args, text, "debrief", fmt, f"the debrief of {len(seminar.session.records)} turn(s)")
    if charts_dir is not None:
        told = sys.stderr if args.out is None else sys.stdout
        if images:
            _write_charts(charts_dir, images, args.charts)
            print(f"{len(images)} chart(s) written to {args.charts}", file=told)
        else:
            print("no chart written: no turn has been resolved yet", file=told)
    return EXIT_OK


def cmd_briefing(args) -> int:
    from wargame.store.save import SaveError, load_seminar

    if args.save is not None and args.scenario is not None:
        raise BadInput("wargame briefing: give a save or --scenario, not both (a save holds its scenario)")
    fmt = _format_of(args)
    if args.out is not None:
        _check_output(args.out, "--out", [(args.save, "save"), (args.scenario, "scenario")], replaces="briefing")
    if args.save is not None:
        try:
            seminar = load_seminar(args.save)
        except SaveError as exc:
            raise BadInput(str(exc)) from None
    else:
        from wargame.game.seminar import Seminar
        from wargame.game.session import Session

        seminar = Seminar(Session.new(_load_content(args.scenario), 0))
    teams = args.team or ([] if args.white_cell else seminar.teams)
    unknown = [t for t in teams if t not in seminar.teams]
    if unknown:
        raise BadInput(f"--team {unknown[0]}: no such team (teams: {', '.join(seminar.teams)})")
    teams = list(dict.fromkeys(teams))  # each once, in the order given
    if fmt == "html":
        from wargame.report.html import briefing_html

        text = briefing_html(seminar, teams, args.lang, args.white_cell)
    else:
        from wargame.report.briefing import briefing_markdown

        text = briefing_markdown(seminar, teams, args.lang, args.white_cell)
    who = f"{len(teams)} team(s)" + (" and the White Cell" if args.white_cell else "") if teams else "the White Cell"
    _write_document(args, text, "briefing", fmt, f"the briefing of {who}")
    return EXIT_OK


def _charts_folder(path: str) -> Path:
    """The folder for --charts, checked before any work (it is made only when the charts
    are written): refused when something other than a folder is in its place, or when the
    folder it would go in does not exist."""
    if not path.strip():
        raise BadInput("--charts '': expected a folder, got an empty path")
    folder = Path(path)
    try:
        if folder.exists() and not folder.is_dir():
            raise BadInput(f"--charts {path}: is not a folder; expected a folder for the chart images")
        if not folder.exists() and not folder.absolute().parent.is_dir():
            raise BadInput(f"--charts {path}: the folder it would go in does not exist")
    except OSError as exc:
        raise BadInput(f"--charts {path}: cannot be used ({exc.strerror or exc})") from None
    return folder


def _check_charts(folder: Path, images: list[tuple[str, bytes]], shown: str,
                  others: Sequence[tuple[str | None, str]] = ()) -> None:
    """Refuse, before anything is written, a chart image that could not be written, or one
    that would land on another output of the command (``others``: path, option)."""
    from wargame.store.save import text_target_problem

    for name, _ in images:
        why = text_target_problem(folder / name, "chart") if folder.exists() else None
        if why is not None:
            raise BadInput(f"--charts {shown}: {name} {why}")
        for path, option in others:
            if path is not None and _same_file(str(folder / name), path):
                raise BadInput(f"--charts {shown}: the chart {name} would be written over {option} {path}; "
                               f"give the charts a folder of their own")


def _write_charts(folder: Path, images: list[tuple[str, bytes]], shown: str) -> None:
    """Write the chart images into ``folder`` (made if missing)."""
    from wargame.store.save import SaveError, write_text

    _check_charts(folder, images, shown)
    try:
        folder.mkdir(exist_ok=True)
        for name, data in images:
            write_text(folder / name, data, "chart")
    except OSError as exc:
        raise BadInput(f"--charts {shown}: cannot make the folder ({exc.strerror or exc})") from None
    except SaveError as exc:
        raise BadInput(str(exc)) from None


def _debrief_charts(seminar, lang: str) -> list[tuple[str, bytes]]:
    """The debrief's charts as PNG images, named in their order: 1-dependency.png..."""
    from wargame.report.charts import Chart, chart_png
    from wargame.report.debrief import debrief_blocks

    charts = [b for b in debrief_blocks(seminar, lang) if isinstance(b, Chart)]
    return [(f"{k}-{c.slug}-{lang}.png", chart_png(c)) for k, c in enumerate(charts, 1)]


def cmd_compare(args) -> int:
    from wargame.model.loader import one_line
    from wargame.report.compare import Game, comparable, compare_text, label_for
    from wargame.store.save import SaveError, load_seminar

    if len(args.saves) < 2:
        raise BadInput("wargame compare: give at least two saves to compare")
    if args.meters_csv is not None:
        _check_output(args.meters_csv, "--meters-csv", [(path, "save") for path in args.saves], replaces="table")
    if args.out is not None:
        _check_output(args.out, "--out", [(path, "save") for path in args.saves], replaces="comparison")
        if args.meters_csv is not None and _same_file(args.out, args.meters_csv):
            raise BadInput(f"--out {args.out}: the same file as --meters-csv; write them to two files")
    if len(args.saves) > 12:
        raise BadInput(f"wargame compare: {len(args.saves)} saves given; at most 12 fit side by side")
    charts_dir = _charts_folder(args.charts) if args.charts is not None else None
    games = []
    for k, path in enumerate(args.saves):
        try:
            seminar = load_seminar(path)
        except SaveError as exc:
            raise BadInput(str(exc)) from None
        games.append(Game(label_for(k), one_line(path), seminar))
    why = comparable(games)
    if why is not None:
        raise BadInput(why)
    reached = min(len(g.seminar.session.records) for g in games)
    turn = reached if args.turn is None else args.turn
    if turn > reached:
        short = min(games, key=lambda g: len(g.seminar.session.records))
        raise BadInput(f"wargame compare: --turn {turn}: {short.path} has resolved {reached} turn(s); "
                       f"compare at turn 0 to {reached}")
    images = _compare_charts(games, args.lang, args.charts) if charts_dir is not None else []
    if charts_dir is not None:
        _check_charts(charts_dir, images, args.charts, [(args.out, "--out"), (args.meters_csv, "--meters-csv")])
    if args.out is None:
        sys.stdout.write(compare_text(games, turn, args.lang))
    else:
        from wargame.report.html import compare_html, is_page
        from wargame.store.save import write_text

        page = is_page(args.out)
        text = compare_html(games, turn, args.lang) if page else compare_text(games, turn, args.lang)
        try:
            write_text(args.out, text, "comparison")
        except SaveError as exc:
            raise BadInput(str(exc)) from None
        print(f"the comparison of {len(games)} games written to {args.out} ({'web page' if page else 'text'})")
    if args.meters_csv is not None:
        from wargame.store.export import GAMES_COLUMNS, games_meter_rows, write_csv

        try:
            write_csv(args.meters_csv, GAMES_COLUMNS,
                      games_meter_rows((g.label, g.path, g.seminar.session) for g in games))
        except SaveError as exc:
            raise BadInput(str(exc)) from None
        print(f"every meter of every turn of the {len(games)} games written to {args.meters_csv}")
    if charts_dir is not None:
        _write_charts(charts_dir, images, args.charts)
        print(f"{len(images)} chart(s) written to {args.charts}", file=sys.stderr if args.out is None else sys.stdout)
    return EXIT_OK


def _compare_charts(games, lang: str, shown: str) -> list[tuple[str, bytes]]:
    """The comparison's charts as PNG images (a panel per team, a line per game)."""
    from wargame.report.charts import ChartError, chart_png
    from wargame.report.compare import TEAM_METERS, relations
    from wargame.report.html import compare_charts

    try:
        charts = compare_charts(games, relations(games, lang).partings, lang, TEAM_METERS)
        return [(f"{k}-{c.slug}-{lang}.png", chart_png(c)) for k, c in enumerate(charts, 1)]
    except ChartError as exc:
        raise BadInput(f"--charts {shown}: {exc}") from None


def cmd_simulate(args) -> int:
    from wargame.analysis.balance import run as study
    from wargame.paths import default_scenario
    from wargame.store.save import SaveError, write_text

    if args.out is not None:
        _check_output(args.out, "--out", [(args.scenario, "scenario")], replaces="report")
    if args.cluster is not None and not args.cluster.strip():
        raise BadInput("--cluster: expected the address of a Dask scheduler, got an empty one")
    content = _load_content(args.scenario)  # every problem of the content now, before any game
    path = args.scenario or str(default_scenario())
    if not args.quiet:
        where = f"the Dask cluster at {args.cluster}" if args.cluster else f"{args.workers} worker(s)"
        print(f"playing {args.games} bot game(s) on {where}...", file=sys.stderr)
    from wargame.analysis.balance import ClusterError

    try:
        text = study(path, args.games, args.seed, args.workers, args.out, prog="wargame simulate", content=content,
                     cluster=args.cluster)
    except ClusterError as exc:
        raise BadInput(str(exc)) from None
    if args.out is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return EXIT_OK
    try:
        write_text(args.out, text, "report")
    except SaveError as exc:
        raise BadInput(str(exc)) from None
    if not args.quiet:
        print(f"the study of {args.games} game(s) written to {args.out}")
    return EXIT_OK


def cmd_play(args) -> int:
    from wargame.tui.app import run_app

    return run_app(scenario=args.scenario, load=args.load, seed=args.seed, start=START)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="wargame", description="A turn-based policy wargame on critical-mineral supply chains.")
    sub = p.add_subparsers(dest="command", parser_class=_Parser)

    play = sub.add_parser("play", help="start the seminar TUI")
    play.add_argument("--scenario", help="scenario file or directory (default: the built-in scenario)")
    play.add_argument("--load", help="resume a saved game")
    play.add_argument("--seed", type=SEED, default=None, help="seed for a new game")
    play.set_defaults(func=cmd_play)

    run = sub.add_parser("run", help="play a whole game headlessly from a scripted orders file and/or bots")
    run.add_argument("--scenario", help="scenario file or directory (default: the built-in scenario)")
    run.add_argument("--orders", help="orders YAML file (required unless --bots is given)")
    run.add_argument("--seed", type=SEED, default=None, help="seed (default: the orders file's, else 0)")
    run.add_argument("--out", required=True, help="where to write the save (JSON)")
    run.add_argument("--bots", metavar="SPEC", default=None,
                     help="bots for teams the orders file does not play: one policy for all of them "
                          "(hawk, dove, balanced, random) or per team, e.g. us=hawk,china=dove; "
                          "a team named here also fills the turns its script leaves empty; "
                          "TEAM=pass keeps a team out")
    run.add_argument("--from", dest="from_save", metavar="SAVE", default=None,
                     help="go on from a save (a fork, say) instead of the start: its turns stand, and the "
                          "orders file and bots play the turns still to come")
    run.add_argument("--quiet", action="store_true",
                     help="print nothing on success (notes of input left out still go to standard error)")
    run.set_defaults(func=cmd_run)

    frk = sub.add_parser("fork", help="a new save that shares a game's first turns, to play on differently "
                                      "(a what-if)")
    frk.add_argument("save")
    frk.add_argument("--turn", type=_whole(0, 1000), required=True,
                     help="the last turn the two games share (0: only the start and the seed)")
    frk.add_argument("--out", required=True, help="where to write the new save (JSON)")
    frk.add_argument("--note", default=None, help="what the fork asks, kept in its log")
    frk.set_defaults(func=cmd_fork)

    rep = sub.add_parser("replay", help="re-run a save's log and print a per-turn summary")
    rep.add_argument("save")
    rep.add_argument("--verify", action="store_true", help="check every turn's state hash (exit 1 on a mismatch)")
    rep.add_argument("--explain", type=_whole(0, 10_000), nargs="?", const=12, default=0, metavar="N",
                     help="after each turn, print its news and its N largest meter changes with their causes")
    rep.add_argument("--meters-csv", metavar="FILE", default=None,
                     help="write every meter of every turn as a CSV table (one value per row)")
    rep.add_argument("--ledger-csv", metavar="FILE", default=None,
                     help="write every turn's ledger as a CSV table: each meter change with its cause")
    rep.set_defaults(func=cmd_replay)

    bri = sub.add_parser("briefing", help="write each team's briefing to hand out before play: its actors, "
                                          "blocs and budget, where it stands, its supply chains and every "
                                          "card of its decks (Markdown, or a web page)")
    bri.add_argument("save", nargs="?", default=None,
                     help="brief from this save's game as it stands (default: the start of a new game)")
    bri.add_argument("--scenario", default=None, help="scenario file or directory (default: the built-in scenario)")
    bri.add_argument("--team", action="append", metavar="TEAM", default=None,
                     help="the team to brief (repeat for several; default: every team, one after another)")
    bri.add_argument("--white-cell", action="store_true",
                     help="the White Cell's briefing: the teams, their meters, the scripted timeline and the "
                          "events deck (after the teams named with --team, or alone)")
    _document_args(bri, "briefing", "one self-contained web page, each briefing from a new printed page")
    bri.set_defaults(func=cmd_briefing)

    deb = sub.add_parser("debrief", help="write a save's game as a debrief (Markdown, or a web page with "
                                         "charts): orders, rulings, events, news, why each meter moved, "
                                         "and every team side by side")
    deb.add_argument("save")
    _document_args(deb, "debrief", "one self-contained web page with a chart of each headline meter")
    deb.add_argument("--charts", metavar="DIR", default=None,
                     help="also write each headline meter's chart as a PNG image into DIR (for slides)")
    deb.set_defaults(func=cmd_debrief)

    cmp_ = sub.add_parser("compare", help="several games of one scenario side by side: how they are related, "
                                          "where they part and why, and every team's meters in each")
    cmp_.add_argument("saves", nargs="+", metavar="SAVE", help="the saves; the first is the one the others "
                                                                "are measured against")
    cmp_.add_argument("--turn", type=_whole(0, 1000), default=None,
                      help="compare the meters after this turn (default: the last turn every game has played)")
    cmp_.add_argument("--lang", choices=["en", "zh"], default="en", help="language (default: en)")
    cmp_.add_argument("--out", metavar="FILE", default=None,
                      help="write the comparison to FILE instead of printing it: a web page with a chart of "
                           "each meter, a line per game, when FILE ends in .html or .htm; else the text")
    cmp_.add_argument("--charts", metavar="DIR", default=None,
                      help="also write each meter's chart (a panel per team, a line per game) as a PNG image "
                           "into DIR (for slides)")
    cmp_.add_argument("--meters-csv", metavar="FILE", default=None,
                      help="also write every meter of every turn of every game as one CSV table, "
                           "with the game's label and save in the first columns")
    cmp_.set_defaults(func=cmd_compare)

    sim = sub.add_parser("simulate", help="play many bot games of a scenario and report on the balance of its "
                                          "decks (Markdown): spread of outcomes, cards that move the meters, "
                                          "dominant policies or cards")
    sim.add_argument("--scenario", help="scenario file or directory (default: the built-in scenario)")
    sim.add_argument("--games", type=_whole(1, 100_000), default=400, help="number of games (default 400)")
    sim.add_argument("--seed", type=SEED, default=1, help="study seed (default 1)")
    sim.add_argument("--workers", type=_whole(1, 64), default=min(os.cpu_count() or 1, 8),
                     help="worker processes (default: the machine's cores, up to 8)")
    sim.add_argument("--cluster", metavar="ADDRESS", default=None,
                     help="play the games on the Dask cluster whose scheduler is at ADDRESS (e.g. "
                          "tcp://10.0.0.5:8786) instead of local processes; needs wargame[cluster] here "
                          "and on its workers")
    sim.add_argument("--out", metavar="FILE", default=None, help="write the report to FILE (default: print it)")
    sim.add_argument("--quiet", action="store_true", help="print nothing but the report")
    sim.set_defaults(func=cmd_simulate)

    chk = sub.add_parser("check", help="validate scenario, deck and orders files")
    chk.add_argument("paths", nargs="+")
    chk.set_defaults(func=cmd_check)

    sch = sub.add_parser("schema", help="print the JSON Schema of a file format")
    sch.add_argument("kind", choices=["deck", "scenario", "save", "orders"])
    sch.set_defaults(func=cmd_schema)
    return p


# control characters (line breaks and tabs aside): from a file name or an argument they could
# move the cursor, recolour or retitle the terminal, so they are printed escaped (\x1b)
class _Listener:
    """Standard output (or error) that falls silent once its reader has gone (``wargame run
    ... | head``): what is printed is only a summary, so the command still finishes its work
    and writes its files. A path that is not UTF-8 is printed with its odd bytes escaped, and
    control characters and direction marks as escapes (``terminal.printable``)."""

    def __init__(self, stream) -> None:
        self.stream, self.gone = stream, False

    def _try(self, act) -> None:
        if self.gone:
            return
        try:
            act()
        except BrokenPipeError:
            self.gone = True
            _silence(self.stream)  # the interpreter's last flush at exit goes nowhere, quietly

    def write(self, text: str) -> int:
        shown = printable(text)

        def write() -> None:
            try:
                self.stream.write(shown)
            except UnicodeEncodeError:
                # a file name that is not UTF-8, or a stream that cannot take the text (Chinese
                # to an ASCII terminal): what it cannot take shown as \x.. or \u.... escapes
                encoding = getattr(self.stream, "encoding", None) or "utf-8"
                self.stream.write(shown.encode(encoding, "backslashreplace").decode(encoding, "replace"))
        self._try(write)
        return len(text)

    def flush(self) -> None:
        self._try(self.stream.flush)

    def __getattr__(self, name):
        return getattr(self.stream, name)


def _say(text: str) -> None:
    """One message on standard error, control characters escaped."""
    _Listener(sys.stderr).write(text + "\n")


def _silence(stream) -> None:
    """Point a stream that has failed at /dev/null, so that the interpreter's last flush at
    exit does not fail again with a traceback."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def main(argv: Sequence[str] | None = None) -> int:
    keep_freed_memory()
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if not getattr(args, "command", None):
            args = parser.parse_args(["play", *(argv or [])]) if argv is None and len(sys.argv) == 1 else args
            if not getattr(args, "command", None):
                parser.print_help()
                return EXIT_BAD_INPUT
        if args.command == "play":
            return args.func(args)
        out, err = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = _Listener(out), _Listener(err)
        try:
            return args.func(args)
        finally:
            sys.stdout, sys.stderr = out, err
    except BadInput as exc:
        _say(str(exc))
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        return EXIT_OK
    except OSError as exc:
        if os.environ.get("WARGAME_DEBUG"):
            raise
        if exc.filename is None:
            # standard output or error refused what was printed (a full disk, a closed stream)
            _silence(sys.stdout)
            _say(f"wargame: cannot write the output ({exc.strerror or exc})")
            return EXIT_IO
        # the system refused a path the user gave (a name too long, a loop of links)
        _say(f"{exc.filename}: cannot be used ({exc.strerror or exc})")
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # never a traceback for the user; WARGAME_DEBUG=1 shows it
        if os.environ.get("WARGAME_DEBUG"):
            raise
        _say(f"wargame: internal error: {type(exc).__name__}: {exc} (set WARGAME_DEBUG=1 for details)")
        return EXIT_INTERNAL


if __name__ == "__main__":
    raise SystemExit(main())
