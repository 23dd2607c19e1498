// The client SDK's public surface: import from here in a game's browser code.
export { joinGame, GameSession, type AnyGameSession, type GameOf, type JoinKnownRoom, type JoinOptions, type JoinVia, type ResumeToken } from "./game-session.ts";
export { createRoom, joinByCode, joinRoom, listRooms, quickPlay, roomInfo, spectate, RequestError, type Seat, type Server } from "./join.ts";
export { createParty, joinParty, partyState, queueParty, waitForPartySeat } from "./party.ts";
export { RoomClient, type RoomClientOptions } from "./room-client.ts";
export { backoffDelay, defaultPolicy, finalCloseCodes, GiveUp, openWebSocket, type Connect, type ConnectionStatus, type ReconnectPolicy } from "./socket.ts";
export { closeOf, closes, shouldReconnect, type CloseCode, type CloseName } from "../../src/protocol/close-codes.ts";
export type { ActionsOf, GameError, ReasonOf, ResultOf, ViewOf } from "../../src/protocol/game-types.ts";
export type { RoomView, Seat as RosterSeat } from "../../src/protocol/messages.ts";
export { createInterpolator, type Interpolator, type Point } from "./interpolate.ts";
export { createNetcode, type Netcode, type NetcodeOptions, type NetcodeSession, type NetcodeStats } from "./netcode.ts";
export { createPredictor, defaultPredictorOptions, type Correction, type Predictor, type PredictorOptions } from "./predict.ts";
export { createTickClock, type ClockStats, type TickClock } from "./clock.ts";
export { createTickBuffer, type TickBuffer } from "./interpolate-ticks.ts";
export type { Prediction } from "../../src/protocol/prediction.ts";
export type { CreatedRoom, OpenRoom, PartyPass, PartyState, RoomInfo, RoomSummary, SeatGrant } from "../../src/protocol/api.ts";
export { applyOps } from "./patch.ts";
export { ChatLog, MAX_CHAT_LINES, type ChatRecipient } from "./chat.ts";
export type { ChatChannel, ChatLine, ChatSettings } from "../../src/protocol/messages.ts";
