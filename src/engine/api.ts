// The JSON bodies of the HTTP API's answers: written once here, used by the Worker and the client SDK.

/** A seat (or a spectator's place) and the ticket to open `/rooms/:id/ws?ticket=…` with. */
export interface SeatGrant {
  readonly roomId: string;
  /** The game the room plays, so a client that followed a link or a code knows what it joined. */
  readonly game: string;
  readonly playerId: string;
  readonly team: string;
  readonly role: "player" | "spectator";
  readonly ticket: string;
  /** Epoch ms after which the ticket is refused. */
  readonly expiresAt: number;
}

/** `POST /api/rooms`: a new room; `code` is set when it is private. */
export interface CreatedRoom {
  readonly roomId: string;
  readonly code?: string;
  readonly game: string;
  readonly preset: string;
}

/** A public room with free seats, as `GET /api/rooms` lists it. */
export interface OpenRoom {
  readonly roomId: string;
  readonly preset: string;
  readonly players: number;
  readonly capacity: number;
  readonly phase: "waiting" | "playing" | "ended";
}
