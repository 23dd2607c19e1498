// Applies migrations/ to the test database before each workerd file, as `npm run dev` does to the local one.
import { applyD1Migrations, env, type D1Migration } from "cloudflare:test";

await applyD1Migrations(env.DB, (env as unknown as { D1_MIGRATIONS: D1Migration[] }).D1_MIGRATIONS);
