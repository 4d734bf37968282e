import { expect, test } from '@playwright/test';

// Trust at the edges (docs/PRIVACY.md), as a user meets it: no training, so it stays fast on SwiftShader.

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

test('a runs file over the import limit is refused by its size before it is read; the runs stay', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', /.+/);
  // Built inside the page (65 MiB of spaces): nothing large crosses the test's connection.
  await page.getByTestId('import-runs-input').evaluate((input: HTMLInputElement) => {
    const file = new File([new Uint8Array(65 * 2 ** 20).fill(32)], 'huge-runs.json', { type: 'application/json' });
    const files = new DataTransfer();
    files.items.add(file);
    input.files = files.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await expect(page.getByTestId('runs-import-error')).toHaveText(
    'huge-runs.json: 68,157,440 bytes is too large for a runs file (limit 64 MiB)',
  );
  await expect(page.getByTestId('run-row')).toHaveCount(0);
});

test('a classroom link’s hidden controls come back only with a deliberate second click', async ({ page }) => {
  await page.goto('/#hide=model');
  await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', /.+/);
  const architecture = page.getByLabel('Architecture');
  await expect(architecture).toHaveCount(0);
  await page.getByRole('button', { name: 'Classroom view · show all' }).click();
  await expect(page.getByTestId('classroom-confirm')).toContainText('Your link hides model on purpose.');
  await expect(architecture).toHaveCount(0);
  await page.getByRole('button', { name: 'Keep hidden' }).click();
  await expect(architecture).toHaveCount(0);
  await page.getByRole('button', { name: 'Classroom view · show all' }).click();
  await page.getByRole('button', { name: 'Show them (teacher)' }).click();
  await expect(architecture).toHaveCount(1);
  await expect(page.getByRole('button', { name: 'Classroom view · show all' })).toHaveCount(0);
});
