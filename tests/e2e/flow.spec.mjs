// The whole flow in local mode, across two pages of the same site (no server): a resident
// posts, the engine offers it to the best volunteer, who sees it ranked with its reasons and
// accepts; the resident sees who accepted; the volunteer reports it done; the resident rates.
import { test, expect } from "@playwright/test";
import { baseUrl, screenshotPath, watchConsole, widgetFrame } from "./helpers.mjs";

/** The desk's stored state (what every tab of the site shares), read from the page's origin. */
async function stored(page) {
  return page.evaluate(() => {
    const key = Object.keys(localStorage).find((k) => /^volunteer-widget:v2:seed-1$/.test(k));
    return key ? JSON.parse(localStorage.getItem(key)) : null;
  });
}

// The form's default window (this evening, or tomorrow evening when it is late) has
// volunteers free; "as soon as possible" at night may have none.
async function post(w, { description, phone = "13800001234" }) {
  await w.getByLabel(/简要说明|Short description/).fill(description);
  await w.getByTestId("phone").fill(phone);
  await expect(w.getByTestId("preview-count")).not.toHaveText("0");
  await w.getByTestId("send").click();
  await expect(w.getByTestId("status")).toContainText(/求助已提交|Request sent/);
}

async function becomeVolunteer(w, id) {
  await w.getByTestId("volunteer-id").fill(String(id));
  await w.getByTestId("choose-volunteer").click();
  await expect(w.getByTestId("me")).toContainText(`#${id}`);
}

test("resident posts, the offered volunteer accepts, reports done, the resident rates", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 360, height: 800 } });
  const resident = await context.newPage();
  const errors = watchConsole(resident);
  await resident.goto(`${baseUrl()}/index.html`);
  const r = widgetFrame(resident);
  await post(r, { description: "帮忙取药，三楼无电梯" });
  const card = r.getByTestId("request-card").first();
  await expect(card.getByTestId("card-status")).toHaveAttribute("data-status", "offered");
  await expect(card.getByTestId("card-deadline")).toBeVisible();

  const state = await stored(resident);
  expect(state.entries).toHaveLength(1);
  const offeredTo = state.entries[0].state.offers[0].to;

  const volunteer = await context.newPage();
  watchConsole(volunteer);
  await volunteer.goto(`${baseUrl()}/volunteers.html`);
  const v = widgetFrame(volunteer);
  await becomeVolunteer(v, offeredTo);
  const offer = v.getByTestId("offers").getByTestId("task-card");
  await expect(offer).toHaveCount(1);
  await expect(offer).toContainText("帮忙取药，三楼无电梯");
  // The reason the engine chose this volunteer, component by component.
  await expect(offer.getByTestId("why")).toContainText("距离");
  await expect(offer.getByTestId("why")).toContainText("公里");
  await offer.getByTestId("accept").click();
  await expect(v.getByTestId("status")).toContainText("已接单");
  const task = v.getByTestId("my-tasks").getByTestId("task-card");
  await expect(task.getByTestId("resident-contact")).toContainText("13800001234");

  // The resident's tab learns of it through the storage event, without a reload.
  await expect(card.getByTestId("card-status")).toHaveAttribute("data-status", "accepted");
  await expect(card.getByTestId("card-accepted-by")).toContainText("*");
  // Masked: the volunteer's full name (their own tab shows it: "name (#id) · team") never
  // reaches the resident, nor the stored state.
  const me = await v.getByTestId("me").textContent();
  const fullName = me.match(/[:：]\s*(.+?) \(#(\d+)\)/);
  expect(Number(fullName[2])).toBe(offeredTo);
  await expect(card.getByTestId("card-accepted-by")).not.toContainText(fullName[1]);
  expect(JSON.stringify(await stored(resident))).not.toContain(fullName[1]);

  await task.getByTestId("hours").fill("1.5");
  await task.getByTestId("mark-done").click();
  await expect(task.getByTestId("reported")).toBeVisible();

  await card.getByTestId("rate-5").click();
  await expect(card.getByTestId("card-status")).toHaveAttribute("data-status", "done");
  const done = (await stored(resident)).entries[0].state.status;
  expect(done).toEqual({ done: { rating: 5, hours: 1.5 } });
  await resident.screenshot({ path: screenshotPath("flow-resident-done-360"), fullPage: true });
  await volunteer.screenshot({ path: screenshotPath("flow-volunteer-360"), fullPage: true });
  expect(errors).toEqual([]);
  await context.close();
});

test("a decline passes the offer to the next candidate", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${baseUrl()}/index.html`);
  await post(widgetFrame(page), { description: "decline test" });
  const first = (await stored(page)).entries[0].state.offers[0].to;

  const vpage = await context.newPage();
  await vpage.goto(`${baseUrl()}/volunteers.html`);
  const v = widgetFrame(vpage);
  await becomeVolunteer(v, first);
  const offer = v.getByTestId("offers").getByTestId("task-card");
  await offer.getByTestId("decline-reason").selectOption("too_far");
  await offer.getByTestId("decline").click();
  await expect(v.getByTestId("status")).toContainText("转给下一位");
  await expect(v.getByTestId("offers").getByTestId("task-card")).toHaveCount(0);

  const after = (await stored(page)).entries[0].state;
  expect(after.declined.map((d) => d.volunteer)).toEqual([first]);
  expect(after.declined[0].reason).toBe("too_far");
  expect(after.offers).toHaveLength(1);
  expect(after.offers[0].to).not.toBe(first);
  await context.close();
});

test("a description with markup shows as text and runs nothing", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${baseUrl()}/index.html`);
  const w = widgetFrame(page);
  const hostile = `<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>`;
  await post(w, { description: hostile });
  await expect(w.getByTestId("card-description").first()).toHaveText(hostile);
  await expect(w.locator("img[src=x]")).toHaveCount(0);
  const frame = page.frames().find((f) => f.url().includes("/pkg/frame-"));
  expect(await frame.evaluate(() => window.__pwned)).toBeUndefined();
  await context.close();
});
