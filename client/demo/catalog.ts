// The games the server runs (`GET /api/games`): fetched once per page, and the check that a name is one of them.
import type { CatalogGame, GameCatalog } from "../../src/protocol/catalog.ts";
import type { GameName } from "../../src/games/index.ts";

export type { CatalogGame };

let loading: Promise<readonly CatalogGame[]> | undefined;

export function loadCatalog(): Promise<readonly CatalogGame[]> {
  loading ??= fetch("/api/games").then(async (response) => {
    if (!response.ok) throw new Error(`the server did not list its games (HTTP ${response.status})`);
    return ((await response.json()) as GameCatalog).games;
  });
  // A failed load is tried again next time rather than remembered.
  loading.catch(() => (loading = undefined));
  return loading;
}

/** The catalog is the server registry's own list, so a name in it is a registered game. */
export const isRegistered = (catalog: readonly CatalogGame[], name: string | undefined): name is GameName =>
  catalog.some((game) => game.name === name);
