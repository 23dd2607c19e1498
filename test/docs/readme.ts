// README.md and the docs it links, read as a newcomer does: its sections, its shell commands, its links.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export const readText = (path: string): string => readFileSync(`${ROOT}${path}`, "utf8");

/** Every command in the ```sh blocks of a Markdown file: one per line, comments and blank lines left out. */
export function shellCommands(path = "README.md"): string[] {
  const blocks = [...readText(path).matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((match) => match[1] ?? "");
  return blocks.flatMap((block) =>
    block
      .split("\n")
      .map((line) => line.replace(/\s+#.*$/, "").replace(/^#.*$/, "").trim())
      .filter((line) => line !== ""),
  );
}

/** The README's first command matching `pattern`, or undefined. */
export const readmeCommand = (pattern: RegExp): string | undefined => shellCommands().find((command) => pattern.test(command));
