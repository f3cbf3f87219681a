// A test file that fails while it is imported, before any test runs.
import { expect, it } from 'vitest';

JSON.parse('{ not json');

it('never runs', () => expect(true).toBe(true));
