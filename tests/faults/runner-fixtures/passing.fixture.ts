// A suite where everything passes, to tell a clean run from the others.
import { expect, it } from 'vitest';

it('passes', () => expect(1).toBe(1));
it.skip('is skipped', () => {});
