import { resolveRegimen, type Dose, type ModelDefinition, type ResolvedRegimen } from '../models';
import type { CompiledArm } from './compile-arms';
import { regimenDoses } from './regimen-doses';

/**
 * The primary drug's nominal doses of each arm. Doses that are the same for every twin
 * of an arm (mg, or placebo) are built and resolved once; mg/kg and mg/m² doses are
 * built per twin from its weight or BSA.
 */
export class ArmDoses {
  private readonly fixed: (Dose[] | undefined)[];
  private readonly fixedRegimens: (ResolvedRegimen | undefined)[];

  constructor(
    private readonly arms: CompiledArm[],
    model: ModelDefinition,
    private readonly duration: number
  ) {
    this.fixed = arms.map((arm) =>
      arm.regimen?.unit === 'mg' || arm.placebo ? regimenDoses(arm, duration, NaN, NaN) : undefined
    );
    this.fixedRegimens = this.fixed.map((d) => (d ? resolveRegimen(model, d) : undefined));
  }

  /** Arm a's doses when they are the same for every twin (shared, never to be changed). */
  fixedDoses(a: number): Dose[] | undefined {
    return this.fixed[a];
  }

  /** Arm a's resolved fixed doses. */
  fixedRegimen(a: number): ResolvedRegimen | undefined {
    return this.fixedRegimens[a];
  }

  /** A twin's doses over the periods (period p under arm periodArms[p], from p × periodOffset), a new array. */
  twinDoses(periodArms: number[], periodOffset: number, weight: number, bsa: number): Dose[] {
    const doses: Dose[] = [];
    for (let p = 0; p < periodArms.length; p++) {
      const a = periodArms[p];
      for (const d of this.fixed[a] ?? regimenDoses(this.arms[a], this.duration, weight, bsa))
        doses.push({ ...d, time: d.time + p * periodOffset });
    }
    return doses;
  }
}
