// One step of a match: apply its entries (seat changes, actions) in order, then run its ticks; a failing rule changes nothing.
import { Immer } from "immer";
import { errorBody, type ErrorCode } from "../protocol/errors.ts";
import { isRejection, type ActionContext, type Game, type GameContext, type PlayerId, type PlayerInfo } from "./define-game.ts";
import { configOf, frozen, type Advanced, type LogEntry, type MatchRecord, type Outcome, type Seat, type Step } from "./record.ts";
import type { PositionHistory } from "./rewind.ts";
import { RuleContext } from "./rule-context.ts";

/**
 * Drafts finish unfrozen: Immer's auto-freeze walks the whole new root after every rule (16 inputs a step freeze
 * the root and the inputs map 16 times). The step freezes the state itself (`frozen`), deeply, before anything outside
 * a draft reads it (a game's `endIf`, `deadline`, `onAbandon`, lag positions, the returned record): freezing stops
 * at parts already frozen, so that is one walk over what the step created, and no game code ever sees it unfrozen.
 */
const immer = new Immer({ autoFreeze: false });

/** A rule that failed: it threw `value`, or returned the rejection `value`. */
interface Failure {
  readonly value: unknown;
}

type ActEntry = Extract<LogEntry, { kind: "act" }>;
type Rule<State, Config> = (draft: State, ctx: ActionContext<Config>) => unknown;

/** An action applied on a shared draft, with what applying it again takes; `at` is its outcome's index. */
interface Applied<State, Config> {
  readonly rule: Rule<State, Config>;
  readonly entry: ActEntry;
  readonly player: PlayerInfo;
  readonly at: number;
}

/** Consecutive actions applied on one draft, from `from` (and generator state `rng`) on. */
interface Run<State, Config> {
  readonly from: State;
  readonly rng: number;
  draft: State;
  applied: Applied<State, Config>[];
}

const refusal = (entry: ActEntry, code: ErrorCode, detail?: string): Outcome =>
  ({ player: entry.player, seq: entry.seq, error: errorBody(code, detail === undefined ? { seq: entry.seq } : { seq: entry.seq, detail }) });

const failedOutcome = (entry: ActEntry, failure: Failure): Outcome =>
  isRejection(failure.value) ? refusal(entry, "rejected", failure.value.reason) : { ...refusal(entry, "action_failed"), cause: failure.value };

const withoutKey = <T>(map: Readonly<Record<string, T>>, key: string): Record<string, T> => {
  const { [key]: _gone, ...rest } = map;
  return rest;
};

/**
 * Apply one step. Pure: the input record is never changed, and a failing rule changes nothing. A game with
 * `lagCompensation` reads `ctx.past` from `history`, which this records the positions after each tick into.
 */
export function advance<State, Config>(
  game: Game<State, Config>,
  record: MatchRecord<State>,
  step: Step,
  history?: PositionHistory,
): Advanced<State> {
  const config = configOf(game, record);
  let { state, rng, tick, result, players, seqs, endReason, users } = record;
  const outcomes: Outcome[] = [];
  let tickError: unknown;
  // Copy-on-write: the roster keeps its reference (and costs no diff) unless a seat changes.
  const setSeat = (id: PlayerId, seat: Seat): void => void (players = { ...players, [id]: seat });
  // The watermarks are copied once per step, on the first change, then written in place: nothing reads them mid-step.
  let ownSeqs = false;
  const setSeq = (id: PlayerId, seq: number): void => {
    if (!ownSeqs) {
      seqs = { ...seqs };
      ownSeqs = true;
    }
    (seqs as Record<PlayerId, number>)[id] = Math.max(seqs[id] ?? 0, seq);
  };
  const settled = (): State => (state = frozen(state));
  const lag = game.lagCompensation;
  const past = history && lag ? (at: number) => history.at(at) : undefined;
  const remember = (): void => void (history && lag && history.record(tick, lag.positions(settled())));
  const contextNow = (): GameContext<Config> => new RuleContext(config, tick, step.time, players, past, rng);


  /** Run one rule on `draft`: the generator state it leaves, or how it failed. The caller keeps or drops the draft. */
  const runRule = (draft: State, rule: Rule<State, Config>, player?: PlayerInfo, seq?: number): number | Failure => {
    const ctx = new RuleContext<Config>(config, tick, step.time, players, past, rng, player, seq);
    try {
      const value = rule(draft, ctx as ActionContext<Config>);
      if (isRejection(value)) return { value };
      return ctx.rngAfter();
    } catch (error) {
      return { value: error };
    }
  };

  // Each rule runs on its own draft with its own generator, so a throw or a rejection discards
  // exactly that rule's changes, random draws included.
  const attempt = (rule: Rule<State, Config>, player?: PlayerInfo, seq?: number): Failure | undefined => {
    const draft = immer.createDraft(state as object) as State;
    const ran = runRule(draft, rule, player, seq);
    if (typeof ran !== "number") return ran;
    try {
      state = immer.finishDraft(draft) as State;
    } catch (error) {
      return { value: error };
    }
    rng = ran;
    return undefined;
  };

  // Consecutive actions share one draft, finished once: a step's inputs are most of its rules, and a draft each
  // cost a copy of the root and of what it wrote into, and a finish. A failed rule may have written to the shared
  // draft, which cannot be taken back, so the draft is then rebuilt from where the run started by applying the
  // run's earlier actions again: rules are pure (replays rely on it), so that is the same state and the same draws,
  // and what the step returns is what a draft per action gives.
  let open: Run<State, Config> | undefined;
  const applyAction = (action: Applied<State, Config>): Failure | undefined => {
    open ??= { from: state, rng, draft: immer.createDraft(state as object) as State, applied: [] };
    const ran = runRule(open.draft, action.rule, action.player, action.entry.seq);
    if (typeof ran !== "number") {
      rebuild(open);
      return ran;
    }
    rng = ran;
    open.applied.push(action);
    return undefined;
  };
  const rebuild = (run: Run<State, Config>): void => {
    let actions = run.applied;
    // Each pass either applies every action again or fails one more (only an impure rule fails where it did not): bounded by the run's length.
    for (let failedAt = 0; failedAt !== -1; ) {
      rng = run.rng;
      run.draft = immer.createDraft(run.from as object) as State;
      run.applied = [];
      failedAt = -1;
      for (const [i, action] of actions.entries()) {
        const ran = runRule(run.draft, action.rule, action.player, action.entry.seq);
        if (typeof ran !== "number") {
          outcomes[action.at] = failedOutcome(action.entry, ran);
          failedAt = i;
          break;
        }
        rng = ran;
        run.applied.push(action);
      }
      if (failedAt !== -1) actions = [...run.applied, ...actions.slice(failedAt + 1)];
    }
  };
  /** Finish the shared draft before anything else reads or changes the state. */
  const closeRun = (): void => {
    if (open === undefined) return;
    const run = open;
    open = undefined;
    try {
      state = immer.finishDraft(run.draft) as State;
    } catch {
      // A draft that cannot be finished: the run's actions are applied each on its own, and the one that breaks it fails.
      state = run.from;
      rng = run.rng;
      for (const action of run.applied) {
        const failure = attempt(action.rule, action.player, action.entry.seq);
        if (failure) outcomes[action.at] = failedOutcome(action.entry, failure);
      }
    }
  };

  let skipped = 0;
  for (const entry of step.entries) {
    if (entry.kind !== "act" && entry.kind !== "failed") closeRun();
    if (entry.kind === "resume") {
      skipped += entry.skip;
      continue;
    }
    if (entry.kind === "deadline") {
      const due = game.deadline(settled());
      if (due !== null && due <= step.time && result === undefined) attempt((draft, ctx) => game.onDeadline(draft as never, ctx));
      continue;
    }
    if (entry.kind === "end") {
      if (result !== undefined) continue;
      endReason = entry.reason;
      result = entry.reason === "abandoned" ? (game.onAbandon(settled(), contextNow()) ?? null) : null;
      continue;
    }
    const seat = Object.hasOwn(players, entry.player) ? players[entry.player] : undefined;
    if (entry.kind === "join") {
      const player = { id: entry.player, name: entry.name, team: entry.team };
      setSeat(entry.player, { name: entry.name, team: entry.team, presence: "connected" });
      if (entry.user !== undefined && entry.user !== entry.player) users = { ...users, [entry.player]: entry.user };
      attempt((draft, ctx) => game.join(draft as never, player, ctx));
      continue;
    }
    if (!seat) {
      if (entry.kind === "act") outcomes.push({ player: entry.player, seq: entry.seq, error: errorBody("not_a_player", { seq: entry.seq }) });
      continue;
    }
    const player = { id: entry.player, name: seat.name, team: seat.team };
    if (entry.kind === "failed") setSeq(entry.player, entry.seq);
    else if (entry.kind === "away") setSeat(entry.player, { name: seat.name, team: seat.team, presence: "away", awayUntil: entry.until });
    else if (entry.kind === "back") setSeat(entry.player, { name: seat.name, team: seat.team, presence: "connected" });
    else if (entry.kind === "leave") {
      // The record forgets a player who left; what the game keeps of them is in its own state.
      players = withoutKey(players, entry.player);
      seqs = withoutKey(seqs, entry.player);
      ownSeqs = true;
      if (users !== undefined && Object.hasOwn(users, entry.player)) users = withoutKey(users, entry.player);
      attempt((draft, ctx) => game.leave(draft as never, player, ctx));
    } else {
      setSeq(entry.player, entry.seq);
      outcomes.push(act(entry, player));
    }
  }

  function act(entry: ActEntry, player: PlayerInfo): Outcome {
    if (result !== undefined) return refusal(entry, "match_ended");
    const definition = Object.hasOwn(game.actions, entry.action) ? game.actions[entry.action] : undefined;
    if (!definition) return refusal(entry, "unknown_action");
    const payload = entry.payload as Record<string, unknown>;
    const rule: Rule<State, Config> = (draft, ctx) => definition.apply(draft as never, payload, ctx);
    // The outcome goes to outcomes[outcomes.length] next, where a rebuild of the run would fail it.
    const failure = applyAction({ rule, entry, player, at: outcomes.length });
    return failure ? failedOutcome(entry, failure) : { player: entry.player, seq: entry.seq };
  }
  // Lag history records the positions before the first tick, so it needs the actions' state settled first.
  if (past !== undefined || step.ticks === 0 || result !== undefined) closeRun();

  /**
   * The step's first tick runs on the actions' draft, so a step is one draft and one finish, not two: a failing tick
   * takes back only itself (the run is rebuilt without it). A draft that cannot be finished is finished without the
   * tick, which then runs on its own draft as any other tick.
   */
  const tickOnRun = (run: Run<State, Config>, rule: Rule<State, Config>): Failure | undefined => {
    const ran = runRule(run.draft, rule);
    if (typeof ran === "number") {
      try {
        state = immer.finishDraft(run.draft) as State;
        open = undefined;
        rng = ran;
        return undefined;
      } catch {
        // Below: the run without the tick, then the tick alone.
      }
    }
    rebuild(run);
    closeRun();
    return typeof ran === "number" ? attempt(rule) : ran;
  };

  const dt = game.tickHz > 0 ? 1 / game.tickHz : 0;
  const tickRule: Rule<State, Config> = (draft, ctx) => game.tick(draft as never, dt, ctx);
  let ticked = 0;
  if (step.ticks > 0) remember();
  for (; ticked < step.ticks && result === undefined; ticked++) {
    const failure = open === undefined ? attempt(tickRule) : tickOnRun(open, tickRule);
    if (failure) {
      tickError = failure.value;
      break;
    }
    tick += 1;
    remember();
    result = game.endIf(settled(), contextNow());
    if (result !== undefined) endReason = "finished";
  }
  if (result === undefined && step.entries.length > 0) {
    result = game.endIf(settled(), contextNow());
    if (result !== undefined) endReason = "finished";
  }

  const version = record.version + skipped + ticked + (step.entries.length > 0 ? 1 : 0);
  const next: MatchRecord<State> = {
    ...record,
    state: settled(),
    rng,
    tick,
    version,
    players,
    seqs,
    ...(users === undefined ? {} : { users }),
    ...lifeMarks(record, players, game.minPlayers, step.time),
  };
  const ended = result !== undefined && record.result === undefined ? { result, endedAt: step.time, endReason } : {};
  return { record: { ...next, ...ended }, outcomes, tickError };
}

/** When the match started and since when nobody is connected: derived from seat changes only. */
function lifeMarks(record: MatchRecord, players: MatchRecord["players"], minPlayers: number, time: number): Pick<MatchRecord, "startedAt" | "vacantSince"> {
  if (players === record.players) return {};
  const connected = Object.values(players).some((seat) => seat.presence === "connected");
  const startedAt = record.startedAt ?? (Object.keys(players).length >= minPlayers ? time : undefined);
  const vacantSince = connected ? undefined : (record.vacantSince ?? time);
  return { startedAt, vacantSince };
}
