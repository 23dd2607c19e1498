// Who the SDK says the player is: a guest token it keeps (localStorage in a browser), or a provider's token the game supplies.

/** What the SDK sends as `Authorization: Bearer …` on seat requests, and what it keeps from the answers. */
export interface Credentials {
  /** The token to send, if any (a provider's SDK call goes here: `() => auth.getAccessToken()`). */
  token(): string | undefined | Promise<string | undefined>;
  /** The server minted a guest token for this client: keep it, so the next request is the same player. */
  keep?(guestToken: string): void;
  /** The server refused the kept token (forged, expired, another server's): drop it and let the request run as a new guest. */
  forget?(): void;
}

/** Where a guest token lives: localStorage in a browser (every tab and reload of the site is the same guest). */
export interface TokenStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export const GUEST_TOKEN_KEY = "game-room.guest-token";

/** Guest credentials kept in `storage` under `key`. */
export function guestCredentials(storage: TokenStorage, key = GUEST_TOKEN_KEY): Credentials {
  return {
    token: () => storage.getItem(key) ?? undefined,
    keep: (guestToken) => storage.setItem(key, guestToken),
    forget: () => storage.removeItem(key),
  };
}

/** A signed-in player: send the provider's token (refreshed by the provider's own SDK), keep nothing. */
export const bearerCredentials = (token: () => string | undefined | Promise<string | undefined>): Credentials => ({ token });

/** In a browser, guests kept in localStorage; elsewhere (Node, tests) none, so every request is a new guest unless told otherwise. */
export function defaultCredentials(): Credentials | undefined {
  try {
    // Read off globalThis: the SDK also runs where there is no DOM (Node, workerd).
    const storage = (globalThis as { localStorage?: TokenStorage }).localStorage;
    return storage === undefined ? undefined : guestCredentials(storage);
  } catch {
    // Storage can be blocked (privacy settings): the player is then a new guest on each page load.
    return undefined;
  }
}
