// The type-level link from a game definition to its clients: action payloads, view, result and rejection reasons.
//
// `defineGame` stamps these onto every game as a phantom property, so the SDK reads a game's types with
// `import type` from src/games and never imports the engine. Each type is stored already resolved
// (payloads as the client writes them: zod's input type), so reading one back is a plain lookup.
import type { ErrorBody, ErrorCode } from "./errors.ts";

/** Never present at run time; only the compiler sees it. */
export interface GameTypes<Actions, View, Result, Reason extends string> {
  readonly "~types"?: {
    readonly actions: Actions;
    readonly view: View;
    readonly result: Result;
    readonly reason: Reason;
  };
}

type TypesOf<G> = G extends GameTypes<infer Actions, infer View, infer Result, infer Reason>
  ? { actions: Actions; view: View; result: Result; reason: Reason }
  : never;

/** Each action name of `G` with the payload a client sends for it. */
export type ActionsOf<G> = TypesOf<G>["actions"];
/** What one audience of `G` sees of the game (the `game` part of a snapshot's view). */
export type ViewOf<G> = TypesOf<G>["view"];
/** What `G`'s `endIf` returns once the match has ended. */
export type ResultOf<G> = TypesOf<G>["result"];
/** The reasons `G`'s handlers pass to `reject()`: the `detail` of a `rejected` error. */
export type ReasonOf<G> = TypesOf<G>["reason"];

/** An error the room sends a client of `G`: for `rejected`, `detail` is one of the game's reasons. */
export type GameError<G> =
  | (ErrorBody & { readonly code: "rejected"; readonly detail: ReasonOf<G> })
  | (ErrorBody & { readonly code: Exclude<ErrorCode, "rejected"> });
