// The answer of `GET /api/games`: every registered game as a generic client needs it to draw a screen and its forms.

/** A JSON Schema document (draft 2020-12), as zod's `z.toJSONSchema` writes it. */
export type JsonSchema = { readonly [keyword: string]: unknown };

export interface CatalogGame {
  readonly name: string;
  readonly teams: readonly string[];
  /** Every preset a room can be created with, and the seats it has. */
  readonly presets: readonly { readonly name: string; readonly seats: number }[];
  readonly minPlayers: number;
  /** True when the game has a tick loop (`tickHz` steps a second); false for a turn-based game. */
  readonly realtime: boolean;
  readonly tickHz: number;
  /** Each action's payload schema, for its input (defaults are optional), by action name. */
  readonly actions: Readonly<Record<string, JsonSchema>>;
}

export interface GameCatalog {
  readonly games: readonly CatalogGame[];
}
