import { expect, type Page } from '@playwright/test';

/**
 * Opens the playground at `hash` and waits until its engine is up: the badge names a backend — the
 * one the link pins (`backend=webgpu`), or any (WebGPU at start; after a run, the backend its speed
 * test picked, e.g. WebAssembly on a software GPU).
 */
export async function openPlayground(page: Page, hash = ''): Promise<void> {
  await page.goto(`/${hash}`);
  const pinned = /[#&]backend=(\w+)/.exec(hash)?.[1];
  await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', pinned ?? /^(webgpu|wasm|webgl|cpu)$/);
}

/**
 * Opens the playground as a returning user: the newcomer's welcome (e2e/lessons.spec.ts tests it) is
 * dismissed, so the charts are on screen — off-screen charts do not redraw.
 */
export async function openAsReturningUser(page: Page, hash = ''): Promise<void> {
  await openPlayground(page, hash);
  const explore = page.getByRole('button', { name: 'Explore on my own' });
  if (await explore.isVisible()) await explore.click();
}
