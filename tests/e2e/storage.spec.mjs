// Local mode's storage: damaged data is reported and can be cleared; a refused save is shown
// and nothing half-saved appears.
import { test, expect } from "@playwright/test";
import { baseUrl, widgetFrame } from "./helpers.mjs";

test("damaged stored data is reported, never crashes, and can be cleared", async ({ page }) => {
  await page.goto(`${baseUrl()}/index.html`);
  await page.evaluate(() => localStorage.setItem("volunteer-widget:v2:seed-1", "{not json"));
  await page.reload();
  const w = widgetFrame(page);
  const alert = w.getByTestId("storage-problem");
  await expect(alert).toContainText("损坏");
  // While damaged, nothing is written over it.
  await w.getByTestId("description").fill("x");
  await w.getByTestId("phone").fill("13800001234");
  await w.getByTestId("send").click();
  expect(await page.evaluate(() => localStorage.getItem("volunteer-widget:v2:seed-1"))).toBe("{not json");
  await alert.getByTestId("reset-data").click();
  await expect(w.getByTestId("status")).toContainText("已清除");
  await expect(w.getByTestId("storage-problem")).toHaveCount(0);
  await w.getByTestId("send").click();
  await expect(w.getByTestId("status")).toContainText("求助已提交");
});

test("a refused save (quota) is shown and the request is not shown as sent", async ({ page }) => {
  // Every frame of the page: localStorage refuses to grow, as when the quota is full.
  await page.addInitScript(() => {
    Storage.prototype.setItem = function () {
      throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
    };
  });
  await page.goto(`${baseUrl()}/index.html`);
  const w = widgetFrame(page);
  await w.getByTestId("description").fill("quota test");
  await w.getByTestId("phone").fill("13800001234");
  await w.getByTestId("send").click();
  await expect(w.getByTestId("status")).toContainText("保存失败");
  await expect(w.getByTestId("status")).toContainText("quota");
  await expect(w.getByTestId("request-card")).toHaveCount(0);
});
