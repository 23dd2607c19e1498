// An ended match's replay as a whole or as a public page: without the user ids behind per-match aliases.
import type { LogEntry, MatchRecord, Step } from "../../../engine/match.ts";
import type { StoredReplay } from "../../../hooks.ts";
import { settings } from "../../settings.ts";
import type { ReplayPage, RoomStorage } from "./storage.ts";

/** A record and log entries as anyone may see them: a game that aliases its players (GameSpec `playerIds`) keeps who they are. */
export const publicRecord = (record: MatchRecord): MatchRecord => {
  const { users: _users, ...rest } = record;
  return rest;
};
const publicEntry = (entry: LogEntry): LogEntry => {
  if (entry.kind !== "join") return entry;
  const { user: _user, ...rest } = entry;
  return rest;
};
const publicStep = (step: Step): Step => ({ ...step, entries: step.entries.map(publicEntry) });

export const publicPage = <Page extends ReplayPage & { final: MatchRecord | null }>(page: Page): Page => ({
  ...page,
  initial: publicRecord(page.initial),
  steps: page.steps.map(publicStep),
  final: page.final && publicRecord(page.final),
});

/** Every page of the ended match's log (at most maxReplaySteps / replayPageSteps + 1 reads), or null when it has none. */
export function wholeReplay(storage: RoomStorage, final: MatchRecord): StoredReplay | null {
  const steps: Step[] = [];
  for (let from = 0, pages = 0; pages <= settings.maxReplaySteps / settings.replayPageSteps + 1; pages++) {
    const page = storage.endedReplay(final, from, settings.replayPageSteps);
    if ("type" in page) return null;
    steps.push(...page.steps.map(publicStep));
    if (page.final) return { initial: publicRecord(page.initial), steps, final: publicRecord(page.final) };
    if (page.steps.length === 0) return null;
    from += page.steps.length;
  }
  return null;
}
