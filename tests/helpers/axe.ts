// The accessibility audit the end-to-end tests run on each screen: axe-core's WCAG 2.1 A and AA
// rules, in Debian's Chromium. A violation fails with the rule, why, and the nodes it found.
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';

export const WCAG_21_AA_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export interface AxeFinding {
  rule: string;
  help: string;
  nodes: string[];
}

/** The WCAG 2.1 A and AA violations on the page as it stands, each with up to five of its nodes. */
export async function axeViolations(page: Page): Promise<AxeFinding[]> {
  // An answer fades in: contrast is judged on what stays on screen, not on a frame mid-fade.
  await page.evaluate(`Promise.all(
    document.getAnimations()
      .filter((a) => a.effect && a.effect.getComputedTiming().endTime !== Infinity)
      .map((a) => a.finished.catch(() => undefined)),
  )`);
  const results = await new AxeBuilder({ page }).withTags(WCAG_21_AA_TAGS).analyze();
  return results.violations.map((v) => ({
    rule: v.id,
    help: `${v.help} (${v.nodes.length} node${v.nodes.length === 1 ? '' : 's'})`,
    nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`),
  }));
}

/** Fails with every violation spelt out, so the report says what to fix. */
export async function expectNoAxeViolations(page: Page, screen: string): Promise<void> {
  const found = await axeViolations(page);
  if (found.length === 0) return;
  const lines = found.flatMap((f) => [`${f.rule}: ${f.help}`, ...f.nodes.map((n) => `    ${n}`)]);
  throw new Error(`${screen}: ${found.length} axe violation(s)\n${lines.join('\n')}`);
}
