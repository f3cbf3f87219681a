/**
 * Model lookup by name. A PK/PD model is named '<pk>' or '<pk>+<pd>', e.g.
 * 'pk2cmt_oral+idr1'; generic ODE models by their own name, e.g. 'tmdd_full'.
 */
import { composePkPd } from './composePkPd';
import { emaxEffect, linearEffect, sigmoidEmaxEffect } from './library/directEffect';
import { effectCompartment } from './library/effectCompartment';
import { fpgHba1c } from './library/fpgHba1c';
import {
  indirectResponse1,
  indirectResponse2,
  indirectResponse3,
  indirectResponse4
} from './library/indirectResponse';
import { linearPkLibrary } from './library/linearPk';
import { transit3 } from './library/transitCompartments';
import { tmddFull } from './library/tmdd';
import { tumourGrowthInhibition } from './library/tumourGrowthInhibition';
import { diseaseAsymptotic, diseaseExponential, diseaseLinear } from './library/diseaseProgression';
import type { LinearPkDeclaration, ModelDefinition, OdeModel, PdDeclaration } from './modelDefinition';

const pkBlocks = new Map<string, LinearPkDeclaration>(linearPkLibrary.map((d) => [d.name, d]));
const pdBlocks = new Map<string, PdDeclaration>(
  [
    linearEffect,
    emaxEffect,
    sigmoidEmaxEffect,
    effectCompartment,
    indirectResponse1,
    indirectResponse2,
    indirectResponse3,
    indirectResponse4,
    transit3,
    tumourGrowthInhibition,
    diseaseLinear,
    diseaseExponential,
    diseaseAsymptotic,
    fpgHba1c
  ].map((d) => [d.name, d])
);
const odeModels = new Map<string, OdeModel>([[tmddFull.name, tmddFull]]);

/** Adds a generic ODE model or a PD block to the registry (library files call this). */
export function registerOdeModel(model: OdeModel): void {
  odeModels.set(model.name, model);
}
export function registerPdBlock(block: PdDeclaration): void {
  pdBlocks.set(block.name, block);
}

export function modelNames(): { pk: string[]; pd: string[]; ode: string[] } {
  return { pk: [...pkBlocks.keys()], pd: [...pdBlocks.keys()], ode: [...odeModels.keys()] };
}

export function resolveModel(name: string): ModelDefinition {
  const ode = odeModels.get(name);
  if (ode) return ode;
  const [pkName, pdName, ...rest] = name.split('+');
  const pk = pkBlocks.get(pkName);
  if (!pk || rest.length > 0) {
    throw new Error(
      `unknown model '${name}': use a PK model (${[...pkBlocks.keys()].join(', ')}) optionally followed by ` +
        `'+<pd>' (${[...pdBlocks.keys()].join(', ')}), or an ODE model (${[...odeModels.keys()].join(', ')})`
    );
  }
  if (pdName === undefined) return composePkPd(pk);
  const pd = pdBlocks.get(pdName);
  if (!pd)
    throw new Error(
      `unknown PD block '${pdName}' in model '${name}' (have ${[...pdBlocks.keys()].join(', ')})`
    );
  return composePkPd(pk, pd);
}
