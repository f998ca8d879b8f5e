// Guards issue 10 §3 (`sealed`): a 红头 printout without a seal read as sealed, because the
// header's red counted as much as a seal's. Below the top quarter only the seal is red.
import { createCanvas } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { redShare } from './image-ops.js';

function page(draw: (ctx: ReturnType<ReturnType<typeof createCanvas>['getContext']>) => void) {
  const c = createCanvas(600, 848);
  const ctx = c.getContext('2d');
  ctx.fillStyle = '#f4f4f0';
  ctx.fillRect(0, 0, 600, 848);
  ctx.fillStyle = '#d2141e';
  draw(ctx);
  return c;
}

describe('redShare', () => {
  it('leaves the red header out when asked to look below the top quarter', () => {
    const header = page((ctx) => ctx.fillRect(100, 60, 400, 40));
    expect(redShare(header)).toBeGreaterThan(0.02);
    expect(redShare(header, 0.25)).toBe(0);
  });

  it('sees a seal low on the page either way', () => {
    const sealed = page((ctx) => {
      ctx.fillRect(100, 60, 400, 40);
      ctx.beginPath();
      ctx.arc(400, 650, 60, 0, Math.PI * 2);
      ctx.fill();
    });
    // π·60² px over the lower 636 rows of 600: about 0.03
    expect(redShare(sealed, 0.25)).toBeGreaterThan(0.025);
    expect(redShare(sealed, 0.25)).toBeLessThan(0.035);
  });

  it('does not count dark ink as red', () => {
    const text = page((ctx) => {
      ctx.fillStyle = '#202020';
      ctx.fillRect(80, 300, 440, 300);
    });
    expect(redShare(text)).toBe(0);
  });
});
