// What the lobby says when a join fails, in the player's terms; and the join-code check done in the page.
import { RequestError } from "../../sdk/index.ts";

/** The server's code pattern (src/worker/edge/codes.ts, kept equal by test/e2e/browser/generic-page.test.ts): 6 of A-Z and 2-9, no I, L, O. */
export const CODE = /^[A-HJKMNP-Z2-9]{6}$/;

/** Why a typed code cannot be one, or undefined when it can. */
export function codeProblem(code: string): string | undefined {
  if (code === "") return "Type the 6-character code your friend shared.";
  if (code.length !== 6) return `A room code has 6 characters; "${code}" has ${code.length}.`;
  if (!CODE.test(code)) return `"${code}" is not a room code: codes use the letters A–Z without I, L and O, and the digits 2–9.`;
  return undefined;
}

/** How a failed join reads in the lobby; `code` is the private code tried, when there was one. */
export function joinFailure(error: unknown, code?: string): string {
  if (!(error instanceof RequestError)) return error instanceof Error ? error.message : String(error);
  switch (error.body.code) {
    case "room_not_found":
      return code
        ? `No room uses the code ${code}. Check it with your friend, or ask them to create a new room.`
        : "That room does not exist any more. Start a new one with Quick play.";
    case "room_full":
      return "That room is full: every seat is taken. Watch it from the open rooms, or start a new one with Quick play.";
    case "room_ended":
      return "That match has ended. Start a new one with Quick play.";
    case "invalid_code":
      return codeProblem(code ?? "") ?? error.body.message;
    default:
      return error.body.message;
  }
}
