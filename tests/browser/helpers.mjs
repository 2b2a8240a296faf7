// Shared set-up for the browser tests: one headless Debian Chromium per test file (driven by
// playwright-core, never a downloaded browser), a fresh context per test (its own localStorage),
// console errors and page errors collected so every test can assert there were none, and small
// helpers that act through the UI the way a person would.

import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { commandLabel } from '../../web-demo/js/words.js';

export const URL = process.env.DEMO_URL ?? 'http://127.0.0.1:8080/';
export const ARTIFACTS = process.env.ARTIFACTS ?? path.resolve(import.meta.dirname, '../artifacts');
export const KEY = 'gigmarket.demo.v1';
export const DESKTOP = { width: 1280, height: 720 };
export const WIDE = { width: 1440, height: 900 };
export const PHONE = { width: 390, height: 844 };

/** Launch Chromium with a throwaway HOME so it leaves nothing behind. */
export async function launch() {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'gigmarket-chromium-'));
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    env: { ...process.env, HOME: home },
  });
  return {
    browser,
    async close() {
      await browser.close();
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}

/**
 * A fresh context and page at `viewport`, with console errors and page errors collected in
 * `problems` (checked by `assertClean`). Accepts the reset confirmation dialog.
 */
export async function openPage(browser, viewport = DESKTOP) {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('dialog', (d) => d.accept());
  await page.goto(URL);
  await ready(page);
  return { context, page, problems };
}

export async function ready(page) {
  await page.waitForSelector('body[data-ready="true"]', { timeout: 15_000 });
}

export async function reload(page) {
  await page.reload();
  await ready(page);
}

export function assertClean(problems) {
  assert.deepEqual(problems, [], 'no console errors and no page errors');
}

/**
 * Wait for the outcome message of the last action: `Done: <Command> done…`, the command named
 * by its type ("ClaimTask done") or, once session.js words it with words.js, by its label
 * ("Claim done"). Either way it must be this command's message and it must be `ok`.
 */
export async function expectDone(page, command) {
  const msg = page.locator('.message[data-id="outcome"]');
  await msg.waitFor();
  const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const done = new RegExp(`(^|\\s)(${esc(command)}|${esc(commandLabel(command))}) done\\b`);
  await assert.doesNotReject(
    msg.filter({ hasText: done }).waitFor({ timeout: 5_000 }),
    `expected "${command} done" or "${commandLabel(command)} done", got: ${await msg.innerText()}`,
  );
  assert.equal(await msg.getAttribute('data-kind'), 'ok');
}

/**
 * As the operator, register a client from the side panel's form (`values`: its fields by label;
 * the form's defaults otherwise) and wait for the outcome.
 */
export async function registerClient(page, values = {}) {
  const form = page.locator('form[data-form="register-client"]');
  await fill(form, values);
  await form.getByRole('button', { name: 'Register client', exact: true }).click();
  await expectDone(page, 'RegisterClient');
}

/** As the client in the side panel, deposit `credits` (text, as typed) and wait for the outcome. */
export async function deposit(page, credits) {
  const side = page.locator('#panel');
  await side.getByLabel('Deposit (credits)').fill(credits);
  await side.getByRole('button', { name: 'Deposit', exact: true }).click();
  await expectDone(page, 'Deposit');
}

/** Wait for a refusal with the engine's `code`; returns its text. */
export async function expectRefused(page, code) {
  const msg = page.locator(`.message[data-id="outcome"][data-code="${code}"]`);
  await msg.waitFor({ timeout: 5_000 });
  assert.equal(await msg.getAttribute('role'), 'alert');
  return msg.innerText();
}

/** Choose the role (and the party by its visible label) in the header. */
export async function actAs(page, role, party) {
  await page.selectOption('#role-type', role);
  if (party) await page.selectOption('#role-party', { label: party });
  await page.waitForFunction(
    ([r, p]) => document.querySelector('#role-type').value === r
      && (!p || document.querySelector('#role-party').selectedOptions[0]?.textContent === p),
    [role, party],
  );
}

/** Fill a form's fields by label, inside `scope`. */
export async function fill(scope, values) {
  for (const [label, value] of Object.entries(values)) {
    const control = scope.getByLabel(label, { exact: true });
    const tag = await control.evaluate((el) => el.tagName);
    if (tag === 'SELECT') await control.selectOption(value);
    else await control.fill(String(value));
  }
}

/** The market's snapshot, as the page holds it. */
export function snapshot(page) {
  return page.evaluate(() => window.gigmarketDemo.session.market.save());
}

/** Run `n` autopilot steps at once (a test hook the page exposes), then wait for the redraw. */
/** Tasks the autopilot posts per step (core/src/sim/autopilot.rs, `Autopilot::default`). */
export const TASKS_PER_STEP = 3;

/** Steps of the autopilot that post at least `tasks` tasks. */
export const stepsFor = (tasks) => Math.ceil(tasks / TASKS_PER_STEP);

export async function runSteps(page, n) {
  await page.evaluate((k) => window.gigmarketDemo.runSteps(k), n);
  await frames(page);
}

export async function shot(page, name) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
}

/** Select a view's tab and wait for it to be drawn (views draw on the next animation frame). */
export async function tab(page, name) {
  await page.getByRole('tab', { name, exact: true }).click();
  await frames(page);
}

/** Wait until the page has drawn what is scheduled. */
export function frames(page) {
  return page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

/** Pick an option in a view's select and wait for the redraw. */
export async function choose(page, selector, value) {
  await page.selectOption(selector, value);
  await frames(page);
}
