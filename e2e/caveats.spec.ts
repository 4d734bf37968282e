import { expect, test } from '@playwright/test';
import { defaultRunConfig, syntheticDefaults } from '../src/config/runConfig';
import { openPlayground } from './openPlayground';

// Shuffled batches reported as if Poisson: the flag travels as a flag (runs table, summary strip),
// and a classroom view cannot hide the privacy section that says so, whichever way the setting came.
test('shuffled batches and seeded randomness are flagged in the runs table and summary; a classroom view cannot hide them', async ({
  page,
}) => {
  await openPlayground(page, '#data=circle&epochs=5&hide=privacy');
  await expect(page.getByLabel('Batches')).toHaveCount(0); // hidden: nothing to flag yet

  // A config file with shuffled batches brings the section back, saying why.
  const c = defaultRunConfig();
  const shuffled = { ...c, ...syntheticDefaults('circle'), privacy: { ...c.privacy, sampling: 'shuffle' } };
  await page
    .getByTestId('load-config-input')
    .setInputFiles({ name: 'run.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(shuffled)) });
  await expect(page.getByLabel('Batches')).toHaveValue('shuffle');
  await expect(page.getByTestId('privacy-hide-refused')).toContainText(
    'stays visible because shuffled batches are not covered by the accountant',
  );

  // A link that asks to hide it while the setting is on: the hide is set aside, the page says why; other hides stand.
  await page.evaluate(() => (window.location.hash = 'data=circle&epochs=5&sampling=shuffle&secure=0&hide=privacy,compare'));
  await expect(page.getByTestId('global-error')).toContainText(
    'The link asks to hide the privacy section; it stays visible because shuffled batches are not covered by the accountant, and the randomness is seeded',
  );
  await expect(page.getByLabel('Secure randomness')).not.toBeChecked();
  await expect(page.getByRole('button', { name: 'Compare' })).toHaveCount(0);

  await page.getByRole('button', { name: 'Step', exact: true }).click();
  const row = page.getByTestId('run-row');
  await expect(row.getByTestId('run-epsilon')).not.toHaveText('—', { timeout: 120_000 });
  for (const where of [row, page.getByTestId('run-summary')]) {
    const badges = where.getByTestId('privacy-caveats');
    await expect(badges.locator('[data-caveat="notCoveredByAccountant"]')).toHaveText('⚠ not covered by the accountant');
    await expect(badges.locator('[data-caveat="seededRandomness"]')).toHaveText('⚠ seeded randomness');
  }
  await expect(page.getByTestId('privacy-notes')).toContainText('Not covered by the accountant: batches are shuffled');

  // The share menu will not offer to hide the section either, until the settings are accounted again.
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  await expect(page.getByTestId('share-hide-privacy')).toBeDisabled();
  await expect(page.getByTestId('share-privacy-locked')).toContainText('cannot be hidden');
  await page.getByLabel('Batches').selectOption('poisson');
  await page.getByLabel('Secure randomness').check();
  await expect(page.getByTestId('share-hide-privacy')).toBeEnabled();
  await expect(row.getByTestId('privacy-caveats')).toHaveCount(1); // the run keeps its own flags: it was trained shuffled
});
