"""Simple bot policies that play a team's hand in a headless game.

A bot looks only at what a team at the table could see: its hand, its budget,
the world at the start of the turn (affinities, blocs, capacity, stockpiles)
and the meters of the last report. It builds ordinary orders, tests each one
with ``Session.check_orders`` and commits them with ``Session.submit``, so a
save of a bot game holds plain orders and replays without any bot.

Policies:

- ``hawk`` prefers coercive cards (export restrictions, ore bans, tariffs,
  royalties, screening, hostile diplomacy) and aims them at its main rivals,
  on the mineral where the target is most exposed; it never plays a strongly
  cooperative card, and plays a mildly cooperative one only with spare budget;
- ``dove`` prefers cooperative cards (accession, dialogue, investment abroad,
  friend-shoring open to allies, price floors, stockpiles) and aims them at
  allies and partners; the mirror rule keeps it from strong coercion;
- ``balanced`` weighs every card by how well its targets fit, whatever its
  posture: coercion goes to rivals, cooperation to partners;
- ``random`` plays each card of its hand with even odds, with an acting actor
  and targets drawn uniformly among the legal ones.

A card's posture is read from its effects (``posture``); decks need no extra
field. Randomness comes from a stream of its own per team, derived from the
game seed, so a bot never draws from the session's card or event streams and
the same seed with the same bots gives the same game, byte for byte.
"""

from __future__ import annotations

import itertools
import zlib
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

import numpy as np

from wargame.engine.effects import Ctx, EffectError, Play
from wargame.engine.world import EXT, PROC
from wargame.game.session import OrderError, Session
from wargame.model.common import STAGES
from wargame.model.deck import Card, TargetSpec
from wargame.model.records import Order

POLICIES: tuple[str, ...] = ("hawk", "dove", "balanced", "random")
"""Bot policies, by name."""

PASS = "pass"
"""In a bot spec, a team that should not be played by a bot."""

BOT_STREAM = 0xB075
"""Mixed with the game seed (and the team) to seed each bot's own random stream."""

MAX_COMBOS = 256  # (actor, targets) combinations looked at per card; more are sampled
MAX_CHECKS = 24  # legality checks per card for the scoring policies
MAX_RANDOM_CHECKS = 64  # legality checks per card for the random policy
EXACT_SUBSET = 12  # hands up to this size get an exact best subset under the budget
STRONG = 2.0  # a hawk never plays a card this cooperative, a dove never one this coercive
FILLER = 0.25  # utility of a card mildly against a policy's grain: played with spare budget only

# How coercive (positive) or cooperative (negative) each effect kind is; see ``posture``.
_POSTURE: dict[str, float] = {
    "restrict_exports": 2.0,
    "ore_export_ban": 2.0,
    "tariff": 1.5,
    "royalty": 1.0,
    "screen_investment": 1.5,
    "leave_bloc": 1.5,
    "disrupt_supply": 1.5,
    "join_bloc": -1.5,
    "invest_abroad": -1.5,
    "price_floor": -1.0,
    "stockpile": -0.5,
}


def effect_posture(effect) -> float:
    """Posture of one effect: above 0 coercive, below 0 cooperative, 0 neutral."""
    kind = effect.kind
    if kind == "adjust_affinity":
        return -1.0 if effect.delta > 0 else 1.0 if effect.delta < 0 else 0.0
    if kind == "securitise":
        return 0.5 if effect.delta > 0 else -0.5 if effect.delta < 0 else 0.0
    if kind == "subsidise_capacity":
        # purely national support is neutral; a programme open to others builds a club,
        # and origin rules that shut some producers out add a coercive edge
        open_to_others = any(ref != "self" for ref in effect.eligible)
        return (-1.0 if open_to_others else 0.0) + (0.5 if effect.exclude else 0.0)
    if kind == "screen_investment":
        return _POSTURE[kind] + (0.5 if effect.divest > 0 else 0.0)
    return _POSTURE.get(kind, 0.0)


def posture(card: Card) -> float:
    """How coercive a card is: the sum over its effects (above 0 hawkish, below 0 dovish)."""
    return float(sum(effect_posture(e) for e in card.effects))


def is_coercive(card: Card) -> bool:
    return posture(card) > 0.0


def is_cooperative(card: Card) -> bool:
    return posture(card) < 0.0


# --- bot specs -------------------------------------------------------------------------


class BotSpecError(ValueError):
    """A bot spec that names an unknown team or policy; the message says which."""


def parse_spec(spec: str, teams: Sequence[str]) -> tuple[str | None, dict[str, str]]:
    """Parse ``hawk`` or ``us=hawk,china=dove`` (or both: ``dove,china=hawk``).

    Returns the default policy (for every team left to bots, or None) and the
    per-team choices; ``pass`` as a policy keeps a team out of the bots' hands."""
    names = (*POLICIES, PASS)
    default: str | None = None
    per_team: dict[str, str] = {}
    items = [item.strip() for item in spec.split(",")]
    if not spec.strip() or any(not item for item in items):
        raise BotSpecError(f"empty entry in '{spec}' (expected POLICY or TEAM=POLICY, comma-separated)")
    for item in items:
        team, sep, policy = item.partition("=")
        team, policy = team.strip(), policy.strip()
        if not sep:
            team, policy = "", team
        if policy not in names:
            raise BotSpecError(f"unknown policy '{policy}' (policies: {', '.join(names)})")
        if not sep:
            if default is not None:
                raise BotSpecError(f"two default policies, '{default}' and '{policy}'")
            default = policy if policy != PASS else None
            continue
        if team not in teams:
            raise BotSpecError(f"unknown team '{team}' (teams: {', '.join(teams)})")
        if team in per_team:
            raise BotSpecError(f"team '{team}' is given twice")
        per_team[team] = policy
    return default, per_team


def resolve_policies(teams: Sequence[str], policies: str | Mapping[str, str]) -> dict[str, str]:
    """A policy per bot-played team, from one name for every team or a mapping."""
    if isinstance(policies, str):
        policies = {t: policies for t in teams}
    out: dict[str, str] = {}
    for team, policy in policies.items():
        if team not in teams:
            raise BotSpecError(f"unknown team '{team}' (teams: {', '.join(teams)})")
        if policy == PASS:
            continue
        if policy not in POLICIES:
            raise BotSpecError(f"unknown policy '{policy}' (policies: {', '.join((*POLICIES, PASS))})")
        out[team] = policy
    return {t: out[t] for t in teams if t in out}


# --- reading the table ------------------------------------------------------------------


class _View:
    """What every bot reads at the start of a turn, in array form."""

    def __init__(self, session: Session):
        w, idx, m = session.world, session.index, session.meters
        A, M, S = idx.shape
        self.index, self.world, self.rules = idx, w, session.rules
        self.aff = w.affinity
        self.member = w.member > 0
        rel = m.get("import_reliance")
        self.reliance = (np.clip(np.asarray(rel, dtype=float) / 100.0, 0.0, 1.0)
                         if rel is not None and np.shape(rel) == (A, M, S) else np.zeros((A, M, S)))
        total = w.cap.sum(axis=0)  # (M, S)
        self.share = np.divide(w.cap, total[None], out=np.zeros_like(w.cap), where=total[None] > 0)
        top = float(idx.weight.max()) if len(idx.weight) else 0.0
        self.weight = idx.weight / top if top > 0 else np.ones(M)
        self.stock = w.stock
        blocs = self.member.astype(float)
        self.together = (blocs.T @ blocs) > 0  # (A, A) share at least one bloc

    def hostility(self, me: int, t: int) -> float:
        if t == me:
            return -2.0
        a = float(self.aff[me, t])
        return -a + (0.5 if a < self.rules.rival_threshold else 0.0) - (0.3 if self.together[me, t] else 0.0)

    def friendship(self, me: int, t: int) -> float:
        if t == me:
            return 0.0
        return float(self.aff[me, t]) + (0.3 if self.together[me, t] else 0.0)

    def mean(self, fn, me: int, actors: Iterable[int], empty: float = -1.0) -> float:
        vals = [fn(me, t) for t in actors if t != me]
        return _avg(vals) if vals else empty


def _avg(values: list) -> float:
    return float(sum(values)) / len(values)


def _fit(view: _View, ctx: Ctx, e, me: int) -> float:
    """How well one effect, with these targets and this acting actor, serves the player."""
    k = e.kind
    if k == "restrict_exports":
        m, s = ctx.mineral(e.mineral), ctx.stage(e.stage)
        to = [t for t in ctx.actors(e.to) if t != me]
        if not to:
            return -2.0
        exposure = _avg([view.reliance[t, m, s] for t in to])
        return view.mean(view.hostility, me, to) + view.weight[m] * (exposure + 2.0 * view.share[me, m, s])
    if k == "tariff":
        m, s = ctx.mineral(e.mineral), ctx.stage(e.stage)
        on = [t for t in ctx.actors(e.on) if t != me]
        if not on:
            return -2.0
        exports = _avg([view.share[t, m, s] for t in on])
        return view.mean(view.hostility, me, on) + view.weight[m] * (2.0 * exports + view.reliance[me, m, s])
    if k in ("ore_export_ban", "royalty"):
        m = ctx.mineral(e.mineral)
        share = view.share[me, m, EXT]
        return 3.0 * view.weight[m] * share - (1.0 if share <= 0 else 0.0)
    if k == "screen_investment":
        return view.mean(view.hostility, me, ctx.actors(e.against))
    if k == "adjust_affinity":
        fn = view.hostility if e.delta < 0 else view.friendship
        return view.mean(fn, me, ctx.actors(e.with_))
    if k == "disrupt_supply":
        m, s = ctx.mineral(e.mineral), ctx.stage(e.stage)
        who = [t for t in ctx.actors(e.actors) if t != me]
        return view.mean(view.hostility, me, who, empty=-2.0) + float(view.share[who, m, s].sum() if who else 0.0)
    if k == "fiscal_shock":
        fn = view.hostility if e.delta < 0 else view.friendship
        return view.mean(fn, me, ctx.actors(e.actors), empty=0.0)
    if k == "join_bloc":
        b = ctx.bloc(e.bloc)
        new = [a for a in ctx.actors(e.actor) if not view.member[b, a]]
        if not new:
            return -2.0
        mates = np.flatnonzero(view.member[b])
        warmth = [float(view.aff[a, mates].mean()) if len(mates) else 0.0 for a in new]
        return 0.5 + _avg(warmth)
    if k == "leave_bloc":
        b = ctx.bloc(e.bloc)
        leaving = [a for a in ctx.actors(e.actor) if view.member[b, a]]
        if not leaving:
            return -2.0
        mates = np.flatnonzero(view.member[b])
        return -_avg([float(view.aff[a, mates].mean()) for a in leaving])
    if k == "invest_abroad":
        m, s = ctx.mineral(e.mineral), ctx.stage(e.stage)
        hosts = [h for h in ctx.actors(e.host) if h != me]
        if not hosts:
            return -2.0
        ore = _avg([view.share[h, m, EXT] for h in hosts])
        return view.mean(view.friendship, me, hosts) + view.weight[m] * (2.0 * ore + view.reliance[me, m, s])
    if k == "subsidise_capacity":
        m, s = ctx.mineral(e.mineral), ctx.stage(e.stage)
        value = view.weight[m] * (view.reliance[me, m, s] + view.share[me, m, max(s - 1, 0)])
        partners = [a for a in ctx.actors(e.eligible) if a != me]
        return value + (0.5 * view.mean(view.friendship, me, partners) if partners else 0.0)
    if k == "price_floor":
        m = ctx.mineral(e.mineral)
        return view.weight[m] * (view.reliance[me, m, PROC] + 2.0 * view.share[me, m, EXT])
    if k == "stockpile":
        m = ctx.mineral(e.mineral)
        if e.action == "release":
            return 0.5 if view.stock[me, m] > 0 else -1.0
        return view.weight[m] * (view.reliance[me, m, PROC] + view.reliance[me, m, STAGES.index("manufacturing")])
    if k == "change_substitutability":
        m = ctx.mineral(e.mineral)
        need = float(view.reliance[me, m].max())
        return view.weight[m] * (need if e.delta > 0 else -need)
    return 0.0  # shift_demand, securitise: no target worth weighing


# --- choosing orders ---------------------------------------------------------------------


@dataclass
class _Option:
    order: Order
    card: Card
    value: float  # the policy's utility of playing this card with these targets


def _values(view: _View, spec: TargetSpec) -> list[str]:
    if spec.choices is not None:
        return list(spec.choices)
    idx = view.index
    return {
        "mineral": list(idx.minerals),
        "actor": list(idx.actors),
        "bloc": list(idx.blocs),
        "party": list(idx.actors) + list(idx.blocs),
        "stage": list(STAGES),
    }[spec.kind]


def _combos(rng: np.random.Generator, dims: list[list[str]]) -> list[tuple[str, ...]]:
    """Every (actor, target...) combination, or a uniform sample of MAX_COMBOS of them."""
    sizes = [len(d) for d in dims]
    total = int(np.prod(sizes)) if sizes else 1
    if total == 0:
        return []
    if total <= MAX_COMBOS:
        return list(itertools.product(*dims))
    picks = np.sort(rng.choice(total, size=MAX_COMBOS, replace=False))
    out = []
    for p in picks.tolist():
        combo = []
        for d in reversed(dims):
            p, r = divmod(p, len(d))
            combo.append(d[r])
        out.append(tuple(reversed(combo)))
    return out


class Bot:
    """Plays one team with one policy; its random stream is its own."""

    def __init__(self, team_id: str, policy: str, seed: int):
        if policy not in POLICIES:
            raise BotSpecError(f"unknown policy '{policy}' (policies: {', '.join(POLICIES)})")
        self.team_id, self.policy, self.seed = team_id, policy, int(seed)
        self.rng = self._stream(0)

    def _stream(self, turn: int) -> np.random.Generator:
        """The bot's random stream for one turn: from the seed, the team and the turn alone,
        so a game resumed from a save plays on exactly as it would have."""
        seq = np.random.SeedSequence([self.seed, BOT_STREAM, zlib.crc32(self.team_id.encode()), int(turn)])
        return np.random.Generator(np.random.PCG64(seq))

    # -- the public move --------------------------------------------------------------
    def choose(self, session: Session) -> list[Order]:
        """Legal orders for this turn, within the budget (possibly none)."""
        if session.over:
            return []
        self.rng = self._stream(session.turn)
        hand = session.hand(self.team_id)
        if not hand:
            return []
        view = _View(session)
        if self.policy == "random":
            return self._random(session, view, hand)
        return self._scored(session, view, hand)

    def play(self, session: Session) -> list[Order]:
        """Choose and commit this turn's orders (an empty list is a pass)."""
        orders = self.choose(session)
        session.submit(self.team_id, orders)
        return orders

    # -- helpers ----------------------------------------------------------------------
    def _actors(self, session: Session) -> list[str]:
        pos = session.index.actor_pos
        return [a for a in session.team(self.team_id).actors if a in pos]

    def _legal(self, session: Session, orders: list[Order]) -> bool:
        try:
            session.check_orders(self.team_id, orders)
        except OrderError:
            return False
        return True

    def _order(self, card: Card, actor: str, multi: bool, values: tuple[str, ...]) -> Order:
        return Order(card=card.id, actor=actor if multi else None,
                     targets={spec.name: v for spec, v in zip(card.targets, values)})

    def _utility(self, card: Card, fit: float) -> float:
        """Worth of a card to this policy (played only if above 0).

        Hawk and dove rank cards of their own posture (and neutral ones) first. A card
        mildly against their grain only fills budget left over, so that it leaves the
        hand; one strongly against it (posture 2 or more the other way) is never played."""
        p, fit = posture(card), min(max(fit, -2.0), 2.0)
        if self.policy == "balanced":
            return 1.0 + 0.25 * abs(p) + 0.75 * fit
        grain = p if self.policy == "hawk" else -p
        if grain >= 0:
            return 1.0 + 2.0 * grain + 0.5 * fit
        if grain > -STRONG:
            return FILLER + 0.1 * fit
        return 0.0

    # -- scoring policies ---------------------------------------------------------------
    def _best(self, session: Session, view: _View, card: Card) -> _Option | None:
        actors = self._actors(session)
        multi = len(session.team(self.team_id).actors) > 1
        dims = [actors] + [_values(view, spec) for spec in card.targets]
        scored: list[tuple[float, int, tuple[str, ...]]] = []
        for n, combo in enumerate(_combos(self.rng, dims)):
            me = view.index.actor_pos[combo[0]]
            play = Play(cause="bot", label=card.id, card=card.id, team=self.team_id, actor=me,
                        effects=tuple(card.effects),
                        bindings={spec.name: v for spec, v in zip(card.targets, combo[1:])})
            ctx = Ctx(view.world, view.index, view.rules, play, session.turn)
            try:
                fit = sum(_fit(view, ctx, e, me) for e in card.effects) / len(card.effects) ** 0.5
            except EffectError:
                continue
            scored.append((-float(fit), n, combo))
        scored.sort()
        failed: list[str] = []
        checks = 0
        for neg_fit, _, combo in scored:
            if combo[0] in failed:
                continue  # conditions do not depend on targets: this actor cannot play the card
            if checks >= MAX_CHECKS:
                break
            checks += 1
            order = self._order(card, combo[0], multi, combo[1:])
            if self._legal(session, [order]):
                return _Option(order, card, self._utility(card, -neg_fit))
            failed.append(combo[0])
        return None

    def _scored(self, session: Session, view: _View, hand: list[Card]) -> list[Order]:
        budget = session.team(self.team_id).budget
        best: dict[str, _Option | None] = {}
        options: list[_Option] = []
        for card in hand:  # a second copy in the hand plays the same way
            if card.id not in best:
                best[card.id] = self._best(session, view, card)
            opt = best[card.id]
            if opt is not None and opt.value > 0 and opt.card.cost <= budget:
                options.append(opt)
        chosen = self._pick(options, budget)
        while chosen and not self._legal(session, [o.order for o in chosen]):
            chosen.remove(min(chosen, key=lambda o: o.value))  # never submit an illegal set
        return [o.order for o in chosen]

    @staticmethod
    def _pick(options: list[_Option], budget: int) -> list[_Option]:
        """The subset of highest total utility within the budget (ties: cheaper, then earlier)."""
        if len(options) > EXACT_SUBSET:
            out, left = [], budget
            for o in sorted(options, key=lambda o: -o.value / max(o.card.cost, 1)):
                if o.card.cost <= left:
                    out.append(o)
                    left -= o.card.cost
            return out
        best_key, best_set = (0.0, 0), ()
        for r in range(1, len(options) + 1):
            for subset in itertools.combinations(range(len(options)), r):
                cost = sum(options[i].card.cost for i in subset)
                if cost > budget:
                    continue
                key = (round(sum(options[i].value for i in subset), 9), -cost)
                if key > best_key:
                    best_key, best_set = key, subset
        return [options[i] for i in best_set]

    # -- random policy ------------------------------------------------------------------
    def _random(self, session: Session, view: _View, hand: list[Card]) -> list[Order]:
        left = session.team(self.team_id).budget
        multi = len(session.team(self.team_id).actors) > 1
        actors = self._actors(session)
        chosen: list[Order] = []
        for i in self.rng.permutation(len(hand)).tolist():
            card = hand[i]
            if self.rng.random() >= 0.5 or card.cost > left:
                continue
            combos = _combos(self.rng, [actors] + [_values(view, spec) for spec in card.targets])
            for j in self.rng.permutation(len(combos)).tolist()[:MAX_RANDOM_CHECKS]:
                order = self._order(card, combos[j][0], multi, combos[j][1:])
                if self._legal(session, chosen + [order]):
                    chosen.append(order)
                    left -= card.cost
                    break
        return chosen


# --- whole games -------------------------------------------------------------------------


def make_bots(session: Session, policies: str | Mapping[str, str]) -> dict[str, Bot]:
    """One bot per team named in ``policies`` (one policy name means every team)."""
    teams = [t.id for t in session.scenario.teams]
    return {t: Bot(t, p, session.seed) for t, p in resolve_policies(teams, policies).items()}


def play_bots(session: Session, bots: Mapping[str, Bot]) -> None:
    """Each bot whose team has not committed yet commits its orders for this turn."""
    for team in session.scenario.teams:
        bot = bots.get(team.id)
        if bot is not None and not session.committed(team.id):
            bot.play(session)


def play_bot_game(content, seed: int, policies: str | Mapping[str, str], explain: bool = False) -> Session:
    """Play a whole game with bots (teams without a bot pass) and return the finished session.

    ``explain=False`` resolves without the ledger, which is what bulk runs want; the
    state, the log and the save are the same either way."""
    session = Session.new(content, seed)
    bots = make_bots(session, policies)
    while not session.over:
        play_bots(session, bots)
        session.resolve(explain=explain)
    return session
