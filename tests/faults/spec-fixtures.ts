// Small spec files for the spec fault tests: valid as written, each test breaks one thing.

/** A cohort of 40 twins: sex and weight. */
export const SMALL_COHORT = `name: small
seed: 11
n: 40
covariates:
  - { name: sex, type: categorical, levels: { F: 0.5, M: 0.5 } }
  - { name: weight, type: continuous, unit: kg, distribution: { kind: normal, mean: 70, sd: 10 } }
`;

/** A two-arm, four-week protocol on SMALL_COHORT (inline); `edit` rewrites its text. */
export function smallProtocol(edit: (yaml: string) => string = (y) => y): string {
  const cohort = SMALL_COHORT.trimEnd()
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
  return edit(`name: small trial
seed: 7
cohort:
  spec:
${cohort}
model:
  model: pk1cmt_oral+emax
  parameters: { CL: 25, V: 1500, KA: 0.3, E0: 150, EMAX: -25, EC50: 0.01 }
  residualError:
    E: { type: additive, additive: 8 }
arms:
  - { name: placebo, placebo: true }
  - name: active
    regimen: { dose: 10, interval: 24h, duration: 4w }
schedule:
  duration: 4w
  visits: [0, 2w, 4w]
observe: [E]
endpoints:
  - { name: e_change, type: continuous, variable: E, visit: 4w, primary: true }
  - { name: responder, type: responder, variable: E, visit: 4w, threshold: -10 }
`);
}
