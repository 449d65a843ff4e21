// Compiled by `tsc --noEmit -p tests/jsapi/tsconfig.json` against the package's index.d.ts:
// a site's code as it would be written, so a wrong or loose declaration fails the build.
import init, { Engine } from "volunteer-engine";
import type {
  Candidate, EngineError, Exclusion, Notice, Plan, Request, Stats, PublicRoster,
} from "volunteer-engine";

export async function demo(): Promise<string[]> {
  await init({ module_or_path: new URL("./index_bg.wasm", import.meta.url) });
  const engine: Engine = Engine.fromSeed(1);
  const request: Request = {
    id: 1, item: "medicine_pickup", level: 1, grid: 10, position: { lat: 39.832, lon: 109.965 },
    when: { window: { start: 1_795_600_000, end: 1_795_607_200 } }, duration_min: 60, people: 1,
    pricing: "free", urgency: "normal", radius: 2, created_at: 1_795_570_000,
    answer_by: 1_795_656_400,
  };
  const lines: string[] = [];
  const best: Candidate[] = engine.rank(request, 5);
  for (const c of best) lines.push(`${c.volunteer}: ${c.breakdown.total.toFixed(3)} at ${c.breakdown.km} km`);
  const why: Exclusion | null = engine.whyNot(42, request);
  if (why !== null && typeof why === "object" && "out_of_range" in why) {
    lines.push(`too far: ${why.out_of_range.km} > ${why.out_of_range.radius}`);
  }
  const plan: Plan = engine.assign([request]);
  lines.push(`seats filled: ${plan.seats_filled}`);
  const notices: Notice[] = engine.post(request);
  for (const n of notices) {
    if (n.effect.effect === "volunteer" && n.effect.change.change === "offered") {
      engine.accept(n.request, n.effect.volunteer, request.created_at + 60);
    }
  }
  engine.tick(request.created_at + 120);
  const stats: Stats = engine.stats(request.created_at + 180);
  lines.push(`received ${stats.overall.outcomes.received}, rate ${stats.overall.resolution_rate ?? "-"}`);
  const pub: PublicRoster = engine.publicRoster();
  lines.push(`${pub.volunteers.length} volunteers, first free slot ${pub.volunteers[0]?.availability[0]}`);
  try {
    engine.rank({ ...request, position: { lat: Number.NaN, lon: 109.9 } }, 5);
  } catch (e) {
    const err = e as EngineError;
    if (err.code === "invalid_request") {
      for (const p of err.problems) lines.push(`${p.field}: ${p.code}`);
    } else if (err.code === "transition") {
      lines.push(err.detail.error.error);
    }
  }
  engine.free();
  return lines;
}
