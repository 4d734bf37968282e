import { expect, test } from '@playwright/test';
import { openPlayground } from './openPlayground';

test('a learning rate that makes training diverge stops the run with the explanation and a hint', async ({ page }) => {
  await openPlayground(page, '#data=circle&dp=0&opt=adam&lr=100&hidden=16&act=tanh&epochs=5');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-state', 'error', { timeout: 120_000 });
  await expect(page.getByTestId('run-status')).toContainText('Training diverged at step');
  await expect(page.getByTestId('run-status')).toContainText('Lower the learning rate');
});
