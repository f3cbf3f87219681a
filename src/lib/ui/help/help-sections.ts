import { STAT_METHODS } from './stat-methods';

/**
 * The Help page's table of contents: every section's anchor and title, in page order. Other
 * pages link to these anchors (/help#copula, /help#monte-carlo-power); an end-to-end test
 * checks that each one is an element of the page, so the links cannot rot.
 */
export interface HelpSection {
  id: string;
  title: string;
  children?: readonly HelpSection[];
}

export const HELP_SECTIONS: readonly HelpSection[] = [
  {
    id: 'twins',
    title: 'Digital twins and virtual trials',
    children: [
      { id: 'counterfactual', title: 'Every twin under every arm' },
      { id: 'determinism', title: 'Same seed, same twins' }
    ]
  },
  {
    id: 'cohorts',
    title: 'How a cohort is drawn',
    children: [
      { id: 'marginals', title: 'Marginal distributions' },
      { id: 'copula', title: 'Correlations: the Gaussian copula' },
      { id: 'derived', title: 'Derived covariates' },
      { id: 'criteria', title: 'Inclusion and exclusion by screening' },
      { id: 'shipped-cohorts', title: 'Shipped cohorts and their sources' }
    ]
  },
  {
    id: 'models',
    title: 'Model families',
    children: [
      { id: 'pk', title: 'Pharmacokinetics: 1, 2 and 3 compartments' },
      { id: 'direct-effect', title: 'Direct effect: linear, Emax, sigmoid Emax' },
      { id: 'effect-compartment', title: 'Effect compartment' },
      { id: 'indirect-response', title: 'Indirect response I–IV' },
      { id: 'transit', title: 'Transit compartments' },
      { id: 'tumour-growth', title: 'Tumour growth inhibition' },
      { id: 'disease-progression', title: 'Disease progression' },
      { id: 'glucose-hba1c', title: 'Glucose and HbA1c' },
      { id: 'tmdd', title: 'Target-mediated drug disposition' },
      { id: 'variability', title: 'Between-twin variability and covariates' },
      { id: 'residual-error', title: 'Residual error' },
      { id: 'time-to-event', title: 'Time to event: hazards' }
    ]
  },
  { id: 'model-language', title: 'The model language' },
  {
    id: 'statistics',
    title: 'Statistical methods',
    children: STAT_METHODS.map((m) => ({ id: m.id, title: m.title }))
  },
  { id: 'monte-carlo-power', title: 'Monte Carlo power and its error' },
  { id: 'calibration', title: 'Calibration: twins of real patients' }
];

/** Every anchor of the page, sections and subsections, in page order. */
export function helpAnchors(sections: readonly HelpSection[] = HELP_SECTIONS): string[] {
  return sections.flatMap((s) => [s.id, ...helpAnchors(s.children ?? [])]);
}
