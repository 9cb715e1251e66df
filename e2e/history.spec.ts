import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { configureModel } from './helpers';

const subjects = [
  'harbour',
  'forest',
  'desert',
  'glacier',
  'canyon',
  'meadow',
  'volcano',
  'lagoon',
  'orchard',
  'tundra',
];

/** The n-th prompt of the library; every 15th mentions a lighthouse. */
const promptOf = (n: number): string =>
  `scene ${String(n).padStart(2, '0')}: a ${subjects[n % subjects.length]} at dusk${n % 15 === 0 ? ' with a lighthouse' : ''}`;

/** Generations made straight through the web-mode API (the same server the page uses), oldest first. */
const generateMany = async (page: Page, count: number): Promise<void> => {
  const prompts = Array.from({ length: count }, (_, i) => promptOf(i + 1));
  await page.evaluate(async (list) => {
    // Electron's preload bridge, or web mode's HTTP API.
    const desktop = (window as unknown as { studio?: { generate: (request: unknown) => Promise<{ ok: boolean }> } })
      .studio;
    for (const prompt of list) {
      const request = { input: { prompt }, count: 1 };
      const result = desktop
        ? await desktop.generate(request)
        : ((await (
            await fetch('/api/generate', {
              method: 'POST',
              headers: { 'Content-Type': 'application/json' },
              body: JSON.stringify(request),
            })
          ).json()) as { ok: boolean });
      if (!result.ok) throw new Error(`generate failed for ${prompt}`);
    }
  }, prompts);
};

/** The prompts of the generation blocks in the DOM right now, top to bottom. */
const promptsInDom = (page: Page): Promise<string[]> =>
  page.getByTestId('generation').evaluateAll((blocks) => blocks.map((block) => block.getAttribute('aria-label') ?? ''));

test('history scrolls through every page once, newest first, with only a window of it in the DOM', async ({
  studio,
}, testInfo) => {
  // Sixty generations made through the API first.
  test.setTimeout(180_000);
  const { page } = studio;
  await configureModel(studio);
  const total = 60;
  await generateMany(page, total);

  const pages: Array<string | undefined> = [];
  // Web mode's HTTP API shows each page request (Electron's IPC does not).
  page.on('request', (request) => {
    if (!request.url().endsWith('/api/listGenerations')) return;
    const body = request.postDataJSON() as { cursor?: string } | null;
    pages.push(body?.cursor);
  });
  await page.reload();
  await expect(page.getByTestId('generation').first()).toContainText(promptOf(total));

  const scroller = page.getByTestId('stream-scroll');
  const seen: string[] = [];
  let maxInDom = 0;
  for (let step = 0; step < 200 && seen.length < total; step++) {
    const now = await promptsInDom(page);
    maxInDom = Math.max(maxInDom, now.length);
    expect(new Set(now).size, `duplicates in the DOM: ${now.join(' | ')}`).toBe(now.length);
    for (const prompt of now) if (!seen.includes(prompt)) seen.push(prompt);
    if (seen.length === total) break;
    await scroller.evaluate((element) => element.scrollBy(0, element.clientHeight * 0.8));
    // Wait on the list, not the clock: it shows another window (at the end of what is loaded, once the next page came).
    const before = now.join('\n');
    await expect.poll(async () => (await promptsInDom(page)).join('\n')).not.toBe(before);
  }
  // Newest first, every generation exactly once.
  expect(seen).toEqual(Array.from({ length: total }, (_, i) => promptOf(total - i)));
  // Virtualised: the DOM holds a window, not the history.
  expect(maxInDom).toBeLessThan(20);
  expect(await page.getByTestId('generation').count()).toBeLessThan(20);
  // Each page was asked for once: the first (no cursor) and then a new cursor each time.
  if (testInfo.project.name === 'web') {
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(new Set(pages).size).toBe(pages.length);
  }

  // Back at the top, the newest is there again (rows come back from their measured heights).
  await scroller.evaluate((element) => element.scrollTo(0, 0));
  await expect(page.getByTestId('generation').first()).toContainText(promptOf(total));
});

test('the search box filters by prompt across the whole library; Escape brings everything back', async ({ studio }) => {
  const { page } = studio;
  await configureModel(studio);
  await generateMany(page, 46);
  await page.reload();
  await expect(page.getByTestId('generation').first()).toContainText(promptOf(46));

  const search = page.getByRole('textbox', { name: 'Search prompts' });
  // "/" jumps to the search box.
  await page.keyboard.press('/');
  await expect(search).toBeFocused();
  await search.pressSequentially('lighthouse');
  // Only scenes 45, 30 and 15 mention it; 15 was never loaded by the history's first page.
  await expect.poll(() => promptsInDom(page)).toEqual([promptOf(45), promptOf(30), promptOf(15)]);

  await search.fill('lighthouse zeppelin');
  await expect(page.getByTestId('search-empty')).toContainText('No generation matches');
  await expect(page.getByTestId('generation')).toHaveCount(0);

  await search.press('Escape');
  await expect(search).toHaveValue('');
  await expect(page.getByTestId('generation').first()).toContainText(promptOf(46));
  await expect(page.getByTestId('search-empty')).toHaveCount(0);
});

test('the palette lists every action with its keys and runs them; a Dream without the mouse', async ({ studio }) => {
  const { page } = studio;
  await configureModel(studio);

  await page.keyboard.press('Control+k');
  const palette = page.getByRole('dialog', { name: 'Commands' });
  await expect(palette).toBeVisible();
  const options = palette.getByRole('option');
  for (const title of [
    'Dream',
    'Cancel',
    'Open settings',
    'Search prompts',
    'Focus prompt',
    'Toggle negative prompt',
    'Random seed',
    'Open last image',
    'Retry sync',
    'Upload this computer',
  ]) {
    await expect(options.filter({ hasText: title }).first()).toBeVisible();
  }
  await expect(options.filter({ hasText: 'Dream' }).first()).toContainText(/Ctrl\s*Enter|⌘\s*↵/);
  await expect(options.filter({ hasText: 'Search prompts' })).toContainText('/');

  await expect(palette.getByRole('combobox', { name: 'Filter commands' })).toBeFocused();
  await page.keyboard.type('settings');
  await expect(options).toHaveCount(1);
  await page.keyboard.press('Enter');
  await expect(palette).toBeHidden();
  const settings = page.getByRole('dialog', { name: 'Settings' });
  await expect(settings).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(settings).toBeHidden();

  // The top bar's button opens the same palette.
  await page.getByRole('button', { name: 'Shortcuts' }).click();
  await expect(palette).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(palette).toBeHidden();

  // Keyboard only: palette → Focus prompt → type → Ctrl+Enter. (Typing waits for the palette's
  // filter to have focus, as a person's eyes would.)
  const filter = palette.getByRole('combobox', { name: 'Filter commands' });
  await page.keyboard.press('Control+k');
  await expect(filter).toBeFocused();
  await page.keyboard.type('focus prompt');
  await page.keyboard.press('Enter');
  const prompt = page.getByRole('textbox', { name: 'Prompt', exact: true });
  await expect(prompt).toBeFocused();
  await prompt.fill('');
  await page.keyboard.type('a lantern festival drawn with the keyboard only');
  await page.keyboard.press('Control+Enter');
  const generation = page.getByTestId('generation').first();
  await expect(generation).toContainText('a lantern festival drawn with the keyboard only');
  await expect(generation.getByTestId('generation-image').first()).toBeVisible();

  // Open last image from the palette; the large view takes the keyboard, Escape gives it back.
  await page.keyboard.press('Control+k');
  await expect(filter).toBeFocused();
  await page.keyboard.type('last image');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog', { name: 'Image' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: 'Image' })).toBeHidden();
});

test('web mode: a Dream that finishes while the window is in the background raises a system notification', async ({
  studio,
  context,
}, testInfo) => {
  // The desktop app notifies from its main process (natively), not from the page.
  test.skip(testInfo.project.name === 'electron', 'web mode only: Electron notifies natively from the main process');
  const { page } = studio;
  await context.grantPermissions(['notifications']);
  await page.addInitScript(() => {
    const made: Array<{ title: string; body: string }> = [];
    const Original = window.Notification;
    class Spy extends Original {
      constructor(title: string, options?: NotificationOptions) {
        made.push({ title, body: options?.body ?? '' });
        super(title, options);
      }
    }
    Object.defineProperty(window, 'Notification', { value: Spy, configurable: true, writable: true });
    Object.defineProperty(window, '__notifications', { value: made });
  });
  await page.reload();
  await configureModel(studio);

  await page.getByRole('textbox', { name: 'Prompt', exact: true }).fill('a night train crossing a viaduct');
  await page.getByLabel('Image count').fill('1');
  // Another page in front. Playwright's Chromium reports every page as focused
  // (focus emulation), so the page is also told plainly that it lost the focus.
  const other = await context.newPage();
  await other.bringToFront();
  await page.evaluate(() => {
    Object.defineProperty(document, 'hasFocus', { value: () => false, configurable: true });
    window.dispatchEvent(new Event('blur'));
  });
  // Dream from the background (as a click the user made just before switching away would): the
  // window is out of sight before the endpoint answers, whatever the machine's speed.
  await page.getByRole('button', { name: 'Dream', exact: true }).dispatchEvent('click');

  await expect
    .poll(
      () =>
        page.evaluate(
          () => (window as unknown as { __notifications: Array<{ title: string; body: string }> }).__notifications,
        ),
      {
        timeout: 30_000,
      },
    )
    .toEqual([{ title: 'Your image is ready', body: 'a night train crossing a viaduct' }]);
  await other.close();
});

test('cloud storage that cannot be reached: generations stay local, marked "Pending sync" with the reason, and the history and search say so', async ({
  studio,
}) => {
  const { page } = studio;
  // Nothing listens on port 9: S3 and DynamoDB refuse at once.
  await configureModel(studio, async (dialog) => {
    await dialog.getByLabel('Store generated images').check();
    await dialog.getByLabel('Generations table').fill('studio-generations');
    await dialog.getByLabel('Generations bucket').fill('studio-bucket');
    await dialog.getByLabel('Project ID').fill('e2e-offline');
    await dialog.getByLabel('S3 endpoint URL').fill('http://127.0.0.1:9');
    await dialog.getByLabel('DynamoDB endpoint URL').fill('http://127.0.0.1:9');
  });
  await page.getByRole('textbox', { name: 'Prompt', exact: true }).fill('a weather station on a cliff');
  await page.getByLabel('Image count').fill('1');
  await page.getByRole('button', { name: 'Dream', exact: true }).click();
  const generation = page.getByTestId('generation').first();
  await expect(generation.getByTestId('generation-image')).toHaveCount(1);

  const state = generation.getByTestId('sync-state');
  // The SDK retries first (backoff), then the outbox marks it.
  await expect(state).toHaveAttribute('data-state', 'pending', { timeout: 30_000 });
  await expect(state).toContainText('Pending sync');
  await generation.getByRole('button', { name: 'Retry sync' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Retrying sync' })).toBeVisible();

  await page.reload();
  await expect(page.getByTestId('history-notice')).toContainText(/unreachable/i);
  const again = page.getByTestId('generation').first();
  await expect(again).toContainText('a weather station on a cliff');
  await expect(again.getByTestId('sync-state')).toHaveAttribute('data-state', 'pending');

  // Searching says the same: the results are this computer's only.
  await page.getByRole('textbox', { name: 'Search prompts' }).fill('weather station');
  await expect(page.getByTestId('generation')).toHaveCount(1);
  await expect(page.getByTestId('history-notice')).toContainText(/unreachable/i);
});
