import { expect, type Page } from '@playwright/test';

/**
 * Opens the playground at `hash` on WebGPU as a returning user: the newcomer's welcome
 * (e2e/lessons.spec.ts tests it) is dismissed, so the charts are on screen — off-screen charts do
 * not redraw.
 */
export async function openAsReturningUser(page: Page, hash = ''): Promise<void> {
  await page.goto(`/${hash}`);
  await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', 'webgpu');
  const explore = page.getByRole('button', { name: 'Explore on my own' });
  if (await explore.isVisible()) await explore.click();
}
