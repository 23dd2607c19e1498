// The room's kept chat lines: the last CHAT_HISTORY per scope, in the chat_lines table storage.ts creates and clears.
import type { ChatLine } from "../../../protocol/messages.ts";
import { CHAT_HISTORY } from "../../../protocol/limits.ts";

/** Who a kept line belongs to: everyone, one team, or the two players of a whisper. */
export type ChatScope = { readonly scope: "all" } | { readonly scope: `team:${string}` } | { readonly scope: "whisper"; readonly a: string; readonly b: string };

/** What one socket may read back: `all` or not, its team's lines, the whispers it sent or got. */
export interface ChatReader {
  readonly all: boolean;
  readonly team?: string;
  readonly player?: string;
}

export class ChatStore {
  #sql: SqlStorage;
  rowsWritten = 0;

  constructor(sql: SqlStorage) {
    this.#sql = sql;
  }

  /** The id the next line gets: one past the highest kept (ids restart only when the room's storage is cleared). */
  nextId(): number {
    return (this.#sql.exec<{ id: number | null }>("SELECT max(id) AS id FROM chat_lines").one().id ?? 0) + 1;
  }

  /** Keep a line, and forget the oldest of its scope past CHAT_HISTORY. */
  keep(line: ChatLine, where: ChatScope): void {
    const [a, b] = where.scope === "whisper" ? [where.a, where.b] : [null, null];
    this.#write("INSERT INTO chat_lines (id, scope, a, b, line) VALUES (?, ?, ?, ?, ?)", line.id, where.scope, a, b, JSON.stringify(line));
    this.#write(
      "DELETE FROM chat_lines WHERE scope = ?1 AND id <= (SELECT id FROM chat_lines WHERE scope = ?1 ORDER BY id DESC LIMIT 1 OFFSET ?2)",
      where.scope,
      CHAT_HISTORY,
    );
  }

  /** The kept lines `reader` may see, oldest first: at most CHAT_HISTORY from each scope it reads. */
  readable(reader: ChatReader): ChatLine[] {
    const rows = this.#sql
      .exec<{ line: string }>(
        `SELECT line FROM chat_lines WHERE (scope = 'all' AND ?1) OR scope = ?2 OR (scope = 'whisper' AND (a = ?3 OR b = ?3)) ORDER BY id`,
        reader.all ? 1 : 0,
        reader.team === undefined ? null : `team:${reader.team}`,
        reader.player ?? null,
      )
      .toArray();
    return rows.map((row) => JSON.parse(row.line) as ChatLine);
  }

  #write(query: string, ...bindings: SqlStorageValue[]): void {
    this.rowsWritten += this.#sql.exec(query, ...bindings).rowsWritten;
  }
}
