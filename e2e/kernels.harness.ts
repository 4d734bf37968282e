import { expect, type Page } from '@playwright/test';
import type { Harness } from '../bench/harness/main';

/** Opens the harness page (bench/harness), switches it to WebGPU and checks that WebGPU really runs. */
export async function openHarness(page: Page): Promise<void> {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // WebGPU validation and WGSL compile errors only reach the console: treat them as failures.
  page.on('console', (m) => {
    if (/WGSL|Invalid|GPUValidationError/.test(m.text())) errors.push(m.text());
  });
  await page.goto('/bench/harness/');
  await expect(page.locator('#status')).toHaveText('ready');
  const info = await page.evaluate(() => (window as unknown as { __harness: Harness }).__harness.init());
  expect(info.backend, `adapter: ${info.adapter}`).toBe('webgpu');
  expect(errors).toEqual([]);
  pageErrors.set(page, errors);
}

const pageErrors = new WeakMap<Page, string[]>();

/** WebGPU/WGSL errors the page logged since openHarness (call at the end of a test). */
export function harnessErrors(page: Page): string[] {
  return pageErrors.get(page) ?? [];
}

/** Calls a harness function in the page and returns its (plain-number) result. */
export async function call<K extends keyof Harness>(
  page: Page,
  name: K,
  ...args: Parameters<Harness[K]>
): Promise<Awaited<ReturnType<Harness[K]>>> {
  return page.evaluate(
    ([n, a]) => {
      const h = (window as unknown as { __harness: Record<string, (...x: unknown[]) => unknown> }).__harness;
      return h[n as string](...(a as unknown[]));
    },
    [name, args] as const,
  ) as Promise<Awaited<ReturnType<Harness[K]>>>;
}
