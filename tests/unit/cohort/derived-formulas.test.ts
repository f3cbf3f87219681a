import { describe, expect, it } from 'vitest';
import { DERIVED_FORMULAS, compileCohort, generateCohortChunk } from '../../../src/lib/engine/cohort';
import { cohortSpec } from '../../../src/lib/spec/cohort-schema';

/**
 * Derived covariates against worked examples. Expected values are computed by hand from
 * each published equation, with the coefficients typed here independently of the code
 * under test; 16-digit values were printed by R (the R call is given with each).
 */

const F = DERIVED_FORMULAS;

describe('body size formulas', () => {
  it('BMI = weight / height² (WHO)', () => {
    // R: 80/1.8^2 = 24.691358024691358
    expect(F.bmi.compute(80, 180)).toBeCloseTo(24.691358024691358, 12);
    expect(F.bmi.inputs).toEqual(['weight', 'height']);
  });

  it('BSA Mosteller (N Engl J Med 1987;317:1098): 180 cm, 80 kg → 2.000 m²', () => {
    // sqrt(180 · 80 / 3600) = sqrt(4) = 2
    expect(F.bsa_mosteller.compute(80, 180)).toBe(2);
    // sqrt(160 · 50 / 3600) = sqrt(2.2222…) = 1.4907119849998598
    expect(F.bsa_mosteller.compute(50, 160)).toBeCloseTo(1.4907119849998598, 12);
  });

  it('BSA Du Bois (Arch Intern Med 1916;17:863): 0.007184 · W^0.425 · H^0.725', () => {
    // R: 0.007184*70^0.425*170^0.725 = 1.8097078017532471 (the textbook "1.81 m²")
    expect(F.bsa_dubois.compute(70, 170)).toBeCloseTo(1.8097078017532471, 12);
    // R: 0.007184*80^0.425*180^0.725 = 1.9964210222750447
    expect(F.bsa_dubois.compute(80, 180)).toBeCloseTo(1.9964210222750447, 12);
  });

  it('IBW Devine (Drug Intell Clin Pharm 1974;8:650): 50/45.5 kg + 2.3 kg per inch over 5 ft', () => {
    // male 180 cm = 70.866 in: 50 + 2.3 · 10.866 = 74.99212598425197 (R)
    expect(F.ibw_devine.compute(180, 0)).toBeCloseTo(74.99212598425197, 10);
    // female 165 cm: 45.5 + 2.3 · (165/2.54 − 60) = 56.909448818897623 (R)
    expect(F.ibw_devine.compute(165, 1)).toBeCloseTo(56.909448818897623, 10);
    // exactly 5 ft (152.4 cm): the base weight
    expect(F.ibw_devine.compute(152.4, 1)).toBeCloseTo(45.5, 12);
    expect(F.ibw_devine.compute(152.4, 0)).toBeCloseTo(50, 12);
  });

  it('LBW Janmahasatian (Clin Pharmacokinet 2005;44:1051)', () => {
    // male: 9270 · W / (6680 + 216 · BMI); 80 kg, 180 cm, BMI 24.69 → 61.731409544950061 (R)
    expect(F.lbw_janmahasatian.compute(80, 180, 0)).toBeCloseTo(61.731409544950061, 10);
    // female: 9270 · W / (8780 + 244 · BMI); 60 kg, 165 cm → 39.286845659001308 (R)
    expect(F.lbw_janmahasatian.compute(60, 165, 1)).toBeCloseTo(39.286845659001308, 10);
    // obese male 120 kg, 175 cm → 73.456417443803574 (R)
    expect(F.lbw_janmahasatian.compute(120, 175, 0)).toBeCloseTo(73.456417443803574, 10);
  });
});

describe('kidney function formulas', () => {
  it('Cockcroft–Gault (Nephron 1976;16:31): (140 − age) · weight / (72 · SCr), × 0.85 female', () => {
    // 60 years, 72 kg, SCr 1.0 mg/dL: 80 · 72 / 72 = 80 mL/min; female 68
    expect(F.crcl_cockcroft_gault.compute(60, 72, 1.0, 0)).toBeCloseTo(80, 12);
    expect(F.crcl_cockcroft_gault.compute(60, 72, 1.0, 1)).toBeCloseTo(68, 12);
    // 85-year-old woman, 55 kg, SCr 1.4: 55 · 55 / (72 · 1.4) · 0.85 = 25.508432539682541 (R)
    expect(F.crcl_cockcroft_gault.compute(85, 55, 1.4, 1)).toBeCloseTo(25.508432539682541, 10);
    expect(F.crcl_cockcroft_gault.inputs).toEqual(['age', 'weight', 'scr', 'sex']);
  });

  /**
   * CKD-EPI 2021 (Inker LA et al. N Engl J Med 2021;385:1737, Table S10 / NKF calculator):
   * eGFR = 142 · min(SCr/κ, 1)^α · max(SCr/κ, 1)^−1.200 · 0.9938^age · 1.012 [female],
   * κ = 0.7 (F) / 0.9 (M), α = −0.241 (F) / −0.302 (M). Typed here independently.
   */
  function ckdEpi2021(scr: number, age: number, female: boolean): number {
    const kappa = female ? 0.7 : 0.9;
    const alpha = female ? -0.241 : -0.302;
    return (
      142 *
      Math.min(scr / kappa, 1) ** alpha *
      Math.max(scr / kappa, 1) ** -1.2 *
      0.9938 ** age *
      (female ? 1.012 : 1)
    );
  }

  it('CKD-EPI 2021 matches R-computed worked examples', () => {
    // R (same equation): 91.691478609833297, 68.633496658800865, 123.757864121642456,
    // 26.963782417509208, 97.775014482890981. The NKF calculator shows 92 for a
    // 50-year-old man with SCr 1.0 mg/dL and 69 for a woman.
    expect(F.egfr_ckd_epi_2021.compute(1.0, 50, 0)).toBeCloseTo(91.691478609833297, 9);
    expect(F.egfr_ckd_epi_2021.compute(1.0, 50, 1)).toBeCloseTo(68.633496658800865, 9);
    expect(F.egfr_ckd_epi_2021.compute(0.6, 30, 1)).toBeCloseTo(123.757864121642456, 9);
    expect(F.egfr_ckd_epi_2021.compute(2.5, 70, 0)).toBeCloseTo(26.963782417509208, 9);
    expect(Math.round(F.egfr_ckd_epi_2021.compute(1.0, 50, 0))).toBe(92);
    expect(Math.round(F.egfr_ckd_epi_2021.compute(1.0, 50, 1))).toBe(69);
  });

  it('CKD-EPI 2021 agrees with the independent equation over a grid, both sides of κ', () => {
    for (const female of [false, true]) {
      for (const age of [18, 40, 65, 90]) {
        for (let scr = 0.3; scr <= 8; scr += 0.05) {
          const want = ckdEpi2021(scr, age, female);
          const got = F.egfr_ckd_epi_2021.compute(scr, age, female ? 1 : 0);
          expect(Math.abs(got - want) / want).toBeLessThan(1e-12);
        }
        // continuity at SCr = κ: 142 · 0.9938^age (· 1.012)
        const kappa = female ? 0.7 : 0.9;
        expect(F.egfr_ckd_epi_2021.compute(kappa, age, female ? 1 : 0)).toBeCloseTo(
          142 * 0.9938 ** age * (female ? 1.012 : 1),
          9
        );
      }
    }
  });
});

describe('derived covariates in a cohort', () => {
  it('maps inputs and the female level, and rounds to decimals', () => {
    const spec = cohortSpec.parse({
      name: 'mapped',
      covariates: [
        { name: 'gender', type: 'categorical', levels: { W: 0.5, Men: 0.5 } },
        { name: 'age', type: 'continuous', distribution: { kind: 'uniform', min: 20, max: 80 } },
        { name: 'creat', type: 'continuous', distribution: { kind: 'uniform', min: 0.5, max: 3 } },
        { name: 'wt', type: 'continuous', distribution: { kind: 'uniform', min: 50, max: 120 } }
      ],
      derived: [
        {
          name: 'egfr',
          formula: 'egfr_ckd_epi_2021',
          inputs: { scr: 'creat', sex: 'gender' },
          female: 'W'
        },
        {
          name: 'crcl',
          formula: 'crcl_cockcroft_gault',
          inputs: { scr: 'creat', sex: 'gender', weight: 'wt' },
          female: 'W',
          decimals: 1
        }
      ]
    });
    const plan = compileCohort(spec);
    const col = (name: string) => plan.columns.findIndex((c) => c.name === name);
    const chunk = generateCohortChunk(plan, 3, 1, 2000);
    const c = (name: string) => chunk.columns[col(name)];
    let women = 0;
    for (let i = 0; i < chunk.count; i++) {
      const female = c('gender')[i] === 0; // level W is code 0
      if (female) women++;
      const age = c('age')[i];
      const scr = c('creat')[i];
      expect(c('egfr')[i]).toBeCloseTo(ckdEpiIndependent(scr, age, female), 9);
      const crcl = (((140 - age) * c('wt')[i]) / (72 * scr)) * (female ? 0.85 : 1);
      expect(c('crcl')[i]).toBe(Math.round(crcl * 10) / 10);
    }
    // Level W has probability 0.5: binomial(2000, 0.5) has SD 22.4; 4 SD.
    expect(Math.abs(women - 1000)).toBeLessThan(4 * Math.sqrt(2000 * 0.25));
  });
});

function ckdEpiIndependent(scr: number, age: number, female: boolean): number {
  const kappa = female ? 0.7 : 0.9;
  const alpha = female ? -0.241 : -0.302;
  const r = scr / kappa;
  return 142 * Math.min(r, 1) ** alpha * Math.max(r, 1) ** -1.2 * 0.9938 ** age * (female ? 1.012 : 1);
}
