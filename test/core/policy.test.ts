import { describe, expect, it } from 'vitest';
import {
  uniqueDownloadName,
  appOrigin,
  contentSecurityPolicy,
  contentTypeOf,
  isExternalUrlAllowed,
  isNavigationAllowed,
  isPermissionGranted,
  isTrustedSender,
  parseImagePath,
  resolveStaticPath,
} from '../../src-main/core/policy';

const appUrl = `${appOrigin}/index.html`;
const gen = '01JDZ7Q0M0A6W5Y3G3V6Q7N8PZ';
const img = '01JDZ7Q0M1B6W5Y3G3V6Q7N8PZ';

describe('content security policy', () => {
  it('allows only the app itself to run scripts and connect', () => {
    const csp = contentSecurityPolicy();
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("'unsafe-inline' ;");
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).toContain("connect-src 'self' studio-image:;");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("object-src 'none'");
  });
  it('relaxes scripts only for the dev server', () => {
    expect(contentSecurityPolicy(true)).toContain("script-src 'self' 'unsafe-inline'");
    expect(contentSecurityPolicy(false)).not.toContain("script-src 'self' 'unsafe-inline'");
  });
});

describe('navigation and window.open', () => {
  it('stays inside the app', () => {
    expect(isNavigationAllowed(`${appOrigin}/settings`, appUrl)).toBe(true);
    expect(isNavigationAllowed('https://evil.example/', appUrl)).toBe(false);
    expect(isNavigationAllowed('file:///etc/passwd', appUrl)).toBe(false);
    expect(isNavigationAllowed('app://other/index.html', appUrl)).toBe(false);
    expect(isNavigationAllowed('not a url', appUrl)).toBe(false);
  });
  it('opens only allowlisted https links externally', () => {
    expect(isExternalUrlAllowed('https://docs.aws.amazon.com/sagemaker/')).toBe(true);
    expect(isExternalUrlAllowed('https://us-east-1.console.aws.amazon.com/cloudwatch')).toBe(true);
    expect(isExternalUrlAllowed('http://docs.aws.amazon.com/')).toBe(false);
    expect(isExternalUrlAllowed('https://docs.aws.amazon.com.evil.example/')).toBe(false);
    expect(isExternalUrlAllowed('javascript:alert(1)')).toBe(false);
  });
  it('denies every permission request but writing an image to the clipboard', () => {
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen']) {
      expect(isPermissionGranted(p)).toBe(false);
    }
    expect(isPermissionGranted('clipboard-sanitized-write')).toBe(true);
  });
  it('answers IPC only from the app origin', () => {
    expect(isTrustedSender(`${appOrigin}/index.html`, appUrl)).toBe(true);
    expect(isTrustedSender('https://evil.example/', appUrl)).toBe(false);
    expect(isTrustedSender(undefined, appUrl)).toBe(false);
    expect(isTrustedSender('', appUrl)).toBe(false);
    expect(isTrustedSender('http://localhost:5173/', 'http://localhost:5173/')).toBe(true);
  });
});

describe('image paths', () => {
  it('accepts exactly a generation ID and an image file', () => {
    expect(parseImagePath(`/${gen}/${img}.png`)).toEqual({ generationId: gen, imageId: img, variant: 'png' });
    expect(parseImagePath(`/${gen}/${img}.jpg`)).toEqual({ generationId: gen, imageId: img, variant: 'jpg' });
    expect(parseImagePath(`/${gen}/${img}.thumb.webp`)).toEqual({
      generationId: gen,
      imageId: img,
      variant: 'thumb.webp',
    });
    const uuid = '3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b';
    expect(parseImagePath(`/${uuid}/${uuid}.png`)).toEqual({ generationId: uuid, imageId: uuid, variant: 'png' });
  });
  it.each([
    `/${gen}/../${img}.png`,
    `/../../etc/passwd`,
    `/${gen}/${img}.png/..`,
    `/${gen}/%2e%2e%2f${img}.png`,
    `/${gen}/generation.json`,
    `/${gen}/${img}.exe`,
    `/${gen.toLowerCase()}/${img}.png`,
    `/x/${gen}/${img}.png`,
    `/${gen}/${img}.thumb.png`,
    `/3F2B8C1E-9A4D-4E6F-8B7A-1C2D3E4F5A6B/${img}.png`,
  ])('refuses %s', (path) => {
    expect(parseImagePath(path)).toBeUndefined();
  });
});

describe('static files', () => {
  it('maps paths inside the renderer folder', () => {
    expect(resolveStaticPath('/')).toBe('index.html');
    expect(resolveStaticPath('/assets/index-abc.js')).toBe('assets/index-abc.js');
  });
  it.each(['/../secret', '/assets/../../x', '/%2e%2e/x', '/.env', '/a\\b', '/%00', '/%E0%A4%A'])('refuses %s', (p) => {
    expect(resolveStaticPath(p)).toBeUndefined();
  });
});

describe('desktop downloads', () => {
  it('never overwrites and never leaves the Downloads folder', () => {
    const taken = new Set(['fox-7.png', 'fox-7 (1).png']);
    expect(uniqueDownloadName('fox-7.png', (n) => taken.has(n))).toBe('fox-7 (2).png');
    expect(uniqueDownloadName('../../etc/passwd', () => false)).toBe('passwd');
    expect(uniqueDownloadName('a:b?.png', () => false)).toBe('a_b_.png');
    expect(uniqueDownloadName('', () => false)).toBe('image.png');
  });
});

describe('content types', () => {
  it('names what the app and the library serve, and nothing else', () => {
    expect(contentTypeOf('/assets/index-abc.js')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeOf('index.html')).toBe('text/html; charset=utf-8');
    expect(contentTypeOf('g/i.thumb.webp')).toBe('image/webp');
    expect(contentTypeOf('g/i.JPG')).toBe('image/jpeg');
    expect(contentTypeOf('fonts/inter.woff2')).toBe('font/woff2');
    expect(contentTypeOf('settings')).toBe('application/octet-stream');
    expect(contentTypeOf('x.exe')).toBe('application/octet-stream');
  });
});
