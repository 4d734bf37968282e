import { expect, test } from '@playwright/test';

// Issue #15 (trust at the edges), as a user meets it: no training, so it stays fast on SwiftShader.

test('a link with an oversized model is refused naming the field; the defaults stay', async ({ page }) => {
  await page.goto(`/#hidden=${Array(8).fill(4096).join(',')}&batch=32`);
  await expect(page.getByTestId('global-error')).toContainText('model.hidden: this model has 120,');
  await expect(page.getByTestId('global-error')).toContainText('over the 4,000,000 a browser run can hold');
  await expect(page.getByTestId('batch-size')).toHaveValue('256');
});

test('turning secure randomness off says what seeded mode gives up', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByText('Noise and batches come from the browser’s cryptographic generator')).toBeVisible();
  await page.getByLabel('Secure randomness').uncheck();
  await expect(page.getByTestId('seeded-warning')).toContainText('Not private against anyone who knows the seed');
  await expect(page).toHaveURL(/secure=0/);
});
