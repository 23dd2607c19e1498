// The chat panel on every game page: a tab per channel the game has (with unread counts), the lines, and a line to send.
import type { ChatChannel, ChatLine } from "../../sdk/index.ts";
import { CHAT_MAX_LENGTH } from "../../../src/protocol/limits.ts";
import { byId, h } from "../dom.ts";
import { type DemoSession, teamColor } from "../games.ts";

const LABELS: Readonly<Record<ChatChannel, string>> = { all: "All", team: "Team", whisper: "Whisper" };
/** What the errors a line can get back say under the box (the HUD toasts them too), from their `detail`. */
const CHAT_ERRORS: Readonly<Record<string, (detail: string) => string>> = {
  chat_disabled: () => "That channel is closed to you here.",
  invalid_chat: (detail) => `Not sent: the ${detail}.`,
  unknown_recipient: () => "Not sent: pick a player to whisper to.",
  chat_rate_limited: (detail) => `Slow down: try again in ${Math.max(1, Math.ceil(Number(detail) / 1000))} s.`,
  chat_refused: (detail) => `Not sent: ${detail}.`,
  message_too_large: () => "Not sent: the line is too long.",
};

export function mountChat(session: DemoSession): () => void {
  const panel = byId("chat");
  const tabs = byId("chat-tabs");
  const list = byId("chat-lines");
  const form = byId<HTMLFormElement>("chat-form");
  const input = byId<HTMLInputElement>("chat-input");
  const recipient = byId<HTMLSelectElement>("chat-to");
  const status = byId("chat-status");
  const listening = new AbortController();
  const { chat } = session;
  input.maxLength = CHAT_MAX_LENGTH;
  let active: ChatChannel = "all";
  let shown = "";

  /** The channels this socket can read: spectators only `all`, and only when the game lets them read. */
  const readable = (): ChatChannel[] => {
    const settings = chat.settings;
    if (!settings) return [];
    if (session.role === "spectator") return settings.all && settings.spectators !== "none" ? ["all"] : [];
    return (["all", "team", "whisper"] as const).filter((channel) => settings[channel]);
  };
  const writable = (): boolean => session.role === "player" || chat.settings?.spectators === "write";

  function lineRow(line: ChatLine): HTMLElement {
    const roster = session.view?.roster ?? {};
    const mine = line.from === session.playerId;
    const whom = line.channel === "whisper" ? (mine ? ` → ${roster[line.to ?? ""]?.name ?? "?"}` : " (to you)") : "";
    return h(
      "li",
      { class: `chat-line ${line.channel}${mine ? " mine" : ""}`, "data-channel": line.channel, "data-id": String(line.id) },
      h("span", { class: "chat-name", style: `color:${teamColor(line.team)}` }, `${line.name}${whom}`),
      h("span", { class: "chat-text" }, line.text),
    );
  }

  function render(): void {
    const channels = readable();
    panel.hidden = channels.length === 0;
    if (panel.hidden) return;
    if (!channels.includes(active)) active = channels[0] ?? "all";
    // What the user is looking at counts as read.
    chat.markRead(active);
    const others = Object.entries(session.view?.roster ?? {}).filter(([id]) => id !== session.playerId);
    const key = JSON.stringify([active, channels, chat.lines.at(-1)?.id, chat.lines.length, channels.map((c) => chat.unread(c)), others.map(([id, seat]) => [id, seat.name]), writable()]);
    if (key === shown) return;
    shown = key;
    tabs.replaceChildren(
      ...channels.map((channel) => {
        const unread = chat.unread(channel);
        return h(
          "button",
          { type: "button", class: `chat-tab${channel === active ? " active" : ""}`, "data-channel": channel, "aria-pressed": String(channel === active) },
          LABELS[channel],
          ...(unread > 0 ? [h("span", { class: "chat-unread", "data-unread": String(unread) }, String(unread))] : []),
        );
      }),
    );
    const lines = chat.lines.filter((line) => line.channel === active);
    const atBottom = list.scrollTop + list.clientHeight >= list.scrollHeight - 8;
    list.replaceChildren(...(lines.length > 0 ? lines.map(lineRow) : [h("li", { class: "chat-empty" }, active === "team" ? "Only your team sees this channel." : active === "whisper" ? "A whisper goes to one player." : "Say hello.")]));
    if (atBottom) list.scrollTop = list.scrollHeight;
    recipient.hidden = active !== "whisper";
    const previous = recipient.value;
    recipient.replaceChildren(...others.map(([id, seat]) => h("option", { value: id }, seat.name)));
    if (others.some(([id]) => id === previous)) recipient.value = previous;
    const canWrite = writable() && (active !== "whisper" || others.length > 0);
    input.disabled = !canWrite;
    input.placeholder = !writable() ? "Spectators read only" : canWrite ? (active === "whisper" ? "Whisper…" : `Message ${LABELS[active].toLowerCase()}`) : "Nobody to whisper to";
    byId<HTMLButtonElement>("chat-send").disabled = !canWrite;
  }

  tabs.addEventListener(
    "click",
    (event) => {
      const tab = event.target instanceof HTMLElement ? event.target.closest<HTMLElement>("[data-channel]") : null;
      if (!tab) return;
      active = tab.dataset["channel"] as ChatChannel;
      status.textContent = "";
      render();
    },
    { signal: listening.signal },
  );
  form.addEventListener(
    "submit",
    (event) => {
      event.preventDefault();
      const text = input.value;
      if (text.trim() === "") return;
      const sent = active === "whisper" ? chat.send("whisper", text, recipient.value) : chat.send(active, text);
      status.textContent = sent ? "" : "Not connected: the line was not sent.";
      if (sent) input.value = "";
    },
    { signal: listening.signal },
  );
  const stopErrors = session.onError((error) => {
    const say = Object.hasOwn(CHAT_ERRORS, error.code) ? CHAT_ERRORS[error.code] : undefined;
    if (say) status.textContent = say(error.detail ?? "");
  });
  const stop = session.subscribe(render);
  render();
  return () => {
    stop();
    stopErrors();
    listening.abort();
    tabs.replaceChildren();
    list.replaceChildren();
    status.textContent = "";
    input.value = "";
    panel.hidden = true;
  };
}
