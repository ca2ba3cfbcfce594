import type { Db } from "../../src/server/db";
import { createUser } from "../../src/server/domain/users";
import { createList, appendRows } from "../../src/server/domain/lists";
import { createCampaign } from "../../src/server/domain/campaigns";
import { demoRows } from "../../src/server/domain/demo-data";

export const DEMO_EMAIL = "demo@example.com";
export const DEMO_PASSWORD = "demo-password";

/** The demo account with two lists and two draft campaigns; does nothing when it exists. */
export async function seedDemo(db: Db): Promise<{ created: boolean }> {
  const existing = await db.prisma.user.findUnique({ where: { email: DEMO_EMAIL } });
  if (existing) return { created: false };
  const user = await createUser(db.prisma, { email: DEMO_EMAIL, password: DEMO_PASSWORD, name: "Demo User" });

  const big = await createList(db, user.id, { name: "SaaS leaders (2,500 people)" });
  const rows = demoRows(2500, "saas");
  for (let i = 0; i < rows.length; i += 1000) await appendRows(db, user.id, big.id, rows.slice(i, i + 1000));
  await createList(db, user.id, { name: "Conference contacts (40 people)", rows: demoRows(40, "conf") });

  await createCampaign(db, user.id, { name: "Q1 LinkedIn outreach", channel: "linkedin" });
  await createCampaign(db, user.id, { name: "Q1 email sequence", channel: "email" });
  return { created: true };
}
