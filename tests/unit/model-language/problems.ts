// Model texts for the model-language tests, and their problems as `line:col: message`.
import { readFileSync } from 'node:fs';
import { checkModelText } from '../../../src/lib/engine/model-language';

export function modelFile(name: string): string {
  return readFileSync(new URL(`./models/${name}`, import.meta.url), 'utf8');
}

/** A model file shipped under models/. */
export function shippedModel(name: string): string {
  return readFileSync(new URL(`../../../models/${name}`, import.meta.url), 'utf8');
}

export function problems(text: string): string[] {
  return checkModelText(text)
    .diagnostics.slice()
    .sort((a, b) => a.line - b.line || a.col - b.col)
    .map((d) => `${d.line}:${d.col}: ${d.message}`);
}

/** A small valid one-state model; tests edit its lines. */
export const DECAY = `model decay
parameters
  K = 0.1 [1/h] "elimination rate"
  A0 = 10 [mg] "initial amount"
states
  A(0) = A0 [mg] "amount"
odes
  d/dt(A) = -K * A
outputs
  Y = A [mg] ~ additive(0.5) "observed amount"
`;
