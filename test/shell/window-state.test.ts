import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  defaultSize,
  placeWindow,
  readWindowState,
  rememberPlace,
  writeWindowState,
} from '../../src-main/shell/window-state';
import type { DisplayInfo, Rect } from '../../src-main/shell/window-state';

const display = (id: number, x: number, y: number, width: number, height: number, scaleFactor = 1): DisplayInfo => ({
  id,
  bounds: { x, y, width, height },
  // A 40 px task bar at the bottom.
  workArea: { x, y, width, height: height - 40 },
  scaleFactor,
});
const laptop = display(1, 0, 0, 1920, 1080);
const monitor = display(2, 1920, 0, 2560, 1440);
const within = (r: Rect, area: Rect): boolean =>
  r.x >= area.x && r.y >= area.y && r.x + r.width <= area.x + area.width && r.y + r.height <= area.y + area.height;

describe('window state', () => {
  it('opens at the default size, centred on the primary display, the first time', () => {
    const place = placeWindow({ places: {} }, [laptop], laptop);
    expect(place).toEqual({
      bounds: { x: 240, y: 60, width: defaultSize.width, height: defaultSize.height },
      maximized: false,
    });
  });

  it('remembers size, position and maximised state per set of displays', () => {
    const onMonitor = { bounds: { x: 2200, y: 100, width: 1600, height: 1000 }, maximized: true };
    const onLaptop = { bounds: { x: 10, y: 20, width: 1200, height: 800 }, maximized: false };
    let state = rememberPlace({ places: {} }, [laptop, monitor], onMonitor);
    state = rememberPlace(state, [laptop], onLaptop);
    // Docked again: where it was with the monitor; undocked: where it was on the laptop alone.
    expect(placeWindow(state, [laptop, monitor], laptop)).toEqual(onMonitor);
    expect(placeWindow(state, [laptop], laptop)).toEqual(onLaptop);
  });

  it('a window left on a monitor that is gone comes back whole on a display that is there', () => {
    const state = rememberPlace({ places: {} }, [laptop, monitor], {
      bounds: { x: 2200, y: 100, width: 2400, height: 1300 },
      maximized: false,
    });
    // The monitor is unplugged, and this display set was never seen: the last place is used, moved on screen.
    const place = placeWindow(state, [laptop], laptop);
    expect(within(place.bounds, laptop.workArea)).toBe(true);
    expect(place.bounds.width).toBeLessThanOrEqual(laptop.workArea.width);
  });

  it('a window half off the edge is moved fully on the display it overlaps most', () => {
    const state = rememberPlace({ places: {} }, [laptop], {
      bounds: { x: 1500, y: 900, width: 1000, height: 700 },
      maximized: false,
    });
    const place = placeWindow(state, [laptop], laptop);
    expect(within(place.bounds, laptop.workArea)).toBe(true);
    expect(place.bounds).toMatchObject({ width: 1000, height: 700 });
  });

  it('a small display gets a window no larger than its work area', () => {
    const small = display(3, 0, 0, 1024, 700);
    const state = rememberPlace({ places: {} }, [laptop], {
      bounds: { x: 0, y: 0, width: 1800, height: 1000 },
      maximized: false,
    });
    const place = placeWindow(state, [small], small);
    expect(within(place.bounds, small.workArea)).toBe(true);
  });

  it('is kept in a file; a damaged or missing file opens the window at its default', () => {
    const dir = mkdtempSync(join(tmpdir(), 'studio-window-'));
    const file = join(dir, 'window-state.json');
    expect(readWindowState(file)).toEqual({ places: {} });
    const state = rememberPlace({ places: {} }, [laptop], {
      bounds: { x: 5, y: 6, width: 1000, height: 700 },
      maximized: true,
    });
    writeWindowState(file, state);
    expect(readWindowState(file)).toEqual(state);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(state);

    writeFileSync(file, '{"places": {"x": {"bounds": {"x": "left"}}}}');
    expect(readWindowState(file)).toEqual({ places: {} });
    writeFileSync(file, 'not json');
    expect(readWindowState(file)).toEqual({ places: {} });
  });
});
