import { describe, expect, it } from 'vitest';
import { DECAY, modelFile, problems } from './problems';

describe('model language: checks before anything runs', () => {
  it('accepts the documented example and a small ODE model', () => {
    expect(problems(modelFile('pk2cmt_oral_idr1.model'))).toEqual([]);
    expect(problems(DECAY)).toEqual([]);
  });

  it('names an unknown name with the closest known one', () => {
    const text = DECAY.replace('K = 0.1', 'KELIM = 0.1').replace('-K * A', '-KELIN * A');
    expect(problems(text)).toEqual(["8:14: unknown name 'KELIN'; did you mean 'KELIM'?"]);
  });

  it('refuses a state without d/dt and a d/dt of something that is not a state', () => {
    const text = DECAY.replace('states\n', 'states\n  B [mg]\n').replace('d/dt(A)', 'd/dt(AA)');
    expect(problems(text)).toEqual([
      "6:3: state 'B' has no d/dt(B) in 'odes'",
      "7:3: state 'A' has no d/dt(A) in 'odes'",
      "9:8: d/dt of 'AA', which is not a state"
    ]);
  });

  it('reports a cycle among individual quantities and among intermediates', () => {
    const text = DECAY.replace('states', 'individual\n  K1 = K2 * 2\n  K2 = K1 / 2\nstates').replace(
      '  d/dt(A) = -K * A',
      '  r1 = r2 + K\n  r2 = r1 * A\n  d/dt(A) = -r1'
    );
    expect(problems(text)).toEqual([
      '6:3: a cycle among individual quantities: K1 → K2 → K1',
      '11:3: a cycle among intermediate quantities: r1 → r2 → r1'
    ]);
  });

  it('orders individual quantities by their dependencies, whatever their order in the text', () => {
    const text = DECAY.replace('states', 'individual\n  K2 = K1 * 2\n  K1 = K / 2\nstates').replace(
      '-K * A',
      '-K2 * A'
    );
    expect(problems(text)).toEqual([]);
  });

  it('refuses an assignment to a parameter outside covariates, and duplicate names', () => {
    const text = DECAY.replace('states', 'individual\n  K = 2\nstates').replace(
      'outputs\n',
      'outputs\n  A0 = A\n  Z = A\n  Z = 2 * A\n'
    );
    expect(problems(text)).toEqual([
      "6:3: 'K' is a parameter (line 3): parameters are assigned only in 'covariates'",
      "12:3: 'A0' is a parameter (line 4): parameters are assigned only in 'covariates'",
      "14:3: 'Z' is already declared (line 13)"
    ]);
  });

  it('lets an output show a state under its own name, and nothing else', () => {
    expect(problems(DECAY.replace('Y = A', 'A = A'))).toEqual([]);
    expect(problems(DECAY.replace('Y = A', 'A = 2 * A'))).toEqual(["10:3: 'A' is already declared (line 6)"]);
  });

  it('reports unit clashes only where both sides are known', () => {
    const text = DECAY.replace('-K * A', '-K * A + A0').replace('Y = A [mg]', 'Y = A / A0 [mg]');
    expect(problems(text)).toEqual([
      "8:20: unit clash: '+' of [mg/h] and [mg]",
      "10:7: unit clash: output 'Y' is declared [mg] but its expression is [1]"
    ]);
    // A number or an undeclared unit never clashes.
    expect(problems(DECAY.replace('-K * A', '-K * A + 1').replace('[1/h] "elim', '"elim'))).toEqual([]);
  });

  it('checks d/dt against the state unit per hour, and exp() for a dimensionless argument', () => {
    expect(problems(DECAY.replace('-K * A', '-A'))).toEqual([
      '8:13: unit clash: d/dt(A) is declared [mg/h] but its expression is [mg]'
    ]);
    expect(problems(DECAY.replace('-K * A', '-K * A * exp(-K)'))).toEqual([
      '8:22: the argument of exp() must be dimensionless, got [1/h]'
    ]);
    expect(problems(DECAY.replace('-K * A', '-K * A * exp(-K * t)'))).toEqual([]);
  });

  it('refuses variability, covariate and correlation statements that name no parameter', () => {
    const text = DECAY.replace(
      'states',
      'variability\n  KK ~ lognormal(var = 0.1)\n  cor(K, A0) = 0.2\ncovariates\n  KX = K * weight / 70\nstates'
    );
    expect(problems(text)).toEqual([
      "6:3: variability for 'KK', which is not a parameter",
      "7:7: cor() of 'K', which has no variability statement",
      "7:10: cor() of 'A0', which has no variability statement",
      "9:3: 'KX' is not a parameter: covariate effects change parameters"
    ]);
  });

  it('refuses a correlation outside (-1, 1) and a covariance that is not positive definite', () => {
    const variability = (c: string) =>
      DECAY.replace(
        'states',
        `parameters\n  B = 1\n  E = 1\nvariability\n  K ~ lognormal(var = 0.1)\n  B ~ normal(sd = 1)\n  E ~ normal(sd = 1)\n${c}\nstates`
      );
    expect(problems(variability('  cor(K, B) = 1'))).toEqual([
      '12:3: a correlation lies strictly between -1 and 1, got 1'
    ]);
    expect(problems(variability('  cor(K, B) = 0.9\n  cor(B, E) = 0.9\n  cor(K, E) = -0.9'))).toEqual([
      '12:3: the correlations give a covariance matrix that is not positive definite'
    ]);
  });

  it('refuses logit bounds that do not contain the typical value', () => {
    const text = DECAY.replace(
      'states',
      'variability\n  K ~ logit(var = 0.1, lower = 0.2, upper = 1)\nstates'
    );
    expect(problems(text)).toEqual([
      '6:3: the typical value of K (0.1) must lie strictly between lower (0.2) and upper (1)'
    ]);
  });

  it('keeps each block to the names it may see', () => {
    const text = DECAY.replace('states', 'individual\n  KA = K * t\nstates').replace(
      'A(0) = A0',
      'A(0) = A0 + A'
    );
    expect(problems(text)).toEqual([
      "6:12: 't' (the time) cannot be used here: an individual quantity sees parameters and other individual quantities",
      "8:15: 'A' (a state) cannot be used here: an initial condition, pk argument or dose setting sees parameters and individual quantities"
    ]);
  });

  it('checks a pk declaration: its arguments (F an expression), no doses block', () => {
    const text = modelFile('pk2cmt_oral_idr1.model')
      .replace('Q = Q, V2 = V2, ', '')
      .replace('F = F1', 'F = F1 * 2, Q3 = Q');
    expect(problems(text)).toEqual([
      '31:1: the pk declaration needs Q, V2',
      '31:70: Q3 is not an argument of a 2-compartment oral pk model'
    ]);
  });

  it('refuses solver stiff with pk, whose states have no stiff path', () => {
    const text = modelFile('pk2cmt_oral_idr1.model').replace(
      'model pk2cmt_oral_idr1',
      'model x\nsolver stiff'
    );
    expect(problems(text)).toEqual([
      '3:1: solver stiff is for models without pk (with pk the states run on Dormand–Prince with stiffness detection)'
    ]);
  });

  it('refuses unknown functions, wrong argument counts and reserved names', () => {
    const text = DECAY.replace('-K * A', '-K * A * expp(0) + max() + if(1, 2)').replace(
      'outputs\n',
      'outputs\n  exp = A\n'
    );
    expect(problems(text)).toEqual([
      "8:22: unknown function 'expp'; did you mean 'exp'? (functions: exp, log, log10, sqrt, abs, pow, min, max, if)",
      '8:32: max() takes 1 to 16 arguments, got 0',
      '8:40: if() takes 3 arguments, got 2',
      "10:3: 'exp' is a reserved name"
    ]);
  });
});
