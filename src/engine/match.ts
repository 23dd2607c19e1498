// The pure room state machine, in one import: the match record (record.ts), one step (advance.ts), replays (replay.ts).
export * from "./record.ts";
export { advance } from "./advance.ts";
export { loggedEntries, replay } from "./replay.ts";
