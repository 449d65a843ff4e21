// Remote mode (data-api) through the real server (`vserver --demo`, started by
// tests/global-setup.mjs on a temporary database): two browser contexts follow one request
// live, without reloading; a command that cannot be sent waits in the outbox and goes
// through, with the same idempotency key, once the server answers again.
import { test, expect } from "@playwright/test";
import { expectFeature, screenshotPath, watchConsole, widgetFrame } from "./helpers.mjs";

const server = () => {
  const url = process.env.VW_SERVER_URL;
  if (!url) throw new Error("VW_SERVER_URL is not set: tests/global-setup.mjs did not start vserver");
  return url;
};

/** Signs in on the live demo page as a demo identity and returns the widget's frame. */
async function signIn(page, { role, sub, vid, lang = "zh-CN" }) {
  await page.goto(`${server()}/live.html`);
  const form = page.getByTestId("live-signin");
  await expect(form).toBeVisible();
  await form.locator(`input[name=role][value=${role}]`).check();
  if (sub) await page.getByTestId("live-sub").fill(sub);
  if (vid) await page.getByTestId("live-vid").fill(String(vid));
  await form.locator("select[name=lang]").selectOption(lang);
  await page.getByTestId("live-go").click();
  const w = widgetFrame(page);
  await expect(w.getByTestId("volunteer-widget")).toBeVisible();
  await expectFeature(w, "data-api", "remote");
  await expect(w.getByTestId("connecting")).toHaveCount(0);
  return w;
}

/** A request as a coordinator sees it on the server (who holds its offers). */
async function serverRequest(request, id) {
  const t = await request.post(`${server()}/api/demo/token`, { data: { role: "coordinator" } });
  const { token } = await t.json();
  const r = await request.get(`${server()}/api/requests/${id}`, { headers: { authorization: `Bearer ${token}` } });
  expect(r.ok()).toBe(true);
  return (await r.json()).entry;
}

async function post(w, description) {
  await w.getByTestId("description").fill(description);
  await w.getByTestId("phone").fill("13800001234");
  await expect(w.getByTestId("preview-count")).not.toHaveText("0");
  await w.getByTestId("send").click();
}

/** The id of the resident's card showing `description`. */
async function cardId(w, description) {
  const card = w.getByTestId("request-card").filter({ hasText: description });
  await expect(card).toHaveCount(1);
  return Number(await card.getAttribute("data-request"));
}

test("a resident's post reaches a volunteer live; the volunteer's accept reaches the resident live", async ({ browser, request }) => {
  const sub = `resident-live-${Date.now()}`;
  const residentContext = await browser.newContext({ viewport: { width: 360, height: 800 } });
  const resident = await residentContext.newPage();
  const residentErrors = watchConsole(resident);
  const r = await signIn(resident, { role: "resident", sub });

  // A first request finds the volunteer the engine offers this kind of task to.
  await post(r, "探路：陪老人聊天");
  await expect(r.getByTestId("status")).toContainText("求助已提交");
  const probe = await serverRequest(request, await cardId(r, "探路：陪老人聊天"));
  expect(probe.state.offers.length).toBeGreaterThan(0);
  const vid = probe.state.offers[0].to;

  // That volunteer's page is open before the next post.
  const volunteerContext = await browser.newContext();
  const volunteer = await volunteerContext.newPage();
  const volunteerErrors = watchConsole(volunteer);
  const v = await signIn(volunteer, { role: "volunteer", vid });
  await expect(v.getByTestId("me")).toContainText(`#${vid}`);
  // Remote mode: the identity comes from the token, with no picker to change it.
  await expect(v.getByTestId("identity-picker")).toHaveCount(0);
  await volunteer.screenshot({ path: screenshotPath("remote-volunteer-desktop"), fullPage: true });

  // The same task again: the volunteer fits it, so it shows up on their page — offered to
  // them, or among the open tasks ranked for them — without a reload.
  await post(r, "帮忙取药，三楼无电梯");
  await expect(r.getByTestId("status")).toContainText("求助已提交");
  const id = await cardId(r, "帮忙取药，三楼无电梯");
  const task = v.locator(`[data-testid=task-card][data-request="${id}"]`);
  await expect(task).toBeVisible();
  await expect(task).toContainText("帮忙取药，三楼无电梯");
  await expect(task.getByTestId("why")).toContainText("距离");
  await volunteer.screenshot({ path: screenshotPath("remote-volunteer-live-desktop"), fullPage: true });

  await task.locator("[data-testid=accept], [data-testid=claim]").click();
  await expect(v.getByTestId("status")).toContainText("已接单");
  const mine = v.getByTestId("my-tasks").locator(`[data-testid=task-card][data-request="${id}"]`);
  // The resident's phone goes to the volunteer who accepted (the server's privacy rule).
  await expect(mine.getByTestId("resident-contact")).toContainText("13800001234");
  // The volunteer's own record (their load this week) follows the server too.
  await expect(v.getByTestId("my-load")).toContainText(/^[^:：]*[:：]\s*1 \//);

  // The resident's page learns of it live.
  const card = r.locator(`[data-testid=request-card][data-request="${id}"]`);
  await expect(card.getByTestId("card-status")).toHaveAttribute("data-status", "accepted");
  await expect(card.getByTestId("card-accepted-by")).toContainText("*");
  const server_ = await serverRequest(request, id);
  expect(server_.state.accepted.map((a) => a.volunteer)).toEqual([vid]);
  await resident.screenshot({ path: screenshotPath("remote-resident-accepted-360"), fullPage: true });

  expect(residentErrors).toEqual([]);
  expect(volunteerErrors).toEqual([]);
  await residentContext.close();
  await volunteerContext.close();
});

test("a post made while the server is unreachable waits in the outbox, survives a reload, then goes through once", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const sub = `resident-outbox-${Date.now()}`;
  let down = true;
  const keys = [];
  await page.route("**/api/requests", (route) => {
    if (route.request().method() !== "POST") return route.continue();
    keys.push(route.request().headers()["idempotency-key"]);
    return down ? route.abort("connectionrefused") : route.continue();
  });
  let w = await signIn(page, { role: "resident", sub });
  await post(w, "断网时提交的求助");
  const outbox = w.getByTestId("outbox");
  await expect(outbox).toContainText("断网时提交的求助");
  await expect(outbox).toContainText("尚未发送，正在重试");
  await expect(w.getByTestId("status")).toContainText("尚未发送");
  await expect(w.getByTestId("request-card")).toHaveCount(0);
  await page.screenshot({ path: screenshotPath("remote-outbox-desktop"), fullPage: true });

  // A reload does not lose it: the outbox is kept in the browser.
  w = await signIn(page, { role: "resident", sub });
  await expect(w.getByTestId("outbox")).toContainText("断网时提交的求助");
  await expect.poll(() => keys.length).toBeGreaterThan(2);

  down = false;
  await expect(w.getByTestId("outbox")).toHaveCount(0, { timeout: 15_000 });
  await expect(w.getByTestId("request-card").filter({ hasText: "断网时提交的求助" })).toHaveCount(1);
  // Every attempt carried the same key, so the server stored one request.
  expect(new Set(keys).size).toBe(1);
  expect(keys[0]).toBeTruthy();
  await context.close();
});

test("the server's refusal is shown with its code, and nothing waits", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.route("**/api/requests", (route) =>
    route.request().method() === "POST"
      ? route.fulfill({ status: 409, contentType: "application/json",
          body: JSON.stringify({ error: { code: "closed", message: "Request 9 is closed.", problems: [] } }) })
      : route.continue());
  const w = await signIn(page, { role: "resident", sub: `resident-refused-${Date.now()}` });
  await post(w, "会被拒绝的求助");
  await expect(w.getByTestId("status")).toContainText("Request 9 is closed.");
  await expect(w.getByTestId("status")).toContainText("closed");
  await expect(w.getByTestId("outbox")).toHaveCount(0);
  await context.close();
});

test("the sign-in page says when it is served without the server", async ({ page }) => {
  const { baseUrl } = await import("./helpers.mjs");
  await page.goto(`${baseUrl()}/live.html`);
  await expect(page.getByTestId("live-server")).toContainText("需要服务器");
  await expect(page.getByTestId("live-signin")).toBeHidden();
  await page.screenshot({ path: screenshotPath("live-static-only-desktop"), fullPage: true });
});

test("the sign-in page at 360 px", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 360, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${server()}/live.html`);
  await expect(page.getByTestId("live-signin")).toBeVisible();
  await page.locator("input[name=role][value=volunteer]").check();
  await expect(page.getByTestId("live-vid")).toBeVisible();
  await expect(page.getByTestId("live-sub")).toBeHidden();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(360);
  await page.screenshot({ path: screenshotPath("live-signin-360"), fullPage: true });
  await context.close();
});

test("a renewed token reaches the widget through window.VolunteerWidget.setToken", async ({ page, request }) => {
  // A host page of the server's origin, embedding the widget with a token that is not valid.
  await page.route(`${server()}/token-fixture.html`, (route) => route.fulfill({
    contentType: "text/html; charset=utf-8",
    body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>host</title></head><body>
      <script async src="/pkg/volunteer-widget.js" data-api="/api" data-user-token="expired" data-lang="en"></script></body></html>`,
  }));
  await page.goto(`${server()}/token-fixture.html`);
  const w = widgetFrame(page);
  await expect(w.getByTestId("server-problem")).toContainText("sign-in");
  await expect(w.getByTestId("request-form")).toHaveCount(0);
  const { token } = await (await request.post(`${server()}/api/demo/token`, { data: { role: "resident", sub: "resident-renewed" } })).json();
  await page.evaluate((t) => window.VolunteerWidget.setToken(t), token);
  await expect(w.getByTestId("request-form")).toBeVisible();
  await expect(w.getByTestId("server-problem")).toHaveCount(0);
});

test("a coordinator files a request for a resident and runs the server's batch", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = watchConsole(page);
  const w = await signIn(page, { role: "coordinator", lang: "en" });
  await w.getByTestId("file-for-resident").click();
  await post(w, "Phoned in: needs a lift to the clinic");
  await expect(w.getByTestId("status")).toContainText("Request sent");
  // Live: the coordinator's list shows the request the server stored.
  await expect(w.getByTestId("open-request").filter({ hasText: "Phoned in: needs a lift to the clinic" })).toHaveCount(1);
  await w.getByTestId("run-batch").click();
  await expect(w.getByTestId("proposal")).toBeVisible();
  await page.screenshot({ path: screenshotPath("remote-coordinator-desktop"), fullPage: true });
  await w.getByTestId("send-offers").click();
  await expect(w.getByTestId("status")).toContainText("Offers sent");
  await expect(w.getByTestId("outbox")).toHaveCount(0);
  expect(errors).toEqual([]);
  await context.close();
});
