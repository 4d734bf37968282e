import { expect, type Page } from '@playwright/test';

/**
 * Opens the playground at `hash` and waits until its engine is up: the badge names a backend. Before
 * a run that is the one the engine started on (WebGPU here); a run then trains on the backend its
 * link pins (`backend=`) or its speed test picks, and the badge follows it.
 */
export async function openPlayground(page: Page, hash = ''): Promise<void> {
  await page.goto(`/${hash}`);
  await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', /^(webgpu|wasm|webgl|cpu)$/);
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
