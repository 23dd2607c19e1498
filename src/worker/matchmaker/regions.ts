// Which region a request plays in, from Cloudflare's `request.cf`, and the location hint its shards and rooms get.
import { settings } from "../settings.ts";

/** The regions quick play is sharded by: Durable Object location hints, plus the default of requests with no `cf`. */
export const REGIONS = ["wnam", "enam", "sam", "weur", "eeur", "apac", "oc", "afr", "me", settings.matchmaking.defaultRegion] as const;
export type Region = (typeof REGIONS)[number];

export const isRegion = (value: string): value is Region => (REGIONS as readonly string[]).includes(value);

/** Countries Cloudflare puts in Asia that the `me` location hint serves better than `apac`. */
const MIDDLE_EAST: ReadonlySet<string> = new Set(["AE", "BH", "IL", "IQ", "IR", "JO", "KW", "LB", "OM", "PS", "QA", "SA", "SY", "YE"]);

/** The parts of `request.cf` read here; all optional, since local dev and tests often have none. */
export interface Whereabouts {
  readonly continent?: string | undefined;
  readonly country?: string | undefined;
  readonly longitude?: string | undefined;
}

/**
 * The region of a request: its continent, split east/west where Cloudflare has two hints for it (North
 * America at 100° W, Europe at 20° E). A request with no continent plays in `defaultRegion`.
 */
export function regionOf(cf: Whereabouts | undefined): Region {
  const longitude = Number(cf?.longitude ?? Number.NaN);
  switch (cf?.continent) {
    case "NA":
      return longitude < -100 ? "wnam" : "enam";
    case "SA":
      return "sam";
    case "EU":
      return longitude > 20 ? "eeur" : "weur";
    case "AS":
      return MIDDLE_EAST.has(cf.country ?? "") ? "me" : "apac";
    case "OC":
    case "AN":
      return "oc";
    case "AF":
      return "afr";
    default:
      return settings.matchmaking.defaultRegion;
  }
}

/** The location hint for a region's shards and rooms; none for the default region (the platform then picks the caller's). */
export const locationHint = (region: Region): DurableObjectLocationHint | undefined => (region === settings.matchmaking.defaultRegion ? undefined : region);
