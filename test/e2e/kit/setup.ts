// Runs before every e2e test file: whatever the file started is stopped after it, whether its tests passed or not.
import { afterAll } from "vitest";
import { stopAll } from "./cleanup.ts";

afterAll(stopAll);
